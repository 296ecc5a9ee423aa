package io.github.jring.core;

import io.github.jring.bindings.Uapi;
import io.github.jring.bindings.iovec;
import io.github.jring.bindings.msghdr;
import io.github.jring.bindings.sockaddr_in;
import io.github.jring.bindings.statx;
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
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Every prep method against the real kernel: files in a temp dir, pipes, and TCP over 127.0.0.1. */
class OpcodesTest {

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

    private MemorySegment bytes(String s) {
        return arena.allocateFrom(JAVA_BYTE, s.getBytes(StandardCharsets.US_ASCII));
    }

    private static String string(MemorySegment seg, int len) {
        return new String(seg.asSlice(0, len).toArray(JAVA_BYTE), StandardCharsets.US_ASCII);
    }

    private int openFile(String name, String content) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, content);
        return Posix.open(p, Uapi.O_RDWR(), 0);
    }

    @Test
    void readvAndWritev() throws Exception {
        int fd = openFile("v", "");
        try {
            MemorySegment a = bytes("abc");
            MemorySegment b = bytes("defgh");
            MemorySegment iov = arena.allocate(iovec.layout(), 2);
            iovec.iov_base(iov, a);
            iovec.iov_len(iov, a.byteSize());
            iovec.iov_base(iov.asSlice(iovec.layout().byteSize()), b);
            iovec.iov_len(iov.asSlice(iovec.layout().byteSize()), b.byteSize());
            ring.getSqe().prepWritev(fd, iov, 2, 0).userData(1);
            assertEquals(8, Reap.one(ring));
            assertEquals("abcdefgh", Files.readString(dir.resolve("v")));

            MemorySegment x = arena.allocate(2);
            MemorySegment y = arena.allocate(6);
            iovec.iov_base(iov, x);
            iovec.iov_len(iov, 2);
            iovec.iov_base(iov.asSlice(iovec.layout().byteSize()), y);
            iovec.iov_len(iov.asSlice(iovec.layout().byteSize()), 6);
            ring.getSqe().prepReadv(fd, iov, 2, 0).userData(2);
            assertEquals(8, Reap.one(ring));
            assertEquals("ab", string(x, 2));
            assertEquals("cdefgh", string(y, 6));
        } finally {
            Posix.close(fd);
        }
    }

    @Test
    void readFixedAndWriteFixedUseRegisteredBuffers() throws Exception {
        int fd = openFile("fixed", "");
        try {
            MemorySegment reg = arena.allocate(8192, 4096);
            ring.registerBuffers(reg);
            MemorySegment src = reg.asSlice(0, 4096);
            for (int i = 0; i < 4096; i++) {
                src.set(JAVA_BYTE, i, (byte) (i * 7));
            }
            ring.getSqe().prepWriteFixed(fd, src, 0, 0).userData(1);
            assertEquals(4096, Reap.one(ring));
            MemorySegment dst = reg.asSlice(4096, 4096);
            ring.getSqe().prepReadFixed(fd, dst, 0, 0).userData(2);
            assertEquals(4096, Reap.one(ring));
            assertEquals(-1L, src.mismatch(dst));
            byte[] disk = Files.readAllBytes(dir.resolve("fixed"));
            assertArrayEquals(src.toArray(JAVA_BYTE), disk);
            // Memory outside the registered buffer is refused by the kernel.
            MemorySegment outside = arena.allocate(4096);
            ring.getSqe().prepReadFixed(fd, outside, 0, 0).userData(3);
            assertEquals(-Uapi.EFAULT(), Reap.one(ring));
            // And an index with no buffer.
            ring.getSqe().prepReadFixed(fd, dst, 0, 1).userData(4);
            assertEquals(-Uapi.EFAULT(), Reap.one(ring));
        } finally {
            Posix.close(fd);
        }
    }

    @Test
    void fsyncAndFdatasync() throws Exception {
        int fd = openFile("sync", "data");
        try {
            ring.getSqe().prepFsync(fd, 0).userData(1);
            ring.getSqe().prepFsync(fd, Uapi.IORING_FSYNC_DATASYNC()).userData(2);
            ring.submit();
            assertEquals(Map.of(1L, 0, 2L, 0), Reap.await(ring, 2));
            ring.getSqe().prepFsync(-1, 0).userData(3);
            assertEquals(-Uapi.EBADF(), Reap.one(ring));
        } finally {
            Posix.close(fd);
        }
    }

    @Test
    void fallocateExtendsTheFile() throws Exception {
        int fd = openFile("alloc", "");
        try {
            int direct;
            try {
                Posix.fallocate(fd, 0, 0, 4096);
                direct = 0;
            } catch (ErrnoException e) {
                direct = -e.errno();
            }
            assumeTrue(direct == 0, "this file system has no fallocate(2) (" + Errno.name(direct) + ")");
            ring.getSqe().prepFallocate(fd, 0, 0, 1 << 20).userData(1);
            assertEquals(0, Reap.one(ring));
            assertEquals(1 << 20, Files.size(dir.resolve("alloc")));
            ring.getSqe().prepFallocate(fd, Uapi.FALLOC_FL_KEEP_SIZE(), 1 << 20, 1 << 20).userData(2);
            assertEquals(0, Reap.one(ring));
            assertEquals(1 << 20, Files.size(dir.resolve("alloc")), "KEEP_SIZE reached the kernel");
        } finally {
            Posix.close(fd);
        }
    }

    @Test
    void openatCreatesAndOpens() throws Exception {
        Path p = dir.resolve("created");
        ring.getSqe().prepOpenat(Uapi.AT_FDCWD(), arena.allocateFrom(p.toString()),
                Uapi.O_CREAT() | Uapi.O_RDWR() | Uapi.O_CLOEXEC(), 0640).userData(1);
        int fd = Reap.one(ring);
        assertTrue(fd >= 0, "openat returned " + fd);
        try {
            assertTrue(Files.exists(p));
            ring.getSqe().prepWrite(fd, bytes("via openat fd"), 0).userData(2);
            assertEquals(13, Reap.one(ring));
            assertEquals("via openat fd", Files.readString(p));
        } finally {
            Posix.close(fd);
        }
        ring.getSqe().prepOpenat(Uapi.AT_FDCWD(), arena.allocateFrom(dir.resolve("missing").toString()),
                Uapi.O_RDONLY(), 0).userData(3);
        assertEquals(-Uapi.ENOENT(), Reap.one(ring));
        // Relative to a directory fd.
        int dfd = Posix.open(dir, Uapi.O_RDONLY() | Uapi.O_DIRECTORY(), 0);
        try {
            ring.getSqe().prepOpenat(dfd, arena.allocateFrom("created"), Uapi.O_RDONLY(), 0).userData(4);
            int fd2 = Reap.one(ring);
            assertTrue(fd2 >= 0);
            Posix.close(fd2);
        } finally {
            Posix.close(dfd);
        }
    }

    @Test
    void closeClosesTheDescriptor() throws Exception {
        int fd = openFile("c", "x");
        ring.getSqe().prepClose(fd).userData(1);
        assertEquals(0, Reap.one(ring));
        ErrnoException e = assertThrows(ErrnoException.class, () -> Posix.close(fd));
        assertEquals("EBADF", e.errnoName(), "the fd was closed by the ring");
        ring.getSqe().prepClose(fd).userData(2);
        assertEquals(-Uapi.EBADF(), Reap.one(ring));
    }

    @Test
    void statxReportsSizeAndType() throws Exception {
        Path p = dir.resolve("st");
        Files.write(p, new byte[12345]);
        MemorySegment buf = arena.allocate(statx.layout());
        ring.getSqe().prepStatx(Uapi.AT_FDCWD(), arena.allocateFrom(p.toString()), 0, Uapi.STATX_BASIC_STATS(), buf)
                .userData(1);
        assertEquals(0, Reap.one(ring));
        assertEquals(12345, statx.stx_size(buf));
        assertEquals(Uapi.S_IFREG(), Short.toUnsignedInt(statx.stx_mode(buf)) & Uapi.S_IFMT());
        ring.getSqe().prepStatx(Uapi.AT_FDCWD(), arena.allocateFrom(dir.toString()), 0, Uapi.STATX_TYPE(), buf)
                .userData(2);
        assertEquals(0, Reap.one(ring));
        assertEquals(Uapi.S_IFDIR(), Short.toUnsignedInt(statx.stx_mode(buf)) & Uapi.S_IFMT());
    }

    @Test
    void timeoutExpiresOrCompletesOnCount() throws Exception {
        MemorySegment ts = KernelTimespec.allocate(arena, TimeUnit.MILLISECONDS.toNanos(30));
        long t0 = System.nanoTime();
        ring.getSqe().prepTimeout(ts, 0, 0).userData(1);
        assertEquals(-Uapi.ETIME(), Reap.one(ring));
        assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(30), "not before the time ran out");

        // count = 2: completes (res 0) as soon as two other completions are posted, long before its 10 s.
        KernelTimespec.set(ts, 10, TimeUnit.SECONDS);
        ring.getSqe().prepTimeout(ts, 2, 0).userData(2);
        ring.getSqe().prepNop().userData(3);
        ring.getSqe().prepNop().userData(4);
        ring.submit();
        Map<Long, Integer> r = Reap.await(ring, 3);
        assertEquals(0, r.get(2L));
        assertEquals(0, r.get(3L));
        assertEquals(0, r.get(4L));
    }

    @Test
    void timeoutRemoveAndUpdate() throws Exception {
        MemorySegment ts = KernelTimespec.allocate(arena, TimeUnit.SECONDS.toNanos(30));
        ring.getSqe().prepTimeout(ts, 0, 0).userData(50);
        ring.submit();
        ring.getSqe().prepTimeoutRemove(50, 0).userData(51);
        ring.submit();
        Map<Long, Integer> r = Reap.await(ring, 2);
        assertEquals(0, r.get(51L));
        assertEquals(-Uapi.ECANCELED(), r.get(50L));

        ring.getSqe().prepTimeoutRemove(12345, 0).userData(52);
        assertEquals(-Uapi.ENOENT(), Reap.one(ring));

        ring.getSqe().prepTimeout(ts, 0, 0).userData(53);
        ring.submit();
        MemorySegment shortTs = KernelTimespec.allocate(arena, TimeUnit.MILLISECONDS.toNanos(1));
        ring.getSqe().prepTimeoutUpdate(shortTs, 53, 0).userData(54);
        ring.submit();
        r = Reap.await(ring, 2);
        assertEquals(0, r.get(54L));
        assertEquals(-Uapi.ETIME(), r.get(53L), "the 30 s timeout fired after its update to 1 ms");
    }

    @Test
    void linkTimeoutCancelsASlowRequest() throws Exception {
        int[] p = Posix.pipe(0);
        try {
            MemorySegment ts = KernelTimespec.allocate(arena, TimeUnit.MILLISECONDS.toNanos(20));
            ring.getSqe().prepRead(p[0], arena.allocate(8), -1).userData(1).ioLink();
            ring.getSqe().prepLinkTimeout(ts, 0).userData(2);
            ring.submit();
            Map<Long, Integer> r = Reap.await(ring, 2);
            assertEquals(-Uapi.ECANCELED(), r.get(1L), "the read on the empty pipe was cancelled");
            assertEquals(-Uapi.ETIME(), r.get(2L));

            // A request that completes in time cancels its link timeout instead.
            TestFds.write(p[1], new byte[] {1, 2});
            KernelTimespec.set(ts, 10, TimeUnit.SECONDS);
            ring.getSqe().prepRead(p[0], arena.allocate(8), -1).userData(3).ioLink();
            ring.getSqe().prepLinkTimeout(ts, 0).userData(4);
            ring.submit();
            r = Reap.await(ring, 2);
            assertEquals(2, r.get(3L));
            assertEquals(-Uapi.ECANCELED(), r.get(4L));
        } finally {
            Posix.close(p[0]);
            Posix.close(p[1]);
        }
    }

    @Test
    void cancelByUserDataAndByFd() throws Exception {
        int[] p = Posix.pipe(0);
        try {
            ring.getSqe().prepRead(p[0], arena.allocate(8), -1).userData(60);
            ring.submit();
            ring.getSqe().prepCancel(60, 0).userData(61);
            ring.submit();
            Map<Long, Integer> r = Reap.await(ring, 2);
            assertEquals(0, r.get(61L));
            assertEquals(-Uapi.ECANCELED(), r.get(60L));

            ring.getSqe().prepCancel(999, 0).userData(62);
            assertEquals(-Uapi.ENOENT(), Reap.one(ring));

            ring.getSqe().prepRead(p[0], arena.allocate(8), -1).userData(63);
            ring.getSqe().prepRead(p[0], arena.allocate(8), -1).userData(64);
            ring.submit();
            ring.getSqe().prepCancelFd(p[0], Uapi.IORING_ASYNC_CANCEL_ALL()).userData(65);
            ring.submit();
            r = Reap.await(ring, 3);
            assertEquals(2, r.get(65L), "CANCEL_ALL on the fd cancelled both reads");
            assertEquals(-Uapi.ECANCELED(), r.get(63L));
            assertEquals(-Uapi.ECANCELED(), r.get(64L));
        } finally {
            Posix.close(p[0]);
            Posix.close(p[1]);
        }
    }

    @Test
    void pollAddRemoveAndMultishot() throws Exception {
        int[] p = Posix.pipe(0);
        try {
            ring.getSqe().prepPollAdd(p[0], Uapi.POLLIN()).userData(70);
            ring.submit();
            assertEquals(0, ring.cqReady());
            TestFds.write(p[1], new byte[] {1});
            int events = Reap.await(ring, 1).get(70L);
            assertTrue((events & Uapi.POLLIN()) != 0, "POLLIN reported: " + events);
            Posix.read(p[0], arena.allocate(1));

            ring.getSqe().prepPollAdd(p[0], Uapi.POLLIN()).userData(71);
            ring.submit();
            ring.getSqe().prepPollRemove(71).userData(72);
            ring.submit();
            Map<Long, Integer> r = Reap.await(ring, 2);
            assertEquals(0, r.get(72L));
            assertEquals(-Uapi.ECANCELED(), r.get(71L));

            ring.getSqe().prepPollMultishot(p[0], Uapi.POLLIN()).userData(73);
            ring.submit();
            for (int i = 0; i < 2; i++) {
                TestFds.write(p[1], new byte[] {(byte) i});
                List<long[]> c = Reap.awaitAll(ring, 1);
                assertEquals(73, c.get(0)[0]);
                assertTrue((c.get(0)[1] & Uapi.POLLIN()) != 0);
                assertTrue((c.get(0)[2] & Uapi.IORING_CQE_F_MORE()) != 0, "multishot: more to come");
                Posix.read(p[0], arena.allocate(1));
            }
            ring.getSqe().prepPollRemove(73).userData(74);
            ring.submit();
            r = Reap.await(ring, 2);
            assertEquals(0, r.get(74L));
            assertEquals(-Uapi.ECANCELED(), r.get(73L));
        } finally {
            Posix.close(p[0]);
            Posix.close(p[1]);
        }
    }

    @Test
    void acceptConnectSendRecvOverLoopback() throws Exception {
        int[] listener = TestFds.listenLoopback();
        int client = Posix.socket(Uapi.AF_INET(), Uapi.SOCK_STREAM(), 0);
        int server = -1;
        try {
            MemorySegment peer = arena.allocate(sockaddr_in.layout());
            MemorySegment peerLen = arena.allocateFrom(JAVA_INT, (int) peer.byteSize());
            ring.getSqe().prepAccept(listener[0], peer, peerLen, Uapi.SOCK_CLOEXEC()).userData(80);
            ring.getSqe().prepConnect(client, TestFds.loopback(arena, listener[1])).userData(81);
            ring.submit();
            Map<Long, Integer> r = Reap.await(ring, 2);
            assertEquals(0, r.get(81L));
            server = r.get(80L);
            assertTrue(server >= 0, "accept: " + server);
            assertEquals(Uapi.AF_INET(), sockaddr_in.sin_family(peer));
            assertEquals(Uapi.INADDR_LOOPBACK(), Integer.reverseBytes(peer.get(JAVA_INT, sockaddr_in.sin_addr$offset())));

            ring.getSqe().prepSend(client, bytes("ping!"), 0).userData(82);
            MemorySegment in = arena.allocate(32);
            ring.getSqe().prepRecv(server, in, 0).userData(83);
            ring.submit();
            r = Reap.await(ring, 2);
            assertEquals(5, r.get(82L));
            assertEquals(5, r.get(83L));
            assertEquals("ping!", string(in, 5));

            // Raw-address forms.
            MemorySegment out = bytes("pong");
            ring.getSqe().prepSend(server, out.address(), 4, Uapi.MSG_NOSIGNAL()).userData(84);
            ring.getSqe().prepRecv(client, in.address(), 32, 0).userData(85);
            ring.submit();
            r = Reap.await(ring, 2);
            assertEquals(4, r.get(84L));
            assertEquals(4, r.get(85L));
            assertEquals("pong", string(in, 4));
        } finally {
            Posix.closeQuietly(server);
            Posix.close(client);
            Posix.close(listener[0]);
        }
    }

    @Test
    void multishotAcceptPostsOneCompletionPerConnection() throws Exception {
        int[] listener = TestFds.listenLoopback();
        int[] clients = new int[3];
        try {
            ring.getSqe().prepMultishotAccept(listener[0], null, null, 0).userData(90);
            ring.submit();
            for (int i = 0; i < 3; i++) {
                clients[i] = TestFds.connectLoopback(listener[1]);
                List<long[]> c = Reap.awaitAll(ring, 1);
                assertEquals(90, c.get(0)[0]);
                assertTrue(c.get(0)[1] >= 0);
                assertTrue((c.get(0)[2] & Uapi.IORING_CQE_F_MORE()) != 0);
                Posix.close((int) c.get(0)[1]);
            }
            ring.getSqe().prepCancel(90, 0).userData(91);
            ring.submit();
            Map<Long, Integer> r = Reap.await(ring, 2);
            assertEquals(0, r.get(91L));
            assertEquals(-Uapi.ECANCELED(), r.get(90L));
        } finally {
            for (int c : clients) {
                Posix.closeQuietly(c);
            }
            Posix.close(listener[0]);
        }
    }

    @Test
    void sendmsgAndRecvmsg() throws Exception {
        int[] pair = TestFds.tcpPair();
        try {
            MemorySegment iov = arena.allocate(iovec.layout(), 2);
            MemorySegment head = bytes("head-");
            MemorySegment body = bytes("body");
            iovec.iov_base(iov, head);
            iovec.iov_len(iov, head.byteSize());
            iovec.iov_base(iov.asSlice(iovec.layout().byteSize()), body);
            iovec.iov_len(iov.asSlice(iovec.layout().byteSize()), body.byteSize());
            MemorySegment msg = arena.allocate(msghdr.layout());
            msghdr.msg_iov(msg, iov);
            msghdr.msg_iovlen(msg, 2);
            ring.getSqe().prepSendmsg(pair[0], msg, 0).userData(1);
            assertEquals(9, Reap.one(ring));

            MemorySegment in = arena.allocate(16);
            MemorySegment riov = arena.allocate(iovec.layout());
            iovec.iov_base(riov, in);
            iovec.iov_len(riov, 9); // MSG_WAITALL: wait for exactly what was sent
            MemorySegment rmsg = arena.allocate(msghdr.layout());
            msghdr.msg_iov(rmsg, riov);
            msghdr.msg_iovlen(rmsg, 1);
            ring.getSqe().prepRecvmsg(pair[1], rmsg, Uapi.MSG_WAITALL()).userData(2);
            assertEquals(9, Reap.one(ring));
            assertEquals("head-body", string(in, 9));
        } finally {
            Posix.close(pair[0]);
            Posix.close(pair[1]);
        }
    }

    @Test
    void spliceFileToPipeAndTeeBetweenPipes() throws Exception {
        int fd = openFile("splice", "0123456789");
        int[] p1 = Posix.pipe(0);
        int[] p2 = Posix.pipe(0);
        try {
            ring.getSqe().prepSplice(fd, 2, p1[1], -1, 5, 0).userData(1);
            assertEquals(5, Reap.one(ring));
            ring.getSqe().prepTee(p1[0], p2[1], 5, 0).userData(2);
            assertEquals(5, Reap.one(ring));
            MemorySegment a = arena.allocate(16);
            MemorySegment b = arena.allocate(16);
            assertEquals(5, Posix.read(p1[0], a));
            assertEquals(5, Posix.read(p2[0], b));
            assertEquals("23456", string(a, 5));
            assertEquals("23456", string(b, 5), "tee duplicated what splice moved");
        } finally {
            Posix.close(fd);
            for (int x : new int[] {p1[0], p1[1], p2[0], p2[1]}) {
                Posix.close(x);
            }
        }
    }

    @Test
    void shutdownAndSocket() throws Exception {
        int[] pair = TestFds.tcpPair();
        try {
            ring.getSqe().prepShutdown(pair[0], Uapi.SHUT_WR()).userData(1);
            assertEquals(0, Reap.one(ring));
            ring.getSqe().prepRecv(pair[1], arena.allocate(8), 0).userData(2);
            assertEquals(0, Reap.one(ring), "EOF after the peer shut down writing");
        } finally {
            Posix.close(pair[0]);
            Posix.close(pair[1]);
        }
        ring.getSqe().prepSocket(Uapi.AF_INET(), Uapi.SOCK_STREAM(), 0, 0).userData(3);
        int s = Reap.one(ring);
        assertTrue(s >= 0, "socket: " + s);
        Posix.close(s);
    }

    @Test
    void uringCmdOnASocket() throws Exception {
        int fd = openFile("plain", "x");
        try {
            ring.getSqe().prepUringCmd(0, fd).userData(3);
            assertEquals(-Uapi.EOPNOTSUPP(), Reap.one(ring), "a regular file has no ->uring_cmd");
        } finally {
            Posix.close(fd);
        }
        assumeTrue(Kernel.atLeast(6, 7), "socket uring_cmd is Linux 6.7+, this is " + Kernel.version());
        int[] pair = TestFds.tcpPair();
        try {
            TestFds.write(pair[0], new byte[] {1, 2, 3, 4, 5});
            Thread.sleep(20);
            ring.getSqe().prepCmdSock(Uapi.SOCKET_URING_OP_SIOCINQ(), pair[1], 0, 0, null).userData(1);
            assertEquals(5, Reap.one(ring), "five bytes wait in the receive queue");
            ring.getSqe().prepUringCmd(Uapi.SOCKET_URING_OP_SIOCINQ(), pair[1]).userData(2);
            assertEquals(5, Reap.one(ring), "the generic form reaches the same command");
        } finally {
            Posix.close(pair[0]);
            Posix.close(pair[1]);
        }
    }

    @Test
    void directDescriptorsOpenReadAndClose() throws Exception {
        Path p = dir.resolve("direct");
        Files.writeString(p, "direct!");
        ring.registerFilesSparse(4);
        ring.getSqe().prepOpenatDirect(Uapi.AT_FDCWD(), arena.allocateFrom(p.toString()), Uapi.O_RDONLY(), 0, 2)
                .userData(1);
        assertEquals(0, Reap.one(ring));
        MemorySegment in = arena.allocate(16);
        ring.getSqe().prepRead(2, in, 0).fixedFile().userData(2);
        assertEquals(7, Reap.one(ring));
        assertEquals("direct!", string(in, 7));
        ring.getSqe().prepCloseDirect(2).userData(3);
        assertEquals(0, Reap.one(ring));
        ring.getSqe().prepRead(2, in, 0).fixedFile().userData(4);
        assertEquals(-Uapi.EBADF(), Reap.one(ring), "slot 2 is empty after the direct close");
    }

    @Test
    void readAtCurrentPosition() throws Exception {
        int fd = openFile("pos", "abcdef");
        try {
            MemorySegment in = arena.allocate(3);
            ring.getSqe().prepRead(fd, in, -1).userData(1);
            assertEquals(3, Reap.one(ring));
            assertEquals("abc", string(in, 3));
            ring.getSqe().prepRead(fd, in, -1).userData(2);
            assertEquals(3, Reap.one(ring));
            assertEquals("def", string(in, 3), "offset -1 advanced the file position");
            ring.getSqe().prepRead(fd, in, -1).userData(3);
            assertEquals(0, Reap.one(ring), "EOF");
            assertFalse(ring.isClosed());
        } finally {
            Posix.close(fd);
        }
    }

    @Test
    void providedBuffersWithBufferSelect() throws Exception {
        int[] pair = TestFds.tcpPair();
        try {
            MemorySegment pool = arena.allocate(4 * 64);
            ring.getSqe().prepProvideBuffers(pool, 64, 4, 7, 100).userData(1);
            assertTrue(Reap.one(ring) >= 0);
            TestFds.write(pair[0], "selected".getBytes(StandardCharsets.US_ASCII));
            ring.getSqe().prepRecv(pair[1], 0L, 64, 0).bufferSelect(7).userData(2);
            ring.submit();
            List<long[]> c = Reap.awaitAll(ring, 1);
            assertEquals(8, c.get(0)[1]);
            int flags = (int) c.get(0)[2];
            assertTrue((flags & Uapi.IORING_CQE_F_BUFFER()) != 0, "the kernel picked a provided buffer");
            int bid = flags >>> Uapi.IORING_CQE_BUFFER_SHIFT();
            assertTrue(bid >= 100 && bid < 104, "buffer id " + bid);
            assertEquals("selected", string(pool.asSlice((bid - 100) * 64L), 8));
            ring.getSqe().prepRemoveBuffers(10, 7).userData(3);
            assertEquals(3, Reap.one(ring), "three buffers were left in group 7");
        } finally {
            Posix.close(pair[0]);
            Posix.close(pair[1]);
        }
    }

    @Test
    void msgRingPostsOnAnotherRing() throws Exception {
        try (IoUring target = IoUring.open(4)) {
            ring.getSqe().prepMsgRing(target.fd(), 4242, 0xABCDL, 0).userData(1);
            assertEquals(0, Reap.one(ring));
            Cqe c = target.waitCqe(5, TimeUnit.SECONDS);
            assertEquals(0xABCDL, c.userData());
            assertEquals(4242, c.res());
        }
    }
}
