package org.osprey.inference.onnx.decode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.osprey.api.vision.Prediction;
import org.osprey.inference.onnx.model.Labels;
import org.osprey.inference.onnx.tensor.Geometry;

/**
 * The ONNX model zoo's YOLOv3 and tiny-YOLOv3: they take the picture's size ({@code image_shape}: h, w)
 * besides the letterboxed image, undo the letterbox themselves, run NMS in the graph, and answer boxes
 * (y1, x1, y2, x2 in the picture's pixels), scores [1, 80, N] and the selected (batch, class, box)
 * indices ([M, 3], or [1, M, 3] for tiny).
 */
final class YoloV3ZooDecoder implements OutputDecoder {

    private final String shapeInput;
    private final boolean intShape;
    private final String boxes;
    private final String scores;
    private final String indices;
    private final Labels labels;
    private final float threshold;
    private final int max;

    YoloV3ZooDecoder(String shapeInput, boolean intShape, String boxes, String scores, String indices, Labels labels,
            float threshold, int max) {
        this.shapeInput = shapeInput;
        this.intShape = intShape;
        this.boxes = boxes;
        this.scores = scores;
        this.indices = indices;
        this.labels = labels;
        this.threshold = threshold;
        this.max = max;
    }

    @Override
    public Map<String, Object> extraInputs(int imageWidth, int imageHeight) {
        return Map.of(shapeInput, intShape ? new int[][] {{imageHeight, imageWidth}} : new float[][] {{imageHeight, imageWidth}});
    }

    @Override
    public Set<String> extraInputNames() {
        return Set.of(shapeInput);
    }

    @Override
    public List<Prediction> decode(Map<String, TensorData> outputs, Geometry geometry) {
        TensorData s = outputs.get(scores);
        float[] b = outputs.get(boxes).values(), sc = s.values(), ix = outputs.get(indices).values();
        int n = (int) s.dim(2);
        List<Prediction> out = new ArrayList<>();
        for (int k = 0; k + 2 < ix.length && out.size() < max; k += 3) {
            int cls = (int) ix[k + 1], box = (int) ix[k + 2];
            float score = sc[cls * n + box];
            if (score < threshold) {
                continue;
            }
            int r = 4 * box;
            out.add(Prediction.of(labels.name(cls), cls, Math.min(1f, score),
                    geometry.imagePixelsToImage(b[r + 1], b[r], b[r + 3], b[r + 2])));
        }
        return out;
    }
}
