package org.osprey.inference.onnx.model;

/** A model bundle that cannot be loaded; the message is shown to users as is, so it says what to fix. */
public final class ModelLoadException extends Exception {

    private static final long serialVersionUID = 1L;

    public ModelLoadException(String message) {
        super(message);
    }

    public ModelLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
