package io.github.jring.bench.cli;

import io.github.jring.bench.Bench;
import io.github.jring.bench.engine.Api;
import io.github.jring.bench.engine.FdpSpec;
import io.github.jring.bench.engine.PiSpec;
import io.github.jring.bench.engine.Rw;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** The command line, with fio's option names. Builds a {@link Bench.Config} and runs {@link Bench}. */
@Command(name = "jring-bench", mixinStandardHelpOptions = true, sortOptions = false, usageHelpWidth = 118,
        versionProvider = BenchCommand.Version.class,
        description = {
            "How fast is asynchronous NVMe passthrough from Java, next to synchronous passthrough and io_uring block I/O,"
                + " on this machine's device? Measured the way fio measures, with fio's option names.",
            "With no options: 4k random reads on the first NVMe namespace this process can open (else a temporary 1 GiB"
                + " file), every engine that fits the target, at iodepth 1, 8, 32 and 128, 2 s each, then a table.",
            "Run JMH benchmarks instead with: java -jar jring-bench.jar jmh [JMH options]",
            "Why can't I use io_uring or NVMe passthrough here? java -jar jring-bench.jar doctor [--json]",
            ""})
public final class BenchCommand implements Callable<Integer> {

    /** What runs the parsed options. */
    private final Bench bench;

    public BenchCommand(Bench bench) {
        this.bench = bench;
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--filename", paramLabel = "PATH", split = ":",
            description = "NVMe char device (/dev/ngXnY), block device (/dev/nvmeXnY) or file. Several (repeated, or"
                + " a:b as fio): one job per target (numjobs defaults to their number), job j on target j mod their"
                + " number. Default: the first NVMe namespace char device that opens, else a temporary file (deleted at exit).")
    List<Path> filename;

    @Option(names = "--directory", paramLabel = "DIR", description = "Where a temporary file goes. Default: ${DEFAULT-VALUE}.",
            defaultValue = "${sys:java.io.tmpdir}")
    Path directory;

    @Option(names = "--engine", split = ",", paramLabel = "NAME",
            description = "Engines to run, in order (see --enghelp). Default: those that fit the target.")
    List<String> engines;

    @Option(names = "--api", split = ",", converter = Converters.ApiName.class, paramLabel = "API",
            description = "Which of jring's APIs the io_uring engines drive, one or a list run side by side at every"
                + " iodepth: raw (the job's thread drives its own ring), futures (one thread keeps iodepth futures in"
                + " flight), vthreads (iodepth virtual threads, each in a loop of blocking calls). futures and vthreads"
                + " are the application APIs of async-pt (AsyncNamespace) and uring-block (AsyncRing). Default: raw.")
    List<Api> apis;

    @Option(names = "--rw", defaultValue = "randread", converter = Converters.RwMode.class, paramLabel = "PATTERN",
            description = "read, write, randread, randwrite, rw (readwrite), randrw. Default: ${DEFAULT-VALUE}.")
    Rw rw;

    @Option(names = "--rwmixread", defaultValue = "50", paramLabel = "PCT",
            description = "Share of reads in percent for rw and randrw. Default: ${DEFAULT-VALUE}.")
    int rwmixread;

    @Option(names = "--bs", defaultValue = "4k", converter = Converters.Size.class, paramLabel = "SIZE",
            description = "Bytes per I/O: 512, 4k, 64k, 1m... Default: ${DEFAULT-VALUE}.")
    long bs;

    @Option(names = "--iodepth", converter = Converters.DepthList.class, paramLabel = "DEPTHS",
            description = "I/Os in flight per job: 32, a list 1,8,32, or a range 1-128 (powers of two). Synchronous engines"
                + " (psync, filechannel, sync-pt) always run at 1. Default: " + Depths.DEFAULT + ".")
    Depths iodepth;

    @Option(names = "--numjobs", paramLabel = "N",
            description = "Jobs running at once, each a thread with its own fd and ring, one per core (job j bound to the"
                + " j-th CPU this process may use). The report gives the total and each job's IOPS and CPU per I/O."
                + " Default: 1, or the number of --filename targets.")
    Integer numjobs;

