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
 * <p>
 * <b>Planes.</b> A frame of a {@linkplain PixelFormat#isPlanar() planar} format (what video decoders
 * produce) has one buffer and stride per plane, so a camera can hand over its decoder's picture as it is;
 * {@link #data()} and {@link #stride()} are then those of the first (luma) plane.
 */
public final class Frame {

    private final String cameraId;
    private final long sequence;
    private final Instant capturedAt;
    private final PixelFormat format;
    private final int width;
    private final int height;
    private final int[] strides;
    private final ByteBuffer[] planes;

    private Frame(String cameraId, long sequence, Instant capturedAt, PixelFormat format, int width,
            int height, int[] strides, ByteBuffer[] planes) {
        this.cameraId = Objects.requireNonNull(cameraId, "cameraId");
        this.capturedAt = Objects.requireNonNull(capturedAt, "capturedAt");
        this.format = Objects.requireNonNull(format, "format");
        this.sequence = sequence;
        this.width = width;
        this.height = height;
        this.strides = strides.clone();
        this.planes = new ByteBuffer[planes.length];
        for (int i = 0; i < planes.length; i++) {
            this.planes[i] = Objects.requireNonNull(planes[i], "plane " + i).asReadOnlyBuffer();
        }
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
        if (format.isEncoded() || format.isPlanar()) {
            throw new IllegalArgumentException(format + " is " + (format.isEncoded() ? "an encoded format; use Frame.encoded" : "a planar format; use Frame.planar"));
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
        return new Frame(cameraId, sequence, capturedAt, format, width, height, new int[] {stride}, new ByteBuffer[] {pixels});
    }

    /**
     * A raw frame in a planar format, as a video decoder gives it: each plane in a buffer of its own (or
     * views of one buffer), with its own stride.
     *
     * @param strides bytes from one row of a plane to the next, per plane
     * @param planes  the planes, in the order the format names them; each holds at least
     *                {@code stride * rows} bytes
     * @throws IllegalArgumentException if the format is not planar, a size is not positive, or the counts,
     *                                  strides or buffers do not fit the format's planes
     * @since 1.2
     */
    public static Frame planar(String cameraId, long sequence, Instant capturedAt, PixelFormat format,
            int width, int height, int[] strides, ByteBuffer[] planes) {
        Objects.requireNonNull(format, "format");
        if (!format.isPlanar()) {
            throw new IllegalArgumentException(format + " is not a planar format; use Frame.raw or Frame.encoded");
        }
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("frame size must be positive, was " + width + "x" + height);
        }
        if (strides.length != format.planes() || planes.length != format.planes()) {
            throw new IllegalArgumentException("a " + format + " frame has " + format.planes() + " planes, was given "
                    + planes.length + " buffers and " + strides.length + " strides");
        }
        int chromaWidth = (width + 1) / 2, chromaRows = (height + 1) / 2;
        for (int i = 0; i < planes.length; i++) {
            int rowBytes = i == 0 ? width : format == PixelFormat.NV12 ? chromaWidth * 2 : chromaWidth;
            int rows = i == 0 ? height : chromaRows;
            if (strides[i] < rowBytes) {
                throw new IllegalArgumentException("plane " + i + "'s stride " + strides[i] + " is shorter than its row of " + rowBytes + " bytes");
            }
            long needed = (long) strides[i] * (rows - 1) + rowBytes;
            if (planes[i].remaining() < needed) {
                throw new IllegalArgumentException("plane " + i + " of a " + width + "x" + height + " " + format + " frame needs "
                        + needed + " bytes, the buffer has " + planes[i].remaining());
            }
        }
        return new Frame(cameraId, sequence, capturedAt, format, width, height, strides, planes);
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
        return new Frame(cameraId, sequence, capturedAt, format, width, height, new int[] {0}, new ByteBuffer[] {bytes});
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

    /** @return bytes from one row to the next of a raw frame (its first plane's); 0 for an encoded frame */
    public int stride() {
        return strides[0];
    }

    /**
     * @return a new read-only view of the frame's bytes (position 0, limit the data's length), the first
     *         plane's for a planar frame: callers may move its position freely, the pixels are not copied
     */
    public ByteBuffer data() {
        return planes[0].duplicate();
    }

    /**
     * @param index 0 to {@code format().planes() - 1}
     * @return a new read-only view of one plane's bytes, as {@link #data()}
     * @since 1.2
     */
    public ByteBuffer plane(int index) {
        return planes[index].duplicate();
    }

    /**
     * @param index 0 to {@code format().planes() - 1}
     * @return bytes from one row of the plane to the next
     * @since 1.2
     */
    public int stride(int index) {
        return strides[index];
    }

    @Override
    public String toString() {
        return "Frame[" + cameraId + "#" + sequence + " " + format + " " + width + "x" + height + ", "
                + java.util.Arrays.stream(planes).mapToLong(ByteBuffer::remaining).sum() + " bytes]";
    }
}
