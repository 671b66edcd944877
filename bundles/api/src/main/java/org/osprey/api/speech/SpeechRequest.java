package org.osprey.api.speech;

import java.util.Locale;
import java.util.Objects;

/** What to say, in which language and voice. Immutable. */
public final class SpeechRequest {

    private final String text;
    private final Locale locale;
    private final String voice;

    /**
     * @param text   plain text to speak (not SSML: engines escape it as they need)
     * @param locale the language to speak in
     * @param voice  an engine-specific voice name, or null for the engine's default voice for the locale
     * @throws IllegalArgumentException if the text is blank
     */
    public SpeechRequest(String text, Locale locale, String voice) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("nothing to say: the text is blank");
        }
        this.text = text;
        this.locale = Objects.requireNonNull(locale, "locale");
        this.voice = voice;
    }

    public String text() {
        return text;
    }

    public Locale locale() {
        return locale;
    }

    /** @return the requested voice, or null for the engine's default */
    public String voice() {
        return voice;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SpeechRequest r && r.text.equals(text) && r.locale.equals(locale)
                && Objects.equals(r.voice, voice);
    }

    @Override
    public int hashCode() {
        return Objects.hash(text, locale, voice);
    }

    @Override
    public String toString() {
        return "\"" + text + "\" (" + locale.toLanguageTag() + (voice == null ? "" : ", " + voice) + ")";
    }
}
