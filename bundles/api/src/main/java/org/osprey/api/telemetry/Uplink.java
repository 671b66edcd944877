package org.osprey.api.telemetry;

import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A way to the cloud (an MQTT broker, Azure IoT Hub). Registered as a service with the property
 * {@link #NAME}; the outbox drains its stored messages into every uplink, in order per uplink.
 * <p>
 * <b>Threading.</b> {@link #send} must not block on the network: it starts delivery and returns a stage
 * that completes when the far side acknowledged the message (QoS 1, SDK confirmation), or completes
 * exceptionally when delivery failed. The outbox deletes a message only after a successful completion.
 * {@link #status()} may be called from any thread and must not block.
 */
@ConsumerType
public interface Uplink {

    /** Service property: the uplink's name, e.g. {@code mqtt} or {@code iothub} (String). */
    String NAME = "uplink.name";

    /** Starts delivering one message; the returned stage completes when it was acknowledged. */
    CompletionStage<Void> send(TelemetryMessage message);

    /** @return the current connection state; never null */
    UplinkStatus status();
}
