package io.github.jring.nvme;

import io.github.jring.core.internal.Host;
import io.github.jring.bindings.Uapi;
import io.github.jring.core.ErrnoException;
import io.github.jring.core.IoUring;
import io.github.jring.core.Sqe;
import io.github.jring.nvme.command.Read;
import io.github.jring.nvme.command.Write;
import io.github.jring.nvme.status.PassthroughOutcome;
import io.github.jring.vm.Flavour612;
import io.github.jring.vm.FlavourCondition;
import io.github.jring.vm.GuestTools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A pattern written through each transport reads back through the same transport, and through nvme-cli (an oracle
 * that does not share jring's code): the synchronous ioctl, async {@code URING_CMD}, vectored (both), fixed buffers,
 * polled completions on an IOPOLL ring, a registered file. Each test has its own LBA range on namespace 1.
 */
class TransportIT {

    /** LBA ranges of this class: 2048 blocks each from here (1 MiB with 512-byte blocks). */
    private static final long BASE = 16_384;

    private static NvmeNamespace ns;
    private static int lba;
    private Arena arena;

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

    @org.junit.jupiter.api.BeforeEach
    void arena() {
        arena = Arena.ofConfined();
    }

    @org.junit.jupiter.api.AfterEach
    void freeArena() {
        arena.close();
    }

    private static long range(int n) {
        return BASE + n * 2048L;
    }

    private MemorySegment pattern(int bytes, long seed) {
        MemorySegment s = arena.allocate(bytes, 4096);
        Patterns.fill(s, seed);
        return s;
    }

    private static void assertNvmeCliReads(long slba, MemorySegment expected) {
        byte[] viaCli = GuestTools.nvmeRead(GuestTools.NS1_CHAR, slba, (int) (expected.byteSize() / lba));
        Patterns.assertSame(expected.toArray(ValueLayout.JAVA_BYTE), viaCli, "nvme read of LBA " + slba);
    }

    @Test
    void synchronousIoctl() throws IOException {
        long slba = range(0);
        MemorySegment out = pattern(16 * lba, 1);
        MemorySegment in = arena.allocate(out.byteSize(), 4096);
        try (NvmeIoctl io = ns.newIoctl()) {
            assertEquals(0, io.execute(new Write(ns.nsid(), slba, 16, out)));
            io.execute(new Read(ns.nsid(), slba, 16, in));
        }
        Patterns.assertSame(out, in, "ioctl read after ioctl write");
        assertNvmeCliReads(slba, out);
    }

    @Test
    void asyncUringCmd() throws IOException {
        long slba = range(1);
        MemorySegment out = pattern(16 * lba, 2);
        MemorySegment in = arena.allocate(out.byteSize(), 4096);
        try (NvmeQueue q = NvmeQueue.open(ns, 8)) {
            q.execute(new Write(ns.nsid(), slba, 16, out));
            q.execute(new Read(ns.nsid(), slba, 16, in));
            assertEquals(0, q.inFlight());
        }
        Patterns.assertSame(out, in, "uring_cmd read after uring_cmd write");
        assertNvmeCliReads(slba, out);
    }

    /** Three separate page-aligned pieces, described by an iovec array. */
    private MemorySegment iovecs(MemorySegment... pieces) {
        MemorySegment iov = arena.allocate(16L * pieces.length, 8);
        for (int i = 0; i < pieces.length; i++) {
            iov.set(ValueLayout.JAVA_LONG, 16L * i, pieces[i].address());
            iov.set(ValueLayout.JAVA_LONG, 16L * i + 8, pieces[i].byteSize());
        }
        return iov;
    }

    private static MemorySegment concat(Arena arena, MemorySegment... pieces) {
        long n = 0;
        for (MemorySegment p : pieces) {
            n += p.byteSize();
        }
        MemorySegment all = arena.allocate(n);
        long off = 0;
        for (MemorySegment p : pieces) {
            MemorySegment.copy(p, 0, all, off, p.byteSize());
            off += p.byteSize();
        }
        return all;
    }

    @Test
    void vectoredSynchronousAndAsync() throws IOException {
        MemorySegment[] out = {pattern(4096, 31), pattern(8192, 32), pattern(4096, 33)};
        MemorySegment[] in = {arena.allocate(4096, 4096), arena.allocate(8192, 4096), arena.allocate(4096, 4096)};
        int blocks = 16384 / lba;
        MemorySegment expected = concat(arena, out);

        long slba = range(2);
        Write w = new Write(ns.nsid(), slba, blocks).dataVectored(iovecs(out), 3);
        assertTrue(w.isVectored());
        assertEquals(16384, w.dataBytes());
        try (NvmeIoctl io = ns.newIoctl()) {
            io.execute(w);                                                    // NVME_IOCTL_IO64_CMD_VEC
            io.execute(new Read(ns.nsid(), slba, blocks).dataVectored(iovecs(in), 3));
        }
        Patterns.assertSame(expected, concat(arena, in), "vectored ioctl read after vectored ioctl write");
        assertNvmeCliReads(slba, expected);

        slba = range(3);
        for (MemorySegment s : in) {
            s.fill((byte) 0);
        }
        try (NvmeQueue q = NvmeQueue.open(ns, 8)) {
            q.execute(new Write(ns.nsid(), slba, blocks).dataVectored(iovecs(out), 3));    // NVME_URING_CMD_IO_VEC
            q.execute(new Read(ns.nsid(), slba, blocks).dataVectored(iovecs(in), 3));
        }
        Patterns.assertSame(expected, concat(arena, in), "vectored uring_cmd read after vectored uring_cmd write");
        assertNvmeCliReads(slba, expected);
    }

    @Test
    void fixedBuffers() throws IOException {
        long slba = range(4);
        MemorySegment registered = arena.allocate(64 * 1024, 4096);
        Patterns.fill(registered.asSlice(0, 8192), 4);
        try (NvmeQueue q = NvmeQueue.open(ns, 8)) {
            q.ring().registerBuffers(registered);
            int blocks = 8192 / lba;
            q.executeFixed(new Write(ns.nsid(), slba, blocks).data(registered, 0, 8192), 0);
            q.executeFixed(new Read(ns.nsid(), slba, blocks).data(registered, 32768, 8192), 0);
        }
        Patterns.assertSame(registered.asSlice(0, 8192), registered.asSlice(32768, 8192),
                "fixed-buffer read after fixed-buffer write");
        assertNvmeCliReads(slba, registered.asSlice(0, 8192));
    }

    @Test
    void fixedBufferOutsideTheRegisteredOneIsEfault() throws IOException {
        MemorySegment registered = arena.allocate(8192, 4096);
        MemorySegment other = arena.allocate(8192, 4096);
        try (NvmeQueue q = NvmeQueue.open(ns, 8)) {
            q.ring().registerBuffers(registered);
            ErrnoException e = assertThrows(ErrnoException.class,
                    () -> q.executeFixed(new Read(ns.nsid(), range(4), 8192 / lba, other), 0));
            assertEquals("EFAULT", e.errnoName(), e.getMessage());
            // the queue is still usable
            q.executeFixed(new Read(ns.nsid(), range(4), 8192 / lba, registered), 0);
        }
    }

    @Test
    void vectoredWithFixedBuffersIsRefusedBefore616AndTheKernelSaysEinval() throws IOException {
        assumeTrue(!Host.kernelAtLeast(6, 16), "this kernel supports vectored fixed passthrough");
        MemorySegment buf = arena.allocate(4096, 4096);
        Read r = new Read(ns.nsid(), range(4), 4096 / lba).dataVectored(iovecs(buf), 1);
        try (NvmeQueue q = NvmeQueue.open(ns, 8)) {
            q.ring().registerBuffers(buf);
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                    () -> q.prepFixed(r, 0, 1));
            assertTrue(e.getMessage().contains("6.16"), e.getMessage());
            assertEquals(0, q.inFlight());

            // Bypassing the check, the kernel itself refuses it by name.
            Sqe sqe = q.ring().getSqe();
            NvmeQueue.prepare(sqe, ns.fd(), false, r, lba);
            sqe.opFlags(io.github.jring.bindings.Uapi.IORING_URING_CMD_FIXED()).bufIndex(0).userData(7);
            q.ring().submitAndWait(1);
            io.github.jring.core.Cqe c = q.ring().waitCqe();
            assertEquals(7, c.userData());
            int res = c.res();
            q.ring().cqeSeen(c);
            ErrnoException k = assertThrows(ErrnoException.class, () -> PassthroughOutcome.check(res, r));
            assertEquals("EINVAL", k.errnoName(), k.getMessage());
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
    void polledCompletionsOnAnIopollRingTakeNoInterrupts() throws IOException {
        assumeTrue(NvmeQueue.pollQueuesAvailable(ns), "no NVMe poll queues (nvme.poll_queues=0): "
                + "/sys/block/nvme0n1/queue/io_poll is not 1, so IOPOLL would not really poll");
        long slba = range(5);
        MemorySegment out = pattern(8 * lba, 5);
        MemorySegment in = arena.allocate(out.byteSize(), 4096);
        // Baseline: interrupt-driven commands do raise I/O queue interrupts (so the counter below means something).
        try (NvmeQueue q = NvmeQueue.open(ns, 8)) {
            long before = ioQueueInterrupts();
            for (int i = 0; i < 16; i++) {
                q.execute(new Read(ns.nsid(), slba, 8, in));
            }
            assertTrue(ioQueueInterrupts() >= before + 16, "interrupt-driven reads should be counted");
        }
        try (NvmeQueue q = NvmeQueue.builder(ns).ioPoll().entries(16).build()) {
            assertTrue(q.isPolled());
            long before = ioQueueInterrupts();
            q.execute(new Write(ns.nsid(), slba, 8, out));
            for (int i = 0; i < 16; i++) {
                in.fill((byte) 0);
                q.execute(new Read(ns.nsid(), slba, 8, in));
            }
            assertEquals(before, ioQueueInterrupts(), "polled commands must complete without I/O queue interrupts");
        }
        Patterns.assertSame(out, in, "polled read after polled write");
        assertNvmeCliReads(slba, out);
    }

    @Test
    void registeredFile() throws IOException {
        long slba = range(6);
        MemorySegment out = pattern(8 * lba, 6);
        MemorySegment in = arena.allocate(out.byteSize(), 4096);
        try (NvmeQueue q = NvmeQueue.builder(ns).registerFile().build()) {
            assertTrue(q.usesRegisteredFile());
            q.execute(new Write(ns.nsid(), slba, 8, out));
            q.execute(new Read(ns.nsid(), slba, 8, in));
        }
        Patterns.assertSame(out, in, "registered-file read after registered-file write");
        assertNvmeCliReads(slba, out);
    }

    /**
     * The core ring's fallbacks on a real older kernel: asked for {@code NO_MMAP} (6.5) and, by default,
     * {@code NO_SQARRAY} (6.6), the 6.1 guest answers EINVAL to both; the ring sets up with the kernel's memory and
     * the index array and carries passthrough as any other.
     */
    @Test
    void aRingAskedForNewerLayoutsFallsBackOn61AndCarriesPassthrough() throws IOException {
        assumeTrue(System.getProperty("os.version").startsWith("6.1."), "documents the 6.1 guest kernel's behaviour");
        long slba = range(9);
        MemorySegment out = pattern(8 * lba, 9);
        MemorySegment in = arena.allocate(out.byteSize(), 4096);
        try (IoUring ring = IoUring.builder().noMmap().sqe128().cqe32().build(8)) {
            assertEquals(0, ring.flags() & (Uapi.IORING_SETUP_NO_MMAP() | Uapi.IORING_SETUP_NO_SQARRAY()),
                    ring.toString());
            NvmeQueue q = NvmeQueue.on(ring, ns);
            q.execute(new Write(ns.nsid(), slba, 8, out));
            q.execute(new Read(ns.nsid(), slba, 8, in));
        }
        Patterns.assertSame(out, in, "read after write on the fallback ring");
        assertNvmeCliReads(slba, out);
    }

    @Test
    void everyTransportReadsWhatAnotherWrote() throws IOException {
        long slba = range(7);
        MemorySegment out = pattern(8 * lba, 7);
        ns.write(slba, out);                                            // handle: sync ioctl
        MemorySegment viaQueue = arena.allocate(out.byteSize(), 4096);
        MemorySegment viaPoll = arena.allocate(out.byteSize(), 4096);
        try (NvmeQueue q = NvmeQueue.builder(ns).registerFile().build()) {
            q.execute(new Read(ns.nsid(), slba, 8, viaQueue));
        }
        Patterns.assertSame(out, viaQueue, "uring_cmd read of an ioctl write");
        if (NvmeQueue.pollQueuesAvailable(ns)) {
            try (NvmeQueue q = NvmeQueue.builder(ns).ioPoll().build()) {
                q.ring().registerBuffers(viaPoll);
                q.executeFixed(new Read(ns.nsid(), slba, 8, viaPoll), 0);
            }
            Patterns.assertSame(out, viaPoll, "polled fixed-buffer read of an ioctl write");
        }
    }

    @Test
    void byteRangesAreCheckedForAlignmentAndSplitAtTheTransferLimit() throws IOException {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ns.readBytes(lba + 1, arena.allocate(lba, 4096)));
        assertTrue(e.getMessage().contains("not a multiple of the " + lba + "-byte LBA size"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ns.writeBytes(0, arena.allocate(lba + 3, 4096)));
        assertTrue(e.getMessage().contains("whole number"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ns.read(ns.blocks() - 1, arena.allocate(2L * lba)));
        assertTrue(e.getMessage().contains("outside"), e.getMessage());

        // Larger than MDTS: the handle splits it into several commands.
        long size = ns.maxTransferBytes() * 2 + 4096;
        assertTrue(size <= 2048L * lba * 2, "test range too small for " + size);
        long offset = range(8) * lba;
        MemorySegment out = pattern((int) size, 8);
        MemorySegment in = arena.allocate(size, 4096);
        ns.writeBytes(offset, out);
        ns.readBytes(offset, in);
        Patterns.assertSame(out, in, "split read after split write");
        assertNvmeCliReads(offset / lba + (size - 4096) / lba, out.asSlice(size - 4096));
    }

    @Test
    void discoveryFindsBothNamespacesWithSysfsFacts() throws IOException {
        List<NamespaceInfo> all = NvmeNamespaces.list();
        // The 6.12 flavour has nvme0's two and seven more (nvme/vm/README.md, "Flavours"); nvme0's come first.
        int expected = Flavour612.NAME.equals(FlavourCondition.currentFlavour()) ? 9 : 2;
        assertEquals(expected, all.size(), all.toString());
        NamespaceInfo n1 = all.get(0);
        NamespaceInfo n2 = all.get(1);
        assertEquals(GuestTools.NS1_CHAR, n1.charDevice());
        assertEquals(GuestTools.NS2_CHAR, n2.charDevice());
        assertEquals(GuestTools.NS1_BLOCK, n1.blockDevice());
        assertEquals(GuestTools.CONTROLLER, n1.controller());
        assertEquals(GuestTools.sysfsNsid(GuestTools.NS1_CHAR), n1.nsid());
        assertEquals(GuestTools.sysfsNsid(GuestTools.NS2_CHAR), n2.nsid());
        assertEquals(GuestTools.lbaSize(GuestTools.NS1_CHAR), n1.lbaSize());
        assertEquals(ns.sizeBytes(), n1.sizeBytes());
        assertFalse(n1.zoned());
        assertTrue(n2.zoned());
        assertEquals(GuestTools.idCtrl().get("mn").toString().trim(), n1.model());
        try (NvmeNamespace first = NvmeNamespaces.firstOpenable().orElseThrow()) {
            assertEquals(GuestTools.NS1_CHAR, first.path(), "conventional namespaces come first");
            assertFalse(first.isZoned());
        }
        try (NvmeNamespace zoned = NvmeNamespaces.firstOpenable(NamespaceInfo::zoned).orElseThrow()) {
            assertEquals(GuestTools.NS2_CHAR, zoned.path());
            assertTrue(zoned.isZoned());
        }
    }
}
