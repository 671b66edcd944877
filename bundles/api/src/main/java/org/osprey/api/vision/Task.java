package org.osprey.api.vision;

/** What a model does with an image. */
public enum Task {
    /** Labels for the whole image; predictions have no box. */
    CLASSIFICATION,
    /** Objects located in the image; every prediction has a box. */
    DETECTION;

    /** @return the value of the {@link Model#TASK} service property for this task */
    public String property() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
