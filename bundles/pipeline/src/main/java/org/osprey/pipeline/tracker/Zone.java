package org.osprey.pipeline.tracker;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.osprey.api.vision.Region;

/**
 * A named polygon in fractions of the image (0..1). An object is in the zone when the bottom-centre of
 * its box is: where a car or a person touches the ground.
 */
public record Zone(String name, double[] xs, double[] ys) {

    public Zone {
        if (xs.length < 3 || xs.length != ys.length) {
            throw new IllegalArgumentException("zone " + name + " needs at least three corners");
        }
    }

    /**
     * Parses {@code "spot-3: 0.1,0.5 0.3,0.5 0.3,0.9 0.1,0.9"}: a name, a colon, then x,y corners in
     * fractions of the image, in order around the polygon.
     */
    public static Zone parse(String text) {
        int colon = text.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("a zone is 'name: x,y x,y x,y ...', was '" + text + "'");
        }
        String name = text.substring(0, colon).strip();
        List<double[]> corners = new ArrayList<>();
        for (String corner : text.substring(colon + 1).strip().split("\\s+")) {
            String[] xy = corner.split(",");
            if (xy.length != 2) {
                throw new IllegalArgumentException("zone " + name + ": a corner is x,y in fractions of the image, was '" + corner + "'");
            }
            double x = Double.parseDouble(xy[0]), y = Double.parseDouble(xy[1]);
            if (!(x >= 0 && x <= 1 && y >= 0 && y <= 1)) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "zone %s: corner %s is outside the image (0..1)", name, corner));
            }
            corners.add(new double[] {x, y});
        }
        double[] xs = new double[corners.size()], ys = new double[corners.size()];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = corners.get(i)[0];
            ys[i] = corners.get(i)[1];
        }
        return new Zone(name, xs, ys);
    }

    /** The zone as drawn on a frame. */
    public Region region() {
        return new Region(name, xs, ys);
    }

    /** Even-odd ray casting. */
    public boolean contains(double x, double y) {
        boolean inside = false;
        for (int i = 0, j = xs.length - 1; i < xs.length; j = i++) {
            if ((ys[i] > y) != (ys[j] > y) && x < (xs[j] - xs[i]) * (y - ys[i]) / (ys[j] - ys[i]) + xs[i]) {
                inside = !inside;
            }
        }
        return inside;
    }
}
