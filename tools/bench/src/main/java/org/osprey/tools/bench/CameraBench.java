package org.osprey.tools.bench;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FrameGrabber;
import org.osprey.inference.onnx.engine.EngineSettings;
import org.osprey.inference.onnx.engine.ModelLoader;
import org.osprey.inference.onnx.engine.OnnxEngine;
import org.osprey.inference.onnx.model.ModelDescriptor;
import org.osprey.inference.onnx.tensor.InputSpec;
import org.osprey.tools.packager.JarModelFiles;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;

/**
 * {@code ./osprey bench cameras}: the real gateway (osprey.jar, started by this command) watching more and
 * more FFmpeg cameras that play a 1080p H.264 file, each through the model at the file's rate. For each
 * count it reports the gateway's CPU time per frame (less what it spends idle) against the floor measured
 * in this process on the same file and model (FFmpeg decoding a frame plus a bare {@code session.run}),
 * whether every camera kept its rate with no frame dropped because the model was busy, and the latency
 * from capture to events (p50 and the worst camera's p99).
 */
public final class CameraBench {

    private static final int FLOOR_FRAMES = 300;

    private CameraBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = InferenceBench.options(args);
        Path jar = Path.of(o.getOrDefault("gateway", "runtime/target/osprey.jar"));
        Path modelJar = Path.of(o.getOrDefault("model", "runtime/target/runbundles/export/osprey/osprey-model.blazeface-0.1.0-SNAPSHOT.jar"));
        int maxCameras = Integer.parseInt(o.getOrDefault("cameras", "16"));
        int fps = Integer.parseInt(o.getOrDefault("fps", "15"));
        Duration window = Duration.ofSeconds(Long.parseLong(o.getOrDefault("seconds", "15")));
        Path video = o.containsKey("video") ? Path.of(o.get("video")) : makeVideo(fps);
        org.bytedeco.ffmpeg.global.avutil.av_log_set_level(org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR);

        JarModelFiles model = JarModelFiles.read(modelJar);
        ModelDescriptor d = ModelLoader.descriptor(model, model.descriptorPath());
        byte[] onnx = model.read(model.descriptorPath().replace("model.json", d.file));
        double decodeMs = decodeCpuMillis(video);
        double runMs = runCpuMillis(onnx, d.inputSpec());
        double floor = decodeMs + runMs;
        System.out.printf(Locale.ROOT, "Osprey camera benchmark: %s through %s, cameras at %d fps, %d s per step, %d cores%n",
                video.getFileName(), d.name, fps, window.toSeconds(), Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "floor, CPU per frame in this process: FFmpeg decode %.2f ms + bare session.run %.2f ms = %.2f ms%n", decodeMs, runMs, floor);

