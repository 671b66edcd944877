package org.osprey.inference.onnx.tensor;

import org.osprey.api.vision.BoundingBox;

/**
 * Where the picture landed in the input tensor, to map what the model found back onto the picture:
 * the content rectangle (in tensor pixels) inside the {@code inputWidth x inputHeight} tensor, and the
 * size of the picture as decoded (for models that take it as an input and answer in its pixels).
 */
public record Geometry(int inputWidth, int inputHeight, double contentLeft, double contentTop, double contentWidth,
        double contentHeight, int imageWidth, int imageHeight) {

    public static Geometry stretched(int inputWidth, int inputHeight, int imageWidth, int imageHeight) {
        return new Geometry(inputWidth, inputHeight, 0, 0, inputWidth, inputHeight, imageWidth, imageHeight);
    }

    /** The picture fitted inside the input with its aspect ratio kept, centred, the rest padded. */
    public static Geometry letterboxed(int inputWidth, int inputHeight, int imageWidth, int imageHeight) {
        double scale = Math.min((double) inputWidth / imageWidth, (double) inputHeight / imageHeight);
        double cw = imageWidth * scale, ch = imageHeight * scale;
        return new Geometry(inputWidth, inputHeight, (inputWidth - cw) / 2, (inputHeight - ch) / 2, cw, ch, imageWidth, imageHeight);
    }

    /** A box in pixels of the input tensor as a box in fractions of the picture. */
    public BoundingBox inputPixelsToImage(double left, double top, double right, double bottom) {
        return toImage(left / inputWidth, top / inputHeight, right / inputWidth, bottom / inputHeight);
    }

    /** A box in pixels of the decoded picture (models that undo the letterbox themselves) as fractions. */
    public BoundingBox imagePixelsToImage(double left, double top, double right, double bottom) {
        return BoundingBox.ofCorners(left / imageWidth, top / imageHeight, right / imageWidth, bottom / imageHeight).clipped();
    }

    /** A box in fractions of the input tensor as a box in fractions of the picture, clipped to it. */
    public BoundingBox toImage(double left, double top, double right, double bottom) {
        return BoundingBox.ofCorners(x(left), y(top), x(right), y(bottom)).clipped();
    }

    private double x(double fraction) {
        return (fraction * inputWidth - contentLeft) / contentWidth;
    }

    private double y(double fraction) {
        return (fraction * inputHeight - contentTop) / contentHeight;
    }
}
