package org.osprey.api.vision;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A named polygon on the image, its corners in fractions of the image's width and height (0..1), in
 * order around the polygon: a pipeline's zone. Written in configuration as
 * {@code "spot-3: 0.1,0.5 0.3,0.5 0.3,0.9 0.1,0.9"}.
 *
 * @param name the zone's name
 * @param xs   the corners' x, at least three
 * @param ys   the corners' y, as many as {@code xs}
 * @since 1.4
 */
public record Region(String name, double[] xs, double[] ys) {

    public Region {
        Objects.requireNonNull(name, "name");
        if (xs.length < 3 || xs.length != ys.length) {
            throw new IllegalArgumentException("zone " + name + " needs at least three corners");
        }
        xs = xs.clone();
        ys = ys.clone();
    }

    /**
     * Parses {@code "name: x,y x,y x,y ..."}: a name, a colon, then at least three x,y corners in fractions
     * of the image (0..1), in order around the polygon.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static Region parse(String text) {
        int colon = text.indexOf(':');
        if (colon <= 0 || text.substring(0, colon).isBlank()) {
            throw new IllegalArgumentException("a zone is 'name: x,y x,y x,y ...', was '" + text + "'");
        }
        String name = text.substring(0, colon).strip();
        List<double[]> corners = new ArrayList<>();
        for (String corner : text.substring(colon + 1).strip().split("\\s+")) {
            String[] xy = corner.split(",");
            double x, y;
            try {
                x = xy.length == 2 ? Double.parseDouble(xy[0]) : Double.NaN;
                y = xy.length == 2 ? Double.parseDouble(xy[1]) : Double.NaN;
            } catch (NumberFormatException e) {
                x = y = Double.NaN;
            }
            if (!(x >= 0 && x <= 1 && y >= 0 && y <= 1)) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "zone %s: a corner is x,y in fractions of the image (0..1), was '%s'",
                        name, corner));
            }
            corners.add(new double[] {x, y});
        }
        double[] xs = new double[corners.size()], ys = new double[corners.size()];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = corners.get(i)[0];
            ys[i] = corners.get(i)[1];
        }
        return new Region(name, xs, ys);
    }

    @Override
    public double[] xs() {
        return xs.clone();
    }

    @Override
    public double[] ys() {
        return ys.clone();
    }

    /** Whether the point (in fractions of the image) is inside: even-odd ray casting. */
    public boolean contains(double x, double y) {
        boolean inside = false;
        for (int i = 0, j = xs.length - 1; i < xs.length; j = i++) {
            if ((ys[i] > y) != (ys[j] > y) && x < (xs[j] - xs[i]) * (y - ys[i]) / (ys[j] - ys[i]) + xs[i]) {
                inside = !inside;
            }
        }
        return inside;
    }

    /** The configuration's text for the zone, as {@link #parse} reads it. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(name).append(':');
        for (int i = 0; i < xs.length; i++) {
            sb.append(' ').append(format(xs[i])).append(',').append(format(ys[i]));
        }
        return sb.toString();
    }

    private static String format(double v) {
        String s = String.format(Locale.ROOT, "%.4f", v);
        return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }
}
