package io.github.jring.core.async;

import io.github.jring.bindings.Uapi;
import io.github.jring.core.ErrnoException;
import io.github.jring.core.Posix;
import io.github.jring.core.Sqe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link RingRequest}: a request that is its own future, fills its own SQE and completes from its own CQE, against the
 * real kernel: results, errors, misuse, many threads waiting, and what one request costs in memory.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RingRequestTest {

    @TempDir
    Path dir;

    /** A NOP that completes with {@code res}. */
    static class Nop extends RingRequest<Integer> {
        @Override
        protected void prepare(Sqe sqe) {
            sqe.prepNop();
        }

        @Override
        protected void onCompletion(int res, int flags, long bigCqe0, long bigCqe1) {
            complete(res);
        }
    }

    /** A read that keeps its buffer in a field (the ring keeps the request, so the buffer, until its CQE). */
    static final class Read extends RingRequest<Integer> {
        private final int fd;
        private final MemorySegment buffer;
        private final long offset;

        Read(int fd, MemorySegment buffer, long offset) {
            this.fd = fd;
            this.buffer = buffer;
            this.offset = offset;
        }

        @Override
        protected void prepare(Sqe sqe) {
            sqe.prepRead(fd, buffer, offset);
        }

        @Override
        protected void onCompletion(int res, int flags, long bigCqe0, long bigCqe1) {
            if (res < 0) {
                completeExceptionally(new ErrnoException(describe(), -res));
            } else {
                complete(res);
            }
        }

        @Override
        protected String describe() {
            return "test read (fd " + fd + ")";
        }
    }

    @Test
    void theRequestIsTheFutureAndCompletesFromItsCqe() throws Exception {
        Path f = dir.resolve("data");
        byte[] content = new byte[8192];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) (i * 7);
        }
        Files.write(f, content);
        int fd = Posix.open(f, Uapi.O_RDONLY() | Uapi.O_CLOEXEC(), 0);
        try (AsyncRing ring = AsyncRing.open(8); Arena arena = Arena.ofShared()) {
            Nop nop = new Nop();
            assertSame(nop, ring.send(nop));
            assertEquals(0, ring.await(nop));
            MemorySegment buf = arena.allocate(4096);
            Read read = new Read(fd, buf, 4096);
            assertEquals(4096, ring.send(read).join());
            for (int i = 0; i < 4096; i++) {
                assertEquals(content[4096 + i], buf.get(ValueLayout.JAVA_BYTE, i), "byte " + i);
            }
        } finally {
            Posix.close(fd);
        }
    }

    @Test
    void errorsFailOnlyTheirOwnRequest() throws Exception {
        try (AsyncRing ring = AsyncRing.open(8); Arena arena = Arena.ofShared()) {
            MemorySegment buf = arena.allocate(64);
            ErrnoException e = assertThrows(ErrnoException.class, () -> ring.await(ring.send(new Read(-1, buf, 0))));
            assertEquals("EBADF", e.errnoName());
            assertTrue(e.getMessage().startsWith("test read (fd -1)"), e.getMessage());

            RingRequest<Integer> throwsInPrepare = new Nop() {
                @Override
                protected void prepare(Sqe sqe) {
                    throw new IllegalStateException("no entry for you");
                }
            };
            CompletionException ce = assertThrows(CompletionException.class, () -> ring.send(throwsInPrepare).join());
            assertInstanceOf(IllegalStateException.class, ce.getCause());

            RingRequest<Integer> throwsOnCompletion = new Nop() {
                @Override
                protected void onCompletion(int res, int flags, long bigCqe0, long bigCqe1) {
                    throw new IllegalArgumentException("bad answer");
                }
            };
            assertThrows(IllegalArgumentException.class, () -> ring.await(ring.send(throwsOnCompletion)));

            RingRequest<Integer> linked = new Nop() {
                @Override
                protected void prepare(Sqe sqe) {
                    sqe.prepNop().flags(Uapi.IOSQE_IO_LINK());
                }
            };
            assertThrows(IllegalArgumentException.class, () -> ring.await(ring.send(linked)));

            Nop once = new Nop();
            ring.send(once).join();
            assertThrows(IllegalStateException.class, () -> ring.send(once));
            assertEquals(0, ring.await(ring.send(new Nop())), "the ring stays usable");
        }
    }

    @Test
    void aRequestSentAfterTheCloseFailsWithRingClosed() throws Exception {
        AsyncRing ring = AsyncRing.open(8);
        ring.close();
        CompletableFuture<Integer> f = ring.send(new Nop());
        CompletionException e = assertThrows(CompletionException.class, f::join);
        assertInstanceOf(RingClosedException.class, e.getCause());
    }

    @Test
    void manyVirtualThreadsEachAwaitTheirOwn() throws Exception {
        try (AsyncRing ring = AsyncRing.open(32);
             var vts = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Integer>> all = new ArrayList<>();
            for (int t = 0; t < 200; t++) {
                all.add(vts.submit(() -> {
                    int sum = 0;
                    for (int i = 0; i < 200; i++) {
                        sum += ring.await(ring.send(new Nop())) + 1;
                    }
                    return sum;
                }));
            }
            for (Future<Integer> f : all) {
                assertEquals(200, f.get());
            }
        }
    }

    @Test
    void awaitingARequestAllocatesTheRequestAndNothingMore() throws Exception {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        int ops = 50_000;
        long best = Long.MAX_VALUE;
        try (AsyncRing ring = AsyncRing.open(32)) {
            for (int round = 0; round < 15 && best > 64L * ops; round++) {
                long before = mx.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < ops; i++) {
                    ring.await(ring.send(new Nop()));
                }
                best = Math.min(best, mx.getCurrentThreadAllocatedBytes() - before);
            }
        }
        // a Nop is a 64-byte object; a CompletableFuture waiter node or a Completion record would add 32 bytes or more
        assertTrue(best <= 64L * ops, "best round allocated " + best / (double) ops + " bytes per request");
    }
}
