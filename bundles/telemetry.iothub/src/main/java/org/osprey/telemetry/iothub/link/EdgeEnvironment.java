package org.osprey.telemetry.iothub.link;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What the IoT Edge daemon gives a module, checked before the SDK is asked, so a missing piece is named
 * in words a user can act on (the SDK's own error for a socket that is not there yet is an empty
 * message). On a real device the workload socket often comes up after the module.
 */
final class EdgeEnvironment {

    private static final List<String> REQUIRED = List.of("IOTEDGE_WORKLOADURI", "IOTEDGE_DEVICEID", "IOTEDGE_MODULEID", "IOTEDGE_MODULEGENERATIONID",
            "IOTEDGE_IOTHUBHOSTNAME", "IOTEDGE_AUTHSCHEME");

    private EdgeEnvironment() {
    }

    /** Throws with the reason when the workload API cannot be reached yet. */
    static void check(Map<String, String> env) throws IOException {
        if (env.containsKey("EdgeHubConnectionString")) {
            return; // the old edge runtime's way: a connection string, no workload socket
        }
        List<String> missing = REQUIRED.stream().filter(v -> env.get(v) == null || env.get(v).isBlank()).toList();
        if (!missing.isEmpty()) {
            throw new IOException("IoT Edge variables missing: " + String.join(", ", missing));
        }
        String uri = env.get("IOTEDGE_WORKLOADURI");
        if (!uri.startsWith("unix://")) {
            return; // http://host:port: the SDK reaches it over TCP and says what fails
        }
        Path socket = Path.of(uri.substring("unix://".length()));
        if (!Files.exists(socket)) {
            throw new IOException("IoT Edge workload socket " + uri + ": no such file (is the IoT Edge daemon running, and the socket mounted?)");
        }
        try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            c.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            throw new IOException("IoT Edge workload socket " + uri + ": " + Reasons.of(e));
        }
    }
}
