package io.github.jring.bench.run;

import io.github.jring.bench.engine.Api;
import io.github.jring.bench.engine.IoStats;
import io.github.jring.bench.engine.JobSpec;
import io.github.jring.bench.fio.FioResult;
import io.github.jring.bench.sys.Rusage;
import io.github.jring.bench.target.Target;

import java.util.List;

/**
 * What one run (one engine at one iodepth, {@code numjobs} jobs) measured, merged over its jobs.
 *
 * @param engine        the engine's name
 * @param synchronous   the engine runs at iodepth 1 whatever was asked
 * @param spec          what the jobs were asked to do ({@code spec.iodepth()} is what ran)
 * @param target        where
 * @param runtimeNanos  from the end of the ramp to the end of the last job
 * @param read          reads completed after the ramp
 * @param write         writes completed after the ramp
 * @param jobCpu        CPU time of the job threads (RUSAGE_THREAD, summed), ramp included: what fio reports
 * @param processCpu    CPU time of the whole process over the run (RUSAGE_SELF), ramp included
 * @param allIos        I/Os completed including the ramp, the denominator of CPU per I/O
 * @param allocatedBytes heap bytes the job threads allocated while running I/O (the engines' hot loops), ramp included
 * @param processAllocatedBytes heap bytes all the process's threads allocated over the run, ramp included: the job
 *                      threads, and also an application API's completion threads and virtual threads (counted on
 *                      their carriers), the progress line and the JIT's Java-side work
 * @param wallNanos     from start (ramp included) to the end of the last job
 * @param error         the first job's failure, or null
 * @param interrupted   the run was cut short (Ctrl-C)
 * @param fio           the matching fio run with {@code --vs-fio}, or null
 * @param fioNote       why there is no fio result (no fio engine, fio missing, fio failed), or null
 * @param cache         the page-cache state each side of a buffered {@code --vs-fio} comparison started from, or null
 * @param repeats       with {@code --repeat N} (N &gt; 1), every pass's figures; this result is then the pass with the
 *                      median ratio (see {@link Repeats#medianPass()}); else null
 * @param perJob        with more than one job, each job's figures (its target, CPU, I/Os); else empty
 */
public record RunResult(String engine, boolean synchronous, JobSpec spec, Target target, long runtimeNanos,
                        IoStats read, IoStats write, Rusage jobCpu, Rusage processCpu, long allIos, long allocatedBytes,
                        long processAllocatedBytes, long wallNanos,
                        String error, boolean interrupted, FioResult fio, String fioNote, CacheState cache,
                        Repeats repeats, List<JobFigures> perJob) {

    public RunResult {
        perJob = perJob == null ? List.of() : List.copyOf(perJob);
    }

    public RunResult withFio(FioResult fio, String fioNote) {
        return new RunResult(engine, synchronous, spec, target, runtimeNanos, read, write, jobCpu, processCpu, allIos,
                allocatedBytes, processAllocatedBytes, wallNanos, error, interrupted, fio, fioNote, cache, repeats, perJob);
    }

    public RunResult withCache(CacheState cache) {
        return new RunResult(engine, synchronous, spec, target, runtimeNanos, read, write, jobCpu, processCpu, allIos,
                allocatedBytes, processAllocatedBytes, wallNanos, error, interrupted, fio, fioNote, cache, repeats, perJob);
    }

    public RunResult withRepeats(Repeats repeats) {
        return new RunResult(engine, synchronous, spec, target, runtimeNanos, read, write, jobCpu, processCpu, allIos,
                allocatedBytes, processAllocatedBytes, wallNanos, error, interrupted, fio, fioNote, cache, repeats, perJob);
    }

    /** The IOPS tables and plots show: the median over the passes with {@code --repeat}, else this run's. */
    public double reportedIops() {
        return repeats != null ? repeats.jringMedian() : totalIops();
    }

    /** fio's IOPS as tables and plots show them (median with {@code --repeat}), or 0 without fio. */
    public double reportedFioIops() {
        if (repeats != null && repeats.hasFio()) return repeats.fioMedian();
        return fio != null ? fio.totalIops() : 0;
    }

    /** jring/fio as tables show it: {@code 0.98x}, with {@code --repeat} the median and spread, or {@code -}. */
    public String reportedRatio() {
        if (repeats != null && repeats.hasFio()) return repeats.ratioText();
        double f = reportedFioIops();
        return f > 0 ? String.format(java.util.Locale.ROOT, "%.2fx", totalIops() / f) : "-";
    }

    public boolean failed() {
        return error != null;
    }

    /** Which API the jobs drove. */
    public Api api() {
        return spec.api();
    }

    /**
     * The engine and API as tables, plots and CSV name them: the engine's name for the raw API ({@code async-pt}),
     * else engine/api ({@code async-pt/futures}).
     */
    public String label() {
        return label(engine, spec.api());
    }

    /** {@link #label()} of {@code engine} driving {@code api}. */
    public static String label(String engine, Api api) {
        return api == Api.RAW ? engine : engine + "/" + api.label();
    }

    /** The run's name in reports, e.g. {@code psync-qd1} or {@code async-pt-futures-qd8} (fio's jobname). */
    public String jobName() {
        return (spec.api() == Api.RAW ? engine : engine + "-" + spec.api().label()) + "-qd" + spec.requestedIodepth();
    }

    public double seconds() {
        return runtimeNanos / 1e9;
    }

    public double iops(IoStats s) {
        return runtimeNanos > 0 ? s.ios() / seconds() : 0;
    }

    public double bytesPerSecond(IoStats s) {
        return runtimeNanos > 0 ? s.bytes() / seconds() : 0;
    }

    /** Read plus write IOPS. */
    public double totalIops() {
        return iops(read) + iops(write);
    }

    /** fio's usr_cpu: user CPU of the job threads in percent of the wall time, per job. */
    public double usrCpuPercent() {
        return wallNanos > 0 ? jobCpu.userMicros() * 1e3 / wallNanos * 100 / spec.numjobs() : 0;
    }

    /** fio's sys_cpu. */
    public double sysCpuPercent() {
        return wallNanos > 0 ? jobCpu.systemMicros() * 1e3 / wallNanos * 100 / spec.numjobs() : 0;
    }

    /** Job-thread CPU (user + system) per I/O in microseconds. */
    public double jobCpuMicrosPerIo() {
        return allIos > 0 ? (double) (jobCpu.userMicros() + jobCpu.systemMicros()) / allIos : 0;
    }

    /** Heap bytes allocated per I/O by the job threads while they ran I/O (0 for an allocation-free engine). */
    public double allocatedBytesPerIo() {
        return allIos > 0 ? (double) allocatedBytes / allIos : 0;
    }

    /**
     * Heap bytes allocated per I/O by every thread of the process over the run: with {@code --api futures} or
     * {@code vthreads} this is what matters, as the API allocates on its completion thread and the virtual threads'
     * carriers. A few hundred bytes per run come from the bench itself (the progress line, closing the job).
     */
    public double processAllocatedBytesPerIo() {
        return allIos > 0 ? (double) processAllocatedBytes / allIos : 0;
    }

    /** Whole-process CPU per I/O in microseconds (adds kernel io threads, JIT, GC). */
    public double processCpuMicrosPerIo() {
        return allIos > 0 ? (double) (processCpu.userMicros() + processCpu.systemMicros()) / allIos : 0;
    }
}
