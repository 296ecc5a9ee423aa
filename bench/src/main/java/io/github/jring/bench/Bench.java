package io.github.jring.bench;

import io.github.jring.bench.engine.Api;
import io.github.jring.bench.engine.Engine;
import io.github.jring.bench.engine.Engines;
import io.github.jring.bench.engine.FdpSpec;
import io.github.jring.bench.engine.FioEquivalent;
import io.github.jring.bench.engine.JobSpec;
import io.github.jring.bench.engine.PiSpec;
import io.github.jring.bench.engine.Rw;
import io.github.jring.bench.fio.Fio;
import io.github.jring.bench.fio.FioResult;
import io.github.jring.bench.report.CsvReport;
import io.github.jring.bench.report.JsonWriter;
import io.github.jring.bench.report.JsonReport;
import io.github.jring.bench.report.LadderReport;
import io.github.jring.bench.report.Plot;
import io.github.jring.bench.report.TextReport;
import io.github.jring.bench.report.Units;
import io.github.jring.bench.run.CacheState;
import io.github.jring.bench.run.Ladder;
import io.github.jring.bench.run.Progress;
import io.github.jring.bench.run.Repeats;
import io.github.jring.bench.run.RunResult;
import io.github.jring.bench.run.Runner;
import io.github.jring.bench.run.TerminalProgress;
import io.github.jring.bench.target.RefusedException;
import io.github.jring.bench.target.Target;
import io.github.jring.bench.target.TargetResolver;
import io.github.jring.bench.target.WriteGuard;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * One invocation of jring-bench: resolve the target, guard writes, pick engines, run every engine at every iodepth
 * (iodepth outer, engines inner, so that slow drift of the device spreads over all engines), compare with fio when
 * asked, then report (text, JSON or CSV; a plot). Exit codes: 0 all runs fine, 1 a run or the setup failed, 2 bad
 * options, 3 refused (a write to a device without --allow-write, or to one in use).
 */
public final class Bench {
    public static final long DEFAULT_RUNTIME_NANOS = 2_000_000_000L;

    public static final int EXIT_OK = 0, EXIT_FAILED = 1, EXIT_USAGE = 2, EXIT_REFUSED = 3;

    /**
     * Where output goes.
     *
     * @param out      standard output (results, and notes in normal format)
     * @param err      standard error (errors; notes in JSON and CSV formats)
     * @param terminal standard output is a terminal (the live progress line may be drawn)
     * @param devDir   where NVMe devices are looked for ({@code /dev})
     */
    public record Io(PrintStream out, PrintStream err, boolean terminal, Path devDir) {
    }

    /** Everything the command line says; see {@link io.github.jring.bench.cli.BenchCommand} for each option. */
    public record Config(Path filename, Path directory, List<String> engines, List<Api> apis, Rw rw, int rwmixread, int bs,
                         List<Integer> depths, boolean depthsGiven, int numjobs, long runtimeNanos, long rampNanos, long warmupNanos,
                         long size, long numberIos, boolean direct, boolean fixedbufs, boolean registerfiles,
                         boolean sqthreadPoll, boolean hipri, int batchSubmit, int batchComplete, boolean verify,
                         long randseed, boolean allowWrite, boolean vsFio, List<String> fioArgs, String format,
                         Path output, Path plot,
                         String eta, boolean enghelp, int repeat, boolean ladder, boolean peak,
                         List<Path> moreFilenames, FdpSpec fdp, PiSpec pi) {

        /** Checks nothing; no placement or protection options become {@code NONE}. */
        public Config {
            if (fdp == null) fdp = FdpSpec.NONE;
            if (pi == null) pi = PiSpec.NONE;
        }

        /** A run without {@code async-pt}'s placement and protection options. */
        public Config(Path filename, Path directory, List<String> engines, List<Api> apis, Rw rw, int rwmixread, int bs,
                      List<Integer> depths, boolean depthsGiven, int numjobs, long runtimeNanos, long rampNanos,
                      long warmupNanos, long size, long numberIos, boolean direct, boolean fixedbufs,
                      boolean registerfiles, boolean sqthreadPoll, boolean hipri, int batchSubmit, int batchComplete,
                      boolean verify, long randseed, boolean allowWrite, boolean vsFio, List<String> fioArgs,
                      String format, Path output, Path plot, String eta, boolean enghelp, int repeat, boolean ladder,
                      boolean peak, List<Path> moreFilenames) {
            this(filename, directory, engines, apis, rw, rwmixread, bs, depths, depthsGiven, numjobs, runtimeNanos,
                    rampNanos, warmupNanos, size, numberIos, direct, fixedbufs, registerfiles, sqthreadPoll, hipri,
                    batchSubmit, batchComplete, verify, randseed, allowWrite, vsFio, fioArgs, format, output, plot, eta,
                    enghelp, repeat, ladder, peak, moreFilenames, FdpSpec.NONE, PiSpec.NONE);
        }
    }