    @Option(names = "--runtime", converter = Converters.Time.class, paramLabel = "TIME",
            description = "Measured time per run: 10, 10s, 500ms, 1m. Default: 2s (none with --number_ios).")
    Long runtime;

    @Option(names = "--ramp_time", defaultValue = "0", converter = Converters.Time.class, paramLabel = "TIME",
            description = "Run this long before measuring (JIT warm-up, device steady state). Default: 0.")
    long rampTime;

    @Option(names = "--warmup", defaultValue = "500ms", converter = Converters.Time.class, paramLabel = "TIME",
            description = "Before each engine's time-based run at each depth, run it at least this long without measuring,"
                + " then on until its I/O loop stops allocating (the JIT has compiled it; at most 4s or twice this) and"
                + " the JIT is quiet (at most 60s): Java's one-time costs (class loading, linkage, JIT) that C"
                + " programs like fio do not have. 0: none."
                + " Default: ${DEFAULT-VALUE}.")
    long warmup;

    @Option(names = "--watchdog", defaultValue = "60s", converter = Converters.Time.class, paramLabel = "TIME",
            description = "A run fails, naming the job, its QD and the wait, when a job completes no I/O for TIME, or"
                + " the run is still going TIME after its planned end (ramp + runtime); a job that does not end TIME"
                + " after that stop is left behind with its ring and buffers, which the kernel may still write."
                + " Default: ${DEFAULT-VALUE}.")
    long watchdog;

    @Option(names = "--size", converter = Converters.Size.class, paramLabel = "SIZE",
            description = "Bytes of the target to use, from offset 0. Default: all of a device or file; 1g for a"
                + " temporary file.")
    Long size;

    @Option(names = "--number_ios", defaultValue = "0", paramLabel = "N",
            description = "Stop each job after N I/Os (0: no limit).")
    long numberIos;

    @Option(names = "--direct", defaultValue = "1", arity = "0..1", fallbackValue = "1",
            paramLabel = "0|1", description = "O_DIRECT, bypassing the page cache. Default: 1 (fio's default is 0).")
    String direct;

    @Option(names = "--fixedbufs", defaultValue = "0", arity = "0..1", fallbackValue = "1",
            paramLabel = "0|1", description = "io_uring engines: registered buffers.")
    String fixedbufs;

    @Option(names = "--registerfiles", defaultValue = "0", arity = "0..1", fallbackValue = "1",
            paramLabel = "0|1", description = "io_uring engines: registered file.")
    String registerfiles;

    @Option(names = "--sqthread_poll", defaultValue = "0", arity = "0..1", fallbackValue = "1",
            paramLabel = "0|1",
            description = "io_uring engines: a kernel thread polls the submission queue (SQPOLL).")
    String sqthreadPoll;

    @Option(names = "--hipri", defaultValue = "0", arity = "0..1", fallbackValue = "1",
            paramLabel = "0|1",
            description = "io_uring engines: polled completions (IOPOLL; NVMe needs poll queues).")
    String hipri;

    @Option(names = "--iodepth_batch_submit", defaultValue = "1", paramLabel = "N",
            description = "io_uring engines: submit when N I/Os are prepared; 0: the whole iodepth at once (as fio). Default: ${DEFAULT-VALUE}.")
    int batchSubmit;

    @Option(names = {"--iodepth_batch_complete", "--iodepth_batch_complete_min"}, defaultValue = "1", paramLabel = "N",
            description = "io_uring engines: wait for at least N completions. Default: ${DEFAULT-VALUE}.")
    int batchComplete;

    @Option(names = "--verify", defaultValue = "none", paramLabel = "pattern|none",
            description = "pattern: write offset-derived data and check every byte read (the temporary file holds"
                + " it already). Default: ${DEFAULT-VALUE}.")
    String verify;

    @Option(names = "--randseed", defaultValue = "0x6a72696e67", paramLabel = "N",
            description = "Seed of the random offsets. Default: ${DEFAULT-VALUE}.")
    String randseed;

