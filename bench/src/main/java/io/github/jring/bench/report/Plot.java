package io.github.jring.bench.report;

import io.github.jring.bench.run.RunResult;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * IOPS against queue depth, one line per engine: log2 x-axis (QD), linear y-axis (Kiops), labelled axes, a legend.
 * Written as SVG (hand-made, one {@code <polyline>} per series); a file name ending in {@code .png} is rendered with
 * Java2D and ImageIO instead.
 */
public final class Plot {
    static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"};
    static final int WIDTH = 880, HEIGHT = 520, LEFT = 80, RIGHT = 220, TOP = 56, BOTTOM = 70;

    /**
     * One line: its name and (QD, Kiops) points in QD order; dashed for fio's figures, drawn in the colour of the
     * engine named by {@code shadows} (the jring line it is measured against), if any.
     */
    public record Series(String name, List<double[]> points, boolean dashed, String shadows) {
        public Series(String name, List<double[]> points, boolean dashed) {
            this(name, points, dashed, null);
        }
    }

    private Plot() {
    }

    /**
     * The series of a sweep: each engine's (engine/api's, see {@link RunResult#label()}) successful runs, and fio's,
     * dashed, with {@code --vs-fio}.
     */
    public static List<Series> series(List<RunResult> runs) {
        Map<String, List<double[]>> jring = new LinkedHashMap<>();
        Map<String, List<double[]>> fio = new LinkedHashMap<>(); // by engine
        for (RunResult r : runs) {
            if (r.failed()) continue;
            jring.computeIfAbsent(r.label(), k -> new ArrayList<>())
                    .add(new double[]{r.spec().requestedIodepth(), r.reportedIops() / 1e3});
            if (r.fio() != null) {
                fio.computeIfAbsent(r.label(), k -> new ArrayList<>())
                        .add(new double[]{r.spec().requestedIodepth(), r.reportedFioIops() / 1e3});
            }
        }
        List<Series> s = new ArrayList<>();
        jring.forEach((k, v) -> s.add(new Series(k, sorted(v), false)));
        fio.forEach((k, v) -> s.add(new Series("fio for " + k, sorted(v), true, k)));
        return s;
    }

    private static List<double[]> sorted(List<double[]> pts) {
        pts.sort((a, b) -> Double.compare(a[0], b[0]));
        return pts;
    }

    /** Writes the plot to {@code file}: PNG if the name ends in {@code .png}, else SVG. */
    public static void write(Path file, String title, List<Series> series) throws IOException {
        if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png")) {
            PngCanvas c = new PngCanvas(WIDTH, HEIGHT);
            draw(c, title, series);
            c.write(file);
        } else {
            SvgCanvas c = new SvgCanvas(WIDTH, HEIGHT);
            draw(c, title, series);
            Files.writeString(file, c.finish());
        }
    }

    /** The SVG text of the plot. */
    public static String svg(String title, List<Series> series) {
        SvgCanvas c = new SvgCanvas(WIDTH, HEIGHT);
        draw(c, title, series);
        return c.finish();
    }

    static void draw(Canvas c, String title, List<Series> series) {
        double minQd = Double.MAX_VALUE, maxQd = 0, maxY = 0;
        for (Series s : series) {
            for (double[] p : s.points()) {
                minQd = Math.min(minQd, p[0]);
                maxQd = Math.max(maxQd, p[0]);
                maxY = Math.max(maxY, p[1]);
            }
        }
        if (maxQd == 0) {
            minQd = 1;
            maxQd = 128;
        }
        double lx0 = Math.floor(log2(minQd)), lx1 = Math.ceil(log2(maxQd));
        if (lx1 <= lx0) {
            lx0 -= 1;
            lx1 += 1;
        }
        double yStep = niceStep(maxY > 0 ? maxY * 1.08 : 10, 6);
        double yMax = Math.max(yStep, Math.ceil(maxY * 1.08 / yStep) * yStep);
        double pw = WIDTH - LEFT - RIGHT, ph = HEIGHT - TOP - BOTTOM;
        double fx0 = lx0, fx1 = lx1;
        java.util.function.DoubleUnaryOperator X = qd -> LEFT + (log2(qd) - fx0) / (fx1 - fx0) * pw;
        java.util.function.DoubleUnaryOperator Y = v -> TOP + ph - v / yMax * ph;

        c.rect(0, 0, WIDTH, HEIGHT, "none", "#ffffff");
        c.text(LEFT + pw / 2, TOP / 2.0 + 6, title, 16, "middle", false, true);
        // grid and ticks
        for (double v = 0; v <= yMax + yStep / 2; v += yStep) {
            double y = Y.applyAsDouble(v);
            c.line(LEFT, y, LEFT + pw, y, "#e0e0e0", 1, false);
            c.text(LEFT - 8, y + 4, fmt(v), 12, "end", false, false);
        }
        for (double e = lx0; e <= lx1; e++) {
            double qd = Math.pow(2, e);
            double x = X.applyAsDouble(qd);
            c.line(x, TOP, x, TOP + ph, "#e0e0e0", 1, false);
            c.text(x, TOP + ph + 18, fmt(qd), 12, "middle", false, false);
        }
        c.line(LEFT, TOP + ph, LEFT + pw, TOP + ph, "#000000", 1.2, false);
        c.line(LEFT, TOP, LEFT, TOP + ph, "#000000", 1.2, false);
        c.text(LEFT + pw / 2, HEIGHT - 22, "queue depth (iodepth, log2 scale)", 13, "middle", false, false);
        c.text(22, TOP + ph / 2, "Kiops (thousands of I/O per second)", 13, "middle", true, false);
        // series: solid lines take the colours in order; a dashed one the colour of the line it shadows
        Map<String, String> colorOf = new LinkedHashMap<>();
        int next = 0;
        for (Series s : series) {
            if (s.shadows() == null) colorOf.putIfAbsent(s.name(), COLORS[next++ % COLORS.length]);
        }
        int i = 0;
        for (Series s : series) {
            String color = s.shadows() != null && colorOf.containsKey(s.shadows()) ? colorOf.get(s.shadows())
                    : colorOf.computeIfAbsent(s.name(), k -> COLORS[colorOf.size() % COLORS.length]);
            double[] xs = new double[s.points().size()];
            double[] ys = new double[xs.length];
            for (int k = 0; k < xs.length; k++) {
                xs[k] = X.applyAsDouble(s.points().get(k)[0]);
                ys[k] = Y.applyAsDouble(s.points().get(k)[1]);
            }
            c.polyline(xs, ys, color, 2.2, s.dashed());
            for (int k = 0; k < xs.length; k++) c.circle(xs[k], ys[k], 3.5, color);
            // legend
            double ly = TOP + 14 + i * 22;
            double lx = LEFT + pw + 18;
            c.line(lx, ly, lx + 28, ly, color, 2.2, s.dashed());
            c.text(lx + 36, ly + 4, s.name(), 12, "start", false, false);
            i++;
        }
    }

    static double log2(double v) {
        return Math.log(v) / Math.log(2);
    }

    static double niceStep(double range, int ticks) {
        double raw = range / ticks;
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double n = raw / mag;
        double nice = n <= 1 ? 1 : n <= 2 ? 2 : n <= 2.5 ? 2.5 : n <= 5 ? 5 : 10;
        return nice * mag;
    }

    static String fmt(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }
}
