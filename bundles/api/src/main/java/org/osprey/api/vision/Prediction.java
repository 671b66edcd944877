package org.osprey.api.vision;

import java.util.Objects;

/** One thing a model saw: a label with its score and, for detection, where. Immutable. */
public final class Prediction {

    private final String label;
    private final int labelIndex;
    private final float score;
    private final BoundingBox box;

    private Prediction(String label, int labelIndex, float score, BoundingBox box) {
        this.label = Objects.requireNonNull(label, "label");
        this.labelIndex = labelIndex;
        this.score = score;
        this.box = box;
    }

    /**
     * @param labelIndex the label's index in the model's label list (its class id)
     * @param score      confidence in [0, 1]
     * @param box        where the object is, or null for a classification
     * @throws IllegalArgumentException if the score is outside [0, 1] or the index is negative
     */
    public static Prediction of(String label, int labelIndex, float score, BoundingBox box) {
        if (!(score >= 0f && score <= 1f)) {
            throw new IllegalArgumentException("score must be in [0, 1], was " + score);
        }
        if (labelIndex < 0) {
            throw new IllegalArgumentException("label index must not be negative");
        }
        return new Prediction(label, labelIndex, score, box);
    }

    public String label() {
        return label;
    }

    public int labelIndex() {
        return labelIndex;
    }

    public float score() {
        return score;
    }

    /** @return the object's box, or null for a classification */
    public BoundingBox box() {
        return box;
    }

    @Override
    public String toString() {
        return label + " " + score + (box == null ? "" : " " + box);
    }
}
