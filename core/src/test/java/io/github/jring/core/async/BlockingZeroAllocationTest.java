package io.github.jring.core.async;

import io.github.jring.bindings.Uapi;
import io.github.jring.core.Posix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The blocking calls allocate nothing per request once compiled: no future, no waiter node, no boxed result (the
 * 4096-byte reads return a value that {@code Integer.valueOf} would box). Counts the calling thread's allocated bytes
 * over many calls, as {@code ZeroAllocationTest} does for the raw ring; the calling thread is a platform thread, so
 * that what the JDK's virtual thread scheduler allocates for a park does not count.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class BlockingZeroAllocationTest {

    private static final int BLOCK = 4096;

    @TempDir
    Path dir;

    @Test
    void blockingCallsAllocateNothingPerRequest() throws Exception {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        int ops = 50_000;
        long best = Long.MAX_VALUE;
        int fd = Posix.open(dir.resolve("f"), Uapi.O_RDWR() | Uapi.O_CREAT() | Uapi.O_CLOEXEC(), 0600);
        try (AsyncRing ring = AsyncRing.open(32); Arena arena = Arena.ofShared()) {
            MemorySegment buf = arena.allocate(BLOCK, BLOCK);
            for (int i = 0; i < 16; i++) {
                assertEquals(BLOCK, ring.writeBlocking(fd, buf, (long) i * BLOCK));
            }
            for (int round = 0; round < 15 && best > 1024; round++) {
                long before = mx.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < ops; i++) {
                    switch (i & 3) {
                        case 0 -> assertEquals(0, ring.nopBlocking());
                        case 1 -> assertEquals(BLOCK, ring.writeBlocking(fd, buf, (long) (i & 15) * BLOCK));
                        default -> assertEquals(BLOCK, ring.readBlocking(fd, buf, (long) (i & 15) * BLOCK));
                    }
                    if ((i & 4095) == 0) {
                        assertEquals(0, ring.fsyncBlocking(fd));
                    }
                }
                best = Math.min(best, mx.getCurrentThreadAllocatedBytes() - before);
            }
        } finally {
            Posix.close(fd);
        }
        assertTrue(best <= 1024, "best round allocated " + best + " bytes for " + ops + " blocking calls");
    }
}
