package io.github.jring.core;

import io.github.jring.bindings.Uapi;
import io.github.jring.bindings.msghdr;
import io.github.jring.bindings.sockaddr_in;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The {@code IORING_CQE_F_MORE} protocol of every multishot request (accept, recv, recvmsg, read, poll, timeout):
 * the stream posts several completions with {@code F_MORE}; it ends with one completion without it (at EOF, on
 * removal, after a count); an error ends it the same way; and submitting the request again re-arms it.
 */
class MultishotTest {

    private static final int F_MORE = Uapi.IORING_CQE_F_MORE();
    private static final int F_BUFFER = Uapi.IORING_CQE_F_BUFFER();
    private static final int BUF = 64;

    @TempDir
    Path dir;

    IoUring ring;
    Arena arena;

    @BeforeEach
    void open() throws ErrnoException {
        ring = IoUring.open(16);
        arena = Arena.ofConfined();
    }

    @AfterEach
    void close() {
        ring.close();
        arena.close();
    }

    /** One completion: {user_data, res, flags}. */
    private long[] next() throws ErrnoException {
        return Reap.awaitAll(ring, 1).get(0);
    }

    private static boolean more(long[] c) {
        return (c[2] & F_MORE) != 0;
    }

    private static String string(MemorySegment seg, int len) {
        return new String(seg.asSlice(0, len).toArray(JAVA_BYTE), StandardCharsets.US_ASCII);
    }

    /** Hands {@code n} buffers of {@link #BUF} bytes at the start of {@code pool} to group {@code group}, ids 0.. */
    private void provide(MemorySegment pool, int n, int group) throws ErrnoException {
        ring.getSqe().prepProvideBuffers(pool, BUF, n, group, 0).userData(999);
        assertTrue(Reap.one(ring) >= 0, "provide buffers");
    }

    /** Asserts a data completion of the stream {@code userData}: F_MORE, F_BUFFER, and the bytes in that buffer. */
    private void assertData(long[] c, long userData, MemorySegment pool, String expected) {
        assertEquals(userData, c[0]);
        assertEquals(expected.length(), c[1], "res: bytes received");
        assertTrue(more(c), "F_MORE: the stream goes on");
        assertTrue((c[2] & F_BUFFER) != 0, "F_BUFFER: a provided buffer was used");
        int bid = (int) (c[2] >>> Uapi.IORING_CQE_BUFFER_SHIFT());
        assertEquals(expected, string(pool.asSlice((long) bid * BUF), expected.length()), "buffer " + bid);
    }

    @Test
    void acceptStreamEndsOnCancelAndOnShutdownAndReArms() throws Exception {
        int[] listener = TestFds.listenLoopback();
        int[] clients = new int[4];
        try {
            ring.getSqe().prepMultishotAccept(listener[0], null, null, 0).userData(1);
            ring.submit();
            for (int i = 0; i < 3; i++) {
                clients[i] = TestFds.connectLoopback(listener[1]);
                long[] c = next();
                assertTrue(c[1] >= 0, "accepted fd");
                assertTrue(more(c), "connection " + i + ": F_MORE");
                Posix.close((int) c[1]);
            }
            ring.getSqe().prepCancel(1, 0).userData(2);
            ring.submit();
            List<long[]> end = Reap.awaitAll(ring, 2);
            long[] last = end.get(0)[0] == 1 ? end.get(0) : end.get(1);
            assertEquals(-Uapi.ECANCELED(), last[1]);
            assertFalse(more(last), "the stream's last completion has no F_MORE");

            // Re-armed: the same request submitted again accepts again.
            ring.getSqe().prepMultishotAccept(listener[0], null, null, 0).userData(3);
            ring.submit();
            clients[3] = TestFds.connectLoopback(listener[1]);
            long[] c = next();
            assertEquals(3, c[0]);
            assertTrue(c[1] >= 0 && more(c));
            Posix.close((int) c[1]);

            // An error ends it: the listener shut down.
            ring.getSqe().prepShutdown(listener[0], Uapi.SHUT_RDWR()).userData(4);
            ring.submit();
            List<long[]> r = Reap.awaitAll(ring, 2);
            long[] err = r.get(0)[0] == 3 ? r.get(0) : r.get(1);
            assertEquals(-Uapi.EINVAL(), err[1], "accept(2) on a listener that was shut down: EINVAL");
            assertFalse(more(err), "an error ends the stream");
        } finally {
            for (int c : clients) {
                Posix.closeQuietly(c);
            }
            Posix.close(listener[0]);
        }
    }

