package org.osprey.api.vision;

import java.util.Objects;

/** An inference failed; {@link #reason()} says whose fault it was, the message says what happened. */
public class InferenceException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Whose fault a failed inference was, so that callers can answer correctly (a REST API: 400 or 503). */
    public enum Reason {
        /** The image could not be decoded or is unusable (empty, truncated, unsupported format). */
        BAD_IMAGE,
        /**
         * The image declares more pixels than the gateway decodes (its limits); refused from the header,
         * nothing decoded.
         *
         * @since 1.3
         */
        IMAGE_TOO_LARGE,
        /** The model is gone or closed (uninstalled while the request waited). */
        MODEL_UNAVAILABLE,
        /** The model or runtime failed on a valid image. */
        INTERNAL
    }

    private final Reason reason;

    public InferenceException(Reason reason, String message) {
        this(reason, message, null);
    }

    public InferenceException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }
}
