package io.github.jring.core;

import io.github.jring.bindings.Uapi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code IORING_SETUP_NO_MMAP} ({@link IoUringBuilder#noMmap()}): the rings and SQEs in memory jring allocates, as
 * {@code /proc/self/maps} shows (the kernel's ring memory is mapped from {@code anon_inode:[io_uring]}, jring's is a
 * shared anonymous mapping, {@code /dev/zero (deleted)}), every CQ slot usable, the memory unmapped at close, and the
 * fallback to the kernel's memory where the flag is refused.
 */
class NoMmapTest {

    private static final int NO_MMAP = Uapi.IORING_SETUP_NO_MMAP();

    @TempDir
    Path dir;

    /** Mappings of this process whose line in /proc/self/maps contains {@code what}. */
    private static long mappings(String what) throws IOException {
        List<String> lines = Files.readAllLines(Path.of("/proc/self/maps"));
        return lines.stream().filter(l -> l.contains(what)).count();
    }

    private static final String KERNEL_RING = "[io_uring]";
    private static final String SHARED_ANON = "/dev/zero (deleted)";

    @Test
    void ringsLiveInApplicationMemoryAndReadAFile() throws Exception {
        Caps.assumeSetupFlag(NO_MMAP); // without it the builder falls back to mapped rings (the next tests)
        Path file = dir.resolve("data");
        byte[] text = "read through a ring in memory of our own".getBytes(StandardCharsets.US_ASCII);
        Files.write(file, text);
        long kernelBefore = mappings(KERNEL_RING);
        long anonBefore = mappings(SHARED_ANON);
        try (IoUring plain = IoUring.open(8)) {
            assertTrue(mappings(KERNEL_RING) > kernelBefore, "a plain ring maps the kernel's memory (the check works)");
        }
        assertEquals(kernelBefore, mappings(KERNEL_RING));
        try (IoUring ring = IoUring.builder().noMmap().build(8); Arena arena = Arena.ofConfined()) {
            assertEquals(NO_MMAP, ring.flags() & NO_MMAP, "the kernel (6.5+) took NO_MMAP: " + ring);
            assertEquals(kernelBefore, mappings(KERNEL_RING), "nothing mapped from the ring fd");
            assertEquals(anonBefore + 2, mappings(SHARED_ANON), "the rings and the SQE array, jring's");
            assertEquals(8, ring.sqEntries());
            assertEquals(16, ring.cqEntries());
            int fd = Posix.open(file, Uapi.O_RDONLY(), 0);
            try {
                MemorySegment in = arena.allocate(64);
                ring.getSqe().prepRead(fd, in, 0).userData(7);
                ring.getSqe().prepNop().userData(8);
                assertEquals(2, ring.submitAndWait(2));
                long[] ud = new long[2];
                int[] res = new int[2];
                assertEquals(2, ring.copyCqes(ud, res, null));
                for (int i = 0; i < 2; i++) {
                    assertEquals(ud[i] == 7 ? text.length : 0, res[i], "user_data " + ud[i]);
                }
                assertArrayEquals(text, in.asSlice(0, text.length).toArray(JAVA_BYTE));
            } finally {
                Posix.close(fd);
            }
        }
        assertEquals(anonBefore, mappings(SHARED_ANON), "both regions unmapped at close");
    }

    /** Fills every CQ slot (no reaping until the CQ is full), then reaps and checks each completion. */
    private static void fillTheCq(IoUring ring) throws ErrnoException {
        int cq = ring.cqEntries();
        int queued = 0;
        while (queued < cq) {
            Sqe sqe = ring.getSqe();
            if (sqe == null) {
                ring.submit();
                continue;
            }
            sqe.prepNop().userData(queued++);
        }
        ring.submit();
        assertEquals(cq, ring.cqReady(), "every CQ slot written");
        long[] ud = new long[cq];
        assertEquals(cq, ring.copyCqes(ud, null, null));
        for (int i = 0; i < cq; i++) {
            assertEquals(i, ud[i]);
        }
    }

    @Test
    void sizesAndLayoutsTheKernelComputesFitTheMemory() throws Exception {
        Caps.assumeSetupFlag(NO_MMAP | Uapi.IORING_SETUP_NO_SQARRAY());
        IoUringBuilder[] builders = {
            IoUring.builder().noMmap(),
            IoUring.builder().noMmap().useSqArray(),
            IoUring.builder().noMmap().noSqArray(),
            IoUring.builder().noMmap().sqe128().cqe32(),
            IoUring.builder().noMmap().cqSize(4096),
            IoUring.builder().noMmap().cqSize(3000).clamp(),
        };
        int[] entries = {1, 4096, 256, 64, 8, 100};
        for (int i = 0; i < builders.length; i++) {
            try (IoUring ring = builders[i].build(entries[i])) {
                assertEquals(NO_MMAP, ring.flags() & NO_MMAP, ring.toString());
                fillTheCq(ring);
                // And the SQ: every slot, SQE128-sized where asked, written and consumed.
                int sq = ring.sqEntries();
                for (int k = 0; k < sq; k++) {
                    ring.getSqe().prepNop().userData(k);
                }
                assertNull(ring.getSqe(), "SQ full after " + sq);
                assertEquals(sq, ring.submitAndWait(sq));
                assertEquals(sq, ring.cqReady());
                ring.cqAdvance(sq);
            }
        }
    }

    @Test
    void aKernelThatRefusesNoMmapGetsTheKernelsMemory() throws Exception {
        long kernelBefore = mappings(KERNEL_RING);
        long anonBefore = mappings(SHARED_ANON);
        try (IoUring ring = IoUring.builder().noMmap().rejectNoMmap().build(8)) {
            assertEquals(0, ring.flags() & NO_MMAP, ring.toString());
            assertTrue(mappings(KERNEL_RING) > kernelBefore, "mapped from the ring fd");
            assertEquals(anonBefore, mappings(SHARED_ANON), "the memory allocated for the refused try is unmapped");
            fillTheCq(ring);
        }
        assertEquals(kernelBefore, mappings(KERNEL_RING));
    }

    @Test
    void rawNoMmapFlagIsRefusedWithAPointerToNoMmap() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> IoUring.builder().flags(NO_MMAP));
        assertTrue(e.getMessage().contains("noMmap()"), e.getMessage());
        assertEquals(0, IoUring.builder().noMmap().setupFlags(), "NO_MMAP is decided at build, not collected");
    }
}
