package org.osprey.camera.javacv;

import java.io.File;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.osprey.api.camera.CameraException;
import org.osprey.api.camera.Frame;
import org.osprey.api.camera.FrameSource;
import org.osprey.api.camera.SourceState;
import org.osprey.api.camera.SourceStatus;
import org.osprey.api.config.ConfigLists;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A video source read through FFmpeg on its own thread, which keeps only the newest frame, in the decoder's
 * own layout (YUV, never converted to RGB): a consumer slower than the camera gets the latest picture and
 * the sequence numbers show what it missed. Files play at their own frame rate (and loop); a device or
 * stream that fails or ends is reopened with exponential back-off and jitter, up to a minute, while the
 * state says RECONNECTING; one that stays open but sends nothing new is STALLED: FFmpeg's wait is
 * interrupted and the stream opened again, within two seconds of each attempt, until frames come.
 */
@Component(service = FrameSource.class, configurationPid = "org.osprey.camera.javacv", configurationPolicy = ConfigurationPolicy.REQUIRE,
        property = "webconsole.configurationFactory.nameHint=Camera {camera.id}: {source}")
@Designate(ocd = VideoCameraConfiguration.class, factory = true)
public class VideoCamera implements FrameSource {

    private static final Logger LOG = LoggerFactory.getLogger(VideoCamera.class);
    private static final long MAX_BACKOFF_MILLIS = 60_000;
    /**
     * A stalled stream is opened again after at most this pause (each attempt itself waits the stall time for
     * a first frame): a relay whose publisher returns is seen within about one stall time.
     */
    private static final long STALLED_BACKOFF_MILLIS = 500;
    private static final long MAX_STALLED_BACKOFF_MILLIS = 2_000;

    private final String id;
    private final VideoCameraConfiguration config;
    private final boolean file;
    private final Thread reader;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition fresh = lock.newCondition();
    private Frame latest;
    private long sequence;
    private long taken = -1;
    private volatile boolean running = true;
    private volatile boolean ended;
    private volatile SourceStatus status;
    private volatile long lastFrameNanos = System.nanoTime();
    private volatile long stallNanos = Long.MAX_VALUE;
    /** The longest a read waited since the stream was opened. */
    private long longestWait;

