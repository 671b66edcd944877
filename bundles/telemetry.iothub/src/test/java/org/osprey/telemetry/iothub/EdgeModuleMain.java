package org.osprey.telemetry.iothub;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.osprey.api.telemetry.TelemetryMessage;
import org.osprey.telemetry.iothub.link.IotHubLink;

import com.microsoft.azure.sdk.iot.device.twin.DirectMethodResponse;

/**
 * The uplink as an IoT Edge module sees it, in a JVM of its own (the SDK reads the {@code IOTEDGE_*}
 * variables from the process environment): says each reason it cannot connect yet, connects, sends one event, answers getStatus, and runs
 * until its standard input closes.
 */
public final class EdgeModuleMain {

    private EdgeModuleMain() {
    }

    public static void main(String[] args) throws Exception {
        IotHubLink link = IotHubLink.fromEdgeEnvironment(System.getenv(), new IotHubLink.Handler() {
            @Override
            public DirectMethodResponse method(String name, String jsonPayload) {
                return new DirectMethodResponse(200, Map.of("module", System.getenv("IOTEDGE_MODULEID")));
            }

            @Override
            public void desired(Map<String, Object> properties, int version, boolean complete) {
                System.out.println("DESIRED " + version);
            }

            @Override
            public void connected() {
                System.out.println("CONNECTED");
            }
        });
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        String reason = null;
        while (!link.status().connected() && System.nanoTime() < deadline) {
            String now = link.status().lastError();
            if (now != null && !now.equals(reason)) {
                System.out.println("REASON " + now);
                System.out.flush();
                reason = now;
            }
            Thread.sleep(50);
        }
        System.out.println("STATUS " + link.status().connected() + " " + link.status().target() + " " + link.status().lastError());
        link.send(TelemetryMessage.builder("appeared", "{\"id\":\"edge-1\"}").id("edge-1").camera("door").property("type", "appeared")
                .expiresAt(Instant.now().plusSeconds(60)).build()).toCompletableFuture().get();
        System.out.println("SENT");
        System.out.flush();
        while (System.in.read() >= 0) {
            // until the test closes our input
        }
        link.close();
    }
}
