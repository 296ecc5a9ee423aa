package io.github.jring.core.async;

import io.github.jring.bindings.Uapi;
import io.github.jring.core.Posix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Blocking calls reuse their requests (a pool per ring) while futures and other threads' calls go through the same
 * queue: every result must reach the thread that asked for it. Each thread reads a length of its own, so a result
 * handed to the wrong waiter, or a request reused while still queued or in flight, shows as a wrong byte count.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class BlockingReuseTest {

    @TempDir
    Path dir;

    @Test
    void everyBlockingCallGetsItsOwnResultWhileRequestsAreReused() throws Exception {
        int threads = 48;
        int calls = 3_000;
        int fd = Posix.open(dir.resolve("f"), Uapi.O_RDWR() | Uapi.O_CREAT() | Uapi.O_CLOEXEC(), 0600);
        try (AsyncRing ring = AsyncRing.open(16); Arena arena = Arena.ofShared()) {
            MemorySegment data = arena.allocate(threads * 8L + 8);
            assertEquals((int) data.byteSize(), ring.writeBlocking(fd, data, 0));
            List<Thread> all = new ArrayList<>();
            List<Throwable> failures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int length = (t + 1) * 8;
                MemorySegment buf = arena.allocate(length);
                Thread.Builder b = (t & 1) == 0 ? Thread.ofVirtual() : Thread.ofPlatform();
                all.add(b.start(() -> {
                    try {
                        for (int i = 0; i < calls; i++) {
                            switch (i % 4) {
                                case 0 -> assertEquals(length, ring.readBlocking(fd, buf, 0));
                                case 1 -> assertEquals(0, ring.nopBlocking());
                                case 2 -> {
                                    CompletableFuture<Integer> f = ring.read(fd, buf, 0);
                                    assertEquals(length, ring.readBlocking(fd, buf, 0));
                                    assertEquals(length, f.join());
                                }
                                default -> assertEquals(length, ring.writeBlocking(fd, buf, 0));
                            }
                        }
                    } catch (Throwable e) {
                        synchronized (failures) {
                            failures.add(e);
                        }
                    }
                }));
            }
            for (Thread t : all) {
                t.join();
            }
            assertEquals(List.of(), failures);
        } finally {
            Posix.close(fd);
        }
    }
}
