package org.osprey.speech.announcer;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.osprey.api.event.EventType;
import org.osprey.api.event.VisionEvent;
import org.osprey.api.vision.ModelInfo;

/**
 * Decides what to say for an event, if anything: only {@code appeared}, only the wanted labels and
 * models, at or above the score, at most once per label within the cooldown; the word is the model's own
 * label in the language when it has one, put into the language's sentence template.
 */
final class Planner {

    private final Set<String> labels;
    private final Set<String> models;
    private final float minScore;
    private final Duration cooldown;
    private final Locale language;
    private final String template;
    private final Map<String, Instant> lastSaid = new HashMap<>();

    Planner(Set<String> labels, Set<String> models, float minScore, Duration cooldown, Locale language, Map<String, String> templates) {
        this.labels = labels;
        this.models = models;
        this.minScore = minScore;
        this.cooldown = cooldown;
        this.language = language;
        this.template = templates.getOrDefault(language.toLanguageTag(), templates.getOrDefault(language.getLanguage(), "{label}"));
    }

    Locale language() {
        return language;
    }

    /** The sentence, or null when the event is not to be said. */
    synchronized String sentence(VisionEvent e, ModelInfo model, Instant now) {
        if (e.type() != EventType.APPEARED || e.score() < minScore || !labels.isEmpty() && !labels.contains(e.label())
                || !models.isEmpty() && !models.contains(e.modelName())) {
            return null;
        }
        Instant last = lastSaid.get(e.label());
        if (last != null && Duration.between(last, now).compareTo(cooldown) < 0) {
            return null;
        }
        lastSaid.put(e.label(), now);
        return sentence(e.label(), model);
    }

    /** The sentence for a label, in the configured language. */
    String sentence(String label, ModelInfo model) {
        return template.replace("{label}", word(label, model));
    }

    String word(String label, ModelInfo model) {
        if (model != null) {
            int i = model.labels().indexOf(label);
            List<String> local = model.labels(language);
            if (i >= 0 && i < local.size()) {
                return local.get(i);
            }
        }
        return label;
    }
}
