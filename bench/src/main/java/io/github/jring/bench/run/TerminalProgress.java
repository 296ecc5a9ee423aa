package io.github.jring.bench.run;

import io.github.jring.bench.report.Units;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The live line, redrawn in place with a carriage return: elapsed time, IOPS and MB/s over the last interval. Only
 * for a terminal; never mixed into JSON or CSV.
 */
public final class TerminalProgress implements Progress {
    private final PrintStream out;
    private long lastNanos = -1;
    private long lastIos;
    private long lastBytes;
    private String lastLabel;

    public TerminalProgress(PrintStream out) {
        this.out = out;
    }

    @Override
    public void update(String label, long elapsedNanos, long plannedNanos, boolean ramping, long ios, long bytes) {
        if (!label.equals(lastLabel)) {
            lastLabel = label;
            lastNanos = 0;
            lastIos = 0;
            lastBytes = 0;
        }
        double dt = (elapsedNanos - lastNanos) / 1e9;
        double iops = dt > 0 ? (ios - lastIos) / dt : 0;
        double bps = dt > 0 ? (bytes - lastBytes) / dt : 0;
        lastNanos = elapsedNanos;
        lastIos = ios;
        lastBytes = bytes;
        String time = plannedNanos > 0
                ? String.format(Locale.ROOT, "%.1fs/%.1fs", elapsedNanos / 1e9, plannedNanos / 1e9)
                : String.format(Locale.ROOT, "%.1fs", elapsedNanos / 1e9);
        out.print("\r\033[K[" + label + "] " + time + (ramping ? " (ramp)" : "") + "  IOPS=" + Units.count(iops)
                + "  BW=" + Units.binaryRate(bps));
        out.flush();
    }

    @Override
    public void clear() {
        if (lastLabel != null) {
            out.print("\r\033[K");
            out.flush();
            lastLabel = null;
        }
    }
}
