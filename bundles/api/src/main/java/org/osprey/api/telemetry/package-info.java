/**
 * Telemetry: messages for the cloud, and the uplinks that carry them.
 * <p>
 * Every message is first stored durably by the outbox, then handed to each
 * {@link org.osprey.api.telemetry.Uplink} service (MQTT, Azure IoT Hub), and deleted only after the
 * uplink confirmed delivery.
 */
@Export
@Version("1.0.0")
package org.osprey.api.telemetry;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
