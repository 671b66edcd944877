package org.osprey.inference.onnx.image;

/**
 * The smallest size the decoded image needs to keep the model's input sharp: a decoder may shrink on
 * load down to (but not below) it. {@code (0, 0)} asks for the full size.
 */
public record DecodeTarget(int minWidth, int minHeight) {

    public static final DecodeTarget FULL_SIZE = new DecodeTarget(0, 0);

    /**
     * The content size a picture of {@code w x h} takes in a {@code tw x th} input: all of it when
     * stretched, the aspect-preserving fit when letterboxed.
     */
    public static DecodeTarget forInput(int w, int h, int tw, int th, boolean letterbox) {
        if (!letterbox) {
            return new DecodeTarget(tw, th);
        }
        double scale = Math.min((double) tw / w, (double) th / h);
        return new DecodeTarget((int) Math.ceil(w * scale), (int) Math.ceil(h * scale));
    }
}
