package org.osprey.camera.javacv;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOInterruptCB;
import org.bytedeco.javacpp.Pointer;

/**
 * FFmpeg's interrupt callback, which it asks while it waits for input: a camera that is closing, or whose
 * stream has sent nothing new for its stall time, answers stop, and the blocked read returns. One
 * callback object serves every camera (JavaCPP allows only a few per class), told apart by the context.
 */
final class FFmpegInterrupt extends AVIOInterruptCB.Callback_Pointer {

    private static final FFmpegInterrupt INSTANCE = new FFmpegInterrupt();

    private final Map<Long, BooleanSupplier> stops = new ConcurrentHashMap<>();

    private FFmpegInterrupt() {
    }

    /** From now until {@link #remove}, FFmpeg's waits on the context end as soon as {@code stop} is true. */
    static void install(AVFormatContext context, BooleanSupplier stop) {
        INSTANCE.stops.put(context.address(), stop);
        context.interrupt_callback().opaque(context).callback(INSTANCE);
    }

    static void remove(AVFormatContext context) {
        context.interrupt_callback().callback(null);
        INSTANCE.stops.remove(context.address());
    }

    @Override
    public int call(Pointer opaque) {
        BooleanSupplier stop = opaque == null ? null : stops.get(opaque.address());
        return stop != null && stop.getAsBoolean() ? 1 : 0;
    }
}
