package org.osprey.pipeline.dispatch;

import org.osgi.service.component.annotations.Component;
import org.osprey.api.event.VisionEvent;
import org.osprey.api.event.VisionEventListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Every event as one log line, so what the gateway sees shows in its output. */
@Component
public class EventLogger implements VisionEventListener {

    private static final Logger LOG = LoggerFactory.getLogger("events");

    @Override
    public void onEvent(VisionEvent e) {
        LOG.info("{}: {} {}{} (count {}, score {}, model {} {})", e.cameraId(), e.label(), e.type().wireName(),
                e.zone() == null ? "" : " in " + e.zone(), e.count(), String.format(java.util.Locale.ROOT, "%.2f", e.score()),
                e.modelName(), e.modelVersion());
    }
}
