package io.github.jring.bench.engine;

import org.HdrHistogram.Histogram;

/**
 * Counters for one direction (read or write) of one job, or of a whole run once merged: I/Os, bytes, and a latency
 * histogram in nanoseconds (HdrHistogram, 3 significant digits, 1 ns to 1 hour).
 */
public final class IoStats {
    /** Latencies above this (1 hour) are recorded as this. */
    public static final long MAX_LATENCY_NANOS = 3_600_000_000_000L;

    private long ios;
    private long bytes;
    private final Histogram latency = new Histogram(1, MAX_LATENCY_NANOS, 3);

    void record(long bytes, long latencyNanos) {
        this.ios++;
        this.bytes += bytes;
        latency.recordValue(Math.max(1, Math.min(latencyNanos, MAX_LATENCY_NANOS)));
    }

    /** Adds another job's counters to these. */
    public void add(IoStats other) {
        ios += other.ios;
        bytes += other.bytes;
        latency.add(other.latency);
    }

    public long ios() {
        return ios;
    }

    public long bytes() {
        return bytes;
    }

    /** The latency histogram in nanoseconds, from submission (or the syscall's start) to completion. */
    public Histogram latency() {
        return latency;
    }
}
