package io.github.jring.core;

import io.github.jring.bindings.Uapi;
import io.github.jring.core.async.AsyncRing;
import io.github.jring.core.async.AsyncRingBuilder;
import io.github.jring.core.async.Completion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code IORING_OP_URING_CMD} proven on the host without NVMe: the socket commands (Linux 6.7,
 * {@code SOCKET_URING_OP_SIOCINQ}, {@code SIOCOUTQ}, {@code GETSOCKOPT}, {@code SETSOCKOPT}) on loopback TCP and UDP
 * sockets, through the generic uring_cmd path, on 64-byte and 128-byte SQE rings and through {@link AsyncRing}, each
 * answer checked against the plain {@code ioctl(2)} / {@code getsockopt(2)} answer for the same socket.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SocketUringCmdTest {

    private static final int SIOCINQ_OP = Uapi.SOCKET_URING_OP_SIOCINQ();
    private static final int SIOCOUTQ_OP = Uapi.SOCKET_URING_OP_SIOCOUTQ();
    private static final int GETSOCKOPT_OP = Uapi.SOCKET_URING_OP_GETSOCKOPT();
    private static final int SETSOCKOPT_OP = Uapi.SOCKET_URING_OP_SETSOCKOPT();
    private static final int SOL_SOCKET = Uapi.SOL_SOCKET();

    private Arena arena;

    @BeforeEach
    void setUp() throws Exception {
        arena = Arena.ofConfined();
        assumeSocketCommands();
    }

    @AfterEach
    void tearDown() {
        arena.close();
    }

    /**
     * Probes what the kernel has: {@code IORING_OP_URING_CMD} in {@code IORING_REGISTER_PROBE}, then a SIOCINQ on a
     * socket, which a kernel before 6.7 answers with {@code EOPNOTSUPP} (sockets had no {@code ->uring_cmd}).
     */
    private static void assumeSocketCommands() throws Exception {
        try (IoUring ring = IoUring.open(4)) {
            assumeTrue(ring.probe().supports(Uapi.IORING_OP_URING_CMD()),
                    "no IORING_OP_URING_CMD (Linux 5.19+) on kernel " + Kernel.version());
            int s = Posix.socket(Uapi.AF_INET(), Uapi.SOCK_DGRAM(), 0);
            try {
                ring.getSqe().prepUringCmd(SIOCINQ_OP, s).userData(1);
                int res = Reap.one(ring);
                if (res == -Uapi.EOPNOTSUPP()) {
                    // Only a kernel older than 6.7 may lack them; on a newer one that is a failure, not a skip.
                    assertTrue(!Kernel.atLeast(6, 7), "kernel " + Kernel.version() + " answered SIOCINQ with "
                            + "EOPNOTSUPP, but has had socket uring_cmd since 6.7");
                    assumeTrue(false, "no socket uring_cmd (Linux 6.7+) on kernel " + Kernel.version()
                            + ": SIOCINQ answered EOPNOTSUPP");
                }
                assertEquals(0, res, "SIOCINQ on an empty UDP socket");
            } finally {
                Posix.close(s);
            }
        }
    }

    private static IoUring ring(boolean sqe128) throws ErrnoException {
        IoUring r = sqe128 ? IoUring.builder().sqe128().cqe32().build(8) : IoUring.open(8);
        assertEquals(sqe128 ? 128 : 64, r.sqeSize());
        return r;
    }

    /** One socket command through the raw ring; returns res. */
    private static int cmd(IoUring ring, int op, int fd, int level, int optname, MemorySegment optval)
            throws ErrnoException {
        ring.getSqe().prepCmdSock(op, fd, level, optname, optval).userData(op + 100);
        return Reap.one(ring);
    }

    // ---------------------------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "sqe128={0}")
    @ValueSource(booleans = {false, true})
    void tcpSiocinqIsTheBytesWaitingAsIoctlSays(boolean sqe128) throws Exception {
        int[] pair = TestFds.tcpPair();
        try (IoUring ring = ring(sqe128)) {
            assertEquals(0, cmd(ring, SIOCINQ_OP, pair[1], 0, 0, null));
            assertEquals(0, Net.ioctlInt(pair[1], Uapi.SIOCINQ()));
            TestFds.write(pair[0], new byte[1234]);
            awaitIoctl(pair[1], Uapi.SIOCINQ(), 1234);
            assertEquals(1234, cmd(ring, SIOCINQ_OP, pair[1], 0, 0, null));
            // The generic form: prepUringCmd with only the command, no option fields.
            ring.getSqe().prepUringCmd(SIOCINQ_OP, pair[1]).userData(7);
            assertEquals(1234, Reap.one(ring));
            Posix.read(pair[1], arena.allocate(234));
            assertEquals(1000, Net.ioctlInt(pair[1], Uapi.SIOCINQ()));
            assertEquals(1000, cmd(ring, SIOCINQ_OP, pair[1], 0, 0, null));
            assertEquals(Net.ioctlInt(pair[0], Uapi.SIOCINQ()), cmd(ring, SIOCINQ_OP, pair[0], 0, 0, null));
        } finally {
            Posix.close(pair[0]);
            Posix.close(pair[1]);
        }
    }

    @ParameterizedTest(name = "sqe128={0}")
    @ValueSource(booleans = {false, true})
    void tcpSiocoutqIsTheUnacknowledgedBytesAsIoctlSays(boolean sqe128) throws Exception {
        int[] pair = TestFds.tcpPair();
        try (IoUring ring = ring(sqe128)) {
            assertEquals(0, cmd(ring, SIOCOUTQ_OP, pair[0], 0, 0, null));
            // Fill the peer's receive window so that data stays unacknowledged in the sender's queue.
            TestFds.setNonBlocking(pair[0]);
            MemorySegment chunk = arena.allocate(64 * 1024);
            long sent = 0;
            for (;;) {
                int n = Net.send(pair[0], chunk);
                if (n < 0) {
                    assertEquals(Uapi.EAGAIN(), -n);
                    break;
                }
                sent += n;
            }
            assertTrue(sent > 0);
            // The queue settles once the window is closed; compare when ioctl reads the same twice around the ring.
            for (int attempt = 0; ; attempt++) {
                int before = Net.ioctlInt(pair[0], Uapi.SIOCOUTQ());
                int viaRing = cmd(ring, SIOCOUTQ_OP, pair[0], 0, 0, null);
                int after = Net.ioctlInt(pair[0], Uapi.SIOCOUTQ());
                if (before == after) {
                    assertTrue(before > 0, "data waits in the send queue");
                    assertEquals(before, viaRing);
                    break;
                }
                if (attempt > 100) {
                    fail("SIOCOUTQ never settled: " + before + " / " + after);
                }
                Thread.sleep(10);
            }
        } finally {
            Posix.close(pair[0]);
            Posix.close(pair[1]);
        }
    }

    @ParameterizedTest(name = "sqe128={0}")
    @ValueSource(booleans = {false, true})
    void udpSiocinqIsTheFirstDatagramsSize(boolean sqe128) throws Exception {
        int rx = Net.udpBound();
        int tx = Posix.socket(Uapi.AF_INET(), Uapi.SOCK_DGRAM(), 0);
        try (IoUring ring = ring(sqe128)) {
            Net.connect(tx, Net.localPort(rx));
            TestFds.write(tx, new byte[100]);
            TestFds.write(tx, new byte[300]);
            awaitIoctl(rx, Uapi.SIOCINQ(), 100);
            // For UDP, SIOCINQ is the size of the next datagram, not the bytes queued.
            assertEquals(100, cmd(ring, SIOCINQ_OP, rx, 0, 0, null));
            Posix.read(rx, arena.allocate(1000));
            assertEquals(300, Net.ioctlInt(rx, Uapi.SIOCINQ()));
            assertEquals(300, cmd(ring, SIOCINQ_OP, rx, 0, 0, null));
            assertEquals(Net.ioctlInt(tx, Uapi.SIOCOUTQ()), cmd(ring, SIOCOUTQ_OP, tx, 0, 0, null));
        } finally {
            Posix.close(rx);
            Posix.close(tx);
        }
    }

    @ParameterizedTest(name = "sqe128={0}")
    @ValueSource(booleans = {false, true})
    void getsockoptAnswersAsGetsockoptDoes(boolean sqe128) throws Exception {
        int[] pair = TestFds.tcpPair();
        int udp = Posix.socket(Uapi.AF_INET(), Uapi.SOCK_DGRAM(), 0);
        int[] options = {Uapi.SO_TYPE(), Uapi.SO_RCVBUF(), Uapi.SO_SNDBUF(), Uapi.SO_KEEPALIVE(),
            Uapi.SO_REUSEADDR(), Uapi.SO_PROTOCOL(), Uapi.SO_DOMAIN(), Uapi.SO_ACCEPTCONN(), Uapi.SO_ERROR()};
        try (IoUring ring = ring(sqe128)) {
            Net.setInt(pair[0], SOL_SOCKET, Uapi.SO_KEEPALIVE(), 1);
            for (int fd : new int[] {pair[0], pair[1], udp}) {
                for (int opt : options) {
                    MemorySegment val = arena.allocate(JAVA_INT);
                    val.set(JAVA_INT, 0, -7);
                    int res = cmd(ring, GETSOCKOPT_OP, fd, SOL_SOCKET, opt, val);
                    assertEquals(4, res, "GETSOCKOPT answers the option's length (fd " + fd + ", option " + opt + ")");
                    assertEquals(Net.getInt(fd, SOL_SOCKET, opt), val.get(JAVA_INT, 0), "fd " + fd + " option " + opt);
                }
            }
            MemorySegment type = arena.allocate(JAVA_INT);
            cmd(ring, GETSOCKOPT_OP, udp, SOL_SOCKET, Uapi.SO_TYPE(), type);
            assertEquals(Uapi.SOCK_DGRAM(), type.get(JAVA_INT, 0));
            MemorySegment keep = arena.allocate(JAVA_INT);
            cmd(ring, GETSOCKOPT_OP, pair[0], SOL_SOCKET, Uapi.SO_KEEPALIVE(), keep);
            assertEquals(1, keep.get(JAVA_INT, 0));
        } finally {
            Posix.close(pair[0]);
            Posix.close(pair[1]);
            Posix.close(udp);
        }
    }

    @ParameterizedTest(name = "sqe128={0}")
    @ValueSource(booleans = {false, true})
    void setsockoptChangesWhatGetsockoptReads(boolean sqe128) throws Exception {
        int viaRing = Posix.socket(Uapi.AF_INET(), Uapi.SOCK_STREAM(), 0);
        int viaSyscall = Posix.socket(Uapi.AF_INET(), Uapi.SOCK_STREAM(), 0);
        try (IoUring ring = ring(sqe128)) {
            int before = Net.getInt(viaRing, SOL_SOCKET, Uapi.SO_RCVBUF());
            int want = before == 48 * 1024 ? 40 * 1024 : 48 * 1024;
            MemorySegment val = arena.allocateFrom(JAVA_INT, want);
            assertEquals(0, cmd(ring, SETSOCKOPT_OP, viaRing, SOL_SOCKET, Uapi.SO_RCVBUF(), val));
            Net.setInt(viaSyscall, SOL_SOCKET, Uapi.SO_RCVBUF(), want);
            int got = Net.getInt(viaRing, SOL_SOCKET, Uapi.SO_RCVBUF());
            assertEquals(Net.getInt(viaSyscall, SOL_SOCKET, Uapi.SO_RCVBUF()), got, "as setsockopt(2) sets it");
            assertEquals(2 * want, got, "the kernel doubles SO_RCVBUF for its bookkeeping");
            assertEquals(0, cmd(ring, SETSOCKOPT_OP, viaRing, SOL_SOCKET, Uapi.SO_KEEPALIVE(),
                    arena.allocateFrom(JAVA_INT, 1)));
            assertEquals(1, Net.getInt(viaRing, SOL_SOCKET, Uapi.SO_KEEPALIVE()));
        } finally {
            Posix.close(viaRing);
            Posix.close(viaSyscall);
        }
    }

    @ParameterizedTest(name = "sqe128={0}")
    @ValueSource(booleans = {false, true})
    void errorsAreTheKernelsAndMatchIoctl(boolean sqe128) throws Exception {
        int[] l = TestFds.listenLoopback();
        int[] p = Posix.pipe(0);
        int udp = Posix.socket(Uapi.AF_INET(), Uapi.SOCK_DGRAM(), 0);
        try (IoUring ring = ring(sqe128)) {
            // SIOCINQ on a listening TCP socket: EINVAL, as ioctl says.
            assertEquals(-Uapi.EINVAL(), Net.ioctlRaw(l[0], Uapi.SIOCINQ()));
            assertEquals(-Uapi.EINVAL(), cmd(ring, SIOCINQ_OP, l[0], 0, 0, null));
            // GETSOCKOPT is SOL_SOCKET only through io_uring; getsockopt(2) itself answers for IPPROTO_TCP.
            MemorySegment val = arena.allocate(JAVA_INT);
            assertEquals(-Uapi.EOPNOTSUPP(), cmd(ring, GETSOCKOPT_OP, l[0], Uapi.IPPROTO_TCP(), 1, val));
            // An unknown option: ENOPROTOOPT from both.
            assertEquals(-Uapi.ENOPROTOOPT(), cmd(ring, GETSOCKOPT_OP, udp, SOL_SOCKET, 12345, val));
            assertEquals(-Uapi.ENOPROTOOPT(), Net.getIntRaw(udp, SOL_SOCKET, 12345));
            // An unknown socket command, and a file that is no socket.
            assertEquals(-Uapi.EOPNOTSUPP(), cmd(ring, 99, udp, 0, 0, null));
            assertEquals(-Uapi.EOPNOTSUPP(), cmd(ring, SIOCINQ_OP, p[0], 0, 0, null));
        } finally {
            Posix.close(l[0]);
            Posix.close(p[0]);
            Posix.close(p[1]);
            Posix.close(udp);
        }
    }

    @ParameterizedTest(name = "sqe128={0}")
    @ValueSource(booleans = {false, true})
    void throughTheAsyncRing(boolean sqe128) throws Exception {
        int[] pair = TestFds.tcpPair();
        AsyncRingBuilder b = AsyncRing.builder();
        if (sqe128) {
            b.sqe128().cqe32();
        }
        try (AsyncRing ring = b.build(); Arena shared = Arena.ofShared()) {
            assertEquals(sqe128 ? 128 : 64, ring.sqeSize());
            TestFds.write(pair[0], new byte[777]);
            awaitIoctl(pair[1], Uapi.SIOCINQ(), 777);
            // Generic uring_cmd: the preparer sees the command area (16 or 80 bytes) and fills nothing.
            int[] area = new int[1];
            Completion c = ring.uringCmd(SIOCINQ_OP, pair[1], sqe -> area[0] = sqe.cmdCapacity())
                    .get(10, TimeUnit.SECONDS);
            assertEquals(sqe128 ? 80 : 16, area[0]);
            assertEquals(777, c.res());
            assertEquals(0L, c.bigCqe0());
            assertEquals(Net.ioctlInt(pair[1], Uapi.SIOCINQ()), ring.uringCmdBlocking(SIOCINQ_OP, pair[1], null).res());
            // The socket helpers, future and blocking.
            assertEquals(777, ring.cmdSock(SIOCINQ_OP, pair[1], 0, 0, null).get(10, TimeUnit.SECONDS));
            MemorySegment val = shared.allocate(JAVA_INT);
            assertEquals(4, ring.cmdSockBlocking(GETSOCKOPT_OP, pair[1], SOL_SOCKET, Uapi.SO_RCVBUF(), val));
            assertEquals(Net.getInt(pair[1], SOL_SOCKET, Uapi.SO_RCVBUF()), val.get(JAVA_INT, 0));
            // Errors come out named.
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> ring.cmdSock(GETSOCKOPT_OP, pair[1], Uapi.IPPROTO_TCP(), 1, val).get(10, TimeUnit.SECONDS));
            ErrnoException ee = assertInstanceOf(ErrnoException.class, e.getCause());
            assertEquals("EOPNOTSUPP", ee.errnoName());
            assertTrue(ee.getMessage().startsWith("socket uring_cmd GETSOCKOPT (fd " + pair[1] + ", level "),
                    ee.getMessage());
            int[] p = Posix.pipe(0);
            try {
                ErrnoException pe = assertThrows(ErrnoException.class,
                        () -> ring.uringCmdBlocking(SIOCINQ_OP, p[0], null));
                assertEquals("EOPNOTSUPP", pe.errnoName());
            } finally {
                Posix.close(p[0]);
                Posix.close(p[1]);
            }
        } finally {
            Posix.close(pair[0]);
            Posix.close(pair[1]);
        }
    }

    @Test
    void manySocketCommandsFromVirtualThreadsAgreeWithIoctl() throws Exception {
        int n = 32;
        int[][] pairs = new int[n][];
        try (AsyncRing ring = AsyncRing.open();
             var vts = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < n; i++) {
                pairs[i] = TestFds.tcpPair();
                TestFds.write(pairs[i][0], new byte[i * 10 + 1]);
            }
            var results = new java.util.ArrayList<java.util.concurrent.Future<Integer>>();
            for (int i = 0; i < n; i++) {
                int i0 = i;
                awaitIoctl(pairs[i][1], Uapi.SIOCINQ(), i * 10 + 1);
                results.add(vts.submit(() -> ring.cmdSockBlocking(SIOCINQ_OP, pairs[i0][1], 0, 0, null)));
            }
            for (int i = 0; i < n; i++) {
                assertEquals(i * 10 + 1, results.get(i).get(10, TimeUnit.SECONDS));
            }
        } finally {
            for (int[] p : pairs) {
                if (p != null) {
                    Posix.close(p[0]);
                    Posix.close(p[1]);
                }
            }
        }
    }

    /** Loopback delivery is immediate, but do not rely on it: wait until ioctl shows {@code want}. */
    private static void awaitIoctl(int fd, int request, int want) throws Exception {
        for (int i = 0; i < 500; i++) {
            if (Net.ioctlInt(fd, request) == want) {
                return;
            }
            Thread.sleep(2);
        }
        fail("ioctl " + request + " on fd " + fd + " never reached " + want + ": " + Net.ioctlInt(fd, request));
    }

    /** The plain system calls the ring's answers are checked against, through {@link Posix}. */
    private static final class Net {

        private Net() {
        }

        /** ioctl(fd, request, &int): the int, or -errno. */
        static int ioctlRaw(int fd, int request) {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment v = a.allocate(JAVA_INT);
                int r = Posix.ioctl(Posix.allocateErrnoState(a), fd, Integer.toUnsignedLong(request), v);
                return r < 0 ? r : v.get(JAVA_INT, 0);
            }
        }

        static int ioctlInt(int fd, int request) throws ErrnoException {
            int r = ioctlRaw(fd, request);
            if (r < 0) {
                throw new ErrnoException("ioctl", -r);
            }
            return r;
        }

        /** getsockopt(fd, level, name, &int, &len): the int, or -errno. */
        static int getIntRaw(int fd, int level, int name) {
            try {
                return Posix.getsockoptInt(fd, level, name);
            } catch (ErrnoException e) {
                return -e.errno();
            }
        }

        static int getInt(int fd, int level, int name) throws ErrnoException {
            return Posix.getsockoptInt(fd, level, name);
        }

        static void setInt(int fd, int level, int name, int value) throws ErrnoException {
            Posix.setsockoptInt(fd, level, name, value);
        }

        /** write(fd, buf), which on a socket is send(fd, buf, len, 0): bytes sent, or -errno. */
        static int send(int fd, MemorySegment buf) {
            try {
                return Posix.write(fd, buf);
            } catch (ErrnoException e) {
                return -e.errno();
            }
        }

        /** A UDP socket bound to 127.0.0.1 on an ephemeral port. */
        static int udpBound() throws ErrnoException {
            return TestFds.udpBound();
        }

        static int localPort(int fd) throws ErrnoException {
            return TestFds.localPort(fd);
        }

        static void connect(int fd, int port) throws ErrnoException {
            TestFds.connectLoopback(fd, port);
        }
    }
}
