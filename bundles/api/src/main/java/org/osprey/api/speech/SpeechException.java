package org.osprey.api.speech;

/** Synthesis or playback failed; the message says why, for humans (never containing a secret). */
public class SpeechException extends Exception {

    private static final long serialVersionUID = 1L;

    public SpeechException(String message) {
        super(message);
    }

    public SpeechException(String message, Throwable cause) {
        super(message, cause);
    }
}
