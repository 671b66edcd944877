package org.osprey.inference.onnx.image;

import java.nio.ByteBuffer;
import java.util.EnumMap;
import java.util.Map;

import org.osprey.api.camera.Frame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The decoder for each format, the fastest this machine has, behind a check of the declared size against the limits. */
public final class ImageDecoders implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ImageDecoders.class);

    private final Map<ImageFormat, ImageDecoder> decoders = new EnumMap<>(ImageFormat.class);
    private final TurboJpeg turbo;
    private final ImageLimits limits;

    public ImageDecoders() {
        this(ImageLimits.DEFAULTS);
    }

    public ImageDecoders(ImageLimits limits) {
        this.limits = limits;
        TurboJpeg t = null;
        try {
            t = TurboJpeg.load();
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            LOG.warn("JPEG decoding falls back to ImageIO, several times slower: {}", e.getMessage());
        }
        turbo = t;
        for (ImageFormat f : ImageFormat.values()) {
            decoders.put(f, new ImageIoDecoder(f));
        }
        if (turbo != null) {
            decoders.put(ImageFormat.JPEG, turbo);
        }
    }

    public Pixels decode(ByteBuffer encoded, ImageDecoder.Target target, DecodeBuffers buffers) throws BadImageException {
        ImageFormat format = ImageFormat.sniff(encoded).orElseThrow(() -> new BadImageException(
                "not a JPEG, PNG or BMP image (" + encoded.remaining() + " bytes starting " + head(encoded) + ")"));
        limits.check(format, ImageSize.of(format, encoded));
        return decoders.get(format).decode(encoded, target, buffers);
    }

    /**
     * A camera's frame as pixels to read: packed frames as they are, YUV frames sampled down to the target
     * size (never converted whole), encoded frames decoded (shrunk on load where the decoder can).
     */
    public Pixels pixels(Frame frame, ImageDecoder.Target target, DecodeBuffers buffers) throws BadImageException {
        ByteBuffer data = frame.data();
        int w = frame.width(), h = frame.height(), stride = frame.stride();
        return switch (frame.format()) {
            case BGR24 -> new Pixels(data.slice(), w, h, stride, ChannelOrder.BGR, w, h);
            case RGB24 -> new Pixels(data.slice(), w, h, stride, ChannelOrder.RGB, w, h);
            case GRAY8 -> new Pixels(data.slice(), w, h, stride, ChannelOrder.GRAY, w, h);
            case I420, NV12 -> {
                DecodeTarget t = target.forSize(w, h);
                int tw = t.minWidth() > 0 ? t.minWidth() : t.minHeight() > 0 ? (int) Math.ceil((double) w * t.minHeight() / h) : w;
                int th = t.minHeight() > 0 ? t.minHeight() : (int) Math.ceil((double) h * tw / w);
                yield PlanarYuv.toRgb(frame, tw, th, buffers);
            }
            case JPEG, PNG, BMP -> decode(data, target, buffers);
        };
    }

    /** libjpeg-turbo, when this machine has it: it also encodes. */
    public java.util.Optional<TurboJpeg> turbo() {
        return java.util.Optional.ofNullable(turbo);
    }

    public ImageDecoder decoder(ImageFormat format) {
        return decoders.get(format);
    }

    private static String head(ByteBuffer b) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(4, b.remaining()); i++) {
            sb.append(String.format("%02x", b.get(b.position() + i) & 0xFF));
        }
        return sb.length() == 0 ? "empty" : "0x" + sb;
    }

    @Override
    public void close() {
        if (turbo != null) {
            turbo.close();
        }
    }
}
