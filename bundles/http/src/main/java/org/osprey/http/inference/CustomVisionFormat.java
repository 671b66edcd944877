package org.osprey.http.inference;

import java.util.List;
import java.util.UUID;

import org.osprey.api.vision.BoundingBox;
import org.osprey.api.vision.InferenceResult;
import org.osprey.api.vision.Prediction;

/**
 * The Azure Custom Vision container's answer: boxes as fractions of the image, null for
 * classification; {@code project} and {@code iteration} carry the model's name and version.
 */
final class CustomVisionFormat {

    record Box(double left, double top, double width, double height) {
    }

    record CvPrediction(double probability, int tagId, String tagName, Box boundingBox) {
    }

    record Response(String id, String project, String iteration, String created, List<CvPrediction> predictions) {
    }

    private CustomVisionFormat() {
    }

    static Response of(InferenceResult r) {
        List<CvPrediction> predictions = r.predictions().stream().map(CustomVisionFormat::prediction).toList();
        // a request id, not a secret: no need to draw on the system's entropy for each answer
        java.util.concurrent.ThreadLocalRandom rnd = java.util.concurrent.ThreadLocalRandom.current();
        String id = new UUID(rnd.nextLong() & ~0xF000L | 0x4000L, rnd.nextLong() & ~(3L << 62) | (2L << 62)).toString();
        return new Response(id, r.modelName(), r.modelVersion(), r.created().toString(), predictions);
    }

    private static CvPrediction prediction(Prediction p) {
        BoundingBox b = p.box();
        Box box = b == null ? null : new Box(round(b.left()), round(b.top()), round(b.width()), round(b.height()));
        return new CvPrediction(round(p.score()), p.labelIndex(), p.label(), box);
    }

    private static double round(double v) {
        return Math.round(v * 1e6) / 1e6;
    }
}
