package io.github.jring.bench.engine;

import java.util.Locale;

/**
 * Which of jring's APIs a job drives ({@code --api}): the raw ring that the job's own thread sets up, fills, submits
 * and reaps, or one of the two forms an application uses, where a completion thread owns the ring and the job's
 * requests reach it from other threads.
 */
public enum Api {
    /** The job's thread drives its own ring: {@code IoUring} or {@code NvmeQueue.prepare} (the engines' own loop). */
    RAW("raw"),
    /**
     * One thread keeps {@code iodepth} futures in flight: each future's completion callback hands its slot back to
     * that thread, which checks the result, records it and issues the slot's next I/O.
     */
    FUTURES("futures"),
    /** {@code iodepth} virtual threads, each in a loop of blocking calls ({@code readBlocking}, {@code writeBlocking}). */
    VTHREADS("vthreads");

    private final String label;

    Api(String label) {
        this.label = label;
    }

    /** The name {@code --api} takes. */
    public String label() {
        return label;
    }

    /** Parses {@code raw}, {@code futures} or {@code vthreads}. */
    public static Api parse(String s) {
        String v = s.trim().toLowerCase(Locale.ROOT);
        for (Api a : values()) {
            if (a.label.equals(v)) return a;
        }
        throw new IllegalArgumentException("unknown --api '" + s + "' (one of raw, futures, vthreads)");
    }
}
