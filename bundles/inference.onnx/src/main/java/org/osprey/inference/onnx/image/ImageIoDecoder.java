package org.osprey.inference.onnx.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Iterator;

import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * PNG and BMP (and JPEG when libjpeg-turbo is missing) through the JDK's ImageIO. Large pictures are
 * read with source subsampling, which skips whole rows and columns before they reach Java.
 */
public final class ImageIoDecoder implements ImageDecoder {

    private final ImageFormat format;

    public ImageIoDecoder(ImageFormat format) {
        this.format = format;
    }

    @Override
    public String name() {
        return "ImageIO " + format.name().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public Pixels decode(ByteBuffer encoded, Target target, DecodeBuffers buffers) throws BadImageException {
        ImageReader reader = reader();
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteBufferInputStream(encoded.duplicate()))) {
            reader.setInput(in, true, true);
            int w = reader.getWidth(0), h = reader.getHeight(0);
            DecodeTarget t = target.forSize(w, h);
            // subsampling skips pixels: keep at least twice the target so the area filter after it still averages
            int ratio = Math.min(t.minWidth() == 0 ? 1 : w / t.minWidth(), t.minHeight() == 0 ? 1 : h / t.minHeight());
            int step = Math.max(1, ratio / 2);
            ImageReadParam param = reader.getDefaultReadParam();
            if (step > 1) {
                param.setSourceSubsampling(step, step, 0, 0);
            }
            return pixels(reader.read(0, param), w, h);
        } catch (IOException | RuntimeException e) {
            throw new BadImageException("corrupt " + format + ": " + message(e), e);
        } finally {
            reader.dispose();
        }
    }

    private ImageReader reader() {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format.name());
        if (!readers.hasNext()) {
            throw new IllegalStateException("this Java runtime has no ImageIO reader for " + format);
        }
        return readers.next();
    }

    static Pixels pixels(BufferedImage img, int sourceWidth, int sourceHeight) {
        int w = img.getWidth(), h = img.getHeight();
        if (img.getType() == BufferedImage.TYPE_BYTE_GRAY) {
            byte[] gray = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
            return new Pixels(ByteBuffer.wrap(gray), w, h, w, ChannelOrder.GRAY, sourceWidth, sourceHeight);
        }
        BufferedImage bgr = img;
        if (img.getType() != BufferedImage.TYPE_3BYTE_BGR) {
            bgr = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
            bgr.getGraphics().drawImage(img, 0, 0, null);
        }
        byte[] data = ((DataBufferByte) bgr.getRaster().getDataBuffer()).getData();
        return new Pixels(ByteBuffer.wrap(data), w, h, w * 3, ChannelOrder.BGR, sourceWidth, sourceHeight);
    }

    private static String message(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** Reads a buffer without copying it into an array first. */
    private static final class ByteBufferInputStream extends java.io.InputStream {
        private final ByteBuffer buf;

        ByteBufferInputStream(ByteBuffer buf) {
            this.buf = buf;
        }

        @Override
        public int read() {
            return buf.hasRemaining() ? buf.get() & 0xFF : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (!buf.hasRemaining()) {
                return -1;
            }
            int n = Math.min(len, buf.remaining());
            buf.get(b, off, n);
            return n;
        }
    }
}
