package org.osprey.http.inference;

import java.util.List;

import org.osprey.api.vision.BoundingBox;
import org.osprey.api.vision.InferenceResult;
import org.osprey.api.vision.Prediction;

/**
 * The DeepStack / CodeProject.AI detection answer: boxes in pixels of the image as sent. A
 * classification result covers the whole image.
 */
final class DeepStackFormat {

    record DsPrediction(String label, double confidence, int x_min, int y_min, int x_max, int y_max) {
    }

    record Response(boolean success, List<DsPrediction> predictions, int count, String moduleId, long inferenceMs, long processMs) {
    }

    private DeepStackFormat() {
    }

    static Response of(InferenceResult r, float minConfidence, long processMs) {
        int w = r.imageWidth(), h = r.imageHeight();
        List<DsPrediction> predictions = r.predictions().stream()
                .filter(p -> p.score() >= minConfidence)
                .map(p -> prediction(p, w, h))
                .toList();
        return new Response(true, predictions, predictions.size(), r.modelName() + " " + r.modelVersion(),
                r.inferenceTime().toMillis(), processMs);
    }

    private static DsPrediction prediction(Prediction p, int w, int h) {
        BoundingBox b = p.box() == null ? BoundingBox.of(0, 0, 1, 1) : p.box();
        return new DsPrediction(p.label(), Math.round(p.score() * 1e6) / 1e6,
                (int) Math.round(b.left() * w), (int) Math.round(b.top() * h),
                (int) Math.round(b.right() * w), (int) Math.round(b.bottom() * h));
    }
}
