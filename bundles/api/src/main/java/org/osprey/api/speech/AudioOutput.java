package org.osprey.api.speech;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Somewhere audio goes: a sound device, a file, a browser. Registered as a service with the property
 * {@link #OUTPUT}.
 * <p>
 * <b>Threading.</b> {@link #play} blocks until the clip has been handed to the device (or written)
 * and is called from one thread at a time.
 */
@ConsumerType
public interface AudioOutput {

    /** Service property: the output's name, e.g. {@code speaker} or {@code wav-file} (String). */
    String OUTPUT = "audio.output";

    /** @throws SpeechException if the clip cannot be played (no device, unsupported format) */
    void play(Audio audio) throws SpeechException;
}
