package org.osprey.api.camera;

import java.util.concurrent.TimeUnit;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A camera: anything that produces frames. Registered as an OSGi service with the property
 * {@link #CAMERA_ID}; consumers (the pipeline) find it through the service registry.
 * <p>
 * <b>Pull, latest wins.</b> The consumer asks for frames at its own pace. A live source keeps only its
 * newest frame and returns it from {@link #nextFrame}; frames the consumer was too slow to take are
 * dropped by the source, never queued without bound. A file source simply reads the next file.
 * <p>
 * <b>Threading.</b> One consumer thread calls {@link #nextFrame}; {@link #status()} may be called from
 * any thread at any time and must not block.
 * <p>
 * <b>Failure.</b> A source that loses its device or stream reconnects by itself with back-off and reports
 * {@link SourceState#RECONNECTING}; while it does, {@link #nextFrame} waits (up to its timeout) rather
 * than throwing.
 */
@ConsumerType
public interface FrameSource {

    /** Service property: the camera's identifier, unique in the gateway (String). */
    String CAMERA_ID = "camera.id";

    /** @return this camera's identifier, equal to its {@link #CAMERA_ID} service property */
    String id();

    /**
     * Waits for a frame newer than the last one returned.
     *
     * @return the frame, or null if none arrived within the timeout
     * @throws CameraException      if the source cannot deliver frames at all (state {@link SourceState#FAILED}
     *                              or {@link SourceState#ENDED})
     * @throws InterruptedException if the calling thread was interrupted while waiting
     */
    Frame nextFrame(long timeout, TimeUnit unit) throws CameraException, InterruptedException;

    /** @return the source's current state; never null, never blocks */
    SourceStatus status();
}
