package org.osprey.api.speech;

import java.util.Locale;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A speech engine. Registered as a service with the property {@link #ENGINE}; the announcer picks
 * engines by configuration and falls back along its configured order when one fails.
 * <p>
 * <b>Threading.</b> {@link #synthesize} may be called from several threads and may block (network,
 * process); callers do not call it on the pipeline's thread.
 */
@ConsumerType
public interface SpeechSynthesizer {

    /** Service property: the engine's name, e.g. {@code espeak} or {@code azure} (String). */
    String ENGINE = "speech.engine";

    /** @return true if the engine can speak this language */
    boolean supports(Locale locale);

    /**
     * @return the spoken text as audio; never null
     * @throws SpeechException if the engine cannot synthesize it now (unreachable service, bad key,
     *                         unsupported language); the message says which
     */
    Audio synthesize(SpeechRequest request) throws SpeechException;
}
