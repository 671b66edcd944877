package org.osprey.api.vision;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/** What a {@link Model} is: immutable description read from its model bundle. */
public final class ModelInfo {

    private final String name;
    private final String version;
    private final Task task;
    private final List<String> labels;
    private final int inputWidth;
    private final int inputHeight;
    private final Map<String, List<String>> translations;

    /**
     * @param version    the model bundle's version, as text (an OSGi version)
     * @param labels     labels in class-index order; copied
     * @param inputWidth the width of the image the model takes, in pixels
     */
    public ModelInfo(String name, String version, Task task, List<String> labels, int inputWidth, int inputHeight) {
        this(name, version, task, labels, Map.of(), inputWidth, inputHeight);
    }

    /**
     * @param translations the labels in other languages by language tag ("fr", "pt-BR"), each in class-index order
     * @since 1.2
     */
    public ModelInfo(String name, String version, Task task, List<String> labels, Map<String, List<String>> translations,
            int inputWidth, int inputHeight) {
        this.translations = Map.copyOf(translations);
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

    /**
     * The labels in a language, for speech: the model's own translation for the language tag or, failing
     * that, for its language alone ("pt" for "pt-BR"); else the labels as they are.
     *
     * @since 1.2
     */
    public List<String> labels(Locale language) {
        List<String> t = translations.get(language.toLanguageTag());
        if (t == null) {
            t = translations.get(language.getLanguage());
        }
        return t == null ? labels : t;
    }

    /** @since 1.2 */
    public Map<String, List<String>> translations() {
        return translations;
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
