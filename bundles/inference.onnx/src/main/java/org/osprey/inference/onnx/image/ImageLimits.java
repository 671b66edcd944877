package org.osprey.inference.onnx.image;

/**
 * The largest image decoded: a pixel count and a length of either side. Checked on the header before
 * decoding, so a small file that declares a huge picture (a decompression bomb) costs nothing.
 */
public record ImageLimits(long maxPixels, int maxSide) {

    /** 40 megapixels (a 7,300 x 5,500 photo), 20,000 pixels a side (a panorama). */
    public static final ImageLimits DEFAULTS = new ImageLimits(40_000_000L, 20_000);

    public ImageLimits {
        if (maxPixels < 1 || maxSide < 1) {
            throw new IllegalArgumentException("image limits must be positive, were " + maxPixels + " pixels and " + maxSide + " a side");
        }
    }

    /** From the configuration's figures: megapixels (fractions allowed) and pixels a side. */
    public static ImageLimits of(double megapixels, int maxSide) {
        return new ImageLimits((long) (megapixels * 1_000_000), maxSide);
    }

    void check(ImageFormat format, ImageSize size) throws ImageTooLargeException {
        if (size.pixels() > maxPixels || size.width() > maxSide || size.height() > maxSide) {
            throw new ImageTooLargeException(String.format(java.util.Locale.ROOT,
                    "the %s is %dx%d pixels (%.1f megapixels); this gateway decodes at most %.1f megapixels and %d pixels a side",
                    format, size.width(), size.height(), size.pixels() / 1e6, maxPixels / 1e6, maxSide));
        }
    }
}
