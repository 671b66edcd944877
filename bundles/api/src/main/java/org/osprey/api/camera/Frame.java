package org.osprey.api.camera;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Objects;

/**
 * One image captured by a {@link FrameSource}: immutable, and shareable between threads.
 * <p>
 * <b>Buffers.</b> A frame takes ownership of the buffer it is created with and never copies the
 * pixels: the creator must not write to that buffer afterwards. {@link #data()} hands out a read-only
 * view, so any number of consumers can read the same frame concurrently without copying.
 * <p>
 * <b>Size.</b> Raw frames always know their width and height. Encoded frames ({@link PixelFormat#JPEG}
 * etc.) may not: their width and height are 0 until a decoder has looked at them.
 */
public final class Frame {

    private final String cameraId;
    private final long sequence;
    private final Instant capturedAt;
    private final PixelFormat format;
    private final int width;
    private final int height;
    private final int stride;
    private final ByteBuffer data;

    private Frame(String cameraId, long sequence, Instant capturedAt, PixelFormat format, int width,
            int height, int stride, ByteBuffer data) {
        this.cameraId = Objects.requireNonNull(cameraId, "cameraId");
        this.capturedAt = Objects.requireNonNull(capturedAt, "capturedAt");
        this.format = Objects.requireNonNull(format, "format");
        this.sequence = sequence;
        this.width = width;
        this.height = height;
        this.stride = stride;
        this.data = Objects.requireNonNull(data, "data").asReadOnlyBuffer();
    }

    /**
     * A raw frame.
     *
     * @param stride bytes from the start of one row to the next; at least {@code width * bytesPerPixel}
     *               (capture libraries often pad rows)
     * @throws IllegalArgumentException if the format is encoded, a size is not positive, or the buffer
     *                                  holds fewer than {@code stride * height} bytes
     */
    public static Frame raw(String cameraId, long sequence, Instant capturedAt, PixelFormat format,
            int width, int height, int stride, ByteBuffer pixels) {
        Objects.requireNonNull(format, "format");
        if (format.isEncoded()) {
            throw new IllegalArgumentException(format + " is an encoded format; use Frame.encoded");
        }
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("frame size must be positive, was " + width + "x" + height);
        }
        if (stride < width * format.bytesPerPixel()) {
            throw new IllegalArgumentException("stride " + stride + " is shorter than a row of " + width
                    + " " + format + " pixels");
        }
        long needed = (long) stride * height;
        if (pixels.remaining() < needed) {
            throw new IllegalArgumentException("a " + width + "x" + height + " " + format + " frame needs "
                    + needed + " bytes, the buffer has " + pixels.remaining());
        }
        return new Frame(cameraId, sequence, capturedAt, format, width, height, stride, pixels);
    }

    /**
     * An encoded frame (a whole image file).
     *
     * @param width  the image width if known, else 0
     * @param height the image height if known, else 0
     * @throws IllegalArgumentException if the format is raw, or the buffer is empty
     */
    public static Frame encoded(String cameraId, long sequence, Instant capturedAt, PixelFormat format,
            int width, int height, ByteBuffer bytes) {
        Objects.requireNonNull(format, "format");
        if (!format.isEncoded()) {
            throw new IllegalArgumentException(format + " is a raw format; use Frame.raw");
        }
        if (!bytes.hasRemaining()) {
            throw new IllegalArgumentException("an encoded frame needs at least one byte");
        }
        if (width < 0 || height < 0) {
            throw new IllegalArgumentException("frame size must not be negative");
        }
        return new Frame(cameraId, sequence, capturedAt, format, width, height, 0, bytes);
    }

    /** @return the {@link FrameSource#CAMERA_ID} of the source that captured this frame */
    public String cameraId() {
        return cameraId;
    }

    /** @return the source's frame counter: increases by at least one per frame, gaps are dropped frames */
    public long sequence() {
        return sequence;
    }

    /** @return when the image was captured (or read, for files) */
    public Instant capturedAt() {
        return capturedAt;
    }

    /** @return how {@link #data()} encodes the image */
    public PixelFormat format() {
        return format;
    }

    /** @return width in pixels; 0 for an encoded frame of unknown size */
    public int width() {
        return width;
    }

    /** @return height in pixels; 0 for an encoded frame of unknown size */
    public int height() {
        return height;
    }

    /** @return bytes from one row to the next of a raw frame; 0 for an encoded frame */
    public int stride() {
        return stride;
    }

    /**
     * @return a new read-only view of the frame's bytes (position 0, limit the data's length): callers
     *         may move its position freely, the pixels are not copied
     */
    public ByteBuffer data() {
        return data.duplicate();
    }

    @Override
    public String toString() {
        return "Frame[" + cameraId + "#" + sequence + " " + format + " " + width + "x" + height + ", "
                + data.remaining() + " bytes]";
    }
}
