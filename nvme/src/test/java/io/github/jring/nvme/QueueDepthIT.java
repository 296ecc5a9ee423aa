package io.github.jring.nvme;

import io.github.jring.nvme.command.Read;
import io.github.jring.nvme.status.PassthroughOutcome;
import io.github.jring.nvme.status.NvmeStatus;
import io.github.jring.nvme.status.NvmeStatusCode;
import io.github.jring.vm.GuestTools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Many commands in flight: 128 reads at once, every completion matched to its command by {@code user_data} and to
 * the right data; a sustained run keeping 128 in flight; a few failing commands among them; and the same on an
 * IOPOLL ring when the driver has poll queues.
 */
class QueueDepthIT {

    private static final long BASE = 131_072;
    /** 4 KiB chunks written with their index stamped in. */
    private static final int CHUNKS = 256;
    private static final int DEPTH = 128;

    private static NvmeNamespace ns;
    private static int lba;
    private static int blocksPerChunk;
    private static Arena arena;
    private static MemorySegment buffers;

    @BeforeAll
    static void prepare() throws IOException {
        GuestTools.requireVm();
        ns = NvmeNamespace.open(GuestTools.NS1_CHAR);
        lba = ns.lbaSize();
        blocksPerChunk = 4096 / lba;
        arena = Arena.ofShared();
        MemorySegment all = arena.allocate(CHUNKS * 4096L, 4096);
        for (int i = 0; i < CHUNKS; i++) {
            MemorySegment c = all.asSlice(i * 4096L, 4096);
            Patterns.fill(c, 7000 + i);
            c.set(ValueLayout.JAVA_LONG, 0, chunkTag(i));
        }
        ns.write(BASE, all);
        buffers = arena.allocate(DEPTH * 4096L, 4096);
    }

    @AfterAll
    static void close() {
        if (ns != null) {
            ns.close();
        }
        if (arena != null) {
            arena.close();
        }
    }

    private static long chunkTag(int i) {
        return 0x4A52494E47000000L | i;
    }

    private static Read readOf(int chunk, int slot) {
        return new Read(ns.nsid(), BASE + (long) chunk * blocksPerChunk, blocksPerChunk)
                .data(buffers, slot * 4096L, 4096);
    }

    /** Checks that buffer slot {@code slot} holds chunk {@code chunk}, stamp and pattern. */
    private static void assertSlotHolds(int slot, int chunk) {
        MemorySegment got = buffers.asSlice(slot * 4096L, 4096);
        assertEquals(chunkTag(chunk), got.get(ValueLayout.JAVA_LONG, 0), "slot " + slot + " stamp");
        byte[] expected = Patterns.bytes(4096, 7000 + chunk);
        byte[] actual = got.toArray(ValueLayout.JAVA_BYTE);
        for (int i = 8; i < 4096; i++) {
            if (expected[i] != actual[i]) {
                fail("slot " + slot + " (chunk " + chunk + ") differs at byte " + i);
            }
        }
    }

    private static void oneBatchOf128(NvmeQueue q) throws IOException {
        Random rnd = new Random(q.isPolled() ? 2 : 1);
        int[] chunkOfSlot = new int[DEPTH];
        int[] seen = new int[DEPTH];
        int[] res = new int[DEPTH];
        buffers.fill((byte) 0);
        for (int slot = 0; slot < DEPTH; slot++) {
            chunkOfSlot[slot] = rnd.nextInt(CHUNKS);
            assertTrue(q.prep(readOf(chunkOfSlot[slot], slot), 1000L + slot), "SQ has room for " + DEPTH);
        }
        assertEquals(DEPTH, q.inFlight());
        assertEquals(DEPTH, q.submit(), "one io_uring_enter submits all " + DEPTH);
        int reaped = q.waitAndReap(DEPTH, (userData, r, result) -> {
            int slot = (int) (userData - 1000);
            seen[slot]++;
            res[slot] = r;
        });
        assertEquals(DEPTH, reaped);
        assertEquals(0, q.inFlight());
        for (int slot = 0; slot < DEPTH; slot++) {
            assertEquals(1, seen[slot], "completions for user_data " + (1000 + slot));
            assertEquals(0, res[slot], PassthroughOutcome.describe(res[slot]));
            assertSlotHolds(slot, chunkOfSlot[slot]);
        }
    }