    @Test
    void recvStreamEndsOnNoBuffersAndOnEofAndReArms() throws Exception {
        Supported.assumeOp(ring, Uapi.IORING_OP_RECV(), "5.6");
        int[] pair = TestFds.tcpPair();
        try {
            MemorySegment pool = arena.allocate(4 * BUF);
            provide(pool, 3, 3);
            ring.getSqe().prepRecvMultishotSelect(pair[1], 3, 0).userData(10);
            ring.submit();
            for (int i = 0; i < 3; i++) {
                TestFds.write(pair[0], ("msg-" + i).getBytes(StandardCharsets.US_ASCII));
                assertData(next(), 10, pool, "msg-" + i);
            }
            TestFds.write(pair[0], "no room".getBytes(StandardCharsets.US_ASCII));
            long[] c = next();
            assertEquals(10, c[0]);
            assertEquals(-Uapi.ENOBUFS(), c[1], "the group ran out of buffers");
            assertFalse(more(c), "an error ends the stream");

            // Re-arm: buffers back, request again; the data waiting in the socket arrives.
            provide(pool, 4, 3);
            ring.getSqe().prepRecvMultishotSelect(pair[1], 3, 0).userData(11);
            ring.submit();
            assertData(next(), 11, pool, "no room");

            ring.getSqe().prepShutdown(pair[0], Uapi.SHUT_WR()).userData(12);
            ring.submit();
            Map<Long, Integer> r = Reap.await(ring, 2);
            assertEquals(0, r.get(12L));
            assertEquals(0, r.get(11L), "EOF: res 0, and the stream ends (Reap saw no second completion of 11)");
            assertEquals(0, ring.cqReady());
        } finally {
            Posix.close(pair[0]);
            Posix.close(pair[1]);
        }
    }

    @Test
    void recvmsgStreamCarriesTheSenderAndReArms() throws Exception {
        int server = TestFds.udpBound();
        int client = Posix.socket(Uapi.AF_INET(), Uapi.SOCK_DGRAM(), 0);
        try {
            TestFds.connectLoopback(client, TestFds.localPort(server));
            int clientPort = TestFds.localPort(client);
            int nameLen = (int) sockaddr_in.layout().byteSize();
            MemorySegment msg = arena.allocate(msghdr.layout());
            msghdr.msg_namelen(msg, nameLen);
            msghdr.msg_controllen(msg, 0);
            MemorySegment pool = arena.allocate(4 * BUF);
            provide(pool, 3, 4);
            ring.getSqe().prepRecvmsgMultishot(server, msg, 4, 0).userData(20);
            ring.submit();
            long headerAndName = RecvmsgOut.payloadOffset(nameLen, 0);
            for (int i = 0; i < 2; i++) {
                String dgram = "datagram-" + i;
                TestFds.write(client, dgram.getBytes(StandardCharsets.US_ASCII));
                long[] c = next();
                assertEquals(20, c[0]);
                assertTrue(more(c), "F_MORE");
                int res = (int) c[1];
                assertEquals(headerAndName + dgram.length(), res, "res: header, name and payload");
                assertTrue(RecvmsgOut.isValid(res, nameLen, 0));
                MemorySegment buf = pool.asSlice((c[2] >>> Uapi.IORING_CQE_BUFFER_SHIFT()) * BUF, BUF);
                assertEquals(nameLen, RecvmsgOut.nameLen(buf));
                assertEquals(0, RecvmsgOut.controlLen(buf));
                assertEquals(dgram.length(), RecvmsgOut.payloadLen(buf));
                assertEquals(dgram.length(), RecvmsgOut.payloadLength(res, nameLen, 0));
                MemorySegment name = buf.asSlice(RecvmsgOut.nameOffset(), nameLen);
                assertEquals(clientPort, TestFds.port(name), "the sender's address");
                assertEquals(dgram, string(buf.asSlice(RecvmsgOut.payloadOffset(nameLen, 0)), dgram.length()));
            }
            // A datagram larger than the buffer: cut, and flagged MSG_TRUNC.
            TestFds.write(client, new byte[100]);
            long[] cut = next();
            assertTrue(more(cut));
            MemorySegment cutBuf = pool.asSlice((cut[2] >>> Uapi.IORING_CQE_BUFFER_SHIFT()) * BUF, BUF);
            assertEquals(BUF - headerAndName, RecvmsgOut.payloadLength((int) cut[1], nameLen, 0), "what fitted");
            assertEquals(BUF - headerAndName, RecvmsgOut.payloadLen(cutBuf));
            assertTrue((RecvmsgOut.flags(cutBuf) & Uapi.MSG_TRUNC()) != 0, "MSG_TRUNC");
            TestFds.write(client, "third".getBytes(StandardCharsets.US_ASCII));
            long[] c = next();
            assertEquals(-Uapi.ENOBUFS(), c[1]);
            assertFalse(more(c), "out of buffers ends the stream");

            provide(pool, 4, 4);
            // Re-armed, this time with MSG_TRUNC in the request: payloadlen tells a cut datagram's full length.
            ring.getSqe().prepRecvmsgMultishot(server, msg, 4, Uapi.MSG_TRUNC()).userData(21);
            ring.submit();
            c = next();
            assertEquals(21, c[0]);
            assertTrue(more(c), "re-armed");
            assertEquals(headerAndName + 5, c[1]);
            TestFds.write(client, new byte[100]);
            c = next();
            assertEquals(BUF, c[1], "the buffer is full");
            MemorySegment full = pool.asSlice((c[2] >>> Uapi.IORING_CQE_BUFFER_SHIFT()) * BUF, BUF);
            assertEquals(100, RecvmsgOut.payloadLen(full), "the datagram's full length");

            ring.getSqe().prepCancel(21, 0).userData(22);
            ring.submit();
            Map<Long, Integer> r = Reap.await(ring, 2);
            assertEquals(-Uapi.ECANCELED(), r.get(21L), "cancel ends the stream");
        } finally {
            Posix.close(client);
            Posix.close(server);
        }
    }

