package org.osprey.inference.onnx.decode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.osprey.api.vision.Prediction;
import org.osprey.inference.onnx.model.ModelLoadException;
import org.osprey.inference.onnx.tensor.Geometry;

/**
 * MediaPipe BlazeFace: SSD anchors on a few feature maps, one score and 16 regressors (box centre and
 * size, six key points) per anchor, in input pixels relative to the anchor centre. Scores are logits.
 * The outputs may come split per feature-map group (Barracuda exports: 512 and 384 anchors) or whole.
 */
final class BlazeFaceDecoder implements OutputDecoder {

    /** One anchor group and the outputs that carry its scores and regressors. */
    private record Group(int offset, int count, String scores, String boxes, int boxStride) {
    }

    private final float[] anchorX;
    private final float[] anchorY;
    private final List<Group> groups;
    private final float inputWidth;
    private final float inputHeight;
    private final float logitThreshold;
    private final float iou;
    private final int max;
    private final String label;

    BlazeFaceDecoder(int inputWidth, int inputHeight, int[] strides, int anchorsPerLayer, Map<String, long[]> outputs,
            String label, float threshold, float iou, int max) throws ModelLoadException {
        this.inputWidth = inputWidth;
        this.inputHeight = inputHeight;
        this.label = label;
        this.iou = iou;
        this.max = max;
        this.logitThreshold = (float) -Math.log(1 / Math.max(threshold, 1e-6) - 1);
        List<float[]> centres = new ArrayList<>();
        List<Integer> groupSizes = new ArrayList<>();
        // layers with the same stride share a feature map: their anchors interleave per cell
        for (int i = 0; i < strides.length;) {
            int j = i;
            while (j < strides.length && strides[j] == strides[i]) {
                j++;
            }
            int perCell = (j - i) * anchorsPerLayer;
            int fw = (int) Math.ceil((double) inputWidth / strides[i]), fh = (int) Math.ceil((double) inputHeight / strides[i]);
            for (int y = 0; y < fh; y++) {
                for (int x = 0; x < fw; x++) {
                    for (int k = 0; k < perCell; k++) {
                        centres.add(new float[] {(x + 0.5f) / fw, (y + 0.5f) / fh});
                    }
                }
            }
            groupSizes.add(fw * fh * perCell);
            i = j;
        }
        anchorX = new float[centres.size()];
        anchorY = new float[centres.size()];
        for (int i = 0; i < centres.size(); i++) {
            anchorX[i] = centres.get(i)[0];
            anchorY[i] = centres.get(i)[1];
        }
        groups = match(groupSizes, outputs);
    }

    private static List<Group> match(List<Integer> sizes, Map<String, long[]> outputs) throws ModelLoadException {
        int total = sizes.stream().mapToInt(Integer::intValue).sum();
        List<Group> found = new ArrayList<>();
        int offset = 0;
        for (int size : sizes) {
            Group g = group(offset, size, outputs);
            if (g == null) {
                found = null;
                break;
            }
            found.add(g);
            offset += size;
        }
        if (found == null) {
            Group whole = group(0, total, outputs);
            if (whole == null) {
                StringBuilder have = new StringBuilder();
                outputs.forEach((n, s) -> have.append(' ').append(n).append(Arrays.toString(s)));
                throw new ModelLoadException("blazeface decoder needs, for " + total + " anchors " + sizes
                        + ", score outputs [1,N,1] and regressor outputs [1,N,16+]; the model has" + have);
            }
            found = List.of(whole);
        }
        return found;
    }

    private static Group group(int offset, int n, Map<String, long[]> outputs) {
        String scores = null, boxes = null;
        int stride = 0;
        for (Map.Entry<String, long[]> e : outputs.entrySet()) {
            long[] s = e.getValue();
            if (s.length != 3 || s[1] != n) {
                continue;
            }
            if (s[2] == 1) {
                scores = e.getKey();
            } else if (s[2] >= 4) {
                boxes = e.getKey();
                stride = (int) s[2];
            }
        }
        return scores == null || boxes == null ? null : new Group(offset, n, scores, boxes, stride);
    }

    @Override
    public List<Prediction> decode(Map<String, TensorData> outputs, Geometry geometry) {
        List<Nms.Candidate> candidates = new ArrayList<>();
        for (Group g : groups) {
            float[] scores = outputs.get(g.scores).values();
            float[] boxes = outputs.get(g.boxes).values();
            for (int i = 0; i < g.count; i++) {
                float logit = scores[i];
                if (logit < logitThreshold) {
                    continue;
                }
                int a = g.offset + i, r = i * g.boxStride;
                double cx = boxes[r] / inputWidth + anchorX[a];
                double cy = boxes[r + 1] / inputHeight + anchorY[a];
                double w = boxes[r + 2] / inputWidth, h = boxes[r + 3] / inputHeight;
                float score = (float) (1 / (1 + Math.exp(-Math.max(-100, Math.min(100, logit)))));
                candidates.add(new Nms.Candidate(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2, score, 0));
            }
        }
        List<Prediction> out = new ArrayList<>();
        for (Nms.Candidate c : Nms.weighted(candidates, iou, max)) {
            out.add(Prediction.of(label, 0, c.score(), geometry.toImage(c.left(), c.top(), c.right(), c.bottom())));
        }
        return out;
    }

    int anchors() {
        return anchorX.length;
    }
}
