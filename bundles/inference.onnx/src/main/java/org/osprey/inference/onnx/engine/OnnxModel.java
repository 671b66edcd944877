package org.osprey.inference.onnx.engine;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.osprey.api.camera.Frame;
import org.osprey.api.vision.InferenceException;
import org.osprey.api.vision.InferenceException.Reason;
import org.osprey.api.vision.InferenceResult;
import org.osprey.api.vision.Model;
import org.osprey.api.vision.ModelInfo;
import org.osprey.api.vision.Prediction;
import org.osprey.inference.onnx.decode.OutputDecoder;
import org.osprey.inference.onnx.decode.TensorData;
import org.osprey.inference.onnx.image.BadImageException;
import org.osprey.inference.onnx.image.ChannelOrder;
import org.osprey.inference.onnx.image.DecodeBuffers;
import org.osprey.inference.onnx.image.ImageTooLargeException;
import org.osprey.inference.onnx.image.DecodeTarget;
import org.osprey.inference.onnx.image.Pixels;
import org.osprey.inference.onnx.tensor.Geometry;
import org.osprey.inference.onnx.tensor.InputSpec;
import org.osprey.inference.onnx.tensor.TensorWriter;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/**
 * A loaded model: one ONNX Runtime session shared by all callers (session.run is thread-safe), and a
 * pool of per-call workspaces so a request allocates no full-size buffers. The session is closed
 * after {@link #retire()} once the last request on it has finished.
 */
public final class OnnxModel implements Model {

    private final OnnxEngine engine;
    private final OrtSession session;
    private final ModelInfo info;
    private final String inputName;
    private final InputSpec spec;
    private final OutputDecoder decoder;
    /**
     * Workspaces kept between calls: as many as calls that run at once on this machine's cores; the
     * workspaces of a burst beyond that are dropped after their call.
     */
    static final int POOLED_WORKSPACES = Math.max(2, 2 * Runtime.getRuntime().availableProcessors());
    private final Queue<Workspace> workspaces = new ArrayBlockingQueue<>(POOLED_WORKSPACES);
    /** Requests in flight, plus one held by the extender until retire(). */
    private final AtomicInteger leases = new AtomicInteger(1);
    private final AtomicBoolean retired = new AtomicBoolean();

    /** Buffers one call uses; back to the pool after it. */
    private static final class Workspace {
        final DecodeBuffers decode = new DecodeBuffers();
        final TensorWriter writer = new TensorWriter();
        /** The input tensor's memory: floats, or bytes for 8-bit inputs. */
        final ByteBuffer memory;
        final FloatBuffer floats;

        Workspace(InputSpec spec) {
            memory = ByteBuffer.allocateDirect(spec.elements() * (spec.uint8() ? 1 : Float.BYTES)).order(ByteOrder.nativeOrder());
            floats = spec.uint8() ? null : memory.asFloatBuffer();
        }
    }

