package org.osprey.api.vision;

import java.util.List;
import java.util.Objects;

/** What a {@link Model} is: immutable description read from its model bundle. */
public final class ModelInfo {

    private final String name;
    private final String version;
    private final Task task;
    private final List<String> labels;
    private final int inputWidth;
    private final int inputHeight;

    /**
     * @param version    the model bundle's version, as text (an OSGi version)
     * @param labels     labels in class-index order; copied
     * @param inputWidth the width of the image the model takes, in pixels
     */
    public ModelInfo(String name, String version, Task task, List<String> labels, int inputWidth, int inputHeight) {
        this.name = Objects.requireNonNull(name, "name");
        this.version = Objects.requireNonNull(version, "version");
        this.task = Objects.requireNonNull(task, "task");
        this.labels = List.copyOf(labels);
        this.inputWidth = inputWidth;
        this.inputHeight = inputHeight;
    }

    public String name() {
        return name;
    }

    public String version() {
        return version;
    }

    public Task task() {
        return task;
    }

    /** @return the labels in class-index order; unmodifiable */
    public List<String> labels() {
        return labels;
    }

    public int inputWidth() {
        return inputWidth;
    }

    public int inputHeight() {
        return inputHeight;
    }

    @Override
    public String toString() {
        return name + " " + version + " (" + task.property() + ", " + inputWidth + "x" + inputHeight + ")";
    }
}
