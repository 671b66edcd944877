package org.osprey.speech.announcer;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Osprey announcer", description = "Says the name of what appears, in the configured language.")
public @interface AnnouncerConfiguration {

    @AttributeDefinition(name = "Enabled", description = "untick to keep the gateway silent")
    boolean enabled() default true;

    @AttributeDefinition(name = "Language", description = "language tag: en, fr, de, pt-BR ...")
    String language() default "en";

    @AttributeDefinition(name = "Sentences", description = "language=template, {label} is the word: en=I see {label}")
    String[] templates() default {"en=I see {label}", "fr=Je vois {label}", "de=Ich sehe {label}", "es=Veo {label}", "it=Vedo {label}",
            "pt=Vejo {label}", "nl=Ik zie {label}"};

    @AttributeDefinition(name = "Labels", description = "labels to announce; empty: all")
    String[] labels() default {};

    @AttributeDefinition(name = "Models", description = "model names whose events are announced; empty: all")
    String[] models() default {};

    @AttributeDefinition(name = "Minimum score", min = "0", max = "1", description = "events with a lower score (0 to 1) are not announced")
    float minScore() default 0.5f;

    @AttributeDefinition(name = "Cooldown (seconds)", min = "0", description = "a label is said at most once in this time")
    int cooldownSeconds() default 60;

    @AttributeDefinition(name = "Engines", description = "speech.engine names in order of preference; the next is used when one fails")
    String[] engines() default {"azure", "espeak-ng"};

    @AttributeDefinition(name = "Outputs", description = "audio.output names to play on: speaker, wav-file")
    String[] outputs() default {"speaker", "wav-file"};

    @AttributeDefinition(name = "Cache size (MB)", min = "1", description = "synthesised sentences kept on disk, so a label is synthesised once")
    int cacheMegabytes() default 64;
}
