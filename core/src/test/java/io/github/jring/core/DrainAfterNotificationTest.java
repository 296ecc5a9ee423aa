package io.github.jring.core;

import io.github.jring.bindings.Uapi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Close's drain after zero-copy sends. Kernels before 6.16 release an {@code IOSQE_IO_DRAIN} request by CQ sequence
 * and never after a notification (a completion no SQE made); the drain must then rely on the ring's count, and must
 * not leave a NOP behind that every later request would wait for. On 6.16 and later the kernel itself covers it, so
 * the {@code drainByCqSequence} test hook makes the host take the same path.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DrainAfterNotificationTest {

    private static final int SIZE = 4096;

    private int client = -1;
    private int server = -1;
    private Arena arena;

    @BeforeEach
    void setUp() throws Exception {
        int[] pair = TestFds.tcpPair();
        client = pair[0];
        server = pair[1];
        arena = Arena.ofConfined();
    }

    @AfterEach
    void tearDown() {
        Posix.closeQuietly(client, server);
        arena.close();
    }

    private static IoUring open(boolean hook) throws ErrnoException {
        IoUringBuilder b = IoUring.builder().closeTimeout(Duration.ofSeconds(3));
        return (hook ? b.drainByCqSequence() : b).build(8);
    }

    /** Queues and submits one zero-copy send of SIZE bytes. */
    private void sendZc(IoUring ring, long userData) throws ErrnoException {
        MemorySegment buf = arena.allocate(SIZE);
        ring.getSqe().prepSendZc(client, buf, 0, 0).userData(userData);
        ring.submit();
    }

    /** Reaps the send's result and its notification. */
    private static void reapSend(IoUring ring) throws ErrnoException {
        boolean notified = false;
        while (!notified) {
            Cqe c = ring.waitCqe(10, TimeUnit.SECONDS);
            assertNotNull(c, "no completion");
            notified = c.isNotification();
            ring.cqeSeen(c);
        }
        assertEquals(0, ring.inFlight());
    }

    private void cancelAndDrainAfterANotificationLeavesTheRingUsable(boolean hook) throws Exception {
        try (IoUring ring = open(hook)) {
            BufferRingTest.skipUnless(ring.probe().supports(Uapi.IORING_OP_SEND_ZC()), "IORING_OP_SEND_ZC (Linux 6.0)");
            sendZc(ring, 1);
            reapSend(ring);
            long t0 = System.nanoTime();
            assertEquals(0, ring.cancelAndDrain(3, TimeUnit.SECONDS, c -> { }), "nothing is in flight");
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertTrue(ms < 1_000, "the drain returned at once, not at its timeout: " + ms + " ms");
            // A drained NOP the kernel never releases would hold this one back too.
            ring.getSqe().prepNop().userData(2);
            ring.submit();
            Cqe nop = ring.waitCqe(3, TimeUnit.SECONDS);
            assertNotNull(nop, "the ring still runs requests after the drain");
            assertEquals(2, nop.userData());
            ring.cqeSeen(nop);
            sendZc(ring, 3);
            reapSend(ring);
        } // close() drains again, two notifications on
    }

    @Test
    void cancelAndDrainAfterANotificationLeavesTheRingUsable() throws Exception {
        cancelAndDrainAfterANotificationLeavesTheRingUsable(false);
    }

    @Test
    void cancelAndDrainAfterANotificationLeavesTheRingUsableWhenTheKernelDrainsBySequence() throws Exception {
        cancelAndDrainAfterANotificationLeavesTheRingUsable(true);
    }

    private void closeWithASendsCompletionsUnreaped(boolean hook) throws Exception {
        IoUring ring = open(hook);
        try {
            BufferRingTest.skipUnless(ring.probe().supports(Uapi.IORING_OP_SEND_ZC()), "IORING_OP_SEND_ZC (Linux 6.0)");
            sendZc(ring, 1);
        } finally {
            // The notification is posted while close() drains: the drain learns of it there.
            ring.close();
        }
    }

    @Test
    void closeWithASendsCompletionsUnreaped() throws Exception {
        closeWithASendsCompletionsUnreaped(false);
    }

    @Test
    void closeWithASendsCompletionsUnreapedWhenTheKernelDrainsBySequence() throws Exception {
        closeWithASendsCompletionsUnreaped(true);
    }
}
