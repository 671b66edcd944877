package org.osprey.camera.snapshot;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A camera that serves its picture at a URL. Each {@link #nextFrame} fetches the current snapshot, no
 * more often than the configured rate; a camera that does not answer is retried with exponential
 * back-off and jitter (up to a minute) while the state says {@code RECONNECTING}, and the pipeline is
 * never blocked longer than its timeout.
 * <p>
 * This is also the example for writing a camera bundle: implement {@link FrameSource}, register it as a
 * service with the {@value FrameSource#CAMERA_ID} property (here taken from the configuration, whose
 * {@code camera_id()} becomes {@code camera.id}), and install the bundle; see docs/camera-bundles.md.
 */
@Component(service = FrameSource.class, configurationPid = "org.osprey.camera.snapshot", configurationPolicy = ConfigurationPolicy.REQUIRE,
        property = "webconsole.configurationFactory.nameHint=Camera {camera.id} (snapshot)")
@Designate(ocd = SnapshotCameraConfiguration.class, factory = true)
public class SnapshotCamera implements FrameSource {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotCamera.class);
    private static final long MAX_BACKOFF_MILLIS = 60_000;

    private final String id;
    private final URI url;
    private final long periodNanos;
    private final Duration timeout;
    private final String authorization;
    private final HttpClient client;
    private long sequence;
    private long nextFetch = System.nanoTime();
    private long backoffMillis;
    private volatile SourceStatus status;

    @Activate
    public SnapshotCamera(SnapshotCameraConfiguration config) {
        this.id = config.camera_id().strip();
        this.url = URI.create(config.url().strip());
        if (id.isEmpty() || !("http".equals(url.getScheme()) || "https".equals(url.getScheme()))) {
            throw new IllegalArgumentException("a snapshot camera needs a camera.id and an http(s) URL, got '" + id + "' and '" + url + "'");
        }
        this.periodNanos = (long) (TimeUnit.SECONDS.toNanos(1) / config.fps());
        this.timeout = Duration.ofSeconds(config.timeoutSeconds());
        this.authorization = config.user().isEmpty() ? null
                : "Basic " + Base64.getEncoder().encodeToString((config.user() + ":" + config._password()).getBytes(StandardCharsets.UTF_8));
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL).build();
        this.status = new SourceStatus(SourceState.STARTING, url.toString(), 0, Instant.now());
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
    public Frame nextFrame(long wait, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(wait);
        while (true) {
            long now = System.nanoTime();
            if (nextFetch > now) {
                if (nextFetch > deadline) {
                    TimeUnit.NANOSECONDS.sleep(Math.max(0, deadline - now));
                    return null;
                }
                TimeUnit.NANOSECONDS.sleep(nextFetch - now);
            }
            try {
                byte[] jpeg = fetch();
                nextFetch = System.nanoTime() + periodNanos;
                if (backoffMillis > 0) {
                    LOG.info("camera {}: {} answers again", id, url);
                }
                backoffMillis = 0;
                SourceStatus s = status;
                status = new SourceStatus(SourceState.STREAMING, url.toString(), s.framesDelivered() + 1,
                        s.state() == SourceState.STREAMING ? s.since() : Instant.now());
                return Frame.encoded(id, sequence++, Instant.now(), PixelFormat.JPEG, 0, 0, ByteBuffer.wrap(jpeg));
            } catch (IOException e) {
                backoffMillis = backoffMillis == 0 ? 500 : Math.min(MAX_BACKOFF_MILLIS, backoffMillis * 2);
                long jittered = backoffMillis / 2 + ThreadLocalRandom.current().nextLong(backoffMillis / 2 + 1);
                nextFetch = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(jittered);
                if (status.state() != SourceState.RECONNECTING) {
                    LOG.warn("camera {}: {} does not answer ({}); retrying with back-off", id, url, e.getMessage());
                }
                status = new SourceStatus(SourceState.RECONNECTING, url + ": " + e.getMessage(), status.framesDelivered(), Instant.now());
            }
            if (System.nanoTime() >= deadline) {
                return null;
            }
        }
    }

    private byte[] fetch() throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(url).timeout(timeout).GET();
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        HttpResponse<byte[]> r = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new IOException("HTTP " + r.statusCode());
        }
        byte[] body = r.body();
        if (body.length < 3 || (body[0] & 0xFF) != 0xFF || (body[1] & 0xFF) != 0xD8) {
            throw new IOException("the answer is not a JPEG (" + body.length + " bytes)");
        }
        return body;
    }
}
