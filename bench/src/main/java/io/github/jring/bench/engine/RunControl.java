package io.github.jring.bench.engine;

/** What all jobs of one run share: the stop flag that an error, Ctrl-C or the coordinator raises. */
public final class RunControl {
    private volatile boolean stop;
    private volatile String stopReason;

    /** Asks every job of the run to stop issuing I/O and drain. */
    public void stop(String reason) {
        if (!stop) {
            stopReason = reason;
            stop = true;
        }
    }

    public boolean stopped() {
        return stop;
    }

    /** Why {@link #stop} was called, or null. */
    public String stopReason() {
        return stopReason;
    }
}
