package org.osprey.inference.onnx.image;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The dimensions an image's header declares (JPEG's frame header, PNG's IHDR, BMP's info header), read
 * before anything is allocated or decoded, so an image can be refused for its size at no cost.
 */
public record ImageSize(int width, int height) {

    public long pixels() {
        return (long) width * height;
    }

    /** The size the header of an image in {@code format} declares; the buffer's position is not moved. */
    public static ImageSize of(ImageFormat format, ByteBuffer encoded) throws BadImageException {
        ByteBuffer b = encoded.slice();
        try {
            switch (format) {
                case JPEG:
                    return jpeg(b);
                case PNG:
                    return png(b);
                default:
                    return bmp(b);
            }
        } catch (IndexOutOfBoundsException e) {
            throw new BadImageException("truncated " + format + ": its header is cut off (" + encoded.remaining() + " bytes)");
        }
    }

    private static ImageSize jpeg(ByteBuffer b) throws BadImageException {
        int i = 2; // after SOI
        while (true) {
            if (u8(b, i) != 0xFF) {
                throw new BadImageException("corrupt JPEG: no marker at byte " + i);
            }
            int marker = u8(b, i + 1);
            if (marker == 0xFF) {
                i++; // fill byte
                continue;
            }
            if (marker == 0x01 || marker >= 0xD0 && marker <= 0xD8) {
                i += 2; // markers without a length
                continue;
            }
            if (marker == 0xDA || marker == 0xD9) {
                throw new BadImageException("corrupt JPEG: no frame header before the image data");
            }
            int length = u16(b, i + 2);
            // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC)
            if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
                int height = u16(b, i + 5), width = u16(b, i + 7);
                if (width == 0 || height == 0) {
                    throw new BadImageException("JPEG with a frame of " + width + "x" + height + " pixels");
                }
                return new ImageSize(width, height);
            }
            if (length < 2) {
                throw new BadImageException("corrupt JPEG: a segment of length " + length);
            }
            i += 2 + length;
        }
    }

    private static ImageSize png(ByteBuffer b) throws BadImageException {
        if (b.getInt(12) != 0x49484452) { // "IHDR", always the first chunk
            throw new BadImageException("corrupt PNG: the first chunk is not IHDR");
        }
        int width = b.order(ByteOrder.BIG_ENDIAN).getInt(16), height = b.getInt(20);
        if (width <= 0 || height <= 0) {
            throw new BadImageException("PNG of " + Integer.toUnsignedString(width) + "x" + Integer.toUnsignedString(height) + " pixels");
        }
        return new ImageSize(width, height);
    }

    private static ImageSize bmp(ByteBuffer b) throws BadImageException {
        b.order(ByteOrder.LITTLE_ENDIAN);
        int header = b.getInt(14);
        long width, height;
        if (header == 12) { // OS/2 BITMAPCOREHEADER: 16-bit sizes
            width = b.getShort(18) & 0xFFFF;
            height = b.getShort(20) & 0xFFFF;
        } else {
            width = b.getInt(18);
            height = Math.abs((long) b.getInt(22)); // negative: rows top-down
        }
        if (width <= 0 || height <= 0 || height > Integer.MAX_VALUE) {
            throw new BadImageException("BMP of " + width + "x" + height + " pixels");
        }
        return new ImageSize((int) width, (int) height);
    }

    private static int u8(ByteBuffer b, int i) {
        return b.get(i) & 0xFF;
    }

    private static int u16(ByteBuffer b, int i) {
        return (u8(b, i) << 8) | u8(b, i + 1);
    }
}
