package org.osprey.camera.files;

import java.io.IOException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.osprey.api.camera.CameraException;
import org.osprey.api.camera.Frame;
import org.osprey.api.camera.FrameSource;
import org.osprey.api.camera.PixelFormat;
import org.osprey.api.camera.SourceState;
import org.osprey.api.camera.SourceStatus;

/**
 * A camera made of files. Frames are ready at the configured rate; a consumer that is slower skips
 * the pictures it missed (latest wins, as with a live camera), and the frame sequence numbers show
 * the gap. A folder that is missing or empty is waited for, with back-off, instead of failing.
 */
@Component(service = FrameSource.class, configurationPid = "org.osprey.camera.files", configurationPolicy = ConfigurationPolicy.REQUIRE,
        property = "webconsole.configurationFactory.nameHint=Camera {camera.id}: {path}")
@Designate(ocd = FileCameraConfiguration.class, factory = true)
public class FileCamera implements FrameSource {

    private static final long MAX_BACKOFF_MILLIS = 30_000;

    private final String id;
    private final ImageFiles files;
    private final TestPattern pattern;
    private final long periodNanos;
    private final boolean loop;
    private final long startNanos = System.nanoTime();
    private long lastSequence = -1;
    private List<String> round = List.of();
    private volatile SourceStatus status;
    private volatile long delivered;

    @Activate
    public FileCamera(BundleContext context, FileCameraConfiguration config) {
        this.id = config.camera_id().strip();
        if (id.isEmpty()) {
            throw new IllegalArgumentException("a camera needs a camera.id");
        }
        String path = config.path().strip();
        this.pattern = path.equalsIgnoreCase("testpattern") ? new TestPattern(640, 480) : null;
        this.files = pattern != null ? null : path.equalsIgnoreCase("samples") ? bundled(context.getBundle()) : folder(Path.of(path));
        this.periodNanos = (long) (TimeUnit.SECONDS.toNanos(1) / config.fps());
        this.loop = config.loop();
        this.status = new SourceStatus(SourceState.STARTING, pattern != null ? "test pattern" : files.describe(), 0, Instant.now());
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public SourceStatus status() {
        return status;
    }

    @Override
    public Frame nextFrame(long timeout, TimeUnit unit) throws CameraException, InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        long sequence = (System.nanoTime() - startNanos) / periodNanos;
        if (sequence <= lastSequence) {
            // the next frame is not ready yet: wait for it, within the timeout
            long ready = startNanos + (lastSequence + 1) * periodNanos;
            if (ready > deadline) {
                TimeUnit.NANOSECONDS.sleep(Math.max(0, deadline - System.nanoTime()));
                return null;
            }
            TimeUnit.NANOSECONDS.sleep(ready - System.nanoTime());
            sequence = lastSequence + 1;
        }
        Frame frame = pattern != null ? pattern.frame(id, sequence) : fileFrame(sequence, deadline);
        if (frame != null) {
            lastSequence = sequence;
            delivered++;
            status = new SourceStatus(SourceState.STREAMING, status.message(), delivered, status.state() == SourceState.STREAMING ? status.since() : Instant.now());
        }
        return frame;
    }

    private Frame fileFrame(long sequence, long deadline) throws CameraException, InterruptedException {
        long backoff = 500;
        while (true) {
            try {
                if (round.isEmpty() || !loop && sequence >= round.size()) {
                    round = files.list();
                }
                if (!round.isEmpty()) {
                    if (!loop && sequence >= round.size()) {
                        status = new SourceStatus(SourceState.ENDED, "all " + round.size() + " images read", delivered, Instant.now());
                        throw new CameraException(id + ": all images read (loop is off)");
                    }
                    String name = round.get((int) (sequence % round.size()));
                    if (sequence % round.size() == round.size() - 1) {
                        round = List.of();
                    }
                    return Frame.encoded(id, sequence, Instant.now(), format(name), 0, 0, ByteBuffer.wrap(files.read(name)));
                }
                status = new SourceStatus(SourceState.RECONNECTING, "no images in " + files.describe(), delivered, Instant.now());
            } catch (IOException e) {
                round = List.of();
                status = new SourceStatus(SourceState.RECONNECTING, files.describe() + ": " + e, delivered, Instant.now());
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            TimeUnit.MILLISECONDS.sleep(Math.min(backoff, TimeUnit.NANOSECONDS.toMillis(left)));
            backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
        }
    }

    static PixelFormat format(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".png") ? PixelFormat.PNG : n.endsWith(".bmp") ? PixelFormat.BMP : PixelFormat.JPEG;
    }

    static boolean isImage(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".png") || n.endsWith(".bmp");
    }

    /** One file, or the images of a folder in name order. */
    static ImageFiles folder(Path path) {
        return new ImageFiles() {
            @Override
            public List<String> list() throws IOException {
                if (Files.isRegularFile(path)) {
                    return List.of(path.toString());
                }
                if (!Files.isDirectory(path)) {
                    throw new IOException("no such file or folder");
                }
                try (Stream<Path> s = Files.list(path)) {
                    return s.filter(p -> isImage(p.getFileName().toString())).map(Path::toString).sorted().toList();
                }
            }

            @Override
            public byte[] read(String name) throws IOException {
                return Files.readAllBytes(Path.of(name));
            }

            @Override
            public String describe() {
                return path.toString();
            }
        };
    }

    /** The sample photos inside this bundle. */
    static ImageFiles bundled(Bundle bundle) {
        return new ImageFiles() {
            @Override
            public List<String> list() {
                List<String> names = new ArrayList<>();
                Enumeration<String> e = bundle.getEntryPaths("samples/");
                while (e != null && e.hasMoreElements()) {
                    String n = e.nextElement();
                    if (isImage(n)) {
                        names.add(n);
                    }
                }
                Collections.sort(names);
                return names;
            }

            @Override
            public byte[] read(String name) throws IOException {
                URL url = bundle.getEntry(name);
                if (url == null) {
                    throw new IOException(name + " is not in the bundle");
                }
                try (var in = url.openStream()) {
                    return in.readAllBytes();
                }
            }

            @Override
            public String describe() {
                return "the sample photos";
            }
        };
    }
}
