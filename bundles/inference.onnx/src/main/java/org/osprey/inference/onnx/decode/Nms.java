package org.osprey.inference.onnx.decode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Non-maximum suppression over candidate boxes in any common coordinate frame. */
public final class Nms {

    /** A candidate: corners, score and class. */
    public record Candidate(double left, double top, double right, double bottom, float score, int label) {

        double area() {
            return Math.max(0, right - left) * Math.max(0, bottom - top);
        }

        double iou(Candidate o) {
            double iw = Math.min(right, o.right) - Math.max(left, o.left);
            double ih = Math.min(bottom, o.bottom) - Math.max(top, o.top);
            if (iw <= 0 || ih <= 0) {
                return 0;
            }
            double inter = iw * ih;
            return inter / (area() + o.area() - inter);
        }
    }

    private Nms() {
    }

    /** Greedy NMS per class: keeps the best box and drops those overlapping it by more than {@code iou}. */
    public static List<Candidate> hard(List<Candidate> candidates, double iou, int max) {
        List<Candidate> sorted = new ArrayList<>(candidates);
        sorted.sort(Comparator.comparingDouble(Candidate::score).reversed());
        List<Candidate> kept = new ArrayList<>();
        for (Candidate c : sorted) {
            if (kept.size() >= max) {
                break;
            }
            boolean suppressed = false;
            for (Candidate k : kept) {
                if (k.label == c.label && k.iou(c) > iou) {
                    suppressed = true;
                    break;
                }
            }
            if (!suppressed) {
                kept.add(c);
            }
        }
        return kept;
    }

    /**
     * MediaPipe's weighted NMS: each kept box is the score-weighted mean of the cluster of boxes that
     * overlap the best remaining one by more than {@code iou}; the cluster keeps the best score.
     * Steadier boxes than hard NMS for detectors with many anchors per object (BlazeFace).
     */
    public static List<Candidate> weighted(List<Candidate> candidates, double iou, int max) {
        List<Candidate> remaining = new ArrayList<>(candidates);
        remaining.sort(Comparator.comparingDouble(Candidate::score).reversed());
        List<Candidate> kept = new ArrayList<>();
        while (!remaining.isEmpty() && kept.size() < max) {
            Candidate best = remaining.get(0);
            List<Candidate> rest = new ArrayList<>();
            double w = 0, l = 0, t = 0, r = 0, b = 0;
            for (Candidate c : remaining) {
                if (c == best || best.iou(c) > iou) {
                    w += c.score;
                    l += c.left * c.score;
                    t += c.top * c.score;
                    r += c.right * c.score;
                    b += c.bottom * c.score;
                } else {
                    rest.add(c);
                }
            }
            kept.add(new Candidate(l / w, t / w, r / w, b / w, best.score, best.label));
            remaining = rest;
        }
        return kept;
    }
}
