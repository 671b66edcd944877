package org.osprey.api.vision;

/**
 * A rectangle in an image, in fractions of the image's width and height (0 is the left or top edge,
 * 1 the right or bottom edge), as the Azure Custom Vision format has it. Immutable.
 */
public final class BoundingBox {

    private final double left;
    private final double top;
    private final double width;
    private final double height;

    private BoundingBox(double left, double top, double width, double height) {
        this.left = left;
        this.top = top;
        this.width = width;
        this.height = height;
    }

    /**
     * @throws IllegalArgumentException if a value is not finite or the width or height is negative
     */
    public static BoundingBox of(double left, double top, double width, double height) {
        if (!Double.isFinite(left) || !Double.isFinite(top) || !Double.isFinite(width) || !Double.isFinite(height)) {
            throw new IllegalArgumentException("box coordinates must be finite");
        }
        if (width < 0 || height < 0) {
            throw new IllegalArgumentException("box width and height must not be negative");
        }
        return new BoundingBox(left, top, width, height);
    }

    /** A box from its corners, in fractions of the image. */
    public static BoundingBox ofCorners(double left, double top, double right, double bottom) {
        return of(left, top, right - left, bottom - top);
    }

    public double left() {
        return left;
    }

    public double top() {
        return top;
    }

    public double width() {
        return width;
    }

    public double height() {
        return height;
    }

    public double right() {
        return left + width;
    }

    public double bottom() {
        return top + height;
    }

    /** @return the box clipped to the image (0..1 on both axes) */
    public BoundingBox clipped() {
        double l = clamp(left), t = clamp(top), r = clamp(right()), b = clamp(bottom());
        return new BoundingBox(l, t, r - l, b - t);
    }

    /** @return intersection over union with another box, 0 when they do not overlap */
    public double iou(BoundingBox other) {
        double iw = Math.min(right(), other.right()) - Math.max(left, other.left);
        double ih = Math.min(bottom(), other.bottom()) - Math.max(top, other.top);
        if (iw <= 0 || ih <= 0) {
            return 0;
        }
        double inter = iw * ih;
        return inter / (width * height + other.width * other.height - inter);
    }

    private static double clamp(double v) {
        return Math.max(0, Math.min(1, v));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BoundingBox b && b.left == left && b.top == top && b.width == width && b.height == height;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(left, top, width, height);
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "[left=%.4f top=%.4f width=%.4f height=%.4f]", left, top, width, height);
    }
}
