package io.github.jring.bench.report;

/** The drawing operations {@link Plot} needs, so the same drawing goes to SVG or to a PNG. Colours are {@code #rrggbb}. */
interface Canvas {
    void rect(double x, double y, double w, double h, String stroke, String fill);

    void line(double x1, double y1, double x2, double y2, String color, double width, boolean dashed);

    void polyline(double[] xs, double[] ys, String color, double width, boolean dashed);

    void circle(double x, double y, double r, String color);

    /** {@code anchor}: start, middle or end; {@code vertical}: rotated 90 degrees counter-clockwise about (x, y). */
    void text(double x, double y, String text, double size, String anchor, boolean vertical, boolean bold);
}
