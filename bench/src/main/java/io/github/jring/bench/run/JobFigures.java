package io.github.jring.bench.run;

import java.nio.file.Path;

/**
 * One job's share of a run with several jobs ({@code --numjobs}, several {@code --filename}s), so that scaling can be
 * read off: its target, the CPU it was bound to, its I/Os and its CPU.
 *
 * @param job       the job's index
 * @param target    the path it ran on
 * @param cpu       the CPU it was bound to, or -1
 * @param ios       I/Os completed after the ramp (its share of the run's IOPS)
 * @param allIos    I/Os completed including the ramp (the denominator of its CPU per I/O)
 * @param cpuMicros its thread's user plus system CPU, ramp included
 */
public record JobFigures(int job, Path target, int cpu, long ios, long allIos, long cpuMicros) {

    /** Its IOPS over the run's measured time. */
    public double iops(long runtimeNanos) {
        return runtimeNanos > 0 ? ios / (runtimeNanos / 1e9) : 0;
    }

    /** Its CPU per I/O in microseconds. */
    public double cpuMicrosPerIo() {
        return allIos > 0 ? (double) cpuMicros / allIos : 0;
    }
}
