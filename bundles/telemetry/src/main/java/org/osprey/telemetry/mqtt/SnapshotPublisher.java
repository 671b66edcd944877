package org.osprey.telemetry.mqtt;

import java.util.Optional;
import java.util.function.Supplier;

import org.osprey.api.event.EventType;
import org.osprey.api.event.SnapshotStore;
import org.osprey.api.event.VisionEvent;
import org.osprey.api.event.VisionEventListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The latest picture of each camera and label, as a retained JPEG on
 * {@code osprey/<gateway>/<camera>/<label>/snapshot} (where Frigate users' automations look for one):
 * the snapshot store's picture of each event in which a label appears (in the picture or in a zone).
 * Pictures above the size limit are not sent.
 */
final class SnapshotPublisher implements VisionEventListener {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotPublisher.class);

    private final MqttLink link;
    private final Supplier<SnapshotStore> store;
    private final int maxBytes;
    private volatile boolean saidTooBig;

    SnapshotPublisher(MqttLink link, Supplier<SnapshotStore> store, int maxBytes) {
        this.link = link;
        this.store = store;
        this.maxBytes = maxBytes;
    }

    static String topic(MqttLink link, String camera, String label) {
        return link.prefix() + HomeAssistantDiscovery.id(camera) + "/" + HomeAssistantDiscovery.id(label) + "/snapshot";
    }

    @Override
    public void onEvent(VisionEvent e) {
        if (e.type() != EventType.APPEARED && e.type() != EventType.ZONE_OCCUPIED) {
            return;
        }
        SnapshotStore s = store.get();
        Optional<byte[]> jpeg = s == null ? Optional.empty() : s.snapshot(e.id());
        if (jpeg.isEmpty()) {
            return;
        }
        if (jpeg.get().length > maxBytes) {
            if (!saidTooBig) {
                saidTooBig = true;
                LOG.warn("Event pictures of {} bytes are above snapshotMaxKilobytes ({} bytes): not sent over MQTT", jpeg.get().length, maxBytes);
            }
            return;
        }
        link.publish(topic(link, e.cameraId(), e.label()), jpeg.get(), true);
    }
}
