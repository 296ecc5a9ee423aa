package io.github.jring.bench.engine;

import io.github.jring.bench.jmh.UringCmdPrepBenchmark;
import io.github.jring.core.IoUring;
import io.github.jring.core.Sqe;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.HexFormat;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * async-pt's SQEs, on the host (no NVMe device: nothing is submitted as a URING_CMD, the one SQE taken is sent as a
 * NOP at the end): jring-nvme's path writes exactly the entry the bench's earlier hand-written stores wrote (kept as
 * the baseline of {@link UringCmdPrepBenchmark}), with every option, and allocates nothing per I/O.
 */
class PassthroughSlotsTest {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    private static final int DEPTH = 8;
    private static final int BS = 4096;
    private static final int LBA = 512;
    private static final int NSID = 1;
    private static final int FD = 7;

    private IoUring ring;
    private Arena arena;
    private MemorySegment[] buffers;
    private long[] addresses;
    private Sqe sqe;

    @BeforeEach
    void setUp() throws Exception {
        ring = IoUring.builder().sqe128().cqe32().build(DEPTH);
        arena = Arena.ofConfined();
        MemorySegment all = arena.allocate((long) BS * DEPTH, 4096);
        buffers = new MemorySegment[DEPTH];
        addresses = new long[DEPTH];
        for (int i = 0; i < DEPTH; i++) {
            buffers[i] = all.asSlice((long) i * BS, BS);
            addresses[i] = buffers[i].address();
        }
        sqe = ring.getSqe();
    }

    @AfterEach
    void tearDown() throws Exception {
        sqe.prepNop(); // the slot was handed out: let the kernel consume it as a NOP
        ring.submitAndWait(1);
        ring.close();
        if (arena.scope().isAlive()) arena.close();
    }

    /** Every field of the entry, the 80-byte command area included. */
    private String dump() {
        return "opcode " + sqe.opcode() + " flags " + sqe.flags() + " ioprio " + sqe.ioprio() + " fd " + sqe.fd()
                + " cmd_op " + sqe.cmdOp() + " addr " + sqe.addr() + " len " + sqe.len() + " op_flags " + sqe.opFlags()
                + " buf_index " + sqe.bufIndex() + " personality " + sqe.personality() + " file_index "
                + sqe.fileIndex() + " cmd " + HexFormat.of().formatHex(sqe.cmd().toArray(JAVA_BYTE));
    }

    /** Garbage in every byte that a prep may leave alone. */
    private void dirty() {
        sqe.prepRw(0xFF, -1, -1L, -1, -1L).opFlags(-1).bufIndex(0xFFFF).personality(0xFFFF);
        sqe.cmd().fill((byte) 0xA5);
    }

    @ParameterizedTest(name = "fixedFile {0}, fixedBufs {1}")
    @CsvSource({"false, false", "true, false", "false, true", "true, true"})
    void theLibraryWritesTheEntryTheHandWrittenStoresWrote(boolean fixedFile, boolean fixedBufs) {
        int sqeFd = fixedFile ? 0 : FD;
        PassthroughSlots slots = new PassthroughSlots(NSID, LBA, BS, buffers, sqeFd, fixedFile, fixedBufs);
        long[] offsets = {0, 4096, 512L * 12345, (1L << 33) * LBA + 8 * LBA}; // the last needs CDW11
        for (int slot = 0; slot < DEPTH; slot++) {
            for (long offset : offsets) {
                for (boolean isRead : new boolean[]{true, false}) {
                    dirty();
                    UringCmdPrepBenchmark.handWritten(sqe, sqeFd, fixedFile, fixedBufs, NSID, isRead ? 2 : 1,
                            addresses[slot], BS, offset >>> 9, BS / LBA - 1, slot);
                    String expected = dump();
                    dirty();
                    slots.prepare(sqe, slot, isRead, offset);
                    assertEquals(expected, dump(), "slot " + slot + ", " + (isRead ? "read" : "write") + " at "
                            + offset);
                }
            }
        }
    }

    @Test
    void aBufferOfAClosedArenaIsRefusedBeforeTheEntryIsWritten() {
        PassthroughSlots slots = new PassthroughSlots(NSID, LBA, BS, buffers, FD, false, false);
        arena.close();
        assertThrows(IllegalStateException.class, () -> slots.prepare(sqe, 0, true, 0));
    }

    @ParameterizedTest(name = "fixedFile {0}, fixedBufs {1}")
    @CsvSource({"false, false", "true, true"})
    void preparingAllocatesNothing(boolean fixedFile, boolean fixedBufs) {
        PassthroughSlots slots = new PassthroughSlots(NSID, LBA, BS, buffers, fixedFile ? 0 : FD, fixedFile,
                fixedBufs);
        int n = 200_000;
        long best = Long.MAX_VALUE;
        for (int round = 0; round < 4; round++) { // the first rounds run interpreted and compile
            long before = THREADS.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < n; i++) {
                slots.prepare(sqe, i & (DEPTH - 1), (i & 2) == 0, ((i * 7919L) & 0xFFFF) * BS);
            }
            best = Math.min(best, THREADS.getCurrentThreadAllocatedBytes() - before);
        }
        assertTrue(best < n / 10, "preparing " + n + " entries allocated " + best + " bytes in the best round");
    }

    @Test
    void protectionPutsPrinfoTheLbaAsReferenceTagAndTheTagsInEveryCommand() {
        PassthroughSlots slots = new PassthroughSlots(NSID, LBA, BS, buffers, FD, false, false);
        MemorySegment[] meta = new MemorySegment[DEPTH];
        for (int i = 0; i < DEPTH; i++) {
            meta[i] = arena.allocate(64, 8);
        }
        slots.protection(io.github.jring.nvme.pi.Prinfo.CHECK_ALL, 0x1234, 0xFFF0, 0xFFFF_FFFFL, meta);
        slots.prepare(sqe, 3, true, 0x2_0000_1000L);
        MemorySegment cmd = sqe.cmd();
        long slba = 0x2_0000_1000L / LBA;
        assertEquals((0b0111 << 26) | 7, cmd.get(java.lang.foreign.ValueLayout.JAVA_INT, 48), "CDW12");
        assertEquals((int) slba, cmd.get(java.lang.foreign.ValueLayout.JAVA_INT, 56), "CDW14: the LBA's low 32 bits");
        assertEquals(0xFFF0_1234, cmd.get(java.lang.foreign.ValueLayout.JAVA_INT, 60), "CDW15");
        assertEquals(meta[3].address(), cmd.get(java.lang.foreign.ValueLayout.JAVA_LONG, 16), "the slot's metadata");
        assertEquals(64, cmd.get(java.lang.foreign.ValueLayout.JAVA_INT, 32), "metadata_len");
        int n = 200_000;
        long best = Long.MAX_VALUE;
        for (int round = 0; round < 4; round++) { // the first rounds run interpreted and compile
            long before = THREADS.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < n; i++) {
                slots.prepare(sqe, i & (DEPTH - 1), (i & 2) == 0, ((i * 7919L) & 0xFFFF) * BS);
            }
            best = Math.min(best, THREADS.getCurrentThreadAllocatedBytes() - before);
        }
        assertTrue(best < n / 10, "preparing " + n + " protected entries allocated " + best + " bytes");
    }
}
