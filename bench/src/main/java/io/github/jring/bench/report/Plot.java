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

    /**
     * One bar of a bar plot ({@code --ladder}, {@code --peak}): a rung's name, jring's Kiops, and fio's (NaN when fio
     * did not run), drawn as a second, lighter bar under jring's.
     */
    public record Bar(String name, double kiops, double fioKiops) {
    }

    /** Writes a horizontal bar plot, one row per bar, to {@code file}: PNG if the name ends in {@code .png}, else SVG. */
    public static void bars(Path file, String title, List<Bar> bars) throws IOException {
        int height = barsHeight(bars);
        if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png")) {
            PngCanvas c = new PngCanvas(WIDTH, height);
            drawBars(c, title, bars);
            c.write(file);
        } else {
            SvgCanvas c = new SvgCanvas(WIDTH, height);
            drawBars(c, title, bars);
            Files.writeString(file, c.finish());
        }
    }

    /** The SVG text of a bar plot. */
    public static String barsSvg(String title, List<Bar> bars) {
        SvgCanvas c = new SvgCanvas(WIDTH, barsHeight(bars));
        drawBars(c, title, bars);
        return c.finish();
    }

    private static final int BAR_LABELS = 300, BAR_ROW = 40;

    private static int barsHeight(List<Bar> bars) {
        return TOP + BOTTOM + Math.max(1, bars.size()) * BAR_ROW;
    }

    static void drawBars(Canvas c, String title, List<Bar> bars) {
        boolean anyFio = bars.stream().anyMatch(b -> !Double.isNaN(b.fioKiops()));
        double max = 0;
        for (Bar b : bars) max = Math.max(max, Math.max(b.kiops(), Double.isNaN(b.fioKiops()) ? 0 : b.fioKiops()));
        double step = niceStep(max > 0 ? max * 1.08 : 10, 6);
        double xMax = Math.max(step, Math.ceil(max * 1.08 / step) * step);
        int height = barsHeight(bars);
        double left = BAR_LABELS, pw = WIDTH - left - 60, ph = height - TOP - BOTTOM;
        java.util.function.DoubleUnaryOperator X = v -> left + v / xMax * pw;
        c.rect(0, 0, WIDTH, height, "none", "#ffffff");
        c.text(WIDTH / 2.0, TOP / 2.0 + 6, title, 15, "middle", false, true);
        for (double v = 0; v <= xMax + step / 2; v += step) {
            double x = X.applyAsDouble(v);
            c.line(x, TOP, x, TOP + ph, "#e0e0e0", 1, false);
            c.text(x, TOP + ph + 18, fmt(v), 12, "middle", false, false);
        }
        c.line(left, TOP, left, TOP + ph, "#000000", 1.2, false);
        c.line(left, TOP + ph, left + pw, TOP + ph, "#000000", 1.2, false);
        c.text(left + pw / 2, height - 22, "Kiops (thousands of I/O per second)", 13, "middle", false, false);
        double barH = anyFio ? 14 : 22;
        for (int i = 0; i < bars.size(); i++) {
            Bar b = bars.get(i);
            double y = TOP + i * BAR_ROW + (BAR_ROW - (anyFio ? 2 * barH + 2 : barH)) / 2;
            c.text(left - 8, y + barH - 3, b.name(), 12, "end", false, false);
            c.rect(left, y, X.applyAsDouble(b.kiops()) - left, barH, "none", COLORS[0]);
            c.text(X.applyAsDouble(b.kiops()) + 4, y + barH - 3, fmt(Math.round(b.kiops() * 10) / 10.0), 11, "start", false, false);
            if (!Double.isNaN(b.fioKiops())) {
                double fy = y + barH + 2;
                c.rect(left, fy, X.applyAsDouble(b.fioKiops()) - left, barH, "none", "#a0a0a0");
                c.text(X.applyAsDouble(b.fioKiops()) + 4, fy + barH - 3, "fio " + fmt(Math.round(b.fioKiops() * 10) / 10.0),
                        11, "start", false, false);
            }
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
