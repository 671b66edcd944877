package org.osprey.inference.onnx.render;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Polygon;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;

import org.osprey.api.vision.BoundingBox;
import org.osprey.api.vision.Prediction;
import org.osprey.api.vision.Region;

/**
 * Draws what a model saw on a picture: a box per prediction in a colour per label, its label and score on
 * a tab above it, predictions without a box (classifications) listed top left, and zones outlined with
 * their names. Text needs a font; on a machine with none, boxes and outlines are still drawn.
 */
final class Overlay {

    private static final Color[] PALETTE = {new Color(0x00C853), new Color(0x2979FF), new Color(0xFF3D00), new Color(0xFFD600),
        new Color(0xD500F9), new Color(0x00B8D4), new Color(0xFF9100), new Color(0xC6FF00), new Color(0xF50057), new Color(0x1DE9B6)};
    private static final Color ZONE = new Color(0xFFEB3B);

    private Overlay() {
    }

    static void draw(BufferedImage canvas, List<Prediction> predictions, List<Region> regions) {
        if (predictions.isEmpty() && regions.isEmpty()) {
            return;
        }
        int w = canvas.getWidth(), h = canvas.getHeight();
        Graphics2D g = canvas.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            float line = Math.max(2f, Math.min(w, h) / 240f);
            g.setStroke(new BasicStroke(line));
            Font font = new Font(Font.SANS_SERIF, Font.BOLD, Math.max(11, Math.min(w, h) / 28));
            for (Region r : regions) {
                double[] xs = r.xs(), ys = r.ys();
                Polygon p = new Polygon();
                for (int i = 0; i < xs.length; i++) {
                    p.addPoint((int) Math.round(xs[i] * w), (int) Math.round(ys[i] * h));
                }
                g.setColor(new Color(ZONE.getRed(), ZONE.getGreen(), ZONE.getBlue(), 48));
                g.fillPolygon(p);
                g.setColor(ZONE);
                g.drawPolygon(p);
                label(g, font, r.name(), ZONE, p.xpoints[0], p.ypoints[0], w);
            }
            int listed = 0;
            for (Prediction p : predictions) {
                Color c = PALETTE[p.labelIndex() % PALETTE.length];
                String text = String.format(Locale.ROOT, "%s %.0f%%", p.label(), p.score() * 100);
                BoundingBox b = p.box();
                if (b == null) {
                    label(g, font, text, c, 0, (++listed) * (font.getSize() + 6), w);
                    continue;
                }
                BoundingBox box = b.clipped();
                int x = (int) Math.round(box.left() * w), y = (int) Math.round(box.top() * h);
                int bw = (int) Math.round(box.width() * w), bh = (int) Math.round(box.height() * h);
                g.setColor(c);
                g.drawRect(x, y, bw, bh);
                label(g, font, text, c, x, y, w);
            }
        } finally {
            g.dispose();
        }
    }

    /** A filled tab with the text, its bottom left at (x, y), kept inside the picture. */
    private static void label(Graphics2D g, Font font, String text, Color background, int x, int y, int width) {
        try {
            g.setFont(font);
            FontMetrics m = g.getFontMetrics();
            int tw = m.stringWidth(text) + 8, th = m.getHeight();
            int left = Math.max(0, Math.min(x, width - tw));
            int top = Math.max(0, y - th);
            g.setColor(background);
            g.fillRect(left, top, tw, th);
            g.setColor(background.getRed() * 299 + background.getGreen() * 587 + background.getBlue() * 114 > 128_000 ? Color.BLACK : Color.WHITE);
            g.drawString(text, left + 4, top + m.getAscent());
        } catch (InternalError | LinkageError noFont) {
            // a JRE without fonts (some slim images): the boxes say enough
        }
    }
}
