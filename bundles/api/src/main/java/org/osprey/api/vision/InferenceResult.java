package org.osprey.api.vision;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What one inference found in one image. Immutable; predictions are ordered by descending score.
 */
public final class InferenceResult {

    private final String modelName;
    private final String modelVersion;
    private final int imageWidth;
    private final int imageHeight;
    private final Instant created;
    private final List<Prediction> predictions;
    private final Duration preprocessTime;
    private final Duration inferenceTime;
    private final Duration postprocessTime;

    private InferenceResult(Builder b) {
        this.modelName = Objects.requireNonNull(b.modelName, "modelName");
        this.modelVersion = Objects.requireNonNull(b.modelVersion, "modelVersion");
        this.imageWidth = b.imageWidth;
        this.imageHeight = b.imageHeight;
        this.created = Objects.requireNonNull(b.created, "created");
        this.predictions = b.predictions.stream()
                .sorted((x, y) -> Float.compare(y.score(), x.score()))
                .toList();
        this.preprocessTime = b.preprocessTime;
        this.inferenceTime = b.inferenceTime;
        this.postprocessTime = b.postprocessTime;
    }

    public static Builder builder(ModelInfo model) {
        return new Builder().model(model.name(), model.version());
    }

    public String modelName() {
        return modelName;
    }

    public String modelVersion() {
        return modelVersion;
    }

    /** @return the width of the image the predictions refer to, in pixels */
    public int imageWidth() {
        return imageWidth;
    }

    public int imageHeight() {
        return imageHeight;
    }

    public Instant created() {
        return created;
    }

    /** @return the predictions, highest score first; unmodifiable, empty when nothing was found */
    public List<Prediction> predictions() {
        return predictions;
    }

    /** @return time spent decoding and preparing the input tensor */
    public Duration preprocessTime() {
        return preprocessTime;
    }

    /** @return time spent in the model itself */
    public Duration inferenceTime() {
        return inferenceTime;
    }

    /** @return time spent decoding the model's output into predictions */
    public Duration postprocessTime() {
        return postprocessTime;
    }

    /** Builds an {@link InferenceResult}; not thread-safe. */
    public static final class Builder {
        private String modelName;
        private String modelVersion;
        private int imageWidth;
        private int imageHeight;
        private Instant created = Instant.now();
        private List<Prediction> predictions = List.of();
        private Duration preprocessTime = Duration.ZERO;
        private Duration inferenceTime = Duration.ZERO;
        private Duration postprocessTime = Duration.ZERO;

        public Builder model(String name, String version) {
            this.modelName = name;
            this.modelVersion = version;
            return this;
        }

        public Builder image(int width, int height) {
            this.imageWidth = width;
            this.imageHeight = height;
            return this;
        }

        public Builder created(Instant created) {
            this.created = created;
            return this;
        }

        public Builder predictions(List<Prediction> predictions) {
            this.predictions = List.copyOf(predictions);
            return this;
        }

        public Builder timings(Duration preprocess, Duration inference, Duration postprocess) {
            this.preprocessTime = Objects.requireNonNull(preprocess);
            this.inferenceTime = Objects.requireNonNull(inference);
            this.postprocessTime = Objects.requireNonNull(postprocess);
            return this;
        }

        public InferenceResult build() {
            return new InferenceResult(this);
        }
    }
}