    public OnnxModel(OnnxEngine engine, OrtSession session, ModelInfo info, String inputName, InputSpec spec,
            OutputDecoder decoder) {
        this.engine = engine;
        this.session = session;
        this.info = info;
        this.inputName = inputName;
        this.spec = spec;
        this.decoder = decoder;
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    @Override
    public InferenceResult infer(Frame frame) throws InferenceException {
        if (!acquire()) {
            throw new InferenceException(Reason.MODEL_UNAVAILABLE, "model " + info.name() + " " + info.version() + " was removed");
        }
        Workspace ws = workspaces.poll();
        if (ws == null) {
            ws = new Workspace(spec);
        }
        try {
            long t0 = System.nanoTime();
            Pixels pixels = engine.images().pixels(frame, (w, h) -> DecodeTarget.forInput(w, h, spec.width(), spec.height(), spec.letterbox()), ws.decode);
            Geometry geometry = spec.uint8() ? ws.writer.write(pixels, spec, ws.memory) : ws.writer.write(pixels, spec, ws.floats);
            long t1 = System.nanoTime();
            Map<String, TensorData> outputs = run(ws, pixels.width(), pixels.height());
            long t2 = System.nanoTime();
            List<Prediction> predictions = decoder.decode(outputs, geometry);
            long t3 = System.nanoTime();
            return InferenceResult.builder(info)
                    .image(pixels.sourceWidth(), pixels.sourceHeight())
                    .predictions(predictions)
                    .timings(Duration.ofNanos(t1 - t0), Duration.ofNanos(t2 - t1), Duration.ofNanos(t3 - t2))
                    .build();
        } catch (ImageTooLargeException e) {
            throw new InferenceException(Reason.IMAGE_TOO_LARGE, e.getMessage(), e);
        } catch (BadImageException e) {
            throw new InferenceException(Reason.BAD_IMAGE, e.getMessage(), e);
        } catch (OrtException | RuntimeException e) {
            throw new InferenceException(Reason.INTERNAL, "inference failed on model " + info.name() + ": " + e, e);
        } finally {
            workspaces.offer(ws);
            release();
        }
    }

    private Map<String, TensorData> run(Workspace ws, int imageWidth, int imageHeight) throws OrtException {
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            inputs.put(inputName, spec.uint8()
                    ? OnnxTensor.createTensor(engine.environment(), ws.memory.rewind(), spec.shape(), ai.onnxruntime.OnnxJavaType.UINT8)
                    : OnnxTensor.createTensor(engine.environment(), ws.floats.rewind(), spec.shape()));
            for (Map.Entry<String, Object> e : decoder.extraInputs(imageWidth, imageHeight).entrySet()) {
                inputs.put(e.getKey(), OnnxTensor.createTensor(engine.environment(), e.getValue()));
            }
            try (OrtSession.Result result = session.run(inputs)) {
                Map<String, TensorData> outputs = new HashMap<>();
                for (Map.Entry<String, OnnxValue> e : result) {
                    if (e.getValue() instanceof OnnxTensor t) {
                        float[] values = floats(t);
                        if (values != null) {
                            outputs.put(e.getKey(), new TensorData(e.getKey(), t.getInfo().getShape(), values));
                        }
                    } else if (e.getValue() instanceof ai.onnxruntime.OnnxSequence seq) {
                        TensorData map = labelMap(e.getKey(), seq);
                        if (map != null) {
                            outputs.put(e.getKey(), map);
                        }
                    }
                }
                return outputs;
            }
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    /** The first map of a sequence of label -> score maps (ONNX ZipMap), or null for other sequences. */
    private static TensorData labelMap(String name, ai.onnxruntime.OnnxSequence seq) throws OrtException {
        List<? extends OnnxValue> items = seq.getValue();
        if (items.isEmpty() || !(items.get(0) instanceof ai.onnxruntime.OnnxMap m)) {
            return null;
        }
        Map<? extends Object, ? extends Object> scores = m.getValue();
        List<String> keys = new java.util.ArrayList<>();
        float[] values = new float[scores.size()];
        for (Map.Entry<? extends Object, ? extends Object> s : scores.entrySet()) {
            if (!(s.getValue() instanceof Number n)) {
                return null;
            }
            values[keys.size()] = n.floatValue();
            keys.add(String.valueOf(s.getKey()));
        }
        return new TensorData(name, TensorData.LABEL_MAP, values, keys);
    }

    /** A numeric output as floats (class ids and indices are small integers, exact as floats); null for others. */
    private static float[] floats(OnnxTensor t) {
        switch (t.getInfo().type) {
            case FLOAT: {
                FloatBuffer b = t.getFloatBuffer();
                float[] v = new float[b.remaining()];
                b.get(v);
                return v;
            }
            case INT64: {
                java.nio.LongBuffer b = t.getLongBuffer();
                float[] v = new float[b.remaining()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = b.get(i);
                }
                return v;
            }
            case INT32: {
                java.nio.IntBuffer b = t.getIntBuffer();
                float[] v = new float[b.remaining()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = b.get(i);
                }
                return v;
            }
            case DOUBLE: {
                java.nio.DoubleBuffer b = t.getDoubleBuffer();
                float[] v = new float[b.remaining()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) b.get(i);
                }
                return v;
            }
            default:
                return null;
        }
    }

    private boolean acquire() {
        for (;;) {
            int n = leases.get();
            if (n == 0) {
                return false;
            }
            if (leases.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    private void release() {
        if (leases.decrementAndGet() == 0) {
            engine.close(session);
            workspaces.clear();
        }
    }

    /** No new requests; the session closes when the ones in flight have finished (now, if none). */
    public void retire() {
        if (retired.compareAndSet(false, true)) {
            release();
        }
    }

    @Override
    public String toString() {
        return "OnnxModel[" + info + "]";
    }
}