    @Test
    void readStreamEndsAtEofAndOnNoBuffersAndReArms() throws Exception {
        Supported.assumeOp(ring, Uapi.IORING_OP_READ_MULTISHOT(), "6.7");
        int[] p = Posix.pipe(0);
        boolean writeOpen = true;
        try {
            MemorySegment pool = arena.allocate(4 * BUF);
            provide(pool, 2, 5);
            ring.getSqe().prepReadMultishot(p[0], 0, 0, 5).userData(30);
            ring.submit();
            for (int i = 0; i < 2; i++) {
                TestFds.write(p[1], ("chunk" + i).getBytes(StandardCharsets.US_ASCII));
                assertData(next(), 30, pool, "chunk" + i);
            }
            TestFds.write(p[1], "late".getBytes(StandardCharsets.US_ASCII));
            long[] c = next();
            assertEquals(-Uapi.ENOBUFS(), c[1]);
            assertFalse(more(c), "out of buffers ends the stream");

            provide(pool, 4, 5);
            ring.getSqe().prepReadMultishot(p[0], 0, 0, 5).userData(31);
            ring.submit();
            assertData(next(), 31, pool, "late");
            Posix.close(p[1]);
            writeOpen = false;
            c = next();
            assertEquals(31, c[0]);
            assertEquals(0, c[1], "EOF");
            assertFalse(more(c), "EOF ends the stream");
        } finally {
            Posix.close(p[0]);
            if (writeOpen) {
                Posix.close(p[1]);
            }
        }
        Path f = dir.resolve("regular");
        Files.writeString(f, "not pollable");
        int fd = Posix.open(f, Posix.O_RDONLY);
        try {
            ring.getSqe().prepReadMultishot(fd, 0, 0, 5).userData(32);
            ring.submit();
            long[] c = next();
            assertEquals(-Uapi.EBADFD(), c[1], "a regular file cannot be polled");
            assertFalse(more(c));
            if (Kernel.atLeast(6, 8)) {
                ring.getSqe().prepReadMultishot(fd, 64, 0, 5).userData(33);
                ring.submit();
                assertEquals(-Uapi.EINVAL(), next()[1], "a length other than 0 is refused");
            }
        } finally {
            Posix.close(fd);
        }
    }

