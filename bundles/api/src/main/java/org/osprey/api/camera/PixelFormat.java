package org.osprey.api.camera;

/**
 * How the bytes of a {@link Frame} encode its image.
 * <p>
 * Packed raw formats are interleaved, row-major, top row first, one byte per channel. Planar formats
 * are what video decoders produce: a full-size luma plane and chroma planes of half the width and height
 * (BT.601 colours, limited range 16-235 as H.264 and most cameras send them), each plane row-major with
 * its own stride (see {@link Frame#plane(int)}); a consumer samples what it needs from them instead of
 * converting the whole picture. Encoded formats hold a complete image file; a consumer decodes them,
 * which lets a decoder shrink a large JPEG while decoding instead of decoding it at full size first.
 */
public enum PixelFormat {
    /** 3 bytes per pixel: blue, green, red (OpenCV's and most capture libraries' order). */
    BGR24(3, false, 1),
    /** 3 bytes per pixel: red, green, blue. */
    RGB24(3, false, 1),
    /** 1 byte per pixel, luminance. */
    GRAY8(1, false, 1),
    /**
     * YUV 4:2:0 in three planes: Y (width x height), then U and V (each (width+1)/2 x (height+1)/2).
     * FFmpeg's {@code yuv420p}.
     * @since 1.2
     */
    I420(1, false, 3),
    /**
     * YUV 4:2:0 in two planes: Y (width x height), then U and V interleaved (U first) at half the
     * height, (width+1)/2 pairs a row. FFmpeg's {@code nv12}, what hardware decoders give.
     * @since 1.2
     */
    NV12(1, false, 2),
    /** A complete JPEG file. */
    JPEG(0, true, 1),
    /** A complete PNG file. */
    PNG(0, true, 1),
    /** A complete BMP file. */
    BMP(0, true, 1);

    private final int bytesPerPixel;
    private final boolean encoded;
    private final int planes;

    PixelFormat(int bytesPerPixel, boolean encoded, int planes) {
        this.bytesPerPixel = bytesPerPixel;
        this.encoded = encoded;
        this.planes = planes;
    }

    /** @return bytes per pixel of a raw format (of its first plane when planar), 0 for an encoded one */
    public int bytesPerPixel() {
        return bytesPerPixel;
    }

    /** @return true when the frame holds an image file rather than raw pixels */
    public boolean isEncoded() {
        return encoded;
    }

    /**
     * @return the number of planes a frame of this format has: 1 for packed and encoded formats
     * @since 1.2
     */
    public int planes() {
        return planes;
    }

    /**
     * @return true for the YUV formats held in more than one plane
     * @since 1.2
     */
    public boolean isPlanar() {
        return planes > 1;
    }
}
