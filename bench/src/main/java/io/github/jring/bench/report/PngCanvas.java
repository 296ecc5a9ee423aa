package io.github.jring.bench.report;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;

/** Draws {@link Canvas} operations into an image with Java2D (headless) and writes a PNG with ImageIO. */
final class PngCanvas implements Canvas {
    private final BufferedImage image;
    private final Graphics2D g;

    PngCanvas(int width, int height) throws IOException {
        System.setProperty("java.awt.headless", "true");
        try {
            image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
            g = image.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        } catch (Error | RuntimeException e) {
            throw new IOException("cannot draw a PNG here (" + e + "); write the plot as .svg instead", e);
        }
    }

    private static Color color(String c) {
        return "none".equals(c) ? null : Color.decode(c);
    }

    private void stroke(String c, double width, boolean dashed) {
        g.setColor(color(c));
        g.setStroke(dashed
                ? new BasicStroke((float) width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[]{6f, 4f}, 0f)
                : new BasicStroke((float) width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
    }

    @Override
    public void rect(double x, double y, double w, double h, String stroke, String fill) {
        Rectangle2D r = new Rectangle2D.Double(x, y, w, h);
        if (color(fill) != null) {
            g.setColor(color(fill));
            g.fill(r);
        }
        if (color(stroke) != null) {
            stroke(stroke, 1, false);
            g.draw(r);
        }
    }

    @Override
    public void line(double x1, double y1, double x2, double y2, String color, double width, boolean dashed) {
        stroke(color, width, dashed);
        g.draw(new Line2D.Double(x1, y1, x2, y2));
    }

    @Override
    public void polyline(double[] xs, double[] ys, String color, double width, boolean dashed) {
        if (xs.length == 0) return;
        Path2D.Double p = new Path2D.Double();
        p.moveTo(xs[0], ys[0]);
        for (int i = 1; i < xs.length; i++) p.lineTo(xs[i], ys[i]);
        stroke(color, width, dashed);
        g.draw(p);
    }

    @Override
    public void circle(double x, double y, double r, String color) {
        g.setColor(color(color));
        g.fill(new Ellipse2D.Double(x - r, y - r, 2 * r, 2 * r));
    }

    @Override
    public void text(double x, double y, String text, double size, String anchor, boolean vertical, boolean bold) {
        try {
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, bold ? Font.BOLD : Font.PLAIN, (int) Math.round(size)));
            double w = g.getFontMetrics().stringWidth(text);
            double dx = switch (anchor) {
                case "middle" -> -w / 2;
                case "end" -> -w;
                default -> 0;
            };
            AffineTransform saved = g.getTransform();
            g.translate(x, y);
            if (vertical) g.rotate(-Math.PI / 2);
            g.drawString(text, (float) dx, 0f);
            g.setTransform(saved);
        } catch (Error | RuntimeException e) {
            throw new IllegalStateException("cannot draw text in a PNG here (no fonts?): " + e.getMessage()
                    + "; write the plot as .svg instead", e);
        }
    }

    void write(Path file) throws IOException {
        g.dispose();
        if (!ImageIO.write(image, "png", file.toFile())) {
            throw new IOException("ImageIO has no PNG writer");
        }
    }
}
