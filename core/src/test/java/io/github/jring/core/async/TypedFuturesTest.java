package io.github.jring.core.async;

import io.github.jring.bindings.Uapi;
import io.github.jring.core.ErrnoException;
import io.github.jring.core.Posix;
import io.github.jring.core.TestFds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link AsyncRing}'s typed futures for sockets, files and time, against the real kernel: a TCP connection accepted,
 * connected, sent and received over; a file opened, inspected, spliced through a pipe and closed; a timeout; and
 * errors that fail only their own future.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TypedFuturesTest {

    @TempDir
    Path dir;

    @Test
    void acceptConnectSendAndRecv() throws Exception {
        int[] listener = TestFds.listenLoopback();
        int client = Posix.socket(Uapi.AF_INET(), Uapi.SOCK_STREAM(), 0);
        int server = -1;
        try (AsyncRing ring = AsyncRing.open(16); Arena arena = Arena.ofShared()) {
            CompletableFuture<Integer> accepted = ring.accept(listener[0], null, null, Uapi.SOCK_CLOEXEC());
            assertEquals(0, ring.connect(client, TestFds.loopback(arena, listener[1])).get(10, TimeUnit.SECONDS));
            server = accepted.get(10, TimeUnit.SECONDS);
            assertTrue(server >= 0);
            byte[] hello = "hello, ring".getBytes(StandardCharsets.UTF_8);
            MemorySegment out = arena.allocate(hello.length);
            out.copyFrom(MemorySegment.ofArray(hello));
            MemorySegment in = arena.allocate(64);
            CompletableFuture<Integer> received = ring.recv(server, in, 0);
            assertEquals(hello.length, ring.send(client, out, 0).get(10, TimeUnit.SECONDS));
            int n = received.get(10, TimeUnit.SECONDS);
            assertArrayEquals(hello, in.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE));
            assertEquals(0, ring.closeFd(server).get(10, TimeUnit.SECONDS));
            server = -1;
            assertEquals(0, ring.recv(client, in, 0).get(10, TimeUnit.SECONDS), "end of stream after the close");
        } finally {
            Posix.closeQuietly(listener[0], client);
            if (server >= 0) {
                Posix.closeQuietly(server);
            }
        }
    }

    @Test
    void openatStatxSpliceAndClose() throws Exception {
        Path f = dir.resolve("data");
        byte[] content = new byte[10_000];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) (i * 13);
        }
        Files.write(f, content);
        int[] pipe = Posix.pipe(Uapi.O_CLOEXEC());
        try (AsyncRing ring = AsyncRing.open(16); Arena arena = Arena.ofShared()) {
            MemorySegment path = arena.allocateFrom(f.toString());
            int fd = ring.openat(Posix.AT_FDCWD, path, Uapi.O_RDONLY() | Uapi.O_CLOEXEC(), 0)
                    .get(10, TimeUnit.SECONDS);
            MemorySegment stx = arena.allocate(256, 8);
            assertEquals(0, ring.statx(Posix.AT_FDCWD, path, 0, Uapi.STATX_SIZE(), stx).get(10, TimeUnit.SECONDS));
            assertEquals(content.length, stx.get(ValueLayout.JAVA_LONG, 40), "stx_size");
            int moved = ring.splice(fd, 100, pipe[1], -1, 4096, 0).get(10, TimeUnit.SECONDS);
            assertEquals(4096, moved);
            byte[] back = TestFds.read(pipe[0], 4096);
            assertArrayEquals(java.util.Arrays.copyOfRange(content, 100, 4196), back);
            assertEquals(0, ring.closeFd(fd).get(10, TimeUnit.SECONDS));
            ErrnoException e = assertThrows(ErrnoException.class, () -> ring.await(ring.closeFd(fd)));
            assertEquals("EBADF", e.errnoName(), "closed once already");
            ErrnoException missing = assertThrows(ErrnoException.class, () -> ring.await(
                    ring.openat(Posix.AT_FDCWD, arena.allocateFrom(dir.resolve("none").toString()),
                            Uapi.O_RDONLY(), 0)));
            assertEquals("ENOENT", missing.errnoName());
            assertTrue(missing.getMessage().contains("none"), missing.getMessage());
        } finally {
            Posix.closeQuietly(pipe);
        }
    }

    @Test
    void aTimeoutCompletesWithZeroWhenItsTimeHasPassed() throws Exception {
        try (AsyncRing ring = AsyncRing.open(8)) {
            long start = System.nanoTime();
            assertEquals(0, ring.timeout(Duration.ofMillis(50)).get(10, TimeUnit.SECONDS));
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(45), "waited the time");
            CompletableFuture<Integer> pending = ring.timeout(Duration.ofSeconds(30));
            assertTrue(pending.cancel(false));
            assertEquals(0, ring.nop().get(10, TimeUnit.SECONDS), "the ring stays usable");
            CompletionException e = assertThrows(CompletionException.class,
                    () -> ring.recv(-1, Arena.ofAuto().allocate(8), 0).join());
            assertInstanceOf(ErrnoException.class, e.getCause());
        }
    }
}
