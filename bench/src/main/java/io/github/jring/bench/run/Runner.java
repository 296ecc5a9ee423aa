package io.github.jring.bench.run;

import io.github.jring.bench.engine.Api;
import io.github.jring.bench.engine.Engine;
import io.github.jring.bench.engine.EngineJob;
import io.github.jring.bench.engine.IoStats;
import io.github.jring.bench.engine.JobContext;
import io.github.jring.bench.engine.JobSpec;
import io.github.jring.bench.engine.RunControl;
import io.github.jring.bench.sys.Rusage;
import io.github.jring.bench.target.Target;

import io.github.jring.bench.sys.Affinity;
import io.github.jring.bench.sys.PageCache;
import io.github.jring.core.ErrnoException;

import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Runs one engine at one iodepth: {@code numjobs} platform threads, each opening its own {@link EngineJob}; all start
 * together once all have opened; results count what completes after the ramp; CPU is taken per job thread
 * (RUSAGE_THREAD, as fio) and for the process (RUSAGE_SELF); heap allocation likewise, per job thread and for all
 * threads (an application API's completion and virtual threads allocate outside the job threads).
 *
 * <p><b>The watchdog.</b> A run never hangs: when a job completes no I/O for the watchdog's time ({@link #watchdog},
 * {@value #DEFAULT_WATCHDOG_SECONDS} s by default), or the run is still going that long after its planned end (ramp
 * plus runtime), or a job has not opened by then, the run is stopped and fails with an error that names the job, its
 * engine and QD, how long it waited and how many of its I/Os were in flight. A job that then ends (it saw the stop
 * and drained) closes as usual. A job that does not end within the watchdog's time again (its thread blocked in
 * {@code io_uring_enter} for a completion that does not come, or spinning) is left behind: its thread, ring and
 * buffers stay as they are, since the kernel may still write into them (the engines' close protocol: never free
 * memory the kernel still uses), and the error says so. A job whose ring refuses to close because requests are still
 * in flight ({@link io.github.jring.core.IoUring#close()} throws {@link IllegalStateException}) likewise keeps its
 * buffers.
 */
public final class Runner {
    /** The watchdog's default time, in seconds: longer than the NVMe driver's own I/O timeout (30 s). */
    public static final int DEFAULT_WATCHDOG_SECONDS = 60;
    private static final long PROGRESS_INTERVAL_NANOS = 500_000_000L;
    /** Per-thread allocation counters (HotSpot's com.sun.management extension). */
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();

    private volatile RunControl current;
    private volatile long watchdogNanos = DEFAULT_WATCHDOG_SECONDS * 1_000_000_000L;

    /** Sets the watchdog's time (see the class description); at least 1 ms. */
    public void watchdog(long nanos) {
        if (nanos < 1_000_000L) throw new IllegalArgumentException("the watchdog's time must be at least 1 ms: " + nanos + " ns");
        watchdogNanos = nanos;
    }

    /** The watchdog's time in nanoseconds. */
    public long watchdog() {
        return watchdogNanos;
    }

    /** Stops the run in progress, if any (Ctrl-C): its jobs drain and it reports what it measured. */
    public void interrupt() {
        RunControl c = current;
        if (c != null) c.stop("interrupted");
    }

    /** Runs {@code engine} with {@code spec} on {@code target}; never throws for an I/O failure (see {@link RunResult#error()}). */
    public RunResult run(Engine engine, Target target, JobSpec spec, Progress progress) throws InterruptedException {
        return run(engine, target, spec, progress, null);
    }

    /** As {@link #run(Engine, Target, JobSpec, Progress)}; {@code note} (e.g. "warm-up") is added to the progress label. */
    public RunResult run(Engine engine, Target target, JobSpec spec, Progress progress, String note)
            throws InterruptedException {
        return run(engine, List.of(target), spec, progress, note);
    }

    /**
     * As {@link #run(Engine, Target, JobSpec, Progress, String)} over several targets: job {@code j} runs on
     * {@code targets.get(j % targets.size())} (one job per namespace with several {@code --filename}s). With more
     * than one job, job {@code j} is bound to the {@code j}-th CPU this process may use (modulo their number): one job
     * per core.
     */
    public RunResult run(Engine engine, List<Target> targets, JobSpec spec, Progress progress, String note)
            throws InterruptedException {
        int n = spec.numjobs();
        Target target = targets.get(0);
        writeBackDirtyPages(targets, spec);
        List<Integer> cpus = n > 1 ? allowedCpus() : List.of();
        int[] cpuOf = new int[n];
        java.util.Arrays.fill(cpuOf, -1);
        RunControl control = new RunControl();
        current = control;
        JobContext[] contexts = new JobContext[n];
        Throwable[] errors = new Throwable[n];
        Rusage[] jobCpu = new Rusage[n];
        long[] ends = new long[n];
        long[] allocated = new long[n];
        long[] window = new long[2];
        boolean[] leftInFlight = new boolean[n];
        AtomicIntegerArray openedJobs = new AtomicIntegerArray(n);
        AtomicIntegerArray endedJobs = new AtomicIntegerArray(n); // set last: the job's figures are final then
        CountDownLatch opened = new CountDownLatch(n);
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(n);
        long watchdog = watchdogNanos;
        Thread[] threads = new Thread[n];
        for (int j = 0; j < n; j++) {
            int job = j;
            threads[j] = Thread.ofPlatform().name("jring-bench-" + engine.name()
                    + (spec.api() == Api.RAW ? "" : "-" + spec.api().label()) + "-" + j).daemon(true).unstarted(() -> {
                boolean counted = false;
                Arena arena = Arena.ofConfined();
                boolean buffersFree = true; // false while the kernel may still use them: then the arena stays open
                try {
                    if (!cpus.isEmpty()) {
                        Affinity.pin(cpus.get(job % cpus.size()));
                        cpuOf[job] = cpus.get(job % cpus.size());
                    }
                    JobContext ctx = new JobContext(targets.get(job % targets.size()), spec, job, control, arena);
                    contexts[job] = ctx;
                    EngineJob engineJob = engine.open(ctx);
                    try {
                        openedJobs.set(job, 1);
                        opened.countDown();
                        counted = true;
                        go.await();
                        if (!control.stopped()) {
                            ctx.begin(window[0], window[1]);
                            Rusage before = Rusage.now(Rusage.RUSAGE_THREAD);
                            long allocBefore = THREADS.getCurrentThreadAllocatedBytes();
                            try {
                                engineJob.run();
                            } finally {
                                ends[job] = System.nanoTime();
                                allocated[job] = THREADS.getCurrentThreadAllocatedBytes() - allocBefore;
                                jobCpu[job] = Rusage.now(Rusage.RUSAGE_THREAD).minus(before);
                            }
                        }
                    } catch (Throwable e) {
                        errors[job] = e;
                        control.stop("job " + job + " failed");
                    } finally {
                        try {
                            engineJob.close();
                        } catch (IllegalStateException stillInFlight) {
                            // The ring refused to close: requests are in flight and may still write the buffers.
                            buffersFree = false;
                            if (errors[job] == null) errors[job] = stillInFlight;
                            else errors[job].addSuppressed(stillInFlight);
                        }
                    }
                } catch (Throwable e) {
                    if (errors[job] == null) errors[job] = e;
                    control.stop("job " + job + " failed");
                } finally {
                    if (!counted) opened.countDown();
                    if (buffersFree) arena.close();
                    leftInFlight[job] = !buffersFree;
                    endedJobs.set(job, 1);
                    done.countDown();
                }
            });
            threads[j].start();
        }
        String label = RunResult.label(engine.name(), spec.api()) + " qd=" + spec.iodepth() + (spec.numjobs() > 1 ? " jobs=" + spec.numjobs() : "")
                + (note != null ? " " + note : "");
        long openStart = System.nanoTime();
        if (!opened.await(watchdog, TimeUnit.NANOSECONDS)) {
            control.stop("watchdog");
            go.countDown(); // the jobs that opened see the stop and close
            current = null;
            StringBuilder which = new StringBuilder();
            for (int j = 0; j < n; j++) {
                if (openedJobs.get(j) == 0 && endedJobs.get(j) == 0) {
                    which.append(which.isEmpty() ? "" : ", ").append(j);
                }
            }
            String error = "watchdog: " + RunResult.label(engine.name(), spec.api()) + " qd=" + spec.iodepth()
                    + ": job " + which + " did not open within " + seconds(System.nanoTime() - openStart)
                    + " (--watchdog " + seconds(watchdog) + "); its thread is left as it is";
            return new RunResult(engine.name(), engine.synchronous(), spec, target, 1, new IoStats(), new IoStats(),
                    Rusage.ZERO, Rusage.ZERO, 0, 0, 0, 1, error, false, null, null, null, null, List.of());
        }
        Rusage processBefore = Rusage.now(Rusage.RUSAGE_SELF);
        long processAllocBefore = THREADS.getTotalThreadAllocatedBytes();
        long t0 = System.nanoTime();
        window[0] = t0 + spec.rampNanos();
        window[1] = spec.runtimeNanos() > 0 ? window[0] + spec.runtimeNanos() : Long.MAX_VALUE;
        go.countDown();

        long planned = spec.runtimeNanos() > 0 ? spec.rampNanos() + spec.runtimeNanos() : 0;
        long plannedEnd = planned > 0 ? t0 + planned : Long.MAX_VALUE;
        long[] lastIos = new long[n];
        long[] lastProgress = new long[n];
        java.util.Arrays.fill(lastProgress, t0);
        String watchdogError = null;
        long stoppedAt = 0;
        boolean[] abandoned = new boolean[n];
        boolean anyAbandoned = false;
        while (!done.await(PROGRESS_INTERVAL_NANOS, TimeUnit.NANOSECONDS)) {
            long ios = 0, bytes = 0;
            long now = System.nanoTime();
            for (int j = 0; j < n; j++) {
                JobContext c = contexts[j];
                if (c == null) continue;
                long completed = c.progressIos();
                ios += completed;
                bytes += c.progressBytes();
                if (completed != lastIos[j]) {
                    lastIos[j] = completed;
                    lastProgress[j] = now;
                }
            }
            progress.update(label, now - t0, planned, now < window[0], ios, bytes);
            if (watchdogError == null) {
                watchdogError = watchdog(label, endedJobs, contexts, lastProgress, now, plannedEnd, planned, watchdog);
                if (watchdogError != null) {
                    stoppedAt = now;
                    control.stop("watchdog");
                }
            } else if (now - stoppedAt >= watchdog) {
                // Stopped a watchdog's time ago and still not ended: leave those jobs as they are.
                StringBuilder left = new StringBuilder();
                for (int j = 0; j < n; j++) {
                    if (endedJobs.get(j) == 0) {
                        abandoned[j] = true;
                        anyAbandoned = true;
                        left.append(left.isEmpty() ? "" : ", ").append(j);
                    }
                }
                watchdogError += "; stopped, job " + left + " did not end within " + seconds(watchdog)
                        + " more: its thread, ring and buffers are left as they are (the kernel may still write the"
                        + " buffers; the process keeps them until it exits)";
                break;
            }
        }
        progress.clear();
        Rusage processCpu = Rusage.now(Rusage.RUSAGE_SELF).minus(processBefore);
        long processAllocated = THREADS.getTotalThreadAllocatedBytes() - processAllocBefore;
        current = null;

        IoStats read = new IoStats();
        IoStats write = new IoStats();
        Rusage cpu = Rusage.ZERO;
        long all = 0;
        long allocatedBytes = 0;
        long end = t0;
        String error = null;
        List<JobFigures> perJob = new ArrayList<>();
        for (int j = 0; j < n; j++) {
            if (abandoned[j]) continue; // its figures are its thread's, still running: none are taken
            if (n > 1 && contexts[j] != null) {
                Rusage cj = jobCpu[j] == null ? Rusage.ZERO : jobCpu[j];
                perJob.add(new JobFigures(j, targets.get(j % targets.size()).path(), cpuOf[j],
                        contexts[j].readStats().ios() + contexts[j].writeStats().ios(), contexts[j].completedIos(),
                        cj.userMicros() + cj.systemMicros()));
            }
            if (errors[j] != null && error == null && watchdogError == null) {
                error = (n > 1 ? "job " + j + ": " : "") + describe(errors[j]);
            }
            if (leftInFlight[j]) {
                String kept = "job " + j + "'s ring did not close with requests in flight: its buffers are kept until"
                        + " the process exits";
                error = error == null ? kept : error + "; " + kept;
            }
            if (contexts[j] != null) {
                read.add(contexts[j].readStats());
                write.add(contexts[j].writeStats());
                all += contexts[j].completedIos();
            }
            if (jobCpu[j] != null) cpu = cpu.plus(jobCpu[j]);
            allocatedBytes += allocated[j];
            end = Math.max(end, ends[j]);
        }
        if (watchdogError != null) error = error == null ? watchdogError : watchdogError + "; " + error;
        if (anyAbandoned) end = Math.max(end, System.nanoTime());
        long runtime = Math.max(1, end - Math.max(t0, window[0]));
        boolean interrupted = "interrupted".equals(control.stopReason());
        return new RunResult(engine.name(), engine.synchronous(), spec, target, runtime, read, write, cpu, processCpu,
                all, allocatedBytes, processAllocated, Math.max(1, end - t0), error, interrupted, null, null, null, null, perJob);
    }

    /**
     * The watchdog's verdict at {@code now}: null while every job makes progress and the run is within its planned
     * time plus the watchdog's, else the error naming the first job that stalled (or, past the end, that is still
     * running), how long, and how many of its I/Os are in flight.
     */
    private static String watchdog(String label, AtomicIntegerArray ended, JobContext[] contexts, long[] lastProgress,
                                   long now, long plannedEnd, long planned, long watchdog) {
        for (int j = 0; j < contexts.length; j++) {
            if (ended.get(j) != 0 || contexts[j] == null) continue;
            long waited = now - lastProgress[j];
            boolean stalled = waited >= watchdog;
            boolean late = plannedEnd != Long.MAX_VALUE && now - plannedEnd >= watchdog;
            if (!stalled && !late) continue;
            long inFlight = contexts[j].progressIssued() - contexts[j].progressIos();
            String what = stalled
                    ? "completed no I/O for " + seconds(waited)
                    : "was still running " + seconds(now - plannedEnd) + " after its planned end (ramp + runtime "
                    + seconds(planned) + ")";
            return "watchdog: " + label + ": job " + j + " " + what + ", " + inFlight + " I/O"
                    + (inFlight == 1 ? "" : "s") + " in flight (--watchdog " + seconds(watchdog) + ")";
        }
        return null;
    }

    /**
     * Before buffered writes: the targets' dirty pages are written back first, so every run (each engine, each QD,
     * each repeat) starts from clean pages rather than with the writeback of the runs before it still going on. It
     * does not make page-cache random writes on ext4 steady by itself (docs/benchmarks.md, stop 27: the raw ring
     * still ranged from 32 to 116 Kiops in one invocation).
     */
    private static void writeBackDirtyPages(List<Target> targets, JobSpec spec) {
        if (!spec.writes() || spec.direct()) {
            return;
        }
        for (Target t : targets) {
            Path path = t.isFile() ? t.path() : t.blockPath();
            if (path == null) continue;
            try {
                PageCache.writeBack(path);
            } catch (java.io.IOException e) {
                // Not fatal: the run measures what it can, as before; the run's own open reports a real problem.
            }
        }
    }

    private static String seconds(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.1f s", nanos / 1e9);
    }

    private static List<Integer> allowedCpus() {
        try {
            return Affinity.allowed();
        } catch (ErrnoException e) {
            return List.of(); // not pinned: the jobs run where the scheduler puts them
        }
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.toString() : (e instanceof java.io.IOException ? m : e.getClass().getSimpleName() + ": " + m);
    }
}