    @Option(names = "--allow-write", description = "Allow writing to a device (destroys its data). Never to a mounted one.")
    boolean allowWrite;

    @Option(names = "--vs-fio", description = "After each run, run fio with the matching engine and options on the same"
        + " target and print both with the ratio jring/fio.")
    boolean vsFio;

    @Option(names = "--repeat", defaultValue = "1", paramLabel = "N",
            description = "Measure every point N times; with --vs-fio interleaved (jring, fio, jring, fio, ...). Reports"
                + " the median IOPS and the median ratio jring/fio with its spread (min-max). Default: ${DEFAULT-VALUE}.")
    int repeat;

    @Option(names = "--ladder", description = "The configuration ladder: what each io_uring feature buys on one core,"
        + " each rung the one below plus one feature, on the same target: default; +SINGLE_ISSUER|DEFER_TASKRUN;"
        + " +registered ring fd and file; +registered buffers; +batched submit and complete; +NVMe passthrough (on an"
        + " NVMe namespace); +IOPOLL (where the device polls); +SQPOLL beside. IOPS, CPU per I/O, latency and the ratio"
        + " to the rung below; with --vs-fio fio's equivalent after each. Default iodepth 128.")
    boolean ladder;

    @Option(names = "--peak", description = "The single-core maximum as fio's t/io_uring measures it: QD 128, batches"
        + " of 32 submitted and completed, registered ring, file and buffers, polled where the device can, at 512 B"
        + " and 4 KiB; block I/O, and passthrough on an NVMe namespace. With --vs-fio fio with the same settings.")
    boolean peak;

    @Option(names = "--fio-args", paramLabel = "'--OPT=V ...'",
            description = "With --vs-fio: more fio options, after the matching ones (so they win), e.g. '--gtod_reduce=1'"
                + " where clock reads are expensive (a guest on hpet).")
    String fioArgs;

    @Option(names = "--output-format", defaultValue = "normal", paramLabel = "FORMAT",
            description = "normal, json (fio's JSON shape) or csv. Default: ${DEFAULT-VALUE}.")
    String outputFormat;

    @Option(names = "--output", paramLabel = "FILE", description = "Write the results to FILE instead of standard output.")
    Path output;

    @Option(names = "--plot", paramLabel = "FILE", description = "Write IOPS against QD per engine to FILE (.svg, or .png).")
    Path plot;

    @Option(names = "--eta", defaultValue = "auto", paramLabel = "auto|always|never",
            description = "The live progress line: auto shows it on a terminal with normal output. Default: ${DEFAULT-VALUE}.")
    String eta;

    @Option(names = "--enghelp", description = "List the engines and whether each can run on the target, then exit.")
    boolean enghelp;

    // ---- flexible data placement (async-pt): fio's fdp, plids ----
    @CommandLine.Mixin
    FdpOptions fdpOptions = new FdpOptions();

