package org.osprey.api.camera;

/**
 * How the bytes of a {@link Frame} encode its image.
 * <p>
 * Raw formats are interleaved, row-major, top row first, one byte per channel. Encoded formats hold a
 * complete image file; a consumer decodes them, which lets a decoder shrink a large JPEG while
 * decoding instead of decoding it at full size first.
 */
public enum PixelFormat {
    /** 3 bytes per pixel: blue, green, red (OpenCV's and most capture libraries' order). */
    BGR24(3, false),
    /** 3 bytes per pixel: red, green, blue. */
    RGB24(3, false),
    /** 1 byte per pixel, luminance. */
    GRAY8(1, false),
    /** A complete JPEG file. */
    JPEG(0, true),
    /** A complete PNG file. */
    PNG(0, true),
    /** A complete BMP file. */
    BMP(0, true);

    private final int bytesPerPixel;
    private final boolean encoded;

    PixelFormat(int bytesPerPixel, boolean encoded) {
        this.bytesPerPixel = bytesPerPixel;
        this.encoded = encoded;
    }

    /** @return bytes per pixel of a raw format, 0 for an encoded one */
    public int bytesPerPixel() {
        return bytesPerPixel;
    }

    /** @return true when the frame holds an image file rather than raw pixels */
    public boolean isEncoded() {
        return encoded;
    }
}