    @Test
    void oneHundredTwentyEightInFlightEachMatchedToItsCommand() throws IOException {
        try (NvmeQueue q = NvmeQueue.open(ns, DEPTH)) {
            oneBatchOf128(q);
        }
    }

    @Test
    void sustainedDepth128WithFailuresAmongThem() throws IOException {
        int total = 2048;
        Random rnd = new Random(3);
        int[] chunkOfSlot = new int[DEPTH];
        boolean[] busy = new boolean[DEPTH];
        long[] expectFail = new long[1];
        int[] done = new int[1];
        int[] failures = new int[1];
        try (NvmeQueue q = NvmeQueue.open(ns, DEPTH)) {
            int issued = 0;
            int[] free = new int[DEPTH];
            int[] freeCount = {DEPTH};
            for (int i = 0; i < DEPTH; i++) {
                free[i] = i;
            }
            NvmeCompletionHandler h = (userData, r, result) -> {
                int slot = (int) (userData & 0xFFFF);
                boolean bad = (userData >>> 32) != 0;
                if (!busy[slot]) {
                    fail("completion for idle slot " + slot);
                }
                busy[slot] = false;
                if (bad) {
                    assertEquals(NvmeStatusCode.LBA_OUT_OF_RANGE, new NvmeStatus(r).code(),
                            "out-of-range read in slot " + slot + ": " + PassthroughOutcome.describe(r));
                    failures[0]++;
                } else {
                    assertEquals(0, r, PassthroughOutcome.describe(r));
                    assertSlotHolds(slot, chunkOfSlot[slot]);
                }
                free[freeCount[0]++] = slot;
                done[0]++;
            };
            while (done[0] < total) {
                while (issued < total && freeCount[0] > 0) {
                    int slot = free[--freeCount[0]];
                    boolean bad = issued % 97 == 50;
                    Read r;
                    if (bad) {
                        r = new Read(ns.nsid(), ns.blocks() + slot, 1).data(buffers, slot * 4096L, lba);
                        expectFail[0]++;
                    } else {
                        chunkOfSlot[slot] = rnd.nextInt(CHUNKS);
                        r = readOf(chunkOfSlot[slot], slot);
                    }
                    busy[slot] = true;
                    assertTrue(q.prep(r, (bad ? 1L << 32 : 0) | slot));
                    issued++;
                }
                q.submit();
                q.waitAndReap(1, h);
            }
            assertEquals(0, q.inFlight());
        }
        assertEquals(total, done[0]);
        assertEquals(expectFail[0], failures[0]);
        assertTrue(failures[0] > 10);
    }

    @Test
    void polledDepth128() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(NvmeQueue.pollQueuesAvailable(ns),
                "no NVMe poll queues (/sys/block/nvme0n1/queue/io_poll is not 1)");
        try (NvmeQueue q = NvmeQueue.builder(ns).ioPoll().entries(DEPTH).build()) {
            oneBatchOf128(q);
        }
    }

    @Test
    void fixedBuffersAndRegisteredFileAtDepth128() throws IOException {
        try (NvmeQueue q = NvmeQueue.builder(ns).entries(DEPTH).registerFile().build()) {
            // One registered buffer per slot, as fio does: on Linux 6.1 a command at the start of one registered
            // buffer spanning more pages than the queue's max_segments is refused with EINVAL (see NvmeQueue).
            MemorySegment[] perSlot = new MemorySegment[DEPTH];
            for (int slot = 0; slot < DEPTH; slot++) {
                perSlot[slot] = buffers.asSlice(slot * 4096L, 4096);
            }
            q.ring().registerBuffers(perSlot);
            Random rnd = new Random(4);
            int[] chunkOfSlot = new int[DEPTH];
            int[] res = new int[DEPTH];
            buffers.fill((byte) 0);
            for (int slot = 0; slot < DEPTH; slot++) {
                chunkOfSlot[slot] = rnd.nextInt(CHUNKS);
                assertTrue(q.prepFixed(readOf(chunkOfSlot[slot], slot), slot, slot));
            }
            q.submit();
            q.waitAndReap(DEPTH, (userData, r, result) -> res[(int) userData] = r);
            for (int slot = 0; slot < DEPTH; slot++) {
                assertEquals(0, res[slot], PassthroughOutcome.describe(res[slot]));
                assertSlotHolds(slot, chunkOfSlot[slot]);
            }
        }
    }
}
