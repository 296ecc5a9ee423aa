package io.github.jring.nvme;

import io.github.jring.nvme.command.Copy;
import io.github.jring.nvme.command.DatasetManagement;
import io.github.jring.nvme.command.Flush;
import io.github.jring.nvme.command.Read;
import io.github.jring.nvme.command.Verify;
import io.github.jring.nvme.command.Write;
import io.github.jring.nvme.command.WriteZeroes;
import io.github.jring.nvme.data.IdentifyController;
import io.github.jring.nvme.status.NvmeStatusCode;
import io.github.jring.nvme.status.NvmeStatusException;
import io.github.jring.vm.GuestTools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The NVM command set's other commands do what the specification says, checked by reading back (through jring and
 * through nvme-cli): Flush, Write Zeroes, Dataset Management deallocate (zeroes where DLFEAT promises them), Copy,
 * Verify, and FUA writes.
 */
class NvmCommandsIT {

    private static final long BASE = 81_920;

    private static NvmeNamespace ns;
    private static NvmeQueue queue;
    private static IdentifyController ctrl;
    private static int lba;
    private Arena arena;

    @BeforeAll
    static void open() throws IOException {
        GuestTools.requireVm();
        ns = NvmeNamespace.open(GuestTools.NS1_CHAR);
        queue = NvmeQueue.open(ns, 16);
        lba = ns.lbaSize();
        try (NvmeController c = NvmeController.open(GuestTools.CONTROLLER)) {
            ctrl = c.identify();
        }
    }

    @AfterAll
    static void close() {
        if (queue != null) {
            queue.close();
        }
        if (ns != null) {
            ns.close();
        }
    }

    @BeforeEach
    void arena() {
        arena = Arena.ofConfined();
    }

    @AfterEach
    void freeArena() {
        arena.close();
    }

    private MemorySegment written(long slba, int blocks, long seed) throws IOException {
        MemorySegment s = arena.allocate((long) blocks * lba, 4096);
        Patterns.fill(s, seed);
        queue.execute(new Write(ns.nsid(), slba, blocks, s).fua(true));
        return s;
    }

    private MemorySegment readBack(long slba, int blocks) throws IOException {
        MemorySegment s = arena.allocate((long) blocks * lba, 4096);
        s.fill((byte) 0x5A);
        queue.execute(new Read(ns.nsid(), slba, blocks, s));
        return s;
    }

    private static void assertNvmeCliSees(long slba, MemorySegment expected) {
        byte[] cli = GuestTools.nvmeRead(GuestTools.NS1_CHAR, slba, (int) (expected.byteSize() / lba));
        Patterns.assertSame(expected.toArray(ValueLayout.JAVA_BYTE), cli, "nvme read at " + slba);
    }

    @Test
    void flushCompletesOnBothTransports() throws IOException {
        written(BASE, 8, 1);
        queue.execute(new Flush(ns.nsid()));
        ns.execute(new Flush(ns.nsid()));
    }

    @Test
    void writeZeroesZeroesExactlyItsRange() throws IOException {
        assumeTrue(ctrl.supportsWriteZeroes(), "ONCS says no Write Zeroes");
        long slba = BASE + 64;
        MemorySegment before = written(slba, 16, 2);
        queue.execute(new WriteZeroes(ns.nsid(), slba + 4, 8));
        MemorySegment after = readBack(slba, 16);
        Patterns.assertSame(before.asSlice(0, 4L * lba), after.asSlice(0, 4L * lba), "blocks before the range");
        Patterns.assertFilled(after.asSlice(4L * lba, 8L * lba), (byte) 0, "zeroed blocks");
        Patterns.assertSame(before.asSlice(12L * lba), after.asSlice(12L * lba), "blocks after the range");
        assertNvmeCliSees(slba, after);
    }

    @Test
    void deallocatedBlocksReadAsDlfeatSays() throws IOException {
        assumeTrue(ctrl.supportsDatasetManagement(), "ONCS says no Dataset Management");
        long slba = BASE + 128;
        MemorySegment before = written(slba, 32, 3);
        MemorySegment ranges = arena.allocate(2L * DatasetManagement.RANGE_SIZE, 4096);
        DatasetManagement.range(ranges, 0, slba, 8);
        DatasetManagement.range(ranges, 1, slba + 16, 8);
        queue.execute(new DatasetManagement(ns.nsid(), 2, ranges).deallocate(true));
        MemorySegment after = readBack(slba, 32);
        Patterns.assertSame(before.asSlice(8L * lba, 8L * lba), after.asSlice(8L * lba, 8L * lba),
                "blocks between the ranges are untouched");
        Patterns.assertSame(before.asSlice(24L * lba), after.asSlice(24L * lba), "blocks after the ranges");
        if (ns.identify().deallocatedReadsZeroes()) {
            Patterns.assertFilled(after.asSlice(0, 8L * lba), (byte) 0, "first deallocated range (DLFEAT 001b)");
            Patterns.assertFilled(after.asSlice(16L * lba, 8L * lba), (byte) 0, "second deallocated range");
        }
        assertNvmeCliSees(slba, after);
    }

    @Test
    void copyCopiesSourceRangesToTheDestination() throws IOException {
        assumeTrue(ctrl.supportsCopy() && (ctrl.ocfs() & 1) != 0, "the controller does not support Copy format 0");
        long src = BASE + 256;
        long dst = BASE + 512;
        MemorySegment data = written(src, 24, 4);
        MemorySegment ranges = arena.allocate(2L * Copy.SOURCE_RANGE_SIZE, 4096);
        Copy.sourceRange(ranges, 0, src + 16, 8);     // the last 8 blocks first,
        Copy.sourceRange(ranges, 1, src, 4);          // then the first 4
        queue.execute(new Copy(ns.nsid(), dst, 2, ranges));
        MemorySegment expected = arena.allocate(12L * lba);
        MemorySegment.copy(data, 16L * lba, expected, 0, 8L * lba);
        MemorySegment.copy(data, 0, expected, 8L * lba, 4L * lba);
        Patterns.assertSame(expected, readBack(dst, 12), "copied blocks");
        assertNvmeCliSees(dst, expected);
        // Past the namespace's limit of ranges (MSRC, 0-based): the named status.
        int tooMany = ns.identify().msrc() + 2;
        if (tooMany <= Copy.MAX_RANGES) {
            MemorySegment many = arena.allocate((long) tooMany * Copy.SOURCE_RANGE_SIZE, 4096);
            for (int i = 0; i < tooMany; i++) {
                Copy.sourceRange(many, i, src, 1);
            }
            NvmeStatusException e = assertThrows(NvmeStatusException.class,
                    () -> queue.execute(new Copy(ns.nsid(), dst, tooMany, many)));
            assertEquals(NvmeStatusCode.COMMAND_SIZE_LIMIT_EXCEEDED, e.code(), e.getMessage());
        }
    }

    @Test
    void verifyGetsTheSameAnswerAsNvmeCli() throws IOException {
        long slba = BASE + 1024;
        written(slba, 8, 5);
        GuestTools.Result cli = GuestTools.run("nvme", "verify", GuestTools.NS1_CHAR.toString(),
                "--start-block=" + slba, "--block-count=7");
        Verify v = new Verify(ns.nsid(), slba, 8);
        if (cli.exitCode() == 0) {
            queue.execute(v);
            ns.execute(v);
        } else {
            NvmeStatusException e = assertThrows(NvmeStatusException.class, () -> queue.execute(v));
            assertEquals(NvmeStatusCode.INVALID_COMMAND_OPCODE, e.code(), e.getMessage() + " / " + cli.describe());
        }
    }
}
