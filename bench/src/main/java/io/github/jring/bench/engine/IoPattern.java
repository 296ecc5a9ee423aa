package io.github.jring.bench.engine;

/**
 * One job's stream of I/Os: for each, read or write and the offset. Sequential patterns walk the target from 0 and
 * wrap; random ones pick block-aligned offsets uniformly from the whole {@code size} (like fio with
 * {@code norandommap}); mixed patterns choose read with probability {@code rwmixread}%. Allocation-free: {@link #next}
 * updates two fields that {@link #offset()} and its return value expose.
 */
public final class IoPattern {
    private final boolean random;
    private final int readPercent;
    private final long blocks;
    private final long bs;
    private long rngState;
    private long nextSequential;
    private long offset;

    public IoPattern(JobSpec spec, int jobIndex) {
        this.random = spec.rw().random();
        this.readPercent = spec.readPercent();
        this.bs = spec.bs();
        this.blocks = spec.size() / spec.bs();
        this.rngState = spec.randseed() + 0x9E3779B97F4A7C15L * (jobIndex + 1);
    }

    /** Chooses the next I/O; returns true for a read, false for a write; the offset is then {@link #offset()}. */
    public boolean next() {
        boolean read = readPercent == 100 || (readPercent != 0 && Math.unsignedMultiplyHigh(nextRandom(), 100) < readPercent);
        if (random) {
            offset = Math.unsignedMultiplyHigh(nextRandom(), blocks) * bs;
        } else {
            offset = nextSequential * bs;
            if (++nextSequential == blocks) nextSequential = 0;
        }
        return read;
    }

    /** The byte offset chosen by the last {@link #next()}. */
    public long offset() {
        return offset;
    }

    private long nextRandom() {
        long z = (rngState += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
