package org.osprey.telemetry.forward;

import org.osprey.api.telemetry.TelemetryMessage;

/** Sends one message and returns once the other side acknowledged it (MQTT QoS 1: the PUBACK). */
public interface Sender {

    void send(TelemetryMessage message) throws Exception;
}
