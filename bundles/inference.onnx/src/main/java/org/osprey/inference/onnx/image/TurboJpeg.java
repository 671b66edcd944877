package org.osprey.inference.onnx.image;

import java.nio.ByteBuffer;
import java.util.Deque;
import java.util.concurrent.ConcurrentLinkedDeque;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.NativeLongByReference;
import com.sun.jna.ptr.PointerByReference;

/**
 * JPEG decoding (and encoding, for pictures people look at) with the operating system's libjpeg-turbo (TurboJPEG API 2.x, Debian package
 * {@code libturbojpeg0}), called through JNA. Its scaled IDCT decodes straight to 1/8 .. 8/8 of the
 * size, so a large photo for a small model is never decoded at full size.
 */
public final class TurboJpeg implements ImageDecoder, AutoCloseable {

    private static final int TJPF_RGB = 0;
    private static final int TJPF_BGR = 1;
    private static final int TJSAMP_420 = 2;
    private static final int TJFLAG_NOREALLOC = 1024;
    private static final int TJPF_GRAY = 6;
    private static final int TJPF_CMYK = 11;
    private static final int TJFLAG_FASTUPSAMPLE = 256;
    private static final int TJFLAG_FASTDCT = 2048;
    private static final int TJERR_FATAL = 1;
    private static final int TJCS_GRAY = 2;
    private static final int TJCS_CMYK = 3;
    private static final int TJCS_YCCK = 4;

    private static final String[] LIBRARY_NAMES = {"turbojpeg", "libturbojpeg.so.0"};
    private static volatile Throwable loadFailure;
    private static volatile boolean registered;

    /** Handles are not thread-safe; each decode borrows one. */
    private final Deque<Pointer> handles = new ConcurrentLinkedDeque<>();
    private final Deque<Pointer> compressors = new ConcurrentLinkedDeque<>();
    private volatile boolean closed;

    private TurboJpeg() {
    }

    /** A decoder, or the reason the library cannot be used on this machine. */
    public static synchronized TurboJpeg load() throws UnsatisfiedLinkError {
        if (!registered) {
            if (loadFailure != null) {
                throw new UnsatisfiedLinkError(loadFailure.getMessage());
            }
            UnsatisfiedLinkError last = null;
            for (String name : LIBRARY_NAMES) {
                try {
                    Native.register(TurboJpeg.class, NativeLibrary.getInstance(name, TurboJpeg.class.getClassLoader()));
                    registered = true;
                    break;
                } catch (UnsatisfiedLinkError e) {
                    last = e;
                }
            }
            if (!registered) {
                loadFailure = last;
                throw new UnsatisfiedLinkError("libturbojpeg not found (install libturbojpeg0): " + last.getMessage());
            }
        }
        return new TurboJpeg();
    }

    @Override
    public String name() {
        return "libjpeg-turbo";
    }

    @Override
    public Pixels decode(ByteBuffer encoded, Target target, DecodeBuffers buffers) throws BadImageException {
        ByteBuffer in = buffers.encodedCopy(encoded);
        NativeLong size = new NativeLong(in.remaining());
        Pointer handle = borrow();
        boolean failed = true;
        try {
            int[] w = new int[1], h = new int[1], subsamp = new int[1], colorspace = new int[1];
            if (tjDecompressHeader3(handle, in, size, w, h, subsamp, colorspace) != 0 || w[0] <= 0 || h[0] <= 0) {
                throw new BadImageException("not a readable JPEG: " + error(handle));
            }
            DecodeTarget t = target.forSize(w[0], h[0]);
            int eighths = eighths(w[0], h[0], t);
            int sw = scaled(w[0], eighths), sh = scaled(h[0], eighths);
            boolean gray = colorspace[0] == TJCS_GRAY;
            // CMYK and YCCK (print and Photoshop exports) only decode to CMYK; made RGB below, as browsers show them
            boolean cmyk = colorspace[0] == TJCS_CMYK || colorspace[0] == TJCS_YCCK;
            int channels = gray ? 1 : 3;
            ByteBuffer out = buffers.pixels(sw * sh * (cmyk ? 4 : channels));
            int rc = tjDecompress2(handle, in, size, out, sw, sw * (cmyk ? 4 : channels), sh, gray ? TJPF_GRAY : cmyk ? TJPF_CMYK : TJPF_RGB,
                    TJFLAG_FASTDCT | TJFLAG_FASTUPSAMPLE);
            // a warning (a truncated file, say) still gives an image, as browsers show one
            if (rc != 0 && tjGetErrorCode(handle) == TJERR_FATAL) {
                throw new BadImageException("corrupt JPEG: " + error(handle));
            }
            failed = rc != 0;
            if (cmyk) {
                cmykToRgb(out, sw * sh);
            }
            return new Pixels(out, sw, sh, sw * channels, gray ? ChannelOrder.GRAY : ChannelOrder.RGB, w[0], h[0]);
        } finally {
            if (failed) {
                // libjpeg-turbo keeps the failed state in the handle: every later decode on it would fail the same way
                tjDestroy(handle);
            } else {
                giveBack(handle);
            }
        }
    }