    /** The placement options, checked; {@link #config} puts them in the run's configuration, and so in every job's spec. */
    FdpSpec fdpSpec() {
        try {
            return fdpOptions.spec();
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }
    // ---- end of the placement options ----

    // ---- end-to-end protection (async-pt): fio's pi_act, pi_chk, apptag, apptag_mask, md_per_io_size ----
    @CommandLine.Mixin
    PiOptions pi = new PiOptions();

    /** The protection options, checked; {@link #config} puts them in the run's configuration, and every job's spec. */
    PiSpec piSpec() {
        try {
            return pi.spec();
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }
    // ---- end of the protection options ----

    @Override
    public Integer call() throws Exception {
        Bench.Config config = config();
        if (watchdog < 1_000_000L) throw usage("--watchdog must be at least 1ms");
        bench.watchdog(watchdog);
        return bench.run(config);
    }

    Bench.Config config() {
        String format = outputFormat.trim().toLowerCase(Locale.ROOT);
        if (!List.of("normal", "json", "csv").contains(format)) {
            throw usage("--output-format must be normal, json or csv, not '" + outputFormat + "'");
        }
        String v = verify.trim().toLowerCase(Locale.ROOT);
        if (!List.of("pattern", "none", "0").contains(v)) {
            throw usage("--verify must be pattern or none, not '" + verify + "'");
        }
        String e = eta.trim().toLowerCase(Locale.ROOT);
        if (!List.of("auto", "always", "never").contains(e)) {
            throw usage("--eta must be auto, always or never, not '" + eta + "'");
        }
        if (rwmixread < 0 || rwmixread > 100) throw usage("--rwmixread must be 0..100, not " + rwmixread);
        if (bs <= 0 || bs > Integer.MAX_VALUE) throw usage("--bs must be 1 byte to 2 GiB, not " + bs);
        List<Path> targets = filename == null ? List.of() : filename.stream().distinct().toList();
        int jobs = numjobs != null ? numjobs : Math.max(1, targets.size());
        if (jobs < 1) throw usage("--numjobs must be at least 1, not " + jobs);
        if (numberIos < 0) throw usage("--number_ios must not be negative");
        if (repeat < 1) throw usage("--repeat must be at least 1, not " + repeat);
        if (ladder && peak) throw usage("--ladder and --peak are two separate runs: give one");
        if ((ladder || peak) && (engines != null || apis != null)) {
            throw usage((ladder ? "--ladder" : "--peak") + " picks its engines and tuning per rung: no --engine or --api");
        }
        if (batchSubmit < 0 || batchComplete < 0) throw usage("--iodepth_batch_* must not be negative");
        List<String> extraFio = fioArgs == null || fioArgs.isBlank() ? List.of() : List.of(fioArgs.trim().split("\\s+"));
        for (String a : extraFio) {
            if (!a.startsWith("--") || a.length() < 3) throw usage("--fio-args takes fio options such as --gtod_reduce=1, not '" + a + "'");
        }
        if (!extraFio.isEmpty() && !vsFio) throw usage("--fio-args needs --vs-fio");
        long seed;
        try {
            seed = Long.decode(randseed.trim());
        } catch (NumberFormatException ex) {
            throw usage("--randseed must be a number, not '" + randseed + "'");
        }
        long runtimeNanos = runtime != null ? runtime : numberIos > 0 ? 0 : Bench.DEFAULT_RUNTIME_NANOS;
        if (runtimeNanos == 0 && numberIos == 0) {
            throw usage("--runtime 0 needs --number_ios, or the runs would never end");
        }
        boolean direct = bool("--direct", this.direct);
        boolean fixedbufs = bool("--fixedbufs", this.fixedbufs);
        boolean registerfiles = bool("--registerfiles", this.registerfiles);
        boolean sqthreadPoll = bool("--sqthread_poll", this.sqthreadPoll);
        boolean hipri = bool("--hipri", this.hipri);
        List<Api> apiList = apis == null || apis.isEmpty() ? List.of(Api.RAW) : apis.stream().distinct().toList();
        return new Bench.Config(targets.isEmpty() ? null : targets.get(0), directory, engines == null ? null : List.copyOf(engines), apiList, rw, rwmixread,
                (int) bs, iodepth != null ? iodepth.values() : Depths.parse(Depths.DEFAULT).values(), iodepth != null,
                jobs, runtimeNanos, rampTime, warmup, size == null ? 0 : size, numberIos, direct, fixedbufs, registerfiles,
                sqthreadPoll, hipri, batchSubmit, batchComplete, v.equals("pattern"), seed, allowWrite, vsFio, extraFio, format,
                output, plot, e, enghelp, repeat, ladder, peak,
                targets.size() > 1 ? targets.subList(1, targets.size()) : List.of(), fdpSpec(), piSpec());
    }

    /** fio's booleans take 1/0, true/false, yes/no, with or without '=' ({@code --direct 0}, {@code --direct=0}). */
    private boolean bool(String option, String value) {
        try {
            return FioBool.parse(value);
        } catch (IllegalArgumentException e) {
            throw usage(option + ": " + e.getMessage());
        }
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    /** {@code --version}: the jar's version. */
    public static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{"jring-bench " + Bench.version()};
        }
    }
}
