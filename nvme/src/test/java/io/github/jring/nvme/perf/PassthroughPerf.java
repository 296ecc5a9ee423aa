package io.github.jring.nvme.perf;

import io.github.jring.nvme.NvmeCompletionHandler;
import io.github.jring.nvme.NvmeIoctl;
import io.github.jring.nvme.NvmeNamespace;
import io.github.jring.nvme.NvmeQueue;
import io.github.jring.nvme.status.PassthroughOutcome;
import io.github.jring.nvme.command.Read;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A quick throughput check of jring's passthrough transports against fio's {@code io_uring_cmd} engine on the same
 * device in the same (VM) run: not a benchmark harness (that is the bench module), but one JVM that warms every path
 * up, then alternates jring and fio runs of random 4 KiB reads at each queue depth. Prints IOPS, and for jring the
 * bytes the measuring thread allocated per I/O.
 *
 * <pre>
 *   ./mvnw -pl nvme -am install -DskipTests &amp;&amp; ./mvnw -pl nvme test-compile
 *   CP=nvme/target/classes:nvme/target/test-classes:core/target/classes:bindings/target/classes
 *   nvme/vm/jring-vm run --env FIO_BATCH=1 --env FIO_EXTRA=--gtod_reduce=1 --  *       $JAVA_HOME/bin/java --enable-native-access=ALL-UNNAMED -cp $CP  *       io.github.jring.nvme.perf.PassthroughPerf /dev/ng0n1 SECONDS WARMUP_SECONDS QD...
 * </pre>
 * {@code FIO_BATCH=1} makes fio submit and reap in batches as this loop does ({@code iodepth_batch_submit=QD},
 * {@code iodepth_batch_complete_min=1}); {@code FIO_EXTRA} adds options. Under TCG emulation the JIT needs tens of
 * seconds of warm-up before the figures mean anything.
 */
public final class PassthroughPerf implements NvmeCompletionHandler {

    /** Modes: plain uring_cmd (registered file), + fixed buffers, + IOPOLL ring. */
    enum Mode { ASYNC, ASYNC_FIXED, ASYNC_POLL }

    private static final int BS = 4096;

    private final NvmeQueue queue;
    private final Read[] slots;
    private final long blocksPerIo;
    private final long range;
    private final boolean fixed;
    private long seed = 0x9E3779B97F4A7C15L;
    private long completed;
    private int errors;
    private int firstError;

    private PassthroughPerf(NvmeNamespace ns, NvmeQueue queue, MemorySegment buffers, int qd, boolean fixed) {
        this.queue = queue;
        this.fixed = fixed;
        this.blocksPerIo = BS / ns.lbaSize();
        this.range = Math.min(ns.blocks(), (1L << 30) / ns.lbaSize()) / blocksPerIo;
        this.slots = new Read[qd];
        for (int i = 0; i < qd; i++) {
            slots[i] = new Read(ns.nsid(), 0, (int) blocksPerIo).data(buffers, (long) i * BS, BS);
        }
    }

    private long nextLba() {
        long x = seed;
        x ^= x << 13;
        x ^= x >>> 7;
        x ^= x << 17;
        seed = x;
        return Long.remainderUnsigned(x, range) * blocksPerIo;
    }

    private void issue(int slot) {
        Read r = slots[slot].slba(nextLba());
        boolean ok = fixed ? queue.prepFixed(r, slot, slot) : queue.prep(r, slot);
        if (!ok) {
            throw new IllegalStateException("SQ full");
        }
    }

    @Override
    public void complete(long userData, int res, long result) {
        if (res != 0 && errors++ == 0) {
            firstError = res;
        }
        completed++;
        issue((int) userData);
    }

    /** Runs one mode at one depth for {@code nanos}; prints when {@code label} is not null. */
    private static void async(NvmeNamespace ns, MemorySegment buffers, Mode mode, int qd, long nanos, boolean print)
            throws IOException {
        NvmeQueue.Builder b = NvmeQueue.builder(ns).entries(qd).registerFile();
        if (mode == Mode.ASYNC_POLL) {
            b.ioPoll();
        }
        try (NvmeQueue q = b.build()) {
            boolean fixed = mode != Mode.ASYNC;
            if (fixed) {
                MemorySegment[] per = new MemorySegment[qd];
                for (int i = 0; i < qd; i++) {
                    per[i] = buffers.asSlice((long) i * BS, BS);
                }
                q.ring().registerBuffers(per);
            }
            PassthroughPerf p = new PassthroughPerf(ns, q, buffers, qd, fixed);
            for (int i = 0; i < qd; i++) {
                p.issue(i);
            }
            long a0 = allocated();
            long t0 = System.nanoTime();
            long t;
            while ((t = System.nanoTime()) - t0 < nanos) {
                q.submit();
                q.waitAndReap(1, p);
            }
            long bytes = allocated() - a0;
            long n = p.completed;
            q.submit();
            q.waitAndReap(q.inFlight(), (u, r, x) -> { });
            if (print) {
                report("jring " + mode.name().toLowerCase().replace('_', '-'), qd, n, t - t0, bytes, p.errors,
                        p.firstError);
            }
        }
    }

