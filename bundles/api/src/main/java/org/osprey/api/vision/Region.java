package org.osprey.api.vision;

import java.util.Objects;

/**
 * A named polygon on the image, its corners in fractions of the image's width and height (0..1), in
 * order around the polygon: a pipeline's zone, as drawn on a frame.
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
            throw new IllegalArgumentException("region " + name + " needs at least three corners, as many x as y");
        }
        xs = xs.clone();
        ys = ys.clone();
    }

    @Override
    public double[] xs() {
        return xs.clone();
    }

    @Override
    public double[] ys() {
        return ys.clone();
    }
}