    private final Io io;
    private final Runner runner = new Runner();
    /** What the jobs run on: the target, then the further --filename targets (job j on target j mod their number). */
    private List<Target> jobTargets = List.of();
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile boolean interrupted;
    private volatile boolean started;

    public Bench(Io io) {
        this.io = io;
    }

    /** The jar's version, or "dev" when run from classes. */
    public static String version() {
        String v = Bench.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /**
     * {@code --watchdog}: a run whose job completes no I/O for this long, or that is still going this long after its
     * planned end, fails with an error naming the job, its QD and the wait ({@link Runner}'s watchdog).
     */
    public void watchdog(long nanos) {
        runner.watchdog(nanos);
    }

    /** Ctrl-C: stop the run in progress (it still reports), run nothing after it. */
    public void interrupt() {
        interrupted = true;
        runner.interrupt();
    }

    /** Waits until {@link #run} has reported and cleaned up, at most {@code millis}. */
    public boolean awaitDone(long millis) throws InterruptedException {
        return !started || done.await(millis, TimeUnit.MILLISECONDS);
    }

    public int run(Config c) throws InterruptedException {
        started = true;
        try {
            return runChecked(c);
        } finally {
            done.countDown();
        }
    }

    private int runChecked(Config c) throws InterruptedException {
        boolean normal = c.format().equals("normal");
        PrintStream results;
        try {
            results = c.output() != null
                    ? new PrintStream(Files.newOutputStream(c.output()), true, StandardCharsets.UTF_8)
                    : io.out();
        } catch (IOException e) {
            io.err().println("jring-bench: cannot write " + c.output() + ": " + e.getMessage());
            return EXIT_FAILED;
        }
        PrintStream notes = normal ? results : io.err();
        boolean showProgress = c.eta().equals("always")
                || (c.eta().equals("auto") && normal && c.output() == null && io.terminal());
        Progress progress = showProgress ? new TerminalProgress(io.out()) : Progress.NONE;

        List<Engine> chosen = null;
        if (c.engines() != null) {
            chosen = new ArrayList<>();
            try {
                for (String name : c.engines()) {
                    if (!name.isBlank()) chosen.add(Engines.byName(name));
                }
            } catch (IllegalArgumentException e) {
                io.err().println("jring-bench: " + e.getMessage());
                return EXIT_USAGE;
            }
            if (chosen.isEmpty()) {
                io.err().println("jring-bench: --engine names no engine (known: " + Engines.names() + ")");
                return EXIT_USAGE;
            }
        }

        Target target = null;
        WriteGuard guard = WriteGuard.none();
        List<WriteGuard> moreGuards = new ArrayList<>();
        try {
            target = TargetResolver.resolve(
                    new TargetResolver.Request(c.filename(), c.size(), c.directory(), c.direct(), io.devDir(), !c.enghelp()),
                    notes::println);
            long usable = target.size() - target.size() % c.bs();
            if (usable < c.bs()) {
                io.err().println("jring-bench: " + target.path() + " (" + Units.bytes(target.size())
                        + ") is smaller than bs " + c.bs());
                return EXIT_FAILED;
            }
            List<Target> more = new ArrayList<>();
            for (Path p : c.moreFilenames()) {
                Target t = TargetResolver.resolve(new TargetResolver.Request(p, c.size(), c.directory(), c.direct(),
                        io.devDir(), !c.enghelp()), notes::println);
                more.add(t);
                usable = Math.min(usable, t.size() - t.size() % c.bs());
            }
            target = target.withSize(usable);
            List<Target> all = new ArrayList<>(List.of(target));
            for (Target t : more) all.add(t.withSize(usable));
            jobTargets = List.copyOf(all);
            if (all.size() > 1) {
                notes.println("targets: " + all.size() + ", one job each (job j on target j mod " + all.size() + "), "
                        + Units.bytes(usable) + " of each: " + all.stream().map(t -> t.path().toString())
                        .collect(Collectors.joining(", ")));
            }
            JobSpec base = new JobSpec(c.rw(), c.rwmixread(), c.bs(), 1, 1, c.numjobs(), usable, c.runtimeNanos(),
                    c.rampNanos(), c.numberIos(), c.direct(), c.fixedbufs(), c.registerfiles(), c.sqthreadPoll(),
                    c.hipri(), c.batchSubmit(), c.batchComplete(), c.verify(), c.randseed())
                    .withPlacement(c.fdp()).withProtection(c.pi());
            if (c.enghelp()) {
                engineHelp(results, target, base);
                return EXIT_OK;
            }
            if (c.ladder() || c.peak()) {
                guard = WriteGuard.acquire(target, base.writes(), c.allowWrite());
                return ladder(c, target, base, results, notes, progress);
            }
            List<Engine> engines = chosen != null ? chosen : Engines.defaultsFor(target);
            List<Engine> runnable = new ArrayList<>();
            Map<Engine, List<Api>> apis = new LinkedHashMap<>();
            for (Engine e : engines) {
                List<Api> has = c.apis().stream().filter(a -> e.apis().contains(a)).toList();
                if (has.size() < c.apis().size()) {
                    String why = "--api " + c.apis().stream().filter(a -> !has.contains(a)).map(Api::label)
                            .collect(Collectors.joining(",")) + ": " + e.name() + " has only the "
                            + e.apis().stream().map(Api::label).collect(Collectors.joining(", ")) + " API"
                            + (e.apis().size() > 1 ? "s" : "") + " (" + apiEngines() + " have futures and vthreads)";
                    if (has.isEmpty() && chosen != null) {
                        io.err().println("jring-bench: " + why);
                        return EXIT_USAGE;
                    }
                    if (has.isEmpty()) {
                        notes.println("skipping " + e.name() + ": " + why);
                        continue;
                    }
                    notes.println("note: " + why + "; it runs with --api "
                            + has.stream().map(Api::label).collect(Collectors.joining(",")));
                }
                String why = null;
                for (Target t : jobTargets) {
                    if (why == null) why = e.unsupportedReason(t, base);
                }
                if (why != null) {
                    notes.println("skipping " + e.name() + ": " + why);
                } else {
                    runnable.add(e);
                    apis.put(e, has);
                }
            }
            if (runnable.isEmpty()) {
                io.err().println("jring-bench: no engine can run on " + target.path()
                        + (engines.isEmpty() ? " (none registered fits it; see --enghelp)" : ""));
                return EXIT_FAILED;
            }
            guard = WriteGuard.acquire(target, base.writes(), c.allowWrite());
            for (Target t : jobTargets.subList(1, jobTargets.size())) {
                moreGuards.add(WriteGuard.acquire(t, base.writes(), c.allowWrite()));
            }
            header(notes, c, target, base, runnable);

            Optional<String> fioVersion = Optional.empty();
            if (c.vsFio()) {
                fioVersion = Fio.version();
                if (fioVersion.isEmpty()) notes.println("vs fio: " + Fio.missingMessage());
                else if (!c.fioArgs().isEmpty()) {
                    notes.println("vs fio: fio gets the matching options plus " + String.join(" ", c.fioArgs()) + " (--fio-args)");
                }
                if (fioVersion.isPresent() && !c.direct()) {
                    CacheState.Policy policy = CacheState.policyFor(target.size());
                    notes.println("vs fio: page cache (buffered runs): " + policy.label() + ": " + policy.description()
                            + "; fio's default invalidate=1 would drop the file's cache first. Each run says how much of"
                            + " the range was resident (mincore) before each side.");
                }
            }

            List<RunResult> runs = new ArrayList<>();
            outer:
            for (int qd : c.depths()) {
                for (Engine e : runnable) {
                    for (Api api : apis.get(e)) {
                        if (interrupted) break outer;
                        JobSpec spec = base.withIodepth(e.synchronous() ? 1 : qd, qd).withApi(api);
                        if (c.warmupNanos() > 0 && spec.runtimeNanos() > 0) {
                            // At each depth, not only each engine's first: a new depth takes paths the last one did
                            // not, and under tcg their compilation ran into the measured passes (6.1 guest, --api
                            // futures at QD 8 right after QD 1: 0.37x raw warmed up once, 0.65x with a warm-up that
                            // only waited for the JIT to be quiet (C2's thresholds not yet reached), 1.78x with QD 8
                            // warmed up for --warmup first).
                            warmUp(e, target, spec, c.warmupNanos(), progress);
                            if (interrupted) break outer;
                        }
                        RunResult r = measure(e, target, spec, c, fioVersion, progress);
                        runs.add(r);
                        if (normal) {
                            TextReport.run(results, r);
                            results.println();
                        } else if (r.failed()) {
                            io.err().println("jring-bench: " + r.jobName() + " failed: " + r.error());
                        }
                    }
                }
            }
            String title = title(c, target);
            if (normal && (runs.size() > 1 || c.vsFio())) {
                TextReport.table(results, runs, title);
            }
            if (c.format().equals("json")) {
                results.print(JsonWriter.write(JsonReport.build(runs, version(), globalOptions(c, target))));
            } else if (c.format().equals("csv")) {
                CsvReport.write(results, runs);
            }
            if (c.plot() != null) {
                Plot.write(c.plot(), title, Plot.series(runs));
                notes.println("plot: " + c.plot());
            }
            results.flush();
            if (interrupted) notes.println("interrupted");
            return runs.stream().anyMatch(RunResult::failed) ? EXIT_FAILED : EXIT_OK;
        } catch (RefusedException e) {
            io.err().println("jring-bench: " + e.getMessage());
            return EXIT_REFUSED;
        } catch (IOException | RuntimeException e) {
            io.err().println("jring-bench: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
            return EXIT_FAILED;
        } finally {
            for (WriteGuard g : moreGuards) {
                try {
                    g.close();
                } catch (IOException e) {
                    io.err().println("jring-bench: " + e.getMessage());
                }
            }
            try {
                guard.close();
            } catch (IOException e) {
                io.err().println("jring-bench: " + e.getMessage());
            }
            if (target != null && target.temporary() && !c.enghelp()) {
                try {
                    Files.deleteIfExists(target.path());
                    notes.println("deleted the temporary file " + target.path());
                } catch (IOException e) {
                    io.err().println("jring-bench: cannot delete " + target.path() + ": " + e.getMessage());
                }
            }
            if (results != io.out()) results.close();
        }
    }

    /**
     * {@code --ladder} or {@code --peak}: each rung in turn on the same target, one job, with {@code --vs-fio} fio's
     * equivalent right after each; then the rung table, JSON or CSV, and the bar plot.
     */
    private int ladder(Config c, Target target, JobSpec base, PrintStream results, PrintStream notes, Progress progress)
            throws InterruptedException, IOException {
        List<Integer> depths = c.peak() ? List.of(Ladder.PEAK_DEPTH) : c.depthsGiven() ? c.depths() : List.of(LADDER_DEPTH);
        String what = c.peak() ? "peak" : "ladder";
        notes.println("jring-bench " + version() + " on Linux " + System.getProperty("os.version") + ", Java "
                + Runtime.version().feature() + ", " + Runtime.getRuntime().availableProcessors() + " CPUs");
        notes.println("target: " + target.describe());
        notes.println(what + ": rw=" + c.rw().fioName() + (c.peak() ? " bs=512,4k" : " bs=" + Units.size(c.bs()))
                + " iodepth=" + depths.stream().map(String::valueOf).collect(Collectors.joining(","))
                + " numjobs=1 direct=" + (c.direct() ? 1 : 0) + " runtime=" + seconds(c.runtimeNanos())
                + (c.repeat() > 1 ? " repeat=" + c.repeat() : "") + "; one core, each rung in turn on the same target"
                + (c.vsFio() ? ", fio's equivalent right after each" : ""));
        Optional<String> fioVersion = Optional.empty();
        if (c.vsFio()) {
            fioVersion = Fio.version();
            if (fioVersion.isEmpty()) notes.println("vs fio: " + Fio.missingMessage());
            else if (c.ladder()) notes.println("vs fio: fio's io_uring engines always set up their ring with"
                    + " COOP_TASKRUN|SINGLE_ISSUER|DEFER_TASKRUN and have no option for a registered ring fd: the"
                    + " default rung has no fio equivalent, and fio's figure for the registered-ring rung registers"
                    + " the file only");
        }
        if (c.peak()) {
            String why = Ladder.pollReason(target, base);
            notes.println("peak: " + (why == null ? "polled completions (IOPOLL)" : "interrupts, not polled: " + why)
                    + "; registered ring, file and buffers; batches of " + Ladder.PEAK_BATCH + " submitted and completed");
        }
        if (c.numjobs() > 1 || jobTargets.size() > 1) {
            notes.println("note: the " + what + " runs one job on " + target.path() + "; --numjobs and further --filename"
                    + " targets are ignored");
            jobTargets = List.of(target);
        }
        notes.println();
        List<Ladder.Step> steps = new ArrayList<>();
        java.util.Set<String> warmed = new java.util.HashSet<>();
        for (int qd : depths) {
            JobSpec atDepth = base.withIodepth(qd, qd).withApi(Api.RAW);
            atDepth = new JobSpec(atDepth.rw(), atDepth.rwmixread(), atDepth.bs(), qd, qd, 1, atDepth.size(),
                    atDepth.runtimeNanos(), atDepth.rampNanos(), atDepth.numberIos(), atDepth.direct(), false, false,
                    false, false, 1, 1, atDepth.verify(), atDepth.randseed())
                    .withPlacement(base.fdp()).withProtection(base.pi());
            List<Ladder.Rung> rungs = c.peak() ? Ladder.peak(target, atDepth) : Ladder.rungs(target, atDepth);
            List<Ladder.Step> these = new ArrayList<>();
            for (Ladder.Rung rung : rungs) {
                if (interrupted) break;
                if (rung.skipped() != null) {
                    these.add(new Ladder.Step(rung, null));
                    continue;
                }
                // Each rung once, not each engine once: a rung's setup (DEFER_TASKRUN, a registered ring fd, fixed
                // files and buffers, batches, polling) runs code the rung below never did, and its first measured
                // pass would otherwise carry the JIT's recompilation (under tcg, the VM ladder's rung with the
                // registered ring fd and file measured 0.47x the rungs around it, its p99 139 ms).
                if (c.warmupNanos() > 0 && rung.spec().runtimeNanos() > 0 && warmed.add(rung.name())) {
                    warmUp(rung.engine(), target, rung.spec(), c.warmupNanos(), progress);
                }
                RunResult r = measure(rung.engine(), target, rung.spec(), c, fioVersion, progress);
                if (r.failed() && Ladder.pollRefused(rung, r.error())) {
                    these.add(new Ladder.Step(new Ladder.Rung(rung.name(), rung.engine(), rung.spec(), rung.beside(),
                            rung.below(), "the device does not poll: " + r.error()), null));
                    continue;
                }
                these.add(new Ladder.Step(rung, r));
                if (r.failed()) io.err().println("jring-bench: " + rung.name() + " failed: " + r.error());
            }
            if (c.format().equals("normal")) LadderReport.table(results, these, title(c, target, what, qd));
            steps.addAll(these);
        }
        if (c.format().equals("json")) {
            results.print(JsonWriter.write(LadderReport.json(steps, version(), globalOptions(c, target))));
        } else if (c.format().equals("csv")) {
            LadderReport.csv(results, steps);
        }
        if (c.plot() != null) {
            Plot.bars(c.plot(), title(c, target, what, depths.get(0)), LadderReport.bars(steps));
            notes.println("plot: " + c.plot());
        }
        results.flush();
        if (interrupted) notes.println("interrupted");
        return steps.stream().anyMatch(s -> s.result() != null && s.result().failed()) ? EXIT_FAILED : EXIT_OK;
    }

    /** The ladder's depth when --iodepth is not given: t/io_uring's (the VLDB'26 ladder ran 512). */
    static final int LADDER_DEPTH = Ladder.PEAK_DEPTH;

    private static String title(Config c, Target target, String what, int qd) {
        return (what.equals("peak") ? "Single-core peak" : "Configuration ladder") + ": " + c.rw().fioName()
                + (what.equals("peak") ? "" : " " + Units.size(c.bs())) + ", QD " + qd + ", 1 job, Kiops, " + target.path();
    }

    /** Longest warm-up when the hot loop keeps allocating (an engine that always allocates, or a starved JIT). */
    static final long MAX_WARMUP_NANOS = 4_000_000_000L;
    /**
     * Longest warm-up while the JIT is still compiling: under tcg (the NVMe VM) C1 and C2 run for 20 s and more after
     * the job starts, each compilation some 30 times slower than on the host, where they are done within seconds.
     */
    static final long MAX_JIT_WARMUP_NANOS = 60_000_000_000L;
    private static final long WARMUP_CHUNK_NANOS = 250_000_000L;

    /**
     * Keeps the JVM's one-time costs (class loading, call-site linkage, interpreted and C1-compiled code, the JIT's
     * own threads compiling) out of the figures: runs the engine unmeasured for at least {@code minNanos}, then on
     * until a 250 ms stretch of its hot loop allocates nothing per I/O (the sign that the JIT has compiled it) and the
     * JIT spent less than 1 % of the stretch compiling. The allocation sign is given up after {@link #MAX_WARMUP_NANOS}
     * or twice {@code minNanos}, the JIT's after {@link #MAX_JIT_WARMUP_NANOS}. The application APIs
     * ({@code --api futures}, {@code vthreads}) allocate per request by design: for them the allocation sign is that
     * a stretch allocates (over all threads) no more per I/O than the stretch before, within 5%. Why the JIT's time as
     * well: a hot loop can stop allocating while the compiler threads are still at work on the methods around it,
     * and their CPU lands in the measured passes (in the tcg guest, 20 to 25 s into a run, C1 and C2 used 4.2 s of CPU
     * in those 5 s, beside a job thread that was being measured; with the JIT's wait capped at 20 s, async-pt at QD 1
     * measured 0.88x fio over 15 passes in the 6.1 guest, with a 30 s warm-up 0.99x over 11).
     */
    private void warmUp(Engine e, Target target, JobSpec spec, long minNanos, Progress progress)
            throws InterruptedException {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        boolean jitTimed = jit != null && jit.isCompilationTimeMonitoringSupported();
        long jitMillis = jitTimed ? jit.getTotalCompilationTime() : 0;
        long spent = 0;
        double previous = Double.NaN;
        long allocationCap = Math.max(2 * minNanos, MAX_WARMUP_NANOS);
        long jitCap = Math.max(allocationCap, MAX_JIT_WARMUP_NANOS);
        while (!interrupted && spent < jitCap) {
            long chunk = Math.max(spent < minNanos ? Math.min(minNanos - spent, MAX_WARMUP_NANOS) : WARMUP_CHUNK_NANOS,
                    WARMUP_CHUNK_NANOS);
            RunResult w = runner.run(e, target, spec.withRuntime(chunk), progress, "warm-up");
            spent += chunk;
            if (w.failed() || w.allIos() == 0) return;
            boolean steady = spec.api() == Api.RAW ? w.allocatedBytesPerIo() < 0.1
                    : w.processAllocatedBytesPerIo() <= previous * 1.05;
            long jitNow = jitTimed ? jit.getTotalCompilationTime() : 0;
            boolean jitQuiet = (jitNow - jitMillis) * 1_000_000L * 100 < chunk;
            jitMillis = jitNow;
            if (spent >= minNanos && jitQuiet && (steady || spent >= allocationCap)) return;
            previous = w.processAllocatedBytesPerIo();
        }
    }

    /**
     * One measured point: the jring run, and with {@code --vs-fio} the fio run right after it, both from the same
     * page-cache state when the run is buffered ({@link CacheState}).
     */
    private RunResult measure(Engine e, Target target, JobSpec spec, Config c, Optional<String> fioVersion,
                              Progress progress) throws InterruptedException {
        if (c.repeat() <= 1) return measureOnce(e, target, spec, c, fioVersion, progress);
        List<RunResult> passes = new ArrayList<>();
        List<Double> jring = new ArrayList<>();
        List<Double> fio = new ArrayList<>();
        for (int i = 0; i < c.repeat() && !interrupted; i++) {
            RunResult r = measureOnce(e, target, spec, c, fioVersion, progress);
            passes.add(r);
            if (r.failed()) return r;
            jring.add(r.totalIops());
            if (r.fio() != null) fio.add(r.fio().totalIops());
        }
        Repeats repeats = new Repeats(jring, fio);
        return passes.get(repeats.medianPass()).withRepeats(repeats);
    }

    /** One jring run, and with {@code --vs-fio} the fio run right after it. */
    private RunResult measureOnce(Engine e, Target target, JobSpec spec, Config c, Optional<String> fioVersion,
                                  Progress progress) throws InterruptedException {
        FioEquivalent eq = c.vsFio() ? e.fioEquivalent(target, spec) : null;
        CacheState.Policy policy = cachePolicy(target, spec, eq);
        double before = policy != null ? CacheState.prepare(policy, target.blockPath(), target.size()) : Double.NaN;
        RunResult r = runner.run(e, jobTargets.isEmpty() ? List.of(target) : jobTargets, spec, progress, null);
        if (policy != null) r = r.withCache(new CacheState(policy, before, Double.NaN));
        if (c.vsFio() && jobTargets.size() > 1) {
            r = r.withFio(null, "fio beside several --filename targets is not run (fio would share its jobs' files)");
        } else if (c.vsFio() && !interrupted) {
            r = withFio(r, eq, target, spec, fioVersion, c.fioArgs());
        }
        return r;
    }

    /** The page-cache policy of a buffered comparison whose both sides go through the target's block path, else null. */
    private static CacheState.Policy cachePolicy(Target target, JobSpec spec, FioEquivalent eq) {
        if (eq == null || spec.direct() || !eq.available() || !target.hasBlockPath()
                || !target.blockPath().equals(eq.filename())) {
            return null;
        }
        return CacheState.policyFor(target.size());
    }

    private RunResult withFio(RunResult r, FioEquivalent eq, Target target, JobSpec spec, Optional<String> fioVersion,
                              List<String> extraArgs) throws InterruptedException {
        if (!eq.available()) return r.withFio(null, eq.unavailableReason());
        if (fioVersion.isEmpty()) return r.withFio(null, Fio.missingMessage());
        if (r.cache() != null) {
            r = r.withCache(r.cache().withFio(CacheState.prepare(r.cache().policy(), target.blockPath(), target.size())));
        }
        List<String> cmd = new ArrayList<>(Fio.command(eq, spec));
        cmd.addAll(extraArgs);
        long timeout = spec.runtimeNanos() > 0 ? spec.rampNanos() + spec.runtimeNanos() + 60_000_000_000L : 600_000_000_000L;
        try {
            FioResult f = Fio.run(cmd, eq.ioengine(), timeout);
            return r.withFio(f, null);
        } catch (IOException ex) {
            return r.withFio(null, "fio failed: " + ex.getMessage() + " (command: " + String.join(" ", cmd) + ")");
        }
    }

    private static void header(PrintStream out, Config c, Target target, JobSpec base, List<Engine> engines) {
        out.println("jring-bench " + version() + " on Linux " + System.getProperty("os.version") + ", Java "
                + Runtime.version().feature() + ", " + Runtime.getRuntime().availableProcessors() + " CPUs");
        out.println("target: " + target.describe());
        StringBuilder sb = new StringBuilder("runs: rw=").append(c.rw().fioName());
        if (c.rw().mixed()) sb.append(" rwmixread=").append(c.rwmixread());
        sb.append(" bs=").append(Units.size(c.bs())).append(" iodepth=")
                .append(c.depths().stream().map(String::valueOf).collect(Collectors.joining(",")))
                .append(" numjobs=").append(c.numjobs());
        if (c.runtimeNanos() > 0) sb.append(" runtime=").append(seconds(c.runtimeNanos()));
        if (c.rampNanos() > 0) sb.append(" ramp_time=").append(seconds(c.rampNanos()));
        if (c.warmupNanos() > 0 && c.runtimeNanos() > 0) {
            sb.append(" warmup=").append(seconds(c.warmupNanos())).append(c.apis().equals(List.of(Api.RAW))
                    ? " (per engine and depth, not measured)" : " (per engine, API and depth, not measured)");
        }
        if (c.numberIos() > 0) sb.append(" number_ios=").append(c.numberIos());
        if (c.repeat() > 1) {
            sb.append(" repeat=").append(c.repeat()).append(c.vsFio() ? " (jring, fio, jring, ... interleaved; medians)" : " (medians)");
        }
        sb.append(" direct=").append(c.direct() ? 1 : 0);
        if (c.verify()) sb.append(" verify=pattern");
        sb.append("; engines: ").append(engines.stream().map(Engine::name).collect(Collectors.joining(", ")));
        if (!c.apis().equals(List.of(Api.RAW))) {
            sb.append("; api: ").append(c.apis().stream().map(Api::label).collect(Collectors.joining(", ")));
        }
        out.println(sb);
        List<String> sync = engines.stream().filter(Engine::synchronous).map(Engine::name).toList();
        if (!sync.isEmpty() && c.depths().stream().anyMatch(d -> d > 1)) {
            out.println("note: " + String.join(", ", sync) + (sync.size() == 1 ? " is" : " are")
                    + " synchronous: one I/O at a time per job, so iodepth 1 whatever --iodepth says (as fio's psync)");
        }
        for (Engine e : engines) {
            for (Api api : c.apis()) {
                if (!e.apis().contains(api)) continue;
                List<String> ignored = new ArrayList<>();
                for (Engine.Tuning t : Engine.Tuning.values()) {
                    // the raw job's ring takes honours(); an application API's rings take apiHonours()
                    Set<Engine.Tuning> taken = api == Api.RAW ? e.honours() : e.apiHonours();
                    if (asked(t, base) && !taken.contains(t)) ignored.add(t.option());
                }
                if (!ignored.isEmpty()) {
                    out.println("note: " + RunResult.label(e.name(), api) + " ignores " + String.join(", ", ignored));
                }
            }
        }
        out.println();
    }

    /** The engines that have the application APIs, comma-separated. */
    private static String apiEngines() {
        return Engines.all().stream().filter(e -> e.apis().contains(Api.FUTURES)).map(Engine::name)
                .collect(Collectors.joining(" and "));
    }

    private static boolean asked(Engine.Tuning t, JobSpec s) {
        return switch (t) {
            case FIXEDBUFS -> s.fixedbufs();
            case REGISTERFILES -> s.registerfiles();
            case SQTHREAD_POLL -> s.sqthreadPoll();
            case HIPRI -> s.hipri();
            case BATCH_SUBMIT -> s.batchSubmit() != 1;
            case BATCH_COMPLETE -> s.batchComplete() > 1;
        };
    }

    private static String seconds(long nanos) {
        if (nanos % 1_000_000_000L == 0) return nanos / 1_000_000_000L + "s";
        if (nanos % 1_000_000L == 0) return nanos / 1_000_000L + "ms";
        return String.format(Locale.ROOT, "%.3fs", nanos / 1e9);
    }

    private static String title(Config c, Target target) {
        String mix = c.rw().mixed() ? " (" + c.rwmixread() + "% reads)" : "";
        return Units.size(c.bs()) + " " + c.rw().fioName() + mix + ", " + c.numjobs() + " job" + (c.numjobs() > 1 ? "s" : "")
                + ", Kiops, " + target.path();
    }

    private static Map<String, Object> globalOptions(Config c, Target target) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("filename", String.valueOf(target.path()));
        m.put("rw", c.rw().fioName());
        m.put("bs", String.valueOf(c.bs()));
        m.put("iodepth", c.depths().stream().map(String::valueOf).collect(Collectors.joining(",")));
        m.put("numjobs", String.valueOf(c.numjobs()));
        m.put("direct", c.direct() ? "1" : "0");
        if (c.runtimeNanos() > 0) m.put("runtime", String.valueOf(c.runtimeNanos() / 1_000_000) + "ms");
        if (c.rampNanos() > 0) m.put("ramp_time", String.valueOf(c.rampNanos() / 1_000_000) + "ms");
        if (c.numberIos() > 0) m.put("number_ios", String.valueOf(c.numberIos()));
        m.put("size", String.valueOf(target.size()));
        return m;
    }

    private static void engineHelp(PrintStream out, Target target, JobSpec base) {
        out.println("engines (target " + target.describe() + "):");
        for (Engine e : Engines.all()) {
            String why = e.unsupportedReason(target, base);
            out.printf(Locale.ROOT, "  %-12s %s%n", e.name(), e.description());
            List<String> facts = new ArrayList<>();
            if (e.synchronous()) facts.add("synchronous (iodepth 1)");
            if (e.apis().size() > 1) {
                facts.add("--api " + e.apis().stream().map(Api::label).collect(Collectors.joining(", ")));
            }
            if (!e.honours().isEmpty()) {
                facts.add("honours " + e.honours().stream().map(Engine.Tuning::option).collect(Collectors.joining(", ")));
            }
            facts.add(why == null ? (e.inDefaultSet(target) ? "runs here by default" : "can run here") : "cannot run here: " + why);
            out.printf(Locale.ROOT, "  %-12s %s%n", "", String.join("; ", facts));
        }
    }
}