    private static void sync(NvmeNamespace ns, MemorySegment buf, long nanos, boolean print) throws IOException {
        int blocks = BS / ns.lbaSize();
        long range = Math.min(ns.blocks(), (1L << 30) / ns.lbaSize()) / blocks;
        Read r = new Read(ns.nsid(), 0, blocks).data(buf, 0, BS);
        long x = 0x9E3779B97F4A7C15L;
        int errors = 0;
        int first = 0;
        long n = 0;
        try (NvmeIoctl io = ns.newIoctl()) {
            long a0 = allocated();
            long t0 = System.nanoTime();
            long t;
            while ((t = System.nanoTime()) - t0 < nanos) {
                x ^= x << 13;
                x ^= x >>> 7;
                x ^= x << 17;
                int res = io.submit(r.slba(Long.remainderUnsigned(x, range) * blocks));
                if (res != 0 && errors++ == 0) {
                    first = res;
                }
                n++;
            }
            if (print) {
                report("jring sync-ioctl", 1, n, t - t0, allocated() - a0, errors, first);
            }
        }
    }

    private static void fio(String dev, Mode mode, int qd, int seconds) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("fio", "--name=r", "--filename=" + dev, "--ioengine=io_uring_cmd",
                "--cmd_type=nvme", "--rw=randread", "--bs=" + BS, "--iodepth=" + qd, "--size=1G", "--time_based",
                "--runtime=" + seconds, "--ramp_time=1", "--norandommap", "--randrepeat=0", "--registerfiles",
                "--output-format=terse"));
        if (mode != Mode.ASYNC) {
            cmd.add("--fixedbufs");
        }
        if ("1".equals(System.getenv("FIO_BATCH"))) {
            // Submit and reap in batches, as jring's loop does (fio's default submits each I/O with its own
            // io_uring_enter, which under emulation costs more than the I/O).
            cmd.addAll(List.of("--iodepth_batch_submit=" + qd, "--iodepth_batch_complete_min=1",
                    "--iodepth_batch_complete_max=" + qd));
        }
        String extra = System.getenv("FIO_EXTRA");        // e.g. --gtod_reduce=1: fio's per-I/O clock reads off
        if (extra != null && !extra.isBlank()) {
            cmd.addAll(List.of(extra.trim().split("\\s+")));
        }
        if (mode == Mode.ASYNC_POLL) {
            cmd.add("--hipri");
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        String line = out.lines().filter(l -> l.startsWith("3;")).findFirst().orElse(null);
        if (line == null) {
            System.out.println("fio failed: " + out);
            return;
        }
        System.out.printf("%-22s qd=%-3d: %8d IOPS%s%n", "fio " + mode.name().toLowerCase().replace('_', '-'), qd,
                Long.parseLong(line.split(";")[7]), extra == null || extra.isBlank() ? "" : "  (" + extra.trim() + ")");
    }

    public static void main(String[] args) throws Exception {
        String dev = args[0];
        int seconds = Integer.parseInt(args[1]);
        int warmup = Integer.parseInt(args[2]);
        int maxQd = 1;
        List<Integer> qds = new ArrayList<>();
        for (int i = 3; i < args.length; i++) {
            qds.add(Integer.parseInt(args[i]));
            maxQd = Math.max(maxQd, qds.getLast());
        }
        try (NvmeNamespace ns = NvmeNamespace.open(dev); Arena arena = Arena.ofConfined()) {
            MemorySegment buffers = arena.allocate((long) maxQd * BS, 4096);
            boolean poll = NvmeQueue.pollQueuesAvailable(ns);
            // Warm-up: every path until the JIT has compiled it (slow under TCG emulation).
            long w = warmup * 1_000_000_000L / 4;
            async(ns, buffers, Mode.ASYNC, 16, w, false);
            async(ns, buffers, Mode.ASYNC_FIXED, 16, w, false);
            if (poll) {
                async(ns, buffers, Mode.ASYNC_POLL, 16, w, false);
            }
            sync(ns, buffers, w, false);
            long nanos = seconds * 1_000_000_000L;
            for (int qd : qds) {
                for (Mode m : Mode.values()) {
                    if (m == Mode.ASYNC_POLL && !poll) {
                        continue;
                    }
                    // jring, fio, fio, jring: drift in the (shared, emulated) machine hits both alike.
                    async(ns, buffers, m, qd, nanos, true);
                    fio(dev, m, qd, seconds);
                    fio(dev, m, qd, seconds);
                    async(ns, buffers, m, qd, nanos, true);
                }
            }
            sync(ns, buffers, nanos, true);
        }
    }

    private static void report(String what, int qd, long ios, long nanos, long bytes, int errors, int firstError) {
        System.out.printf("%-22s qd=%-3d: %8.0f IOPS  (%d I/Os in %.2f s, %.3f bytes allocated per I/O%s)%n", what, qd,
                ios * 1e9 / nanos, ios, nanos / 1e9, (double) bytes / Math.max(1, ios),
                errors == 0 ? "" : ", " + errors + " errors, first " + PassthroughOutcome.describe(firstError));
    }

    /** The thread's allocated bytes, via reflection (the test sources are compiled into the module, which does not
     * read java.management; they run on the class path). Called before and after a run only. */
    private static final Object THREAD_BEAN;
    private static final Method ALLOCATED;

    static {
        try {
            THREAD_BEAN = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean")
                    .invoke(null);
            ALLOCATED = Class.forName("com.sun.management.ThreadMXBean").getMethod("getCurrentThreadAllocatedBytes");
            allocated();
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static long allocated() {
        try {
            return (Long) ALLOCATED.invoke(THREAD_BEAN);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