    @Activate
    public VideoCamera(VideoCameraConfiguration config) {
        this.id = config.camera_id().strip();
        if (id.isEmpty() || config.source() == null || config.source().isBlank()) {
            throw new IllegalArgumentException("a video camera needs a camera.id and a source");
        }
        this.config = config;
        String src = config.source().strip();
        this.file = !src.contains("://") && !src.startsWith("/dev/") && new File(src).isFile();
        this.status = new SourceStatus(SourceState.STARTING, src, 0, Instant.now());
        this.reader = new Thread(this::read, "osprey-camera-" + id);
        reader.setDaemon(true);
        reader.start();
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public SourceStatus status() {
        SourceStatus s = status;
        long quiet = System.nanoTime() - lastFrameNanos;
        if (s.state() == SourceState.STREAMING && quiet > stallNanos) {
            // said at once, also while FFmpeg is still blocked in a read its I/O timeout will end
            return new SourceStatus(SourceState.STALLED, String.format(java.util.Locale.ROOT, "no new frame for %.0f s; reopening %s", quiet / 1e9,
                    config.source()), s.framesDelivered(), s.since());
        }
        return s;
    }

    @Override
    public Frame nextFrame(long timeout, TimeUnit unit) throws CameraException, InterruptedException {
        long nanos = unit.toNanos(timeout);
        lock.lock();
        try {
            while (latest == null || latest.sequence() == taken) {
                if (ended) {
                    throw new CameraException(id + ": " + status.message());
                }
                if (nanos <= 0) {
                    return null;
                }
                nanos = fresh.awaitNanos(nanos);
            }
            taken = latest.sequence();
            return latest;
        } finally {
            lock.unlock();
        }
    }

    private void read() {
        long backoff = 0;
        while (running) {
            boolean opened = false;
            longestWait = 0;
            try (FFmpegFrameGrabber grabber = open(); DecodedPictures pictures = new DecodedPictures()) {
                grabber.start();
                opened = true;
                backoff = 0;
                // from here a read that waits past the stall time, or a camera being closed, ends FFmpeg's wait
                AVFormatContext context = grabber.getFormatContext();
                java.util.concurrent.atomic.AtomicBoolean interrupted = new java.util.concurrent.atomic.AtomicBoolean();
                FFmpegInterrupt.install(context, () -> {
                    boolean stop = !running || System.nanoTime() - lastFrameNanos > stallNanos;
                    if (stop) {
                        interrupted.set(true);
                    }
                    return stop;
                });
                try {
                    play(grabber, pictures, interrupted);
                } finally {
                    FFmpegInterrupt.remove(context);
                }
                if (file && !config.loop()) {
                    status = new SourceStatus(SourceState.ENDED, "end of " + config.source(), status.framesDelivered(), Instant.now());
                    ended = true;
                    signal();
                    return;
                }
                if (!file && running) {
                    throw new java.io.IOException("the stream ended");
                }
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                if (!running) {
                    return;
                }
                long quiet = System.nanoTime() - lastFrameNanos;
                if (status.state() == SourceState.STALLED || opened && Math.max(quiet, longestWait) >= stallNanos * 9 / 10) {
                    // open, then nothing for the stall time (the interrupt or FFmpeg's read timeout ended the wait):
                    // stalled, and it stays stalled, opened again and again, until a frame comes
                    String why = String.format(java.util.Locale.ROOT, "no new frame for %.0f s; reopening %s%s", Math.max(quiet, longestWait) / 1e9, config.source(),
                            opened ? "" : " (" + reason(e) + ")");
                    if (status.state() != SourceState.STALLED) {
                        LOG.warn("camera {}: {}", id, why);
                    }
                    status = new SourceStatus(SourceState.STALLED, why, status.framesDelivered(), Instant.now());
                    // a relay that accepts and sends nothing is tried again at once; one that refuses (its publisher
                    // gone) a little less often, up to a few seconds
                    backoff = opened ? STALLED_BACKOFF_MILLIS : Math.min(MAX_STALLED_BACKOFF_MILLIS, Math.max(STALLED_BACKOFF_MILLIS, backoff * 2));
                } else {
                    if (status.state() != SourceState.RECONNECTING) {
                        LOG.warn("camera {}: {} failed ({}); reconnecting with back-off", id, config.source(), reason(e));
                    }
                    status = new SourceStatus(SourceState.RECONNECTING, config.source() + ": " + reason(e), status.framesDelivered(), Instant.now());
                    backoff = backoff == 0 ? 500 : Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
                }
                try {
                    Thread.sleep(backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1));
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    /** Hands over every new picture of an open grabber until it ends; a file in real time. */
    private void play(FFmpegFrameGrabber grabber, DecodedPictures pictures, java.util.concurrent.atomic.AtomicBoolean interrupted) throws Exception {
        double rate = grabber.getFrameRate() > 0 ? grabber.getFrameRate() : 25;
        if (status.state() != SourceState.STREAMING) {
            LOG.info("camera {}: {} open ({}x{}, {} fps)", id, config.source(), grabber.getImageWidth(), grabber.getImageHeight(), rate);
        }
        stallNanos = stallNanos(rate);
        lastFrameNanos = System.nanoTime();
        long started = System.nanoTime(), played = 0, lastTimestamp = Long.MIN_VALUE;
        org.bytedeco.javacv.Frame f;
        for (long asked = System.nanoTime(); running && (f = grabber.grabImage()) != null; asked = System.nanoTime()) {
            long waited = System.nanoTime() - asked;
            longestWait = Math.max(longestWait, waited);
            if (interrupted.get() || waited >= stallNanos) {
                // the wait was cut short (by the interrupt or FFmpeg's I/O timeout) and the decoder, flushed,
                // handed over what it still held: old pictures with new timestamps, never passed on as new
                break;
            }
            if (!file && grabber.getTimestamp() == lastTimestamp && lastTimestamp > 0) {
                continue; // the same picture again (a stream that stopped): never passed on as new
            }
            lastTimestamp = grabber.getTimestamp();
            publish(pictures.frame(id, sequence, Instant.now(), (AVFrame) f.opaque));
            if (file) {
                // a file plays in real time, not as fast as it can be decoded
                long due = started + (long) (++played * 1e9 / rate);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
            }
        }
    }

    private FFmpegFrameGrabber open() {
        FFmpegFrameGrabber g = new FFmpegFrameGrabber(config.source().strip());
        if (!config.format().isBlank()) {
            g.setFormat(config.format().strip());
        }
        if (config.width() > 0 && config.height() > 0) {
            g.setImageWidth(config.width());
            g.setImageHeight(config.height());
        }
        if (config.fps() > 0) {
            g.setFrameRate(config.fps());
        }
        // the decoder's own picture, no swscale: see DecodedPictures
        g.setImageMode(org.bytedeco.javacv.FrameGrabber.ImageMode.RAW);
        Map<String, String> options = new java.util.LinkedHashMap<>();
        if (config.source().contains("://")) {
            // a network read that waits longer than a stall ends in an error, and the stream is opened again
            String micros = Long.toString(TimeUnit.NANOSECONDS.toMicros(stallNanos(config.fps() > 0 ? config.fps() : 25)));
            options.put("rw_timeout", micros);
            options.put("timeout", micros);
        }
        for (String kv : ConfigLists.entries(config.options())) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                options.put(kv.substring(0, eq).strip(), kv.substring(eq + 1).strip());
            }
        }
        // one decoding thread per camera: many cameras spread over the cores, and FFmpeg's frame threads
        // would cost each frame more CPU in handing work around; threads=auto for one large stream on a slow device
        g.setVideoOption("threads", Optional.ofNullable(options.remove("threads")).orElse("1"));
        options.forEach(g::setOption);
        return g;
    }

    private static final java.util.regex.Pattern FFMPEG_ERROR = java.util.regex.Pattern.compile("(\\w+)\\(\\) error (-?\\d+)");

    /**
     * What went wrong, for people: JavaCV's message without its hints for programmers ("Has setFormat() been
     * called?"), with FFmpeg's own words for its error number ("Invalid data found when processing input").
     */
    static String reason(Exception e) {
        String message = String.valueOf(e.getMessage()).replaceAll(" \\((Has|For more details)[^)]*\\(\\)[^)]*\\)", "").strip();
        java.util.regex.Matcher m = FFMPEG_ERROR.matcher(message);
        if (!m.find()) {
            return message;
        }
        org.bytedeco.javacpp.BytePointer text = new org.bytedeco.javacpp.BytePointer(256);
        try {
            String said = avutil.av_strerror(Integer.parseInt(m.group(2)), text, 256) == 0 ? text.getString() : "error " + m.group(2);
            return said + " (" + message.substring(m.end()).replaceFirst("^: ", "") + ")";
        } finally {
            text.close();
        }
    }

    /** The configured stall, or the larger of 5 s and 10 frame intervals. */
    private long stallNanos(double rate) {
        double seconds = config.stallSeconds() > 0 ? config.stallSeconds() : Math.max(5, 10 / rate);
        return (long) (seconds * 1e9);
    }

    /** Makes the frame the newest. */
    private void publish(Frame frame) {
        lock.lock();
        try {
            lastFrameNanos = System.nanoTime();
            latest = frame;
            sequence++;
            SourceStatus s = status;
            status = new SourceStatus(SourceState.STREAMING, config.source(), s.framesDelivered() + 1,
                    s.state() == SourceState.STREAMING ? s.since() : Instant.now());
            fresh.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void signal() {
        lock.lock();
        try {
            fresh.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        running = false;
        reader.interrupt();
        reader.join(10_000);
    }

    static {
        // FFmpeg prints its own messages to standard error: errors only
        try {
            avutil.av_log_set_level(avutil.AV_LOG_ERROR);
        } catch (Throwable t) {
            // natives missing on this platform: the camera reports it when it opens
        }
    }
}
