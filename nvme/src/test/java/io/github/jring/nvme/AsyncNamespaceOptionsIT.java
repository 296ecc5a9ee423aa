package io.github.jring.nvme;

import io.github.jring.vm.GuestTools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Issue 16 part 2: {@link AsyncNamespace}'s ring options in the VM, each judged by what {@code nvme read} finds on the
 * namespace afterwards: registered buffers ({@code IORING_URING_CMD_FIXED}), polled completions ({@code IOPOLL}, on
 * the controller's poll queue: no interrupts), a kernel SQ thread ({@code SQPOLL}), and them together over several
 * rings. Namespace 1, LBAs from {@link #BASE} (past {@code AsyncNamespaceIT}'s).
 */
class AsyncNamespaceOptionsIT {

    private static final long BASE = 1_900_000;
    private static final int THREADS = 32;
    private static final int ROUNDS = 8;
    private static final int BLOCKS = 8;

    private static NvmeNamespace ns;
    private static int lba;

    @BeforeAll
    static void open() throws IOException {
        GuestTools.requireVm();
        ns = NvmeNamespace.open(GuestTools.NS1_CHAR);
        lba = ns.lbaSize();
    }

    @AfterAll
    static void close() {
        if (ns != null) {
            ns.close();
        }
    }

    /**
     * {@link #THREADS} virtual threads, each writing {@link #ROUNDS} patterns to its own blocks and reading each back
     * (blocking calls), with buffers from {@code slice}; then every thread's last pattern against {@code nvme read}.
     */
    private static void readWriteAndCheck(AsyncNamespace nvme, long base, java.util.function.IntFunction<MemorySegment[]>
            buffers) throws Exception {
        try (ExecutorService vts = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < THREADS; i++) {
                int t = i;
                done.add(vts.submit(() -> {
                    MemorySegment[] b = buffers.apply(t);
                    for (int r = 0; r < ROUNDS; r++) {
                        Patterns.fill(b[0], seed(base, t, r));
                        nvme.writeBlocking(base + (long) t * BLOCKS, b[0]);
                        b[1].fill((byte) 0);
                        nvme.readBlocking(base + (long) t * BLOCKS, b[1]);
                        Patterns.assertSame(b[0], b[1], "thread " + t + " round " + r + " read back");
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
        byte[] disk = GuestTools.nvmeRead(GuestTools.NS1_CHAR, base, THREADS * BLOCKS);
        for (int t = 0; t < THREADS; t++) {
            Patterns.assertSame(Patterns.bytes(BLOCKS * lba, seed(base, t, ROUNDS - 1)),
                    java.util.Arrays.copyOfRange(disk, t * BLOCKS * lba, (t + 1) * BLOCKS * lba),
                    "thread " + t + "'s blocks as nvme read sees them");
        }
    }

    private static long seed(long base, int thread, int round) {
        return base * 1_000 + thread * 16L + round;
    }

    @Test
    void registeredBuffersCarryCommandsWhoseDataLiesInThem() throws Exception {
        long per = (long) BLOCKS * lba;
        try (Arena arena = Arena.ofShared()) {
            MemorySegment registered = arena.allocate(2 * per * THREADS, 4096);
            try (AsyncNamespace nvme = AsyncNamespace.builder(ns).rings(2).registeredBuffers(registered).build()) {
                assertTrue(nvme.toString().contains("1 registered buffers"), nvme.toString());
                readWriteAndCheck(nvme, BASE, t -> new MemorySegment[] {
                    registered.asSlice(2 * t * per, per), registered.asSlice((2 * t + 1) * per, per)});
                // A buffer outside the registered one still works, as a plain command.
                MemorySegment outside = arena.allocate(per, 4096);
                nvme.readBlocking(BASE, outside);
                Patterns.assertSame(Patterns.bytes((int) per, seed(BASE, 0, ROUNDS - 1)),
                        outside.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE), "a read into unregistered memory");
            }
        }
    }

    /** Interrupts taken by the controller's I/O queues (nvme0q1...), from /proc/interrupts. */
    private static long ioQueueInterrupts() throws IOException {
        long sum = 0;
        for (String line : Files.readAllLines(Path.of("/proc/interrupts"))) {
            String t = line.trim();
            if (!t.matches(".*\\bnvme0q[1-9]\\d*$")) {
                continue;
            }
            String[] f = t.split("\\s+");
            for (int i = 1; i < f.length && f[i].matches("\\d+"); i++) {
                sum += Long.parseLong(f[i]);
            }
        }
        return sum;
    }

    @Test
    void polledRingsCompleteEveryCommandWithoutInterruptsAndParkWhenIdle() throws Exception {
        assumeTrue(NvmeQueue.pollQueuesAvailable(ns), "no NVMe poll queues (nvme.poll_queues=0)");
        try (AsyncNamespace nvme = AsyncNamespace.builder(ns).rings(1).ioPoll().build();
             Arena arena = Arena.ofShared()) {
            long per = (long) BLOCKS * lba;
            long before = ioQueueInterrupts();
            readWriteAndCheck(nvme, BASE + THREADS * BLOCKS, t -> new MemorySegment[] {
                arena.allocate(per, 4096), arena.allocate(per, 4096)});
            long irqs = ioQueueInterrupts() - before;
            int commands = THREADS * ROUNDS * 2;
            System.out.println("AsyncNamespaceOptionsIT: " + commands + " polled commands, " + irqs
                    + " I/O queue interrupts");
            assertTrue(irqs < commands / 4, irqs + " interrupts for " + commands + " polled commands");
            Thread completion = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().equals("jring-nvme-ng0n1-0")).findFirst().orElseThrow();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (completion.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(Thread.State.WAITING, completion.getState(), "an idle polled ring's thread parks");
            MemorySegment one = arena.allocate(lba, 4096);
            nvme.readBlocking(BASE, one); // and a new command wakes it
        }
    }

    @Test
    void anSqPollRingCarriesEveryCommand() throws Exception {
        try (AsyncNamespace nvme = AsyncNamespace.builder(ns).rings(1).sqPoll(20).build();
             Arena arena = Arena.ofShared()) {
            long per = (long) BLOCKS * lba;
            readWriteAndCheck(nvme, BASE + 2L * THREADS * BLOCKS, t -> new MemorySegment[] {
                arena.allocate(per, 4096), arena.allocate(per, 4096)});
            Thread.sleep(100); // the SQ thread goes idle; the next command must wake it
            MemorySegment one = arena.allocate(lba, 4096);
            assertEquals(null, nvme.read(BASE, one).get(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void allOptionsTogetherOverSeveralRingsWithFutures() throws Exception {
        boolean poll = NvmeQueue.pollQueuesAvailable(ns);
        int n = 512;
        long base = BASE + 3L * THREADS * BLOCKS;
        try (Arena arena = Arena.ofShared()) {
            MemorySegment registered = arena.allocate((long) n * lba, 4096);
            AsyncNamespace.Builder b = AsyncNamespace.builder(ns).rings(3).registeredBuffers(registered);
            if (poll) {
                b.ioPoll();
            }
            try (AsyncNamespace nvme = b.build()) {
                List<CompletableFuture<Void>> writes = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    MemorySegment s = registered.asSlice((long) i * lba, lba);
                    Patterns.fill(s, 70_000 + i);
                    writes.add(nvme.write(base + i, s));
                }
                for (CompletableFuture<Void> f : writes) {
                    f.get(60, TimeUnit.SECONDS);
                }
            }
        }
        byte[] disk = GuestTools.nvmeRead(GuestTools.NS1_CHAR, base, n);
        for (int i = 0; i < n; i++) {
            Patterns.assertSame(Patterns.bytes(lba, 70_000 + i),
                    java.util.Arrays.copyOfRange(disk, i * lba, (i + 1) * lba), "block " + i);
        }
    }
}