    /**
     * Packed CMYK to packed RGB in place (RGB pixel i is written no later than CMYK pixel i is read). The
     * values are Adobe's inverted ones, which is what JPEG files hold: R = C * K / 255, as browsers do.
     */
    static void cmykToRgb(ByteBuffer b, int pixels) {
        for (int i = 0; i < pixels; i++) {
            int c = b.get(4 * i) & 0xFF, m = b.get(4 * i + 1) & 0xFF, y = b.get(4 * i + 2) & 0xFF, k = b.get(4 * i + 3) & 0xFF;
            b.put(3 * i, (byte) ((c * k + 127) / 255));
            b.put(3 * i + 1, (byte) ((m * k + 127) / 255));
            b.put(3 * i + 2, (byte) ((y * k + 127) / 255));
        }
        b.limit(3 * pixels);
    }

    /** The smallest scale n/8 whose output still covers the target, so the resize after it only shrinks. */
    static int eighths(int w, int h, DecodeTarget t) {
        if (t.minWidth() <= 0 && t.minHeight() <= 0) {
            return 8;
        }
        for (int n = 1; n < 8; n++) {
            if (scaled(w, n) >= t.minWidth() && scaled(h, n) >= t.minHeight()) {
                return n;
            }
        }
        return 8;
    }

    /** TJSCALED: the size libjpeg-turbo produces at n/8. */
    static int scaled(int dim, int eighths) {
        return (dim * eighths + 7) / 8;
    }

    private Pointer borrow() {
        if (closed) {
            throw new IllegalStateException("decoder closed");
        }
        Pointer h = handles.pollFirst();
        if (h == null) {
            h = tjInitDecompress();
            if (h == null) {
                throw new OutOfMemoryError("tjInitDecompress failed");
            }
        }
        return h;
    }

    private void giveBack(Pointer h) {
        handles.addFirst(h);
        if (closed) {
            drain();
        }
    }

    private static String error(Pointer handle) {
        Pointer p = tjGetErrorStr2(handle);
        return p == null ? "unknown error" : p.getString(0);
    }

    @Override
    public void close() {
        closed = true;
        drain();
    }

    private void drain() {
        for (Pointer h; (h = handles.pollFirst()) != null;) {
            tjDestroy(h);
        }
        for (Pointer h; (h = compressors.pollFirst()) != null;) {
            tjDestroy(h);
        }
    }

    /**
     * Encodes packed 8-bit BGR pixels as a baseline JPEG (4:2:0) of the given quality.
     *
     * @throws IllegalStateException when libjpeg-turbo refuses (with its message)
     */
    public byte[] encodeBgr(ByteBuffer bgr, int width, int stride, int height, int quality) {
        if (closed) {
            throw new IllegalStateException("encoder closed");
        }
        Pointer h = compressors.pollFirst();
        if (h == null) {
            h = tjInitCompress();
            if (h == null) {
                throw new OutOfMemoryError("tjInitCompress failed");
            }
        }
        try {
            // into a buffer of the worst-case size, so libjpeg-turbo never allocates (TJFLAG_NOREALLOC)
            long bound = tjBufSize(width, height, TJSAMP_420).longValue();
            try (Memory out = new Memory(bound)) {
                PointerByReference buf = new PointerByReference(out);
                NativeLongByReference size = new NativeLongByReference(new NativeLong(bound));
                if (tjCompress2(h, bgr, width, stride, height, TJPF_BGR, buf, size, TJSAMP_420, quality, TJFLAG_NOREALLOC | TJFLAG_FASTDCT) != 0) {
                    throw new IllegalStateException("JPEG encoding failed: " + error(h));
                }
                return out.getByteArray(0, (int) size.getValue().longValue());
            }
        } finally {
            compressors.addFirst(h);
            if (closed) {
                drain();
            }
        }
    }

    private static native Pointer tjInitCompress();

    private static native NativeLong tjBufSize(int width, int height, int jpegSubsamp);

    private static native int tjCompress2(Pointer handle, ByteBuffer srcBuf, int width, int pitch, int height, int pixelFormat,
            PointerByReference jpegBuf, NativeLongByReference jpegSize, int jpegSubsamp, int jpegQual, int flags);

    private static native Pointer tjInitDecompress();

    private static native int tjDecompressHeader3(Pointer handle, ByteBuffer jpegBuf, NativeLong jpegSize,
            int[] width, int[] height, int[] jpegSubsamp, int[] jpegColorspace);

    private static native int tjDecompress2(Pointer handle, ByteBuffer jpegBuf, NativeLong jpegSize,
            ByteBuffer dstBuf, int width, int pitch, int height, int pixelFormat, int flags);

    private static native int tjGetErrorCode(Pointer handle);

    private static native Pointer tjGetErrorStr2(Pointer handle);

    private static native int tjDestroy(Pointer handle);
}
