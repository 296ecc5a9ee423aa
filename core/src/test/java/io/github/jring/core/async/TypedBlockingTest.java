package io.github.jring.core.async;

import io.github.jring.bindings.Uapi;
import io.github.jring.core.ErrnoException;
import io.github.jring.core.Posix;
import io.github.jring.core.TestFds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.InterruptedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The blocking forms of {@link AsyncRing}'s typed futures for sockets, files and time, from virtual threads against
 * the real kernel: an echo server and its clients written with nothing but {@code acceptBlocking},
 * {@code connectBlocking}, {@code sendBlocking}, {@code recvBlocking} and {@code closeFdBlocking}, every byte
 * checked; a file opened, inspected, spliced and closed; a timeout slept through; errors thrown as the
 * {@link ErrnoException} itself; an interrupt that cancels the request in the kernel; and a blocked caller parked on
 * its request, with no {@code CompletableFuture} waiter node.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TypedBlockingTest {

    private static final int CLIENTS = 64;
    private static final int ROUNDS = 16;
    private static final int CHUNK = 4096;

    @TempDir
    Path dir;

    @Test
    void anEchoServerAndItsClientsOnVirtualThreadsEveryByteBack() throws Exception {
        int listener = Posix.socket(Uapi.AF_INET(), Uapi.SOCK_STREAM() | Uapi.SOCK_CLOEXEC(), 0);
        // Each connection has at most two requests in the kernel (its client's and its server's, each waiting for
        // the other's data): room for all of them, so that no send waits behind receives that wait for it.
        try (AsyncRing ring = AsyncRing.open(256);
             Arena arena = Arena.ofShared();
             ExecutorService vts = Executors.newVirtualThreadPerTaskExecutor()) {
            TestFds.bindLoopback(listener, 0);
            Posix.listen(listener, CLIENTS);
            MemorySegment address = TestFds.loopback(arena, TestFds.localPort(listener));
            Future<?> server = vts.submit(() -> {
                List<Future<?>> handlers = new ArrayList<>();
                for (int i = 0; i < CLIENTS; i++) {
                    int conn = ring.acceptBlocking(listener, null, null, Uapi.SOCK_CLOEXEC());
                    handlers.add(vts.submit(() -> echo(ring, arena, conn)));
                }
                for (Future<?> h : handlers) {
                    h.get();
                }
                return null;
            });
            List<Future<?>> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int id = c;
                clients.add(vts.submit(() -> client(ring, arena, address, id)));
            }
            for (Future<?> f : clients) {
                f.get();
            }
            server.get();
        } finally {
            Posix.closeQuietly(listener);
        }
    }

    /** Sends back what it receives until the peer closes, then closes its side. */
    private static Void echo(AsyncRing ring, Arena arena, int conn) throws Exception {
        MemorySegment buf = arena.allocate(CHUNK);
        for (int n; (n = ring.recvBlocking(conn, buf, 0)) > 0; ) {
            for (int sent = 0; sent < n; ) {
                sent += ring.sendBlocking(conn, buf.asSlice(sent, n - sent), 0);
            }
        }
        assertEquals(0, ring.closeFdBlocking(conn));
        return null;
    }

    /** Connects, sends {@link #ROUNDS} chunks of its own pattern, checks each echo, and sees the server close. */
    private static Void client(AsyncRing ring, Arena arena, MemorySegment address, int id) throws Exception {
        int fd = Posix.socket(Uapi.AF_INET(), Uapi.SOCK_STREAM() | Uapi.SOCK_CLOEXEC(), 0);
        try {
            assertEquals(0, ring.connectBlocking(fd, address));
            MemorySegment out = arena.allocate(CHUNK);
            MemorySegment in = arena.allocate(CHUNK);
            for (int r = 0; r < ROUNDS; r++) {
                byte[] want = new byte[CHUNK];
                for (int i = 0; i < CHUNK; i++) {
                    want[i] = (byte) (id * 31 + r * 7 + i);
                }
                out.copyFrom(MemorySegment.ofArray(want));
                for (int sent = 0; sent < CHUNK; ) {
                    sent += ring.sendBlocking(fd, out.asSlice(sent), 0);
                }
                int got = 0;
                while (got < CHUNK) {
                    int n = ring.recvBlocking(fd, in.asSlice(got), 0);
                    assertTrue(n > 0, "client " + id + ": the echo ended early, after " + got + " bytes");
                    got += n;
                }
                assertArrayEquals(want, in.toArray(ValueLayout.JAVA_BYTE), "client " + id + ", round " + r);
            }
            assertEquals(0, ring.submitBlocking(sqe -> sqe.prepShutdown(fd, Uapi.SHUT_WR())).resOrThrow("shutdown"));
            assertEquals(0, ring.recvBlocking(fd, in, 0), "end of stream once the server closed");
        } finally {
            Posix.closeQuietly(fd);
        }
        return null;
    }

    @Test
    void openatStatxSpliceFsyncAndCloseBlocking() throws Exception {
        Path f = dir.resolve("data");
        byte[] content = new byte[10_000];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) (i * 13);
        }
        Files.write(f, content);
        int[] pipe = Posix.pipe(Uapi.O_CLOEXEC());
        try (AsyncRing ring = AsyncRing.open(16);
             Arena arena = Arena.ofShared();
             ExecutorService vts = Executors.newVirtualThreadPerTaskExecutor()) {
            vts.submit(() -> {
                MemorySegment path = arena.allocateFrom(f.toString());
                int fd = ring.openatBlocking(Posix.AT_FDCWD, path, Posix.O_RDWR | Posix.O_CLOEXEC, 0);
                assertTrue(fd >= 0);
                MemorySegment stx = arena.allocate(256, 8);
                assertEquals(0, ring.statxBlocking(Posix.AT_FDCWD, path, 0, Uapi.STATX_SIZE(), stx));
                assertEquals(content.length, stx.get(ValueLayout.JAVA_LONG, 40), "stx_size");
                assertEquals(4096, ring.spliceBlocking(fd, 100, pipe[1], -1, 4096, 0));
                assertArrayEquals(java.util.Arrays.copyOfRange(content, 100, 4196), TestFds.read(pipe[0], 4096));
                assertEquals(0, ring.fsyncBlocking(fd, Uapi.IORING_FSYNC_DATASYNC()));
                assertEquals(0, ring.closeFdBlocking(fd));
                // Failures are thrown as the ErrnoException itself, naming the request.
                ErrnoException twice = assertThrows(ErrnoException.class, () -> ring.closeFdBlocking(fd));
                assertEquals("EBADF", twice.errnoName(), "closed once already");
                ErrnoException missing = assertThrows(ErrnoException.class, () -> ring.openatBlocking(
                        Posix.AT_FDCWD, arena.allocateFrom(dir.resolve("none").toString()), Posix.O_RDONLY, 0));
                assertEquals("ENOENT", missing.errnoName());
                assertTrue(missing.getMessage().contains("none"), missing.getMessage());
                ErrnoException stat = assertThrows(ErrnoException.class, () -> ring.statxBlocking(Posix.AT_FDCWD,
                        arena.allocateFrom(dir.resolve("none").toString()), 0, Uapi.STATX_SIZE(), stx));
                assertEquals("ENOENT", stat.errnoName());
                return null;
            }).get();
        } finally {
            Posix.closeQuietly(pipe);
        }
    }

    @Test
    void aTimeoutSleepsAndARefusedConnectThrowsItsErrno() throws Exception {
        try (AsyncRing ring = AsyncRing.open(8); Arena arena = Arena.ofShared()) {
            long start = System.nanoTime();
            assertEquals(0, ring.timeoutBlocking(Duration.ofMillis(50)));
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(45), "slept the time");
            // A port nothing listens on: bind one, close it, connect to it.
            int[] gone = TestFds.listenLoopback();
            Posix.close(gone[0]);
            int fd = Posix.socket(Uapi.AF_INET(), Uapi.SOCK_STREAM() | Uapi.SOCK_CLOEXEC(), 0);
            try {
                ErrnoException refused = assertThrows(ErrnoException.class,
                        () -> ring.connectBlocking(fd, TestFds.loopback(arena, gone[1])));
                assertEquals("ECONNREFUSED", refused.errnoName());
            } finally {
                Posix.closeQuietly(fd);
            }
            ErrnoException bad = assertThrows(ErrnoException.class,
                    () -> ring.acceptBlocking(-1, null, null, 0));
            assertEquals("EBADF", bad.errnoName());
            assertThrows(IllegalArgumentException.class, () -> ring.timeoutBlocking(Duration.ofMillis(-1)));
        }
    }

    @Test
    void aBlockedRecvParksOnItsRequestAndAnInterruptCancelsIt() throws Exception {
        int[] pair = TestFds.tcpPair();
        try (AsyncRing ring = AsyncRing.open(8); Arena arena = Arena.ofShared()) {
            MemorySegment buf = arena.allocate(64);
            AtomicReference<Throwable> outcome = new AtomicReference<>();
            Thread reader = Thread.ofVirtual().start(() -> {
                try {
                    ring.recvBlocking(pair[1], buf, 0);
                    outcome.set(new AssertionError("recv returned without data"));
                } catch (Throwable t) {
                    outcome.set(t);
                }
                if (!Thread.currentThread().isInterrupted()) {
                    outcome.set(new AssertionError("the interrupt status was not restored", outcome.get()));
                }
            });
            Object blocker = null;
            for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                 !(blocker instanceof TypedRequest) && System.nanoTime() < deadline; ) {
                Thread.sleep(1);
                blocker = LockSupport.getBlocker(reader);
            }
            // Parked on the request itself: the completion unparks it, no CompletableFuture waiter node in between.
            assertInstanceOf(TypedRequest.class, blocker, "the blocked reader's park blocker");
            reader.interrupt();
            reader.join(10_000);
            InterruptedIOException ie = assertInstanceOf(InterruptedIOException.class, outcome.get());
            ErrnoException cause = assertInstanceOf(ErrnoException.class, ie.getCause());
            assertEquals("ECANCELED", cause.errnoName());
            assertTrue(ie.getMessage().startsWith("recv (fd " + pair[1]), ie.getMessage());
            // The ring and the connection go on.
            byte[] hello = {1, 2, 3, 4, 5};
            MemorySegment out = arena.allocate(hello.length);
            out.copyFrom(MemorySegment.ofArray(hello));
            CompletableFuture<Integer> in = ring.recv(pair[1], buf, 0);
            assertEquals(hello.length, ring.sendBlocking(pair[0], out, 0));
            int n = ring.await(in);
            assertArrayEquals(hello, buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE));
        } finally {
            Posix.closeQuietly(pair);
        }
    }
}
