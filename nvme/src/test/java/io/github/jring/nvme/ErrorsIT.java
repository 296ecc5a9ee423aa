package io.github.jring.nvme;

import io.github.jring.core.internal.Syscalls;
import io.github.jring.core.ErrnoException;
import io.github.jring.nvme.command.Compare;
import io.github.jring.nvme.command.Identify;
import io.github.jring.nvme.command.RawCommand;
import io.github.jring.nvme.command.Read;
import io.github.jring.nvme.command.Write;
import io.github.jring.nvme.command.WriteUncorrectable;
import io.github.jring.nvme.data.IdentifyController;
import io.github.jring.nvme.status.PassthroughOutcome;
import io.github.jring.nvme.status.NvmeStatus;
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
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Failures come back as the right named error through both transports, with the device's NVMe status kept apart
 * from the kernel's errno, and the queue stays usable afterwards. Where nvme-cli can send the same failing command,
 * its decoding of the status is the oracle for jring's.
 */
class ErrorsIT {

    private static final long BASE = 65_536;

    private static NvmeNamespace ns;
    private static NvmeQueue queue;
    private static int lba;
    private Arena arena;

    @BeforeAll
    static void open() throws IOException {
        GuestTools.requireVm();
        ns = NvmeNamespace.open(GuestTools.NS1_CHAR);
        queue = NvmeQueue.open(ns, 16);
        lba = ns.lbaSize();
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

    /** The queue still does I/O: a write and a read of a fresh pattern. */
    private void assertQueueStillWorks() throws IOException {
        MemorySegment out = arena.allocate(4 * lba, 4096);
        MemorySegment in = arena.allocate(4 * lba, 4096);
        Patterns.fill(out, System.nanoTime());
        queue.execute(new Write(ns.nsid(), BASE, 4, out));
        queue.execute(new Read(ns.nsid(), BASE, 4, in));
        Patterns.assertSame(out, in, "I/O after an error");
        assertEquals(0, queue.inFlight());
    }

    /** The status nvme-cli reports for a failing command, e.g. "(0x4080)". */
    private static int nvmeCliStatus(GuestTools.Result r) {
        Matcher m = Pattern.compile("NVMe status: .*\\(0x([0-9a-fA-F]+)\\)").matcher(r.stdout() + r.stderr());
        assertTrue(m.find(), "no NVMe status in: " + r.describe());
        return Integer.parseInt(m.group(1), 16);
    }

    @Test
    void lbaOutOfRangeIsNamedAndEqualsNvmeCliStatus() throws IOException {
        long past = ns.blocks();
        MemorySegment buf = arena.allocate(lba, 4096);
        Read r = new Read(ns.nsid(), past, 1, buf);

        NvmeStatusException sync = assertThrows(NvmeStatusException.class, () -> ns.execute(r));
        NvmeStatusException async = assertThrows(NvmeStatusException.class, () -> queue.execute(r));
        for (NvmeStatusException e : new NvmeStatusException[] {sync, async}) {
            assertEquals(NvmeStatusCode.LBA_OUT_OF_RANGE, e.code(), e.getMessage());
            assertTrue(e.status().dnr(), "the controller sets Do Not Retry: " + e.status());
            assertTrue(e.getMessage().startsWith("Read (nsid 1, SLBA 0x" + Long.toHexString(past) + ", 1 block)"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("LBA Out of Range"), e.getMessage());
        }
        assertEquals(sync.status(), async.status(), "both transports return the same status");

        GuestTools.Result cli = GuestTools.run("nvme", "read", GuestTools.NS1_CHAR.toString(),
                "--start-block=" + past, "--block-count=0", "--data-size=" + lba, "--data=/dev/null");
        assertEquals(nvmeCliStatus(cli), sync.status().value(), "the status field as nvme-cli decodes it");
        assertQueueStillWorks();
    }

    @Test
    void wrongNamespaceIdIsRefusedBeforeTheKernelsBareEinval() throws IOException {
        MemorySegment buf = arena.allocate(lba, 4096);
        Read r = new Read(ns.nsid() + 1, BASE, 1, buf);
        IllegalArgumentException sync = assertThrows(IllegalArgumentException.class, () -> ns.execute(r));
        IllegalArgumentException async = assertThrows(IllegalArgumentException.class, () -> queue.execute(r));
        assertEquals(sync.getMessage(), async.getMessage());
        assertTrue(async.getMessage().contains("nsid 2, but /dev/ng0n1 is namespace 1"), async.getMessage());
        assertEquals(0, queue.ring().sqReady(), "nothing was queued");
        assertQueueStillWorks();
    }

    @Test
    void identifyOfANonexistentNamespaceIsInvalidNamespaceOrFormat() throws IOException {
        try (NvmeController ctrl = NvmeController.open(GuestTools.CONTROLLER);
             NvmeQueue admin = NvmeQueue.open(ctrl, 4)) {
            MemorySegment buf = arena.allocate(4096, 4096);
            int nn = ctrl.identify().nn();
            Identify id = Identify.namespace(nn + 1).data(buf);
            NvmeStatusException sync = assertThrows(NvmeStatusException.class, () -> ctrl.execute(id));
            NvmeStatusException async = assertThrows(NvmeStatusException.class, () -> admin.execute(id));
            assertEquals(NvmeStatusCode.INVALID_NAMESPACE_OR_FORMAT, sync.code(), sync.getMessage());
            assertEquals(sync.status(), async.status());
            GuestTools.Result cli = GuestTools.run("nvme", "id-ns", GuestTools.CONTROLLER.toString(),
                    "--namespace-id=" + (nn + 1));
            assertEquals(nvmeCliStatus(cli), sync.status().value(), cli.describe());
            buf.fill((byte) 0);
            admin.execute(Identify.controller().data(buf));
            assertEquals(nn, IdentifyController.decode(buf).nn(), "the admin queue still works");
        }
    }

    @Test
    void aBufferTooSmallIsRefusedBeforeTheKernelSeesIt() throws IOException {
        MemorySegment small = arena.allocate(lba, 4096);
        Read r = new Read(ns.nsid(), BASE, 8, small);
        IllegalArgumentException sync = assertThrows(IllegalArgumentException.class, () -> ns.execute(r));
        IllegalArgumentException async = assertThrows(IllegalArgumentException.class, () -> queue.execute(r));
        assertTrue(async.getMessage().contains("transfers " + 8 * lba + " bytes but its data buffer has " + lba),
                async.getMessage());
        assertEquals(sync.getMessage(), async.getMessage());
        assertEquals(0, queue.inFlight());
        assertEquals(0, queue.ring().sqReady(), "nothing was queued");
        // Identify and log pages know their sizes too.
        IllegalArgumentException id = assertThrows(IllegalArgumentException.class,
                () -> ns.execute(Identify.controller().data(arena.allocate(512, 4096))));
        assertTrue(id.getMessage().contains("4096"), id.getMessage());
        assertQueueStillWorks();
    }

    @Test
    void compareMismatchIsCompareFailure() throws IOException {
        MemorySegment data = arena.allocate(4 * lba, 4096);
        Patterns.fill(data, 99);
        ns.write(BASE + 8, data);
        queue.execute(new Compare(ns.nsid(), BASE + 8, 4, data));          // equal: success
        ns.execute(new Compare(ns.nsid(), BASE + 8, 4, data));
        data.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 3 * lba + 7, (byte) ~data.get(
                java.lang.foreign.ValueLayout.JAVA_BYTE, 3 * lba + 7));
        NvmeStatusException e = assertThrows(NvmeStatusException.class,
                () -> queue.execute(new Compare(ns.nsid(), BASE + 8, 4, data)));
        assertEquals(NvmeStatusCode.COMPARE_FAILURE, e.code(), e.getMessage());
        assertEquals(2, e.status().sct(), "a media and data integrity error");
        assertQueueStillWorks();
    }

    @Test
    void anUnsupportedCommandGetsTheStatusNvmeCliGets() throws IOException {
        boolean advertised;
        try (NvmeController ctrl = NvmeController.open(GuestTools.CONTROLLER)) {
            advertised = ctrl.identify().supportsWriteUncorrectable();
        }
        GuestTools.Result cli = GuestTools.run("nvme", "write-uncor", GuestTools.NS1_CHAR.toString(),
                "--start-block=" + (BASE + 100), "--block-count=0");
        WriteUncorrectable wu = new WriteUncorrectable(ns.nsid(), BASE + 100, 1);
        if (cli.exitCode() == 0) {
            assertTrue(advertised);
            queue.execute(wu);
        } else {
            NvmeStatusException e = assertThrows(NvmeStatusException.class, () -> queue.execute(wu));
            assertEquals(nvmeCliStatus(cli), e.status().value());
            if (!advertised) {
                assertEquals(NvmeStatusCode.INVALID_COMMAND_OPCODE, e.code(), e.getMessage());
            }
        }
        NvmeStatusException raw = assertThrows(NvmeStatusException.class,
                () -> queue.execute(RawCommand.io(0xFC, ns.nsid())));           // a reserved/vendor opcode
        assertEquals(NvmeStatusCode.INVALID_COMMAND_OPCODE, raw.code(), raw.getMessage());
        assertQueueStillWorks();
    }

    @Test
    @SuppressWarnings("restricted") // a raw syscall downcall, to drop privileges on one thread
    void permissionDeniedSaysWhatToDo() throws Throwable {
        // Drop to uid 65534 on one thread only: the raw setresuid system call changes the calling thread's
        // credentials (glibc's wrapper would change every thread's), and the thread ends afterwards.
        MethodHandle syscall = Syscalls.link("syscall",
                FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
                Linker.Option.firstVariadicArg(1));
        long sysSetresuid = 117; // x86_64
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                long r = (long) syscall.invokeExact(sysSetresuid, -1L, 65534L, -1L);
                assertEquals(0, r, "setresuid");
                NvmeNamespace.open(GuestTools.NS1_CHAR).close();
                thrown.set(new AssertionError("opened " + GuestTools.NS1_CHAR + " as uid 65534"));
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        t.join();
        ErrnoException e = assertInstanceOf(ErrnoException.class, thrown.get());
        assertEquals("EACCES", e.errnoName(), e.getMessage());
        assertTrue(e.getMessage().startsWith("open /dev/ng0n1: EACCES"), e.getMessage());
        assertTrue(e.getMessage().contains("Run as root"), e.getMessage());
        assertTrue(e.getMessage().contains("6.2"), e.getMessage());
        assertTrue(e.getMessage().contains("udev"), e.getMessage());
        assertNotNull(ns.identify(), "this thread is still root");
        NvmeNamespace.open(GuestTools.NS1_CHAR).close();
    }

    @Test
    void reapedCompletionsKeepStatusAndErrnoApart() throws IOException {
        MemorySegment buf = arena.allocate(lba, 4096);
        int[] res = new int[3];
        assertTrue(queue.prep(new Read(ns.nsid(), BASE, 1, buf), 0));
        assertTrue(queue.prep(new Read(ns.nsid(), ns.blocks() + 5, 1, buf), 1));
        // A kernel errno for a queued command: registered buffer 0 of a ring with none (a wrong NSID, the old way
        // to get one, is now refused before it is queued).
        assertTrue(queue.prepFixed(new Read(ns.nsid(), BASE, 1, buf), 0, 2));
        queue.submit();
        queue.waitAndReap(3, (userData, r, result) -> res[(int) userData] = r);
        assertEquals(0, res[0], PassthroughOutcome.describe(res[0]));
        assertTrue(PassthroughOutcome.isNvmeStatus(res[1]));
        assertEquals(NvmeStatusCode.LBA_OUT_OF_RANGE, new NvmeStatus(res[1]).code());
        assertTrue(PassthroughOutcome.isErrno(res[2]));
        assertEquals("EFAULT (Bad address)", PassthroughOutcome.describe(res[2]));
        NvmeStatusException s = assertThrows(NvmeStatusException.class, () -> PassthroughOutcome.check(res[1], "read 1"));
        assertEquals(NvmeStatusCode.LBA_OUT_OF_RANGE, s.code());
        assertInstanceOf(ErrnoException.class, PassthroughOutcome.exception(res[2], "read 2"));
        assertQueueStillWorks();
    }
}
