package io.github.jring.core.async;

import io.github.jring.bindings.Uapi;
import io.github.jring.core.Posix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link AsyncRing} on rings set up with {@code IORING_SETUP_IOPOLL} (no eventfd wakeup: the completion thread polls
 * while requests are in the kernel and parks when none is) and {@code IORING_SETUP_SQPOLL}, against the host's kernel.
 * Polled NVMe passthrough itself is tested in the VM ({@code AsyncNamespaceOptionsIT}), where the controller has a
 * poll queue.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class AsyncRingPollingTest {

    @TempDir
    Path dir;

    @Test
    void anIoPollRingCompletesFuturesAndBlockingCallsAndParksWhenIdle() throws Exception {
        try (AsyncRing ring = AsyncRing.builder().entries(32).ring(b -> b.ioPoll()).build();
             var vts = Executors.newVirtualThreadPerTaskExecutor()) {
            assertNotEquals(0, ring.ringFlags() & Uapi.IORING_SETUP_IOPOLL(), ring.toString());
            List<CompletableFuture<Integer>> futures = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                futures.add(ring.nop());
            }
            for (CompletableFuture<Integer> f : futures) {
                assertEquals(0, f.join());
            }
            List<Future<Integer>> calls = new ArrayList<>();
            for (int t = 0; t < 50; t++) {
                calls.add(vts.submit(() -> {
                    int n = 0;
                    for (int i = 0; i < 100; i++) {
                        n += ring.nopBlocking() + 1;
                    }
                    return n;
                }));
            }
            for (Future<Integer> f : calls) {
                assertEquals(100, f.get());
            }
            // Idle, the completion thread parks instead of polling (or sleeping on an eventfd read it cannot have).
            Thread t = ring.completionThread();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (t.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertEquals(Thread.State.WAITING, t.getState(), "the idle completion thread of an IOPOLL ring parks");
            assertEquals(0, ring.nopBlocking(), "and a submitter wakes it");
        }
    }

    @Test
    void aRequestAnIoPollRingRefusesFailsOnlyItself() throws Exception {
        Path f = dir.resolve("f");
        Files.write(f, new byte[4096]);
        int fd = Posix.open(f, Uapi.O_RDONLY() | Uapi.O_CLOEXEC(), 0); // buffered: not pollable
        try (AsyncRing ring = AsyncRing.builder().entries(8).ring(b -> b.ioPoll()).build();
             Arena arena = Arena.ofShared()) {
            CompletableFuture<Integer> read = ring.read(fd, arena.allocate(4096, 4096), 0);
            assertTrue(read.handle((r, e) -> e != null || r >= 0).join());
            assertEquals(0, ring.nop().join(), "the ring stays usable");
        } finally {
            Posix.close(fd);
        }
    }

    @Test
    void anSqPollRingReadsWhatTheFileHolds() throws Exception {
        Path f = dir.resolve("data");
        byte[] content = new byte[64 * 1024];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) (i * 31 + 7);
        }
        Files.write(f, content);
        int fd = Posix.open(f, Uapi.O_RDONLY() | Uapi.O_CLOEXEC(), 0);
        try (AsyncRing ring = AsyncRing.builder().entries(32).ring(b -> b.sqPoll(10)).build();
             Arena arena = Arena.ofShared();
             var vts = Executors.newVirtualThreadPerTaskExecutor()) {
            assertNotEquals(0, ring.ringFlags() & Uapi.IORING_SETUP_SQPOLL(), ring.toString());
            List<Future<?>> all = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                int block = t;
                all.add(vts.submit(() -> {
                    MemorySegment buf = arena.allocate(4096);
                    for (int i = 0; i < 20; i++) {
                        assertEquals(4096, ring.readBlocking(fd, buf, block * 4096L));
                        for (int j = 0; j < 4096; j += 97) {
                            assertEquals(content[block * 4096 + j], buf.get(ValueLayout.JAVA_BYTE, j));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> x : all) {
                x.get();
            }
            Thread.sleep(50); // past the SQ thread's idle time: it sleeps, and the next submit must wake it
            assertEquals(0, ring.nop().get(10, TimeUnit.SECONDS));
        } finally {
            Posix.close(fd);
        }
    }
}
