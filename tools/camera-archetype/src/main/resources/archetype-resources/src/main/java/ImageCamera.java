package ${package};

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.osprey.api.camera.Frame;
import org.osprey.api.camera.FrameSource;
import org.osprey.api.camera.PixelFormat;
import org.osprey.api.camera.SourceState;
import org.osprey.api.camera.SourceStatus;

/**
 * A camera that shows an image file, read again for every frame (replace the file and the next frame is
 * the new picture), at the configured rate. A missing or unreadable file is reported as RECONNECTING and
 * tried again; nothing is thrown, so the pipeline keeps waiting for it.
 */
@Component(service = FrameSource.class, configurationPid = "${package}.camera", configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = ImageCameraConfiguration.class, factory = true)
public class ImageCamera implements FrameSource {

    private final String id;
    private final Path path;
    private final long periodNanos;
    private final long startNanos = System.nanoTime();
    private long lastSequence = -1;
    private volatile SourceStatus status;

    @Activate
    public ImageCamera(ImageCameraConfiguration config) {
        if (config.camera_id() == null || config.camera_id().isBlank() || config.path() == null || config.path().isBlank()) {
            throw new IllegalArgumentException("an image camera needs a camera.id and a path");
        }
        if (!(config.fps() > 0)) {
            throw new IllegalArgumentException("fps must be above 0, was " + config.fps());
        }
        this.id = config.camera_id().strip();
        this.path = Path.of(config.path().strip());
        this.periodNanos = (long) (TimeUnit.SECONDS.toNanos(1) / config.fps());
        this.status = new SourceStatus(SourceState.STARTING, path.toString(), 0, Instant.now());
    }

    @Override
    public String id() {
        return id;
    }

    /** Called by the pipeline's thread (and the cameras API's test): one caller at a time, never past the timeout. */
    @Override
    public synchronized Frame nextFrame(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        // the frame due now; wait for the next one when this one was already handed out
        long sequence = (System.nanoTime() - startNanos) / periodNanos;
        if (sequence <= lastSequence) {
            sequence = lastSequence + 1;
            long due = startNanos + sequence * periodNanos;
            if (due > deadline) {
                TimeUnit.NANOSECONDS.sleep(Math.max(0, deadline - System.nanoTime()));
                return null;
            }
            TimeUnit.NANOSECONDS.sleep(Math.max(0, due - System.nanoTime()));
        }
        try {
            byte[] image = Files.readAllBytes(path);
            lastSequence = sequence;
            SourceStatus s = status;
            status = new SourceStatus(SourceState.STREAMING, path.toString(), s.framesDelivered() + 1,
                    s.state() == SourceState.STREAMING ? s.since() : Instant.now());
            // the size is 0 (unknown): the model reads it from the file's header
            return Frame.encoded(id, sequence, Instant.now(), format(path), 0, 0, ByteBuffer.wrap(image));
        } catch (IOException | IllegalArgumentException e) {
            status = new SourceStatus(SourceState.RECONNECTING, path + ": " + e, status.framesDelivered(), Instant.now());
            TimeUnit.NANOSECONDS.sleep(Math.max(0, Math.min(deadline - System.nanoTime(), TimeUnit.MILLISECONDS.toNanos(500))));
            return null;
        }
    }

    @Override
    public SourceStatus status() {
        return status;
    }

    private static PixelFormat format(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".png")) {
            return PixelFormat.PNG;
        }
        if (name.endsWith(".bmp")) {
            return PixelFormat.BMP;
        }
        if (name.endsWith(".jpg") || name.endsWith(".jpeg")) {
            return PixelFormat.JPEG;
        }
        throw new IllegalArgumentException("not a .jpg, .png or .bmp file");
    }
}
