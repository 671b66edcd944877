package org.osprey.http.events;

import org.osprey.api.event.VisionEvent;
import org.osprey.api.vision.BoundingBox;

/** An event as JSON: what /api/v1/events answers and streams; {@code snapshot} is the path of its picture, when one is kept. */
record EventJson(String id, String type, String time, String camera, String label, String zone, double score, Box box, int count,
        String model, String modelVersion, String snapshot) {

    record Box(double left, double top, double width, double height) {
    }

    /** @param snapshot whether a picture of the event is kept */
    static EventJson of(VisionEvent e, boolean snapshot) {
        BoundingBox b = e.box();
        return new EventJson(e.id(), e.type().wireName(), e.time().toString(), e.cameraId(), e.label(), e.zone(),
                Math.round(e.score() * 1e4) / 1e4, b == null ? null : new Box(b.left(), b.top(), b.width(), b.height()), e.count(),
                e.modelName(), e.modelVersion(), snapshot ? "/api/v1/events/" + e.id() + "/snapshot.jpg" : null);
    }
}
