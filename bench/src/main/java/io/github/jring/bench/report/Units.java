package io.github.jring.bench.report;

import java.util.Locale;

/** Numbers as fio prints them: {@code 10.8k} IOPS, {@code 42.2MiB/s (44.2MB/s)}, {@code 1.00 GiB}. */
public final class Units {
    private Units() {
    }

    /** A count with 3 significant digits and a k/M/G suffix: 987, 10.8k, 596k, 1.23M. */
    public static String count(double v) {
        if (v < 1000) return String.format(Locale.ROOT, "%.0f", v);
        String[] suffix = {"k", "M", "G", "T"};
        int i = -1;
        while (v >= 999.5 && i < suffix.length - 1) {
            v /= 1000;
            i++;
        }
        String digits = v >= 99.95 ? String.format(Locale.ROOT, "%.0f", v)
                : v >= 9.995 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.2f", v);
        return digits + suffix[i];
    }

    /** Bytes with a binary unit: 512 B, 4.00 KiB, 1.00 GiB. */
    public static String bytes(double b) {
        String[] unit = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
        int i = 0;
        while (b >= 1024 && i < unit.length - 1) {
            b /= 1024;
            i++;
        }
        return i == 0 ? String.format(Locale.ROOT, "%.0f B", b) : String.format(Locale.ROOT, "%.2f %s", b, unit[i]);
    }

    /** Bytes as fio prints the amount moved: {@code 116MiB}, {@code 4096B}. */
    public static String compactBytes(double b) {
        String[] unit = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
        int i = 0;
        while (b >= 1024 && i < unit.length - 1) {
            b /= 1024;
            i++;
        }
        return (i == 0 ? String.format(Locale.ROOT, "%.0f", b) : threeDigits(b)) + unit[i];
    }

    /** A rate as fio prints bandwidth: {@code 42.2MiB/s (44.2MB/s)}. */
    public static String bandwidth(double bytesPerSecond) {
        return binaryRate(bytesPerSecond) + " (" + decimalRate(bytesPerSecond) + ")";
    }

    /** {@code 42.2MiB/s}. */
    public static String binaryRate(double bytesPerSecond) {
        String[] unit = {"B/s", "KiB/s", "MiB/s", "GiB/s", "TiB/s"};
        int i = 0;
        double v = bytesPerSecond;
        while (v >= 1024 && i < unit.length - 1) {
            v /= 1024;
            i++;
        }
        return threeDigits(v) + unit[i];
    }

    /** {@code 44.2MB/s}. */
    public static String decimalRate(double bytesPerSecond) {
        String[] unit = {"B/s", "kB/s", "MB/s", "GB/s", "TB/s"};
        int i = 0;
        double v = bytesPerSecond;
        while (v >= 1000 && i < unit.length - 1) {
            v /= 1000;
            i++;
        }
        return threeDigits(v) + unit[i];
    }

    /** A byte size as fio writes {@code bs}: 4k, 512, 1m when exact, else the byte count. */
    public static String size(long b) {
        String[] unit = {"", "k", "m", "g", "t"};
        int i = 0;
        while (b >= 1024 && b % 1024 == 0 && i < unit.length - 1) {
            b /= 1024;
            i++;
        }
        return b + unit[i];
    }

    private static String threeDigits(double v) {
        return v >= 99.95 ? String.format(Locale.ROOT, "%.0f", v)
                : v >= 9.995 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.2f", v);
    }
}
