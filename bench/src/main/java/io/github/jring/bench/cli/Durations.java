package io.github.jring.bench.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** fio's times: a number with an optional unit (us, ms, s, m, h; none means seconds): {@code 10}, {@code 10s}, {@code 500ms}, {@code 1.5s}, {@code 2m}. */
public final class Durations {
    private static final Pattern TIME = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(us|ms|s|sec|m|min|h)?", Pattern.CASE_INSENSITIVE);

    private Durations() {
    }

    /** The duration in nanoseconds. */
    public static long parseNanos(String text) {
        Matcher m = TIME.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a time (examples: 10, 10s, 500ms, 2m)");
        }
        String unit = m.group(2) == null ? "s" : m.group(2).toLowerCase(Locale.ROOT);
        double scale = switch (unit) {
            case "us" -> 1e3;
            case "ms" -> 1e6;
            case "m", "min" -> 60e9;
            case "h" -> 3600e9;
            default -> 1e9;
        };
        return Math.round(Double.parseDouble(m.group(1)) * scale);
    }
}
