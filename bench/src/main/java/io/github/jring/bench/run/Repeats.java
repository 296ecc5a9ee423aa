package io.github.jring.bench.run;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * One point measured {@code n} times, jring and fio interleaved (jring, fio, jring, fio, ...) so that slow drift of a
 * shared machine or an emulated device reaches both sides alike: the IOPS of every pass and each pass's ratio
 * jring/fio, summarised by the median and the spread (min..max), as {@code bench/ring-vs-liburing.sh} does for NOPs.
 * One pair of runs is not a measurement on a noisy machine; the median of several, with its spread, is.
 *
 * @param jringIops each pass's jring IOPS (reads plus writes), in run order
 * @param fioIops   each pass's fio IOPS, in run order; empty when fio did not run
 */
public record Repeats(List<Double> jringIops, List<Double> fioIops) {

    public Repeats {
        jringIops = List.copyOf(jringIops);
        fioIops = List.copyOf(fioIops);
    }

    /** How many passes ran. */
    public int n() {
        return jringIops.size();
    }

    /** True when every pass has its fio run, so there are ratios. */
    public boolean hasFio() {
        return !fioIops.isEmpty() && fioIops.size() == jringIops.size() && fioIops.stream().allMatch(v -> v > 0);
    }

    /** Each pass's jring/fio, in run order (empty without fio). */
    public double[] ratios() {
        if (!hasFio()) return new double[0];
        double[] r = new double[n()];
        for (int i = 0; i < r.length; i++) r[i] = jringIops.get(i) / fioIops.get(i);
        return r;
    }

    public double jringMedian() {
        return median(jringIops.stream().mapToDouble(Double::doubleValue).toArray());
    }

    public double fioMedian() {
        return median(fioIops.stream().mapToDouble(Double::doubleValue).toArray());
    }

    public double ratioMedian() {
        return median(ratios());
    }

    public double ratioMin() {
        return Arrays.stream(ratios()).min().orElse(Double.NaN);
    }

    public double ratioMax() {
        return Arrays.stream(ratios()).max().orElse(Double.NaN);
    }

    /** The index of the pass whose ratio (or, without fio, jring IOPS) is the median: the one reported in full. */
    public int medianPass() {
        double[] v = hasFio() ? ratios() : jringIops.stream().mapToDouble(Double::doubleValue).toArray();
        double m = median(v);
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (Math.abs(v[i] - m) < Math.abs(v[best] - m)) best = i;
        }
        return best;
    }

    /** {@code 0.98x (0.91-1.05)}: the median ratio and its spread, or {@code -} without fio. */
    public String ratioText() {
        if (!hasFio()) return "-";
        return String.format(Locale.ROOT, "%.2fx (%.2f-%.2f)", ratioMedian(), ratioMin(), ratioMax());
    }

    /** The median: the middle value, or the mean of the two middle values; NaN for none. */
    public static double median(double[] values) {
        if (values.length == 0) return Double.NaN;
        double[] v = values.clone();
        Arrays.sort(v);
        int m = v.length / 2;
        return v.length % 2 == 1 ? v[m] : (v[m - 1] + v[m]) / 2;
    }
}
