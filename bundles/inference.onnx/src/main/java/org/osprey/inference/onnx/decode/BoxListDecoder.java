package org.osprey.inference.onnx.decode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.osprey.api.vision.Prediction;
import org.osprey.inference.onnx.model.Labels;
import org.osprey.inference.onnx.tensor.Geometry;

/**
 * Detectors with non-maximum suppression in the graph, which answer a list of boxes with a score and a
 * class each, boxes normalised to the input: Azure Custom Vision compact [S1] ({@code detected_boxes},
 * x1,y1,x2,y2) and TensorFlow object detection API exports ({@code detection_boxes}, y-first, 1-based
 * class ids, a {@code num_detections} count).
 */
final class BoxListDecoder implements OutputDecoder {

    private final String boxes;
    private final String scores;
    private final String classes;
    private final String count;
    private final boolean yFirst;
    private final int classOffset;
    private final Labels labels;
    private final float threshold;
    private final int max;

    BoxListDecoder(String boxes, String scores, String classes, String count, boolean yFirst, int classOffset, Labels labels,
            float threshold, int max) {
        this.boxes = boxes;
        this.scores = scores;
        this.classes = classes;
        this.count = count;
        this.yFirst = yFirst;
        this.classOffset = classOffset;
        this.labels = labels;
        this.threshold = threshold;
        this.max = max;
    }

    @Override
    public List<Prediction> decode(Map<String, TensorData> outputs, Geometry geometry) {
        float[] b = outputs.get(boxes).values(), s = outputs.get(scores).values(), c = outputs.get(classes).values();
        int n = s.length;
        if (count != null) {
            n = Math.min(n, (int) outputs.get(count).values()[0]);
        }
        List<Prediction> out = new ArrayList<>();
        for (int i = 0; i < n && out.size() < max; i++) {
            if (s[i] < threshold) {
                continue;
            }
            int cls = Math.round(c[i]) - classOffset;
            float a0 = b[4 * i], a1 = b[4 * i + 1], a2 = b[4 * i + 2], a3 = b[4 * i + 3];
            out.add(Prediction.of(labels.name(cls), Math.max(0, cls), Math.min(1f, s[i]),
                    yFirst ? geometry.toImage(a1, a0, a3, a2) : geometry.toImage(a0, a1, a2, a3)));
        }
        return out;
    }
}
