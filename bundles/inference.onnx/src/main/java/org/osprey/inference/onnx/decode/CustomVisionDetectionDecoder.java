package org.osprey.inference.onnx.decode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.osprey.api.vision.Prediction;
import org.osprey.inference.onnx.model.Labels;
import org.osprey.inference.onnx.tensor.Geometry;

/**
 * Azure Custom Vision object detection, compact domain: one raw YOLOv2-style grid
 * [1, A*(5+C), H, W] with A anchors (in grid cells). Decoded as Custom Vision's own sample does:
 * sigmoid centre offsets, exponential sizes times the anchors, sigmoid objectness times the softmax
 * of the class logits; then its suppression, which clears the chosen class on overlapping boxes and
 * lets them compete again with their next best class.
 */
final class CustomVisionDetectionDecoder implements OutputDecoder {

    static final double[][] ANCHORS = {{0.573, 0.677}, {1.87, 2.06}, {3.34, 5.47}, {7.88, 3.53}, {9.77, 9.17}};

    private final String output;
    private final Labels labels;
    private final double[][] anchors;
    private final int classes;
    private final float threshold;
    private final double iou;
    private final int max;

    CustomVisionDetectionDecoder(String output, Labels labels, double[][] anchors, int classes, float threshold, double iou, int max) {
        this.output = output;
        this.labels = labels;
        this.anchors = anchors;
        this.classes = classes;
        this.threshold = threshold;
        this.iou = iou;
        this.max = max;
    }

    @Override
    public List<Prediction> decode(Map<String, TensorData> outputs, Geometry geometry) {
        TensorData t = outputs.get(output);
        int gh = (int) t.dim(2), gw = (int) t.dim(3), stride = 5 + classes, plane = gh * gw;
        float[] v = t.values();
        List<double[]> boxes = new ArrayList<>();
        List<double[]> probs = new ArrayList<>();
        for (int y = 0; y < gh; y++) {
            for (int x = 0; x < gw; x++) {
                for (int a = 0; a < anchors.length; a++) {
                    int base = a * stride * plane + y * gw + x;
                    double objectness = sigmoid(v[base + 4 * plane]);
                    double cx = (sigmoid(v[base]) + x) / gw, cy = (sigmoid(v[base + plane]) + y) / gh;
                    double w = Math.exp(v[base + 2 * plane]) * anchors[a][0] / gw, h = Math.exp(v[base + 3 * plane]) * anchors[a][1] / gh;
                    double[] p = new double[classes];
                    double top = Double.NEGATIVE_INFINITY, sum = 0;
                    for (int c = 0; c < classes; c++) {
                        top = Math.max(top, v[base + (5 + c) * plane]);
                    }
                    for (int c = 0; c < classes; c++) {
                        p[c] = Math.exp(v[base + (5 + c) * plane] - top);
                        sum += p[c];
                    }
                    for (int c = 0; c < classes; c++) {
                        p[c] = p[c] / sum * objectness;
                    }
                    boxes.add(new double[] {cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2});
                    probs.add(p);
                }
            }
        }
        return suppress(boxes, probs, geometry);
    }

    private List<Prediction> suppress(List<double[]> boxes, List<double[]> probs, Geometry geometry) {
        int n = boxes.size();
        double[] best = new double[n];
        int[] bestClass = new int[n];
        for (int i = 0; i < n; i++) {
            rescore(probs.get(i), i, best, bestClass);
        }
        List<Prediction> out = new ArrayList<>();
        while (out.size() < max) {
            int i = 0;
            for (int k = 1; k < n; k++) {
                if (best[k] > best[i]) {
                    i = k;
                }
            }
            if (n == 0 || best[i] < threshold) {
                break;
            }
            double[] b = boxes.get(i);
            int cls = bestClass[i];
            out.add(Prediction.of(labels.name(cls), cls, (float) best[i], geometry.toImage(b[0], b[1], b[2], b[3])));
            for (int k = 0; k < n; k++) {
                if (k == i || iou(b, boxes.get(k)) > iou) {
                    probs.get(k)[cls] = 0;
                    rescore(probs.get(k), k, best, bestClass);
                }
            }
        }
        return out;
    }

    private static void rescore(double[] p, int i, double[] best, int[] bestClass) {
        best[i] = 0;
        for (int c = 0; c < p.length; c++) {
            if (p[c] > best[i]) {
                best[i] = p[c];
                bestClass[i] = c;
            }
        }
    }

    static double iou(double[] a, double[] b) {
        double iw = Math.min(a[2], b[2]) - Math.max(a[0], b[0]), ih = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
        if (iw <= 0 || ih <= 0) {
            return 0;
        }
        double inter = iw * ih;
        return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter);
    }

    static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }
}
