package org.osprey.inference.onnx.image;

/** The bytes are not an image Osprey can decode; the message says what is wrong, for the caller. */
public class BadImageException extends Exception {

    private static final long serialVersionUID = 1L;

    public BadImageException(String message) {
        super(message);
    }

    public BadImageException(String message, Throwable cause) {
        super(message, cause);
    }
}
