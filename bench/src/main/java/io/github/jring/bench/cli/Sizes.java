package io.github.jring.bench.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * fio's sizes: a number of bytes with an optional unit, where (as in fio with its default {@code kb_base=1024}) k, m,
 * g, t, p and their KiB/KB spellings all mean powers of 1024: {@code 512}, {@code 4k}, {@code 4KiB}, {@code 1m},
 * {@code 1.5g}.
 */
public final class Sizes {
    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmgtp]?)(?:i?b)?", Pattern.CASE_INSENSITIVE);

    private Sizes() {
    }

    public static long parse(String text) {
        Matcher m = SIZE.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a size (examples: 512, 4k, 64KiB, 1m, 2g)");
        }
        int shift = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            case "t" -> 40;
            case "p" -> 50;
            default -> 0;
        };
        double v = Double.parseDouble(m.group(1)) * Math.pow(2, shift);
        if (v >= 0x1p63) throw new IllegalArgumentException("'" + text + "' is too large");
        long bytes = Math.round(v);
        if (bytes != v) throw new IllegalArgumentException("'" + text + "' is not a whole number of bytes");
        return bytes;
    }
}
