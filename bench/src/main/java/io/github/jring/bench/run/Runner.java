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
import io.github.jring.core.ErrnoException;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Runs one engine at one iodepth: {@code numjobs} platform threads, each opening its own {@link EngineJob}; all start
 * together once all have opened; results count what completes after the ramp; CPU is taken per job thread
 * (RUSAGE_THREAD, as fio) and for the process (RUSAGE_SELF); heap allocation likewise, per job thread and for all
 * threads (an application API's completion and virtual threads allocate outside the job threads).
 */
public final class Runner {
    private static final long PROGRESS_INTERVAL_NANOS = 500_000_000L;
    /** Per-thread allocation counters (HotSpot's com.sun.management extension). */
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();

    private volatile RunControl current;

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
        CountDownLatch opened = new CountDownLatch(n);
        CountDownLatch go = new CountDownLatch(1);
        Thread[] threads = new Thread[n];
        for (int j = 0; j < n; j++) {
            int job = j;
            threads[j] = Thread.ofPlatform().name("jring-bench-" + engine.name()
                    + (spec.api() == Api.RAW ? "" : "-" + spec.api().label()) + "-" + j).daemon(true).unstarted(() -> {
                boolean counted = false;
                try (Arena arena = Arena.ofConfined()) {
                    if (!cpus.isEmpty()) {
                        Affinity.pin(cpus.get(job % cpus.size()));
                        cpuOf[job] = cpus.get(job % cpus.size());
                    }
                    JobContext ctx = new JobContext(targets.get(job % targets.size()), spec, job, control, arena);
                    contexts[job] = ctx;
                    try (EngineJob engineJob = engine.open(ctx)) {
                        opened.countDown();
                        counted = true;
                        go.await();
                        if (control.stopped()) return;
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
                    if (!counted) opened.countDown();
                }
            });
            threads[j].start();
        }
        opened.await();
        Rusage processBefore = Rusage.now(Rusage.RUSAGE_SELF);
        long processAllocBefore = THREADS.getTotalThreadAllocatedBytes();
        long t0 = System.nanoTime();
        window[0] = t0 + spec.rampNanos();
        window[1] = spec.runtimeNanos() > 0 ? window[0] + spec.runtimeNanos() : Long.MAX_VALUE;
        go.countDown();

        String label = RunResult.label(engine.name(), spec.api()) + " qd=" + spec.iodepth() + (spec.numjobs() > 1 ? " jobs=" + spec.numjobs() : "")
                + (note != null ? " " + note : "");
        long planned = spec.runtimeNanos() > 0 ? spec.rampNanos() + spec.runtimeNanos() : 0;
        for (Thread t : threads) {
            while (!t.join(java.time.Duration.ofNanos(PROGRESS_INTERVAL_NANOS))) {
                long ios = 0, bytes = 0;
                for (JobContext c : contexts) {
                    if (c != null) {
                        ios += c.progressIos();
                        bytes += c.progressBytes();
                    }
                }
                long now = System.nanoTime();
                progress.update(label, now - t0, planned, now < window[0], ios, bytes);
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
            if (n > 1 && contexts[j] != null) {
                Rusage cj = jobCpu[j] == null ? Rusage.ZERO : jobCpu[j];
                perJob.add(new JobFigures(j, targets.get(j % targets.size()).path(), cpuOf[j],
                        contexts[j].readStats().ios() + contexts[j].writeStats().ios(), contexts[j].completedIos(),
                        cj.userMicros() + cj.systemMicros()));
            }
            if (errors[j] != null && error == null) {
                error = (n > 1 ? "job " + j + ": " : "") + describe(errors[j]);
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
        long runtime = Math.max(1, end - Math.max(t0, window[0]));
        boolean interrupted = "interrupted".equals(control.stopReason());
        return new RunResult(engine.name(), engine.synchronous(), spec, target, runtime, read, write, cpu, processCpu,
                all, allocatedBytes, processAllocated, Math.max(1, end - t0), error, interrupted, null, null, null, null, perJob);
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
