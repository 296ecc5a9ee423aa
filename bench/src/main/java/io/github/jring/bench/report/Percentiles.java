package io.github.jring.bench.report;

import org.HdrHistogram.Histogram;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The percentiles fio reports, under fio's JSON keys ({@code "99.900000"}). */
public final class Percentiles {
    /** fio's default {@code percentile_list}. */
    public static final double[] FIO_DEFAULT = {1, 5, 10, 20, 30, 40, 50, 60, 70, 80, 90, 95, 99, 99.5, 99.9, 99.95, 99.99};
    /** The ones the text output, CSV and the comparison with fio show. */
    public static final double[] SHOWN = {50, 90, 99, 99.9, 99.99};

    private Percentiles() {
    }

    /** fio's key for a percentile: {@code 99.9 -> "99.900000"}. */
    public static String key(double p) {
        return String.format(Locale.ROOT, "%.6f", p);
    }

    /** The short label: {@code 99.9 -> "p99.9"}, {@code 50 -> "p50"}. */
    public static String label(double p) {
        return "p" + (p == Math.rint(p) ? String.valueOf((long) p) : String.valueOf(p));
    }

    /** fio's percentile map over a latency histogram in ns. */
    public static Map<String, Long> fioMap(Histogram h) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (double p : FIO_DEFAULT) m.put(key(p), h.getValueAtPercentile(p));
        return m;
    }
}
