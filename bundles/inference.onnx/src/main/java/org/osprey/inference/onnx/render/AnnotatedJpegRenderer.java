package org.osprey.inference.onnx.render;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osprey.api.camera.Frame;
import org.osprey.api.camera.PixelFormat;
import org.osprey.api.vision.FrameRenderer;
import org.osprey.api.vision.InferenceException;
import org.osprey.api.vision.InferenceException.Reason;
import org.osprey.api.vision.Prediction;
import org.osprey.api.vision.Region;
import org.osprey.inference.onnx.extender.OnnxRuntimeConfiguration;
import org.osprey.inference.onnx.image.BadImageException;
import org.osprey.inference.onnx.image.ChannelOrder;
import org.osprey.inference.onnx.image.DecodeBuffers;
import org.osprey.inference.onnx.image.DecodeTarget;
import org.osprey.inference.onnx.image.ImageDecoders;
import org.osprey.inference.onnx.image.ImageFormat;
import org.osprey.inference.onnx.image.ImageLimits;
import org.osprey.inference.onnx.image.ImageSize;
import org.osprey.inference.onnx.image.ImageTooLargeException;
import org.osprey.inference.onnx.image.Pixels;
import org.osprey.inference.onnx.image.TurboJpeg;

/**
 * Frames as JPEGs for people: decoded shrunk on load where the codec can (a 1080p JPEG for a 640-wide
 * view is decoded at half size), scaled, annotated ({@link Overlay}) and encoded with libjpeg-turbo
 * (ImageIO where the machine lacks it). A JPEG frame that needs neither scaling nor drawing is passed on
 * as it is. Called only when someone looks: a camera nobody watches costs nothing here.
 */
@Component(service = FrameRenderer.class, configurationPid = "org.osprey.inference.onnx")
public class AnnotatedJpegRenderer implements FrameRenderer {

    /** Decode buffers kept between pictures (each bounded by DecodeBuffers' own caps). */
    private static final int POOLED = 2;

    private final ImageDecoders decoders;
    private final java.util.Queue<DecodeBuffers> pool = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final Optional<TurboJpeg> encoder;

    @Activate
    public AnnotatedJpegRenderer(OnnxRuntimeConfiguration config) {
        this(new ImageDecoders(ImageLimits.of(config.maxImageMegapixels(), config.maxImageSide())));
    }

    public AnnotatedJpegRenderer(ImageDecoders decoders) {
        this.decoders = decoders;
        this.encoder = decoders.turbo();
    }

    @Deactivate
    public void close() {
        decoders.close();
    }

    @Override
    public byte[] jpeg(Frame frame, List<Prediction> predictions, List<Region> regions, int maxWidth, int quality) throws InferenceException {
        if (quality < 1 || quality > 100 || maxWidth < 0) {
            throw new IllegalArgumentException("quality is 1 to 100 and the width not negative, were " + quality + " and " + maxWidth);
        }
        DecodeBuffers pooled = pool.poll();
        DecodeBuffers buffers = pooled == null ? new DecodeBuffers() : pooled;
        try {
            if (frame.format() == PixelFormat.JPEG && predictions.isEmpty() && regions.isEmpty()
                    && (maxWidth == 0 || ImageSize.of(ImageFormat.JPEG, frame.data()).width() <= maxWidth)) {
                return bytes(frame.data());
            }
            // the decoded pixels live in the buffers until they are scaled into the picture
            // at least as wide as wanted, so libjpeg-turbo's scaled decode (or the YUV sampling) does most of the shrinking
            Pixels source = decoders.pixels(frame, (w, h) -> maxWidth == 0 ? DecodeTarget.FULL_SIZE : new DecodeTarget(Math.min(w, maxWidth), 0), buffers);
            int width = maxWidth == 0 ? source.width() : Math.min(maxWidth, source.width());
            int height = Math.max(1, (int) Math.round(source.height() * (double) width / source.width()));
            BufferedImage canvas = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
            byte[] bgr = ((DataBufferByte) canvas.getRaster().getDataBuffer()).getData();
            Scaling.toBgr(source, bgr, width, height);
            Overlay.draw(canvas, predictions, regions);
            return encode(canvas, bgr, quality);
        } catch (ImageTooLargeException e) {
            throw new InferenceException(Reason.IMAGE_TOO_LARGE, e.getMessage(), e);
        } catch (BadImageException e) {
            throw new InferenceException(Reason.BAD_IMAGE, e.getMessage(), e);
        } finally {
            if (pool.size() < POOLED) {
                pool.offer(buffers);
            }
        }
    }

    private byte[] encode(BufferedImage canvas, byte[] bgr, int quality) {
        if (encoder.isPresent()) {
            return encoder.get().encodeBgr(ByteBuffer.wrap(bgr), canvas.getWidth(), canvas.getWidth() * 3, canvas.getHeight(), quality);
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality / 100f);
            writer.setOutput(stream);
            writer.write(null, new IIOImage(canvas, null, null), param);
        } catch (IOException e) {
            throw new IllegalStateException("JPEG encoding failed: " + e.getMessage(), e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }
}
