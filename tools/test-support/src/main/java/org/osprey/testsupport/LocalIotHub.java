package org.osprey.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * IoT Hub's MQTT endpoint on this machine, for the real Azure IoT Device SDK: {@link IotHubFront} on
 * port 8883 (the SDK's fixed MQTT port; TLS with a certificate for localhost from the test CA, SAS tokens
 * checked), Mosquitto behind it with the hub's per-device topic rules (a device publishes only its own
 * telemetry and reads only its own messages), and {@link MockIotHub} answering twin and method requests.
 * The Azure cloud itself is not reachable here: this stands in for it.
 */
public final class LocalIotHub implements AutoCloseable {

    /** The hub's host name in connection strings and tokens (devices reach it through GatewayHostName=localhost). */
    public static final String HOST = "testhub.azure-devices.net";
    /** The port the SDK connects to over MQTT; fixed, so two of these cannot run at once. */
    public static final int PORT = 8883;

    public final IotHubFront front;
    public final MockIotHub responder;
    private final Mosquitto broker;

    public LocalIotHub(Path dir, TestCa ca) throws Exception {
        Files.createDirectories(dir);
        Path acl = Files.writeString(dir.resolve("hub.acl"), "user " + MockIotHub.USER + "\ntopic readwrite #\n\n"
                // %u: the front connects each client with its identity's topic path, device or device/modules/module
                + "pattern write devices/%u/messages/events/#\npattern read devices/%u/messages/devicebound/#\n"
                // twin and method topics are per connection at the hub; the mock answers one device at a time
                + "pattern readwrite $iothub/#\n");
        broker = new Mosquitto(dir.resolve("broker"), Mosquitto.freePort(), "allow_anonymous true\nacl_file " + acl);
        broker.start();
        front = new IotHubFront(PORT, HOST, ca.issue("hub", "localhost", "DNS:localhost"), broker.port());
        front.start();
        responder = new MockIotHub(broker.url());
    }

    /** A connection string of a registered device (or module, with {@code /module} in the id) that connects through localhost. */
    public String connectionString(String clientId, byte[] key) {
        front.register(clientId, key);
        String[] ids = clientId.split("/", 2);
        return "HostName=" + HOST + ";DeviceId=" + ids[0] + (ids.length > 1 ? ";ModuleId=" + ids[1] : "") + ";SharedAccessKey="
                + java.util.Base64.getEncoder().encodeToString(key) + ";GatewayHostName=localhost";
    }

    @Override
    public void close() throws Exception {
        try {
            responder.close();
        } finally {
            front.close();
            broker.stop();
        }
    }
}