        try (InferenceBench.Gateway gateway = InferenceBench.Gateway.start(jar)) {
            // what the gateway spends with no camera of ours (its sample camera, timers) is not the cameras' cost:
            // measured once its start-up (the JIT's first compilations) has settled
            Thread.sleep(20_000);
            Duration idleStart = gateway.cpu();
            long idleFrom = System.nanoTime();
            Thread.sleep(20_000);
            double idleCpuPerSecond = (gateway.cpu().minus(idleStart).toNanos() / 1e9) / ((System.nanoTime() - idleFrom) / 1e9);
            System.out.printf(Locale.ROOT, "gateway idle: %.3f of a core%n", idleCpuPerSecond);
            System.out.println("cameras | frames/s | CPU/frame | x floor | busy drops | slowest camera fps | latency p50 / worst p99");

            int added = 0, sustained = 0;
            String last = "";
            for (int cameras = 1; cameras <= maxCameras; cameras = cameras == maxCameras ? maxCameras + 1 : Math.min(maxCameras, cameras * 2)) {
                for (; added < cameras; added++) {
                    gateway.admin("POST", "/api/v1/cameras", String.format(Locale.ROOT,
                            "{\"id\":\"bench-%d\",\"kind\":\"org.osprey.camera.javacv\",\"source\":\"%s\",\"fps\":%d,\"model\":\"%s\",\"pipelineFps\":%d}",
                            added, video.toAbsolutePath().toString().replace("\\", "\\\\"), fps, d.name, fps));
                }
                awaitProcessing(gateway, cameras);
                Thread.sleep(10_000); // warm-up: the new cameras open, the JIT compiles their paths
                Map<String, JsonObject> before = pipelines(gateway);
                Duration cpuBefore = gateway.cpu();
                long from = System.nanoTime();
                Thread.sleep(window.toMillis());
                Duration cpuAfter = gateway.cpu();
                double seconds = (System.nanoTime() - from) / 1e9;
                Map<String, JsonObject> after = pipelines(gateway);

                long frames = 0, drops = 0;
                double slowest = Double.MAX_VALUE, worstP99 = 0;
                List<Double> p50s = new ArrayList<>();
                for (Map.Entry<String, JsonObject> e : after.entrySet()) {
                    JsonObject a = e.getValue(), b = before.get(e.getKey());
                    long processed = a.get("framesProcessed").getAsLong() - (b == null ? 0 : b.get("framesProcessed").getAsLong());
                    frames += processed;
                    drops += a.get("framesDropped").getAsLong() - (b == null ? 0 : b.get("framesDropped").getAsLong());
                    slowest = Math.min(slowest, processed / seconds);
                    JsonObject latency = a.getAsJsonObject("latencyMillis");
                    p50s.add(latency.get("p50").getAsDouble());
                    worstP99 = Math.max(worstP99, latency.get("p99").getAsDouble());
                }
                p50s.sort(Double::compare);
                double cpuMs = (cpuAfter.minus(cpuBefore).toNanos() / 1e6 - idleCpuPerSecond * seconds * 1000) / Math.max(1, frames);
                boolean kept = drops == 0 && slowest >= fps * 0.95;
                last = String.format(Locale.ROOT, "%7d | %8.1f | %6.2f ms | %7.2f | %10d | %18.1f | %.0f ms / %.0f ms%s", cameras, frames / seconds, cpuMs,
                        cpuMs / floor, drops, slowest, p50s.get(p50s.size() / 2), worstP99, kept ? "" : "  (not sustained)");
                System.out.println(last);
                if (!kept) {
                    break;
                }
                sustained = cameras;
            }
            System.out.printf(Locale.ROOT, "sustained: %d camera(s) of 1080p at %d fps with no busy drops%n", sustained, fps);
        }
    }

    /** The pipelines of the benchmark's cameras, by camera id, as {@code GET /api/v1/cameras} says them. */
    private static Map<String, JsonObject> pipelines(InferenceBench.Gateway gateway) throws Exception {
        Map<String, JsonObject> out = new java.util.TreeMap<>();
        JsonArray cameras = JsonParser.parseString(gateway.admin("GET", "/api/v1/cameras", null)).getAsJsonObject().getAsJsonArray("cameras");
        for (JsonElement c : cameras) {
            JsonObject camera = c.getAsJsonObject();
            if (camera.get("id").getAsString().startsWith("bench-") && camera.has("pipeline") && !camera.get("pipeline").isJsonNull()) {
                out.put(camera.get("id").getAsString(), camera.getAsJsonObject("pipeline"));
            }
        }
        return out;
    }

    private static void awaitProcessing(InferenceBench.Gateway gateway, int cameras) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            Map<String, JsonObject> p = pipelines(gateway);
            if (p.size() >= cameras && p.values().stream().allMatch(j -> j.get("framesProcessed").getAsLong() > 0)) {
                return;
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("the gateway's " + cameras + " pipelines did not all process frames within 90 s: " + pipelines(gateway));
    }

    /**
     * A 1080p H.264 file (yuv420p, a key frame every 2 s, as IP cameras send) of FFmpeg's moving test picture,
     * made once with the ffmpeg command. Nothing in it is a face: no events, so no speech or event pictures
     * are mixed into the per-frame cost.
     */
    private static Path makeVideo(int fps) throws Exception {
        Path video = Path.of("tools", "bench", "target", "bench-testsrc2-1080p-" + fps + "fps.mp4").toAbsolutePath();
        if (Files.isRegularFile(video)) {
            return video;
        }
        Files.createDirectories(video.getParent());
        Path partial = video.resolveSibling(video.getFileName() + ".part.mp4");
        Process p = new ProcessBuilder("ffmpeg", "-y", "-hide_banner", "-loglevel", "error", "-f", "lavfi",
                "-i", "testsrc2=size=1920x1080:rate=" + fps, "-t", "20", "-pix_fmt", "yuv420p",
                "-c:v", "libx264", "-preset", "veryfast", "-g", Integer.toString(2 * fps), partial.toString())
                .inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("ffmpeg could not make the benchmark's video (Debian: apt-get install ffmpeg), or give one with --video");
        }
        Files.move(partial, video);
        return video;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** CPU time per frame FFmpeg spends decoding the file here on one thread, as the camera opens it (its own layout, no conversion). */
    private static double decodeCpuMillis(Path video) throws Exception {
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(video.toString())) {
            grabber.setImageMode(FrameGrabber.ImageMode.RAW);
            grabber.setVideoOption("threads", "1");
            grabber.start();
            for (int i = 0; i < 30; i++) {
                grabber.grabImage();
            }
            long start = processCpuNanos();
            int frames = 0;
            for (; frames < FLOOR_FRAMES; frames++) {
                if (grabber.grabImage() == null) {
                    grabber.setFrameNumber(0);
                }
            }
            return (processCpuNanos() - start) / 1e6 / frames;
        }
    }

    /** CPU time of a bare session.run on a tensor made before the clock starts, with the gateway's session options. */
    private static double runCpuMillis(byte[] onnx, InputSpec spec) throws Exception {
        try (OnnxEngine engine = new OnnxEngine(EngineSettings.DEFAULTS)) {
            OrtSession session = engine.open(onnx);
            String input = session.getInputNames().iterator().next();
            FloatBuffer tensor = ByteBuffer.allocateDirect(spec.elements() * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
            try (OnnxTensor in = OnnxTensor.createTensor(engine.environment(), tensor, spec.shape())) {
                for (int i = 0; i < 50; i++) {
                    session.run(Map.of(input, in)).close();
                }
                long start = processCpuNanos();
                for (int i = 0; i < FLOOR_FRAMES; i++) {
                    session.run(Map.of(input, in)).close();
                }
                return (processCpuNanos() - start) / 1e6 / FLOOR_FRAMES;
            } finally {
                engine.close(session);
            }
        }
    }
}
