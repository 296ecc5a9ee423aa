package io.github.jring.bench.run;

/** Receives the state of the running run about twice a second (the live line on a terminal), and its end. */
public interface Progress {
    Progress NONE = new Progress() {
        @Override
        public void update(String label, long elapsedNanos, long plannedNanos, boolean ramping, long ios, long bytes) {
        }

        @Override
        public void clear() {
        }
    };

    /**
     * @param label        what runs, e.g. {@code psync qd=8}
     * @param elapsedNanos since the start, ramp included
     * @param plannedNanos ramp plus runtime, or 0 when the run ends by I/O count
     * @param ramping      still in the ramp time
     * @param ios          completed I/Os so far, all jobs
     * @param bytes        completed bytes so far, all jobs
     */
    void update(String label, long elapsedNanos, long plannedNanos, boolean ramping, long ios, long bytes);

    /** The run ended: remove the live line. */
    void clear();
}
