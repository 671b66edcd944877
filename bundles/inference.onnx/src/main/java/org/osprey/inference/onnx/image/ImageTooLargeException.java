package org.osprey.inference.onnx.image;

/** The image's header declares more pixels than the limits allow; nothing was decoded. */
public final class ImageTooLargeException extends BadImageException {

    private static final long serialVersionUID = 1L;

    public ImageTooLargeException(String message) {
        super(message);
    }
}
