package org.osprey.speech.azure;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osprey.api.speech.Audio;
import org.osprey.api.speech.SpeechException;
import org.osprey.api.speech.SpeechRequest;
import org.osprey.api.speech.SpeechSynthesizer;

import com.microsoft.cognitiveservices.speech.ResultReason;
import com.microsoft.cognitiveservices.speech.SpeechConfig;
import com.microsoft.cognitiveservices.speech.SpeechSynthesisCancellationDetails;
import com.microsoft.cognitiveservices.speech.SpeechSynthesisOutputFormat;
import com.microsoft.cognitiveservices.speech.SpeechSynthesisResult;

/**
 * Azure Speech: natural voices, one per language, through the Azure Speech SDK with SSML. Without a key,
 * or when the service cannot be reached or refuses the key, it fails with the reason, and the announcer
 * speaks with the next engine (the offline espeak-ng) and reports why. The key is never logged.
 */
@Component(property = SpeechSynthesizer.ENGINE + "=" + AzureSpeechEngine.NAME, configurationPid = "org.osprey.speech.azure")
@Designate(ocd = AzureSpeechEngine.Config.class)
public class AzureSpeechEngine implements SpeechSynthesizer {

    public static final String NAME = "azure";

    @ObjectClassDefinition(name = "Osprey speech: Azure", description = "Azure Speech (a Speech resource's key and region, or an endpoint).")
    public @interface Config {
        @AttributeDefinition(name = "Key", type = AttributeType.PASSWORD, description = "the Speech resource's key; empty: the engine stays unused")
        String key() default "";

        @AttributeDefinition(name = "Region", description = "e.g. westeurope")
        String region() default "";

        @AttributeDefinition(name = "Endpoint", description = "instead of the region, e.g. for a container or a private endpoint")
        String endpoint() default "";

        @AttributeDefinition(name = "Voices", description = "language=voice, e.g. en=en-US-JennyNeural")
        String[] voices() default {"en=en-US-JennyNeural", "fr=fr-FR-DeniseNeural", "de=de-DE-KatjaNeural", "es=es-ES-ElviraNeural",
                "it=it-IT-ElsaNeural", "pt=pt-BR-FranciscaNeural", "nl=nl-NL-ColetteNeural"};

        @AttributeDefinition(name = "Timeout (seconds)", min = "1", description = "longest wait for Azure to synthesise a sentence; then the next engine is used")
        int timeoutSeconds() default 10;
    }

    private final Config config;
    private final Map<String, String> voices = new HashMap<>();

    @Activate
    public AzureSpeechEngine(Config config) {
        this.config = config;
        for (String v : config.voices()) {
            int eq = v.indexOf('=');
            if (eq > 0) {
                voices.put(v.substring(0, eq).strip().toLowerCase(Locale.ROOT), v.substring(eq + 1).strip());
            }
        }
    }

    String voice(Locale language) {
        String v = voices.get(language.toLanguageTag().toLowerCase(Locale.ROOT));
        return v != null ? v : voices.get(language.getLanguage());
    }

    @Override
    public boolean supports(Locale locale) {
        return voice(locale) != null;
    }

    @Override
    public Audio synthesize(SpeechRequest request) throws SpeechException {
        String voice = request.voice() != null ? request.voice() : voice(request.locale());
        if (voice == null) {
            throw new SpeechException("no Azure voice configured for " + request.locale().toLanguageTag());
        }
        if (config.key().isBlank() || config.region().isBlank() && config.endpoint().isBlank()) {
            throw new SpeechException("no key and region configured (PID org.osprey.speech.azure)");
        }
        try (SpeechConfig sc = config.endpoint().isBlank() ? SpeechConfig.fromSubscription(config.key(), config.region())
                : SpeechConfig.fromEndpoint(java.net.URI.create(config.endpoint()), config.key())) {
            sc.setSpeechSynthesisOutputFormat(SpeechSynthesisOutputFormat.Riff24Khz16BitMonoPcm);
            // no audio config: the SDK returns the audio instead of playing it
            try (com.microsoft.cognitiveservices.speech.SpeechSynthesizer s = new com.microsoft.cognitiveservices.speech.SpeechSynthesizer(sc, null);
                    SpeechSynthesisResult r = s.SpeakSsmlAsync(Ssml.of(request.text(), request.locale(), voice)).get(config.timeoutSeconds(), TimeUnit.SECONDS)) {
                if (r.getReason() == ResultReason.SynthesizingAudioCompleted) {
                    return new Audio(Audio.WAV, ByteBuffer.wrap(r.getAudioData()));
                }
                SpeechSynthesisCancellationDetails d = SpeechSynthesisCancellationDetails.fromResult(r);
                String details = d.getErrorDetails() == null ? "" : d.getErrorDetails().lines().findFirst().orElse("");
                throw new SpeechException("Azure Speech: " + d.getErrorCode() + " " + details);
            }
        } catch (TimeoutException e) {
            throw new SpeechException("Azure Speech did not answer within " + config.timeoutSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SpeechException("interrupted", e);
        } catch (SpeechException e) {
            throw e;
        } catch (Exception | LinkageError e) {
            throw new SpeechException("Azure Speech failed: " + e, e);
        }
    }
}
