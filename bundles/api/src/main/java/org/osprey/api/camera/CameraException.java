package org.osprey.api.camera;

/** A frame source could not deliver a frame; the message says why, for humans. */
public class CameraException extends Exception {

    private static final long serialVersionUID = 1L;

    public CameraException(String message) {
        super(message);
    }

    public CameraException(String message, Throwable cause) {
        super(message, cause);
    }
}
