package io.github.jring.nvme;

import io.github.jring.core.internal.Syscalls;
import io.github.jring.core.internal.Host;
import io.github.jring.core.ErrnoException;
import io.github.jring.nvme.command.Copy;
import io.github.jring.nvme.command.DatasetManagement;
import io.github.jring.nvme.command.Flush;
import io.github.jring.nvme.command.NvmeCommand;
import io.github.jring.nvme.command.Read;
import io.github.jring.nvme.command.Write;
import io.github.jring.nvme.command.WriteUncorrectable;
import io.github.jring.nvme.command.WriteZeroes;
import io.github.jring.nvme.command.ZoneAction;
import io.github.jring.nvme.command.ZoneAppend;
import io.github.jring.nvme.command.ZoneManagementSend;
import io.github.jring.nvme.status.NvmeStatusCode;
import io.github.jring.nvme.status.NvmeStatusException;
import io.github.jring.vm.GuestTools;
import io.github.jring.core.internal.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 14: commands that must never reach the device (a buffer of a closed arena, a medium write on a read-only
 * handle, a handle whose namespace was closed and whose fd number now belongs to another device, a wrong NSID) are
 * refused before the kernel sees them, on every transport; the transfer is what the command says, not what its
 * buffer holds; and errors say their cause. nvme-cli reads (and report-zones) are the judges of what reached the disk.
 * Namespace 1 LBAs from {@link #BASE}, namespace 2 zones 12 to 15.
 */
class NvmeSafetyIT {

    /** LBA ranges of this class on namespace 1: 64 blocks each from here. */
    private static final long BASE = 393_216;
    private static int lba;
    private static long zoneSize;

    /** Every way jring sends a command. */
    enum Transport {
        /** The synchronous ioctl of the namespace handle. */
        IOCTL,
        /** A thread's own ioctl transport, from {@link NvmeNamespace#newIoctl()}. */
        NEW_IOCTL,
        /** uring_cmd through an {@link NvmeQueue}. */
        URING_CMD,
        /** uring_cmd with the data in a registered buffer. */
        FIXED,
        /** uring_cmd on an IOPOLL ring. */
        IOPOLL,
        /** {@link AsyncNamespace}'s blocking form: its rings, from this thread. */
        ASYNC
    }

    /** Sends one command. */
    interface Exec {
        long exec(NvmeCommand<?> command) throws IOException;
    }

    private Arena arena;
    private final Deque<AutoCloseable> closers = new ArrayDeque<>();

    @BeforeAll
    static void vm() throws IOException {
        GuestTools.requireVm();
        try (NvmeNamespace ns = NvmeNamespace.open(GuestTools.NS1_CHAR);
             NvmeNamespace zns = NvmeNamespace.open(GuestTools.NS2_CHAR)) {
            lba = ns.lbaSize();
            zoneSize = zns.zoneSize();
        }
    }

    @BeforeEach
    void arena() {
        arena = Arena.ofConfined();
    }

    @AfterEach
    void cleanUp() throws Exception {
        while (!closers.isEmpty()) {
            closers.pop().close();
        }
        arena.close();
    }

    private <T extends AutoCloseable> T closeLater(T t) {
        closers.push(t);
        return t;
    }

    private static long range(int n) {
        return BASE + n * 64L;
    }

    private static long zone(int i) {
        return i * zoneSize;
    }

    /** Opens transport {@code t} on {@code ns}; for {@link Transport#FIXED}, {@code fixed} is registered buffer 0. */
    private Exec open(Transport t, NvmeNamespace ns, MemorySegment fixed) throws IOException {
        switch (t) {
            case IOCTL:
                return ns::execute;
            case NEW_IOCTL: {
                NvmeIoctl io = closeLater(ns.newIoctl());
                return io::execute;
            }
            case URING_CMD: {
                NvmeQueue q = closeLater(NvmeQueue.open(ns, 8));
                return q::execute;
            }
            case FIXED: {
                NvmeQueue q = closeLater(NvmeQueue.open(ns, 8));
                q.ring().registerBuffers(fixed);
                return c -> c.dataAddress() != 0 ? q.executeFixed(c, 0) : q.execute(c);
            }
            case IOPOLL: {
                NvmeQueue q = closeLater(NvmeQueue.builder(ns).ioPoll().entries(8).build());
                return q::execute;
            }
            case ASYNC: {
                AsyncNamespace a = closeLater(AsyncNamespace.open(ns));
                return a::executeBlocking;
            }
            default:
                throw new AssertionError(t);
        }
    }

    private MemorySegment pattern(long bytes, long seed) {
        MemorySegment s = arena.allocate(bytes, 4096);
        Patterns.fill(s, seed);
        return s;
    }

    private static byte[] bytes(long size, long seed) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = a.allocate(size);
            Patterns.fill(s, seed);
            return s.toArray(ValueLayout.JAVA_BYTE);
        }
    }

    // ------------------------------------------------------------------------------------------ memory helpers --

    private static final MethodHandle MMAP;
    private static final MethodHandle MUNMAP;

    static {
        MMAP = Syscalls.link("mmap",
                FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
        MUNMAP = Syscalls.link("munmap",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
    }

    /**
     * {@code bytes} of anonymous mmap memory owned by {@code owner}: closing the arena unmaps it, so a device that
     * was given it anyway (the defect) gets EFAULT instead of scribbling over the JVM's malloc heap.
     */
    private static MemorySegment unmappedOnClose(Arena owner, long bytes) {
        try {
            MemorySegment raw = (MemorySegment) MMAP.invokeExact(MemorySegment.NULL, bytes, 3, 0x22, -1, 0L);
            assertTrue(raw.address() != -1L, "mmap failed");
            return raw.reinterpret(bytes, owner, s -> {
                try {
                    int r = (int) MUNMAP.invokeExact(s, bytes);
                } catch (Throwable e) {
                    throw new AssertionError(e);
                }
            });
        } catch (Throwable e) {
            throw new AssertionError(e);
        }
    }

    // ------------------------------------------------------------------------------- 1: use after free ------

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aWriteFromAClosedArenaIsRefusedAndNothingReachesTheDisk(Transport t) throws IOException {
        long slba = range(t.ordinal());
        byte[] before = bytes(8L * lba, 100 + t.ordinal());
        GuestTools.nvmeWrite(GuestTools.NS1_CHAR, slba, before);
        try (NvmeNamespace ns = NvmeNamespace.open(GuestTools.NS1_CHAR)) {
            Arena gone = Arena.ofConfined();
            MemorySegment buf = gone.allocate(8L * lba, 4096);
            Patterns.fill(buf, 200 + t.ordinal());
            Exec e = open(t, ns, buf);
            Write w = new Write(ns.nsid(), slba, 8, buf);
            gone.close();
            IllegalStateException x = assertThrows(IllegalStateException.class, () -> e.exec(w), t.name());
            assertTrue(x.getMessage().contains("Write (nsid 1, SLBA 0x" + Long.toHexString(slba)), x.getMessage());
            assertTrue(x.getMessage().contains("data buffer belongs to a closed arena"), x.getMessage());
        }
        assertArrayEquals(before, GuestTools.nvmeRead(GuestTools.NS1_CHAR, slba, 8), "the disk is unchanged");
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aReadIntoAClosedArenaIsRefused(Transport t) throws IOException {
        try (NvmeNamespace ns = NvmeNamespace.open(GuestTools.NS1_CHAR)) {
            Arena gone = Arena.ofConfined();
            MemorySegment buf = unmappedOnClose(gone, 8L * lba);
            Exec e = open(t, ns, buf);
            Read r = new Read(ns.nsid(), range(t.ordinal()), 8, buf);
            gone.close();
            IllegalStateException x = assertThrows(IllegalStateException.class, () -> e.exec(r), t.name());
            assertTrue(x.getMessage().startsWith("Read (nsid 1"), x.getMessage());
            assertTrue(x.getMessage().contains("data buffer belongs to a closed arena"), x.getMessage());
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aMetadataBufferOfAClosedArenaIsRefused(Transport t) throws IOException {
        try (NvmeNamespace ns = NvmeNamespace.open(GuestTools.NS1_CHAR)) {
            MemorySegment data = arena.allocate(8L * lba, 4096);
            Arena gone = Arena.ofConfined();
            MemorySegment meta = unmappedOnClose(gone, 4096);
            Exec e = open(t, ns, data);
            Read r = new Read(ns.nsid(), range(t.ordinal()), 8, data).metadata(meta);
            gone.close();
            IllegalStateException x = assertThrows(IllegalStateException.class, () -> e.exec(r), t.name());
            assertTrue(x.getMessage().contains("metadata buffer belongs to a closed arena"), x.getMessage());
        }
    }

    // ------------------------------------------------------------------------------- 2: read-only handles ------

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aReadOnlyHandleRefusesEveryCommandThatWritesTheMedium(Transport t) throws IOException {
        long slba = range(8 + t.ordinal());
        byte[] before = bytes(16L * lba, 300 + t.ordinal());
        GuestTools.nvmeWrite(GuestTools.NS1_CHAR, slba, before);
        try (NvmeNamespace ro = NvmeNamespace.openReadOnly(GuestTools.NS1_CHAR)) {
            assertFalse(ro.isWritable());
            MemorySegment data = pattern(8L * lba, 400 + t.ordinal());
            MemorySegment ranges = arena.allocate(4096, 4096);
            DatasetManagement.range(ranges, 0, slba, 16);
            MemorySegment sources = arena.allocate(4096, 4096);
            Copy.sourceRange(sources, 0, slba + 8, 8);
            Exec e = open(t, ro, data);
            List<NvmeCommand<?>> writes = List.of(new Write(ro.nsid(), slba, 8, data),
                    new WriteZeroes(ro.nsid(), slba, 16), new WriteUncorrectable(ro.nsid(), slba, 1),
                    new DatasetManagement(ro.nsid(), 1, ranges).deallocate(true),
                    new Copy(ro.nsid(), slba, 1, sources));
            for (NvmeCommand<?> c : writes) {
                IllegalStateException x = assertThrows(IllegalStateException.class, () -> e.exec(c),
                        t + " " + c.describe());
                assertTrue(x.getMessage().contains("read-only"), x.getMessage());
                assertTrue(x.getMessage().contains(c.name()), x.getMessage());
            }
            if (t == Transport.IOCTL) {
                assertThrows(IllegalStateException.class, () -> ro.write(slba, data));
            }
            // What does not change the medium is allowed: reads, Flush, a DSM of hints only.
            e.exec(new Read(ro.nsid(), slba, 8, data));         // data: the registered buffer of FIXED
            assertArrayEquals(java.util.Arrays.copyOf(before, 8 * lba), data.toArray(ValueLayout.JAVA_BYTE));
            if (t == Transport.IOPOLL && !Host.kernelAtLeast(6, 5)) {
                // Found here: a command without data on an IOPOLL ring never completed on 6.1 (the test hung).
                IllegalStateException x = assertThrows(IllegalStateException.class, () -> e.exec(new Flush(ro.nsid())));
                assertTrue(x.getMessage().contains("IOPOLL"), x.getMessage());
            } else {
                e.exec(new Flush(ro.nsid()));
            }
        }
        assertArrayEquals(before, GuestTools.nvmeRead(GuestTools.NS1_CHAR, slba, 16), "the disk is unchanged");
    }

    private static long writePointer(int zoneIndex) {
        Map<String, Object> z = GuestTools.reportZones(GuestTools.NS2_CHAR).get(zoneIndex);
        return new java.math.BigInteger(z.get("wp").toString()).longValueExact();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aReadOnlyZonedHandleRefusesAppendAndZoneManagement(Transport t) throws IOException {
        GuestTools.run("nvme", "zns", "reset-zone", GuestTools.NS2_CHAR.toString(), "--start-lba=" + zone(12))
                .checkSuccess();
        GuestTools.nvmeWrite(GuestTools.NS2_CHAR, zone(12), bytes(8L * lba, 7));
        long wp = writePointer(12);
        assertEquals(zone(12) + 8, wp);
        try (NvmeNamespace ro = NvmeNamespace.openReadOnly(GuestTools.NS2_CHAR)) {
            MemorySegment data = pattern(8L * lba, 500);
            Exec e = open(t, ro, data);
            for (NvmeCommand<?> c : List.<NvmeCommand<?>>of(new ZoneAppend(ro.nsid(), zone(12), 8, data),
                    new ZoneManagementSend(ro.nsid(), zone(12), ZoneAction.RESET),
                    new ZoneManagementSend(ro.nsid(), zone(12), ZoneAction.FINISH),
                    new Write(ro.nsid(), wp, 8, data))) {
                IllegalStateException x = assertThrows(IllegalStateException.class, () -> e.exec(c),
                        t + " " + c.describe());
                assertTrue(x.getMessage().contains("read-only"), x.getMessage());
            }
        }
        assertEquals(wp, writePointer(12), "the zone is untouched");
    }

    // ------------------------------------------------------------------------------- 3: oversized buffers ------

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"IOCTL", "NEW_IOCTL", "URING_CMD", "IOPOLL"})
    void aBufferLargerThanTheCommandTransfersOnlyTheCommandsBlocks(Transport t) throws IOException {
        long slba = range(16 + t.ordinal());
        byte[] before = bytes(2L * lba, 600 + t.ordinal());
        GuestTools.nvmeWrite(GuestTools.NS1_CHAR, slba, before);
        try (NvmeNamespace ns = NvmeNamespace.open(GuestTools.NS1_CHAR)) {
            MemorySegment big = arena.allocate(1 << 20, 4096);
            big.fill((byte) 0x5A);
            Exec e = open(t, ns, big);
            e.exec(new Read(ns.nsid(), slba, 1, big));
            assertArrayEquals(java.util.Arrays.copyOf(before, lba), big.asSlice(0, lba).toArray(ValueLayout.JAVA_BYTE));
            assertEquals((byte) 0x5A, big.get(ValueLayout.JAVA_BYTE, lba), "nothing past the one block was written");
            assertEquals((byte) 0x5A, big.get(ValueLayout.JAVA_BYTE, big.byteSize() - 1));

            // The real status of an out-of-range read is not hidden behind EINVAL.
            NvmeStatusException x = assertThrows(NvmeStatusException.class,
                    () -> e.exec(new Read(ns.nsid(), ns.blocks(), 1, big)));
            assertEquals(NvmeStatusCode.LBA_OUT_OF_RANGE, x.code(), x.getMessage());

            Patterns.fill(big, 700 + t.ordinal());
            e.exec(new Write(ns.nsid(), slba, 1, big));
        }
        byte[] after = GuestTools.nvmeRead(GuestTools.NS1_CHAR, slba, 2);
        byte[] expected = before.clone();
        System.arraycopy(bytes(1 << 20, 700 + t.ordinal()), 0, expected, 0, lba);
        assertArrayEquals(expected, after, "one block written, the next one untouched");
    }

    /**
     * With fixed buffers Linux 6.1 refuses a registered buffer whose pages from the command's start exceed the
     * queue's 127 segments whatever data_len says, so this uses a 256 KiB buffer: under the MDTS, where the extra
     * length was harmless even before the fix.
     */
    @Test
    void aLargerRegisteredBufferTransfersOnlyTheCommandsBlocks() throws IOException {
        long slba = range(24);
        byte[] before = bytes(2L * lba, 800);
        GuestTools.nvmeWrite(GuestTools.NS1_CHAR, slba, before);
        try (NvmeNamespace ns = NvmeNamespace.open(GuestTools.NS1_CHAR)) {
            MemorySegment big = arena.allocate(256 << 10, 4096);
            big.fill((byte) 0x5A);
            Exec e = open(Transport.FIXED, ns, big);
            e.exec(new Read(ns.nsid(), slba, 1, big));
            assertArrayEquals(java.util.Arrays.copyOf(before, lba), big.asSlice(0, lba).toArray(ValueLayout.JAVA_BYTE));
            assertEquals((byte) 0x5A, big.get(ValueLayout.JAVA_BYTE, lba));
            NvmeStatusException x = assertThrows(NvmeStatusException.class,
                    () -> e.exec(new Read(ns.nsid(), ns.blocks(), 1, big)));
            assertEquals(NvmeStatusCode.LBA_OUT_OF_RANGE, x.code(), x.getMessage());
        }
    }

    // ---------------------------------------------------------------------- 4: a handle reaches another device --

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"NEW_IOCTL", "URING_CMD", "FIXED", "IOPOLL", "ASYNC"})
    void aQueueOfAClosedNamespaceNeverReachesTheDeviceThatReusedItsFd(Transport t) throws IOException {
        GuestTools.run("nvme", "zns", "reset-zone", GuestTools.NS2_CHAR.toString(), "--start-lba=" + zone(13))
                .checkSuccess();
        MemorySegment buf = pattern(8L * lba, 900);
        NvmeNamespace ns1 = NvmeNamespace.open(GuestTools.NS1_CHAR);
        int fd = ns1.fd();
        Exec old = open(t, ns1, buf);
        ns1.close();
        try (NvmeNamespace ns2 = NvmeNamespace.open(GuestTools.NS2_CHAR)) {
            assertEquals(fd, ns2.fd(), "the user's case: /dev/ng0n2 got the closed namespace's fd number");
            assertEquals(2, ns2.nsid());
            IllegalStateException r = assertThrows(IllegalStateException.class,
                    () -> old.exec(new Read(2, zone(13), 8, buf)), t.name());
            assertTrue(r.getMessage().contains("/dev/ng0n1"), r.getMessage());
            assertTrue(r.getMessage().contains("closed"), r.getMessage());
            assertThrows(IllegalStateException.class, () -> old.exec(new Write(2, zone(13), 8, buf)), t.name());
            assertThrows(IllegalStateException.class, () -> old.exec(new Read(1, BASE, 8, buf)), t.name());
        }
        assertEquals(zone(13), writePointer(13), "nothing was written to /dev/ng0n2");
    }

    @Test
    void aClosedQueueNamesItselfAndItsNamespace() throws IOException {
        try (NvmeNamespace ns = NvmeNamespace.open(GuestTools.NS1_CHAR)) {
            NvmeQueue q = NvmeQueue.open(ns, 4);
            q.close();
            MemorySegment buf = arena.allocate(lba, 4096);
            IllegalStateException x = assertThrows(IllegalStateException.class,
                    () -> q.execute(new Read(ns.nsid(), BASE, 1, buf)));
            assertTrue(x.getMessage().contains("NvmeQueue"), x.getMessage());
            assertTrue(x.getMessage().contains("/dev/ng0n1"), x.getMessage());
            assertTrue(x.getMessage().contains("closed"), x.getMessage());
            assertFalse(x.getMessage().contains("io_uring (fd"), x.getMessage());
        }
    }

    // ------------------------------------------------------------------------- 5: errors that say the cause ------

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aWrongNsidIsRefusedNamingBoth(Transport t) throws IOException {
        try (NvmeNamespace ns = NvmeNamespace.open(GuestTools.NS1_CHAR)) {
            MemorySegment buf = arena.allocate(lba, 4096);
            Exec e = open(t, ns, buf);
            IllegalArgumentException x = assertThrows(IllegalArgumentException.class,
                    () -> e.exec(new Read(2, BASE, 1, buf)), t.name());
            assertTrue(x.getMessage().contains("nsid 2"), x.getMessage());
            assertTrue(x.getMessage().contains("/dev/ng0n1 is namespace 1"), x.getMessage());
            e.exec(new Read(1, BASE, 1, buf));   // still usable
        }
    }

    @Test
    void passthroughOnTheBlockDeviceSaysToUseTheGenericDevice() throws IOException {
        try (NvmeNamespace blk = NvmeNamespace.open(GuestTools.NS1_BLOCK)) {
            IllegalArgumentException x = assertThrows(IllegalArgumentException.class, () -> NvmeQueue.open(blk, 4));
            assertTrue(x.getMessage().contains("/dev/ng0n1"), x.getMessage());
            assertTrue(x.getMessage().contains("block device"), x.getMessage());
        }
        String doc = Files.readString(Path.of(System.getProperty("user.dir")).getParent()
                .resolve("docs/getting-started.md"));
        assertFalse(doc.contains("fails at NVME_IOCTL_ID"), "the troubleshooting row is corrected");
    }

    @Test
    void aControllerHandleRefusesANamespaceDevice() {
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class,
                () -> NvmeController.open(GuestTools.NS1_CHAR).close());
        assertTrue(x.getMessage().contains("/dev/nvme0"), x.getMessage());
        assertThrows(IllegalArgumentException.class, () -> NvmeController.open(GuestTools.NS1_BLOCK).close());
    }

    // ---------------------------------------------------------------------- 6: what the controller really says --

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aZoneAppendNotAtAZoneStartIsInvalidFieldAsNvmeCliSees(Transport t) throws IOException {
        long notAStart = zone(14) + 8;
        try (NvmeNamespace ns = NvmeNamespace.open(GuestTools.NS2_CHAR)) {
            MemorySegment buf = pattern(lba, 1000);
            Exec e = open(t, ns, buf);
            NvmeStatusException x = assertThrows(NvmeStatusException.class,
                    () -> e.exec(new ZoneAppend(ns.nsid(), notAStart, 1, buf)), t.name());
            assertEquals(NvmeStatusCode.INVALID_FIELD, x.code(), x.getMessage());
            Path file = Files.createTempFile("append", ".bin");
            try {
                Files.write(file, buf.toArray(ValueLayout.JAVA_BYTE));
                GuestTools.Result cli = GuestTools.run("nvme", "zns", "zone-append", GuestTools.NS2_CHAR.toString(),
                        "--zslba=" + notAStart, "--data-size=" + lba, "--data=" + file);
                assertTrue(cli.exitCode() != 0, cli.describe());
                assertTrue((cli.stdout() + cli.stderr()).contains(String.format("0x%x", x.status().value())),
                        "nvme-cli reports the same status: " + cli.describe());
            } finally {
                Files.deleteIfExists(file);
            }
        }
        assertEquals(zone(14), writePointer(14), "nothing was appended");
    }

    // ---------------------------------------------------------------------------- 5: unprivileged passthrough --

    @Test
    void anUnprivilegedIdentifySaysWhatTheKernelAllows() throws IOException {
        Path nvme = Path.of(System.getProperty("user.dir"));
        Path root = nvme.getParent();
        String cp = String.join(":", nvme.resolve("target/test-classes").toString(),
                nvme.resolve("target/classes").toString(), root.resolve("core/target/classes").toString(),
                root.resolve("bindings/target/classes").toString());
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        GuestTools.run("chmod", "0666", GuestTools.NS1_CHAR.toString()).checkSuccess();
        try {
            GuestTools.Result r = GuestTools.run("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                    java, "-XX:-UsePerfData", "-Xshare:off", "--enable-native-access=ALL-UNNAMED", "-cp", cp,
                    UnprivilegedProbe.class.getName(), GuestTools.NS1_CHAR.toString());
            String out = r.stdout().trim();
            org.junit.jupiter.api.Assumptions.assumeTrue(r.exitCode() == 0 && !out.isEmpty(),
                    "the unprivileged JVM did not run: " + r.describe());
            if (Host.kernelAtLeast(6, 2)) {
                assertEquals("ok", out, "6.2+ lets a user with access to the node read and identify");
            } else {
                assertTrue(out.startsWith(ErrnoException.class.getName()), out);
                assertTrue(out.contains("EACCES"), out);
                assertTrue(out.contains("6.2"), "says which kernel allows it: " + out);
                assertTrue(out.contains("Identify"), "says which commands: " + out);
            }
        } finally {
            GuestTools.run("chmod", "0600", GuestTools.NS1_CHAR.toString()).checkSuccess();
        }
    }

    // ------------------------------------------------------------------------ 5: IOPOLL without poll queues ------

    private static String ioPoll() {
        return GuestTools.sysfsQueue(GuestTools.NS1_BLOCK, "io_poll").trim();
    }

    /** Sets nvme.poll_queues and resets the controller, which samples it; waits until the namespace is back. */
    private static void resetWithPollQueues(int n) throws InterruptedException {
        GuestTools.run("sh", "-c", "echo " + n + " > /sys/module/nvme/parameters/poll_queues"
                + " && echo 1 > /sys/class/nvme/nvme0/reset_controller").checkSuccess();
        for (int i = 0; i < 600; i++) {
            GuestTools.Result st = GuestTools.run("cat", "/sys/class/nvme/nvme0/state");
            if (st.stdout().trim().equals("live") && Files.exists(GuestTools.NS1_CHAR)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the controller did not come back after a reset");
    }

    @Test
    void anIoPollQueueWithoutPollQueuesIsRefusedOrWarnedAsAsked() throws Exception {
        assertEquals("1", ioPoll(), "the harness boots with nvme.poll_queues=1");
        resetWithPollQueues(0);
        try {
            org.junit.jupiter.api.Assumptions.assumeTrue(ioPoll().equals("0"),
                    "this kernel keeps io_poll after a reset with poll_queues=0: needs a VM booted with"
                            + " --poll-queues 0");
            try (NvmeNamespace ns = NvmeNamespace.open(GuestTools.NS1_CHAR)) {
                assertFalse(NvmeQueue.pollQueuesAvailable(ns));
                IllegalStateException x = assertThrows(IllegalStateException.class,
                        () -> NvmeQueue.builder(ns).ioPoll().entries(4).build().close());
                assertTrue(x.getMessage().contains("no poll queues"), x.getMessage());
                assertTrue(x.getMessage().contains("poll_queues"), x.getMessage());
                MemorySegment buf = arena.allocate(lba, 4096);
                try (NvmeQueue q = NvmeQueue.builder(ns).ioPoll(NvmeQueue.IfNoPollQueues.WARN).entries(4).build()) {
                    assertTrue(q.isPolled());
                    q.execute(new Read(ns.nsid(), BASE, 1, buf));   // works, by interrupt
                }
            }
        } finally {
            resetWithPollQueues(1);
        }
        assertEquals("1", ioPoll(), "poll queues are back for the other tests");
    }

    // ------------------------------------------------------------------------------ the checks cost nothing ------

    private static long allocatedBytes() {
        try {
            Object bean = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean")
                    .invoke(null);
            return (Long) Class.forName("com.sun.management.ThreadMXBean")
                    .getMethod("getCurrentThreadAllocatedBytes").invoke(bean);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    /** Completions of {@link #theCheckedPathsAllocateNothingPerCommand}, counted without boxing. */
    private int errors;

    /**
     * The checks (open handles, live arenas, NSID, read-only, lengths) and the in-flight slots add no allocation per
     * command: after a warm-up, bytes allocated per Read stay below one on each transport.
     */
    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"NEW_IOCTL", "URING_CMD", "FIXED", "IOPOLL"})
    void theCheckedPathsAllocateNothingPerCommand(Transport t) throws IOException {
        int depth = 8;
        int warm = 20_000;
        int measured = 20_000;
        try (NvmeNamespace ns = NvmeNamespace.open(GuestTools.NS1_CHAR)) {
            MemorySegment buffers = arena.allocate((long) depth * lba, 4096);
            Read[] slot = new Read[depth];
            for (int i = 0; i < depth; i++) {
                slot[i] = new Read(ns.nsid(), BASE + i, 1).data(buffers, (long) i * lba, lba);
            }
            long bytes;
            if (t == Transport.NEW_IOCTL) {
                try (NvmeIoctl io = ns.newIoctl()) {
                    for (int i = 0; i < warm; i++) {
                        errors += io.submit(slot[i & 7]) != 0 ? 1 : 0;
                    }
                    long a0 = allocatedBytes();
                    for (int i = 0; i < measured; i++) {
                        errors += io.submit(slot[i & 7]) != 0 ? 1 : 0;
                    }
                    bytes = allocatedBytes() - a0;
                }
            } else {
                NvmeQueue.Builder b = NvmeQueue.builder(ns).entries(depth);
                if (t == Transport.IOPOLL) {
                    b.ioPoll();
                }
                try (NvmeQueue q = b.build()) {
                    if (t == Transport.FIXED) {
                        MemorySegment[] each = new MemorySegment[depth];
                        for (int i = 0; i < depth; i++) {
                            each[i] = buffers.asSlice((long) i * lba, lba);
                        }
                        q.ring().registerBuffers(each);
                    }
                    boolean fixed = t == Transport.FIXED;
                    NvmeCompletionHandler again = (userData, res, result) -> {
                        errors += res != 0 ? 1 : 0;
                        int i = (int) userData;
                        boolean ok = fixed ? q.prepFixed(slot[i], i, i) : q.prep(slot[i], i);
                        assertTrue(ok);
                    };
                    for (int i = 0; i < depth; i++) {
                        assertTrue(fixed ? q.prepFixed(slot[i], i, i) : q.prep(slot[i], i));
                    }
                    q.submit();
                    int done = 0;
                    while (done < warm) {
                        done += q.waitAndReap(1, again);
                        q.submit();
                    }
                    long a0 = allocatedBytes();
                    done = 0;
                    while (done < measured) {
                        done += q.waitAndReap(1, again);
                        q.submit();
                    }
                    bytes = allocatedBytes() - a0;
                    q.waitAndReap(q.inFlight(), (userData, res, result) -> { });
                }
            }
            assertEquals(0, errors, "every read succeeded");
            assertTrue(bytes < measured, t + ": " + bytes + " bytes for " + measured + " commands ("
                    + (double) bytes / measured + " B/op)");
        }
    }
}
