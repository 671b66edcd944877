package org.osprey.inference.onnx.decode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.osprey.api.vision.Prediction;
import org.osprey.inference.onnx.model.Labels;
import org.osprey.inference.onnx.tensor.Geometry;

/**
 * YOLOv5-style [1, N, 5+C] rows (cx, cy, w, h in input pixels, objectness, class scores) and
 * YOLOv8-style [1, 4+C, N] columns (no objectness): the best class per box above the threshold, then
 * class-aware NMS; boxes are mapped back through the letterbox.
 */
final class YoloDecoder implements OutputDecoder {

    private final String output;
    private final boolean transposed;
    private final boolean objectness;
    private final Labels labels;
    private final float threshold;
    private final double iou;
    private final int max;

    YoloDecoder(String output, boolean v8, Labels labels, float threshold, double iou, int max) {
        this.output = output;
        this.transposed = v8;
        this.objectness = !v8;
        this.labels = labels;
        this.threshold = threshold;
        this.iou = iou;
        this.max = max;
    }

    @Override
    public List<Prediction> decode(Map<String, TensorData> outputs, Geometry geometry) {
        TensorData t = outputs.get(output);
        float[] v = t.values();
        int n = (int) (transposed ? t.dim(2) : t.dim(1)), fields = (int) (transposed ? t.dim(1) : t.dim(2));
        int first = objectness ? 5 : 4;
        List<Nms.Candidate> candidates = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int best = -1;
            double bestScore = 0;
            double obj = objectness ? at(v, i, 4, n, fields) : 1;
            for (int c = first; c < fields; c++) {
                double score = obj * at(v, i, c, n, fields);
                if (score > bestScore) {
                    bestScore = score;
                    best = c - first;
                }
            }
            if (best < 0 || bestScore < threshold) {
                continue;
            }
            double cx = at(v, i, 0, n, fields), cy = at(v, i, 1, n, fields), w = at(v, i, 2, n, fields), h = at(v, i, 3, n, fields);
            candidates.add(new Nms.Candidate(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2, (float) Math.min(1, bestScore), best));
        }
        List<Prediction> out = new ArrayList<>();
        for (Nms.Candidate c : Nms.hard(candidates, iou, max)) {
            out.add(Prediction.of(labels.name(c.label()), c.label(), c.score(),
                    geometry.inputPixelsToImage(c.left(), c.top(), c.right(), c.bottom())));
        }
        return out;
    }

    private float at(float[] v, int box, int field, int n, int fields) {
        return transposed ? v[field * n + box] : v[box * fields + field];
    }
}