    @Test
    void pollStreamEndsOnRemoveOrOneshotAndReArms() throws Exception {
        int[] p = Posix.pipe(0);
        try {
            for (int round = 0; round < 2; round++) { // the second round is the re-armed stream
                long ud = 40 + round;
                ring.getSqe().prepPollMultishot(p[0], Uapi.POLLIN()).userData(ud);
                ring.submit();
                for (int i = 0; i < 3; i++) {
                    TestFds.write(p[1], new byte[] {(byte) i});
                    long[] c = next();
                    assertEquals(ud, c[0]);
                    assertTrue((c[1] & Uapi.POLLIN()) != 0, "POLLIN");
                    assertTrue(more(c), "F_MORE");
                    TestFds.read(p[0], 1);
                }
                ring.getSqe().prepPollRemove(ud).userData(50);
                ring.submit();
                Map<Long, Integer> r = Reap.await(ring, 2);
                assertEquals(0, r.get(50L));
                assertEquals(-Uapi.ECANCELED(), r.get(ud), "removal ends the stream");
            }
            // EPOLLONESHOT in the mask: the request ends after one event, without F_MORE.
            ring.getSqe().prepPollMultishot(p[0], Uapi.POLLIN() | Uapi.EPOLLONESHOT()).userData(43);
            ring.submit();
            TestFds.write(p[1], new byte[] {9});
            long[] c = next();
            assertTrue((c[1] & Uapi.POLLIN()) != 0);
            assertFalse(more(c), "one shot only");
            assertNull(ring.waitCqe(30, TimeUnit.MILLISECONDS));
        } finally {
            Posix.close(p[0]);
            Posix.close(p[1]);
        }
        ring.getSqe().prepPollMultishot(1_000_000, Uapi.POLLIN()).userData(44);
        ring.submit();
        long[] c = next();
        assertEquals(-Uapi.EBADF(), c[1]);
        assertFalse(more(c), "an error ends it at once");
    }

    @Test
    void timeoutStreamEndsAfterItsCountOrOnRemoveAndReArms() throws Exception {
        assumeTrue(Kernel.atLeast(6, 4), "IORING_TIMEOUT_MULTISHOT (Linux 6.4) is not in this kernel, "
                + Kernel.version() + ": skipped");
        MemorySegment ts = KernelTimespec.allocate(arena, TimeUnit.MILLISECONDS.toNanos(5));
        ring.getSqe().prepTimeoutMultishot(ts, 3, 0).userData(60);
        ring.submit();
        for (int i = 0; i < 3; i++) {
            long[] c = next();
            assertEquals(60, c[0]);
            assertEquals(-Uapi.ETIME(), c[1]);
            assertEquals(i < 2, more(c), "expiration " + (i + 1) + " of 3: F_MORE only before the last");
        }
        assertNull(ring.waitCqe(30, TimeUnit.MILLISECONDS), "nothing after the count");

        // count 0: no end of its own; removal ends it.
        ring.getSqe().prepTimeoutMultishot(ts, 0, 0).userData(61);
        ring.submit();
        for (int i = 0; i < 3; i++) {
            long[] c = next();
            assertEquals(-Uapi.ETIME(), c[1]);
            assertTrue(more(c));
        }
        ring.getSqe().prepTimeoutRemove(61, 0).userData(62);
        ring.submit();
        boolean removed = false;
        boolean ended = false;
        while (!removed || !ended) { // expirations may still be posted before the removal lands
            long[] c = next();
            if (c[0] == 62) {
                assertEquals(0, c[1]);
                removed = true;
            } else if (!more(c)) {
                assertEquals(-Uapi.ECANCELED(), c[1], "removal ends the stream");
                ended = true;
            } else {
                assertEquals(-Uapi.ETIME(), c[1]);
            }
        }

        ring.getSqe().prepTimeoutMultishot(ts, 1, Uapi.IORING_TIMEOUT_ABS()).userData(63);
        ring.submit();
        long[] c = next();
        assertEquals(-Uapi.EINVAL(), c[1], "MULTISHOT with ABS is refused");
        assertFalse(more(c));

        ring.getSqe().prepTimeoutMultishot(ts, 1, 0).userData(64);
        ring.submit();
        c = next();
        assertEquals(64, c[0]);
        assertEquals(-Uapi.ETIME(), c[1]);
        assertFalse(more(c), "re-armed with count 1: one expiration, the last");
    }
}
