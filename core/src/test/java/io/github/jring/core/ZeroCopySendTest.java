package io.github.jring.core;

import io.github.jring.bindings.Uapi;
import io.github.jring.examples.BufferRingsAndZeroCopy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Zero-copy send ({@code IORING_OP_SEND_ZC}, 6.0; {@code IORING_OP_SENDMSG_ZC}, 6.1) on loopback TCP: the data
 * arrives intact, the result comes first with {@code IORING_CQE_F_MORE}, then the notification with
 * {@code IORING_CQE_F_NOTIF} and the same {@code user_data}, and {@link ZeroCopySend} refuses the buffer's reuse
 * between the two. Each round refills the one buffer only after its notification, with a different pattern, and the
 * receiver checks every byte.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ZeroCopySendTest {

    private static final int ROUNDS = 8;
    private static final int SIZE = 256 * 1024;

    private IoUring ring;
    private int client = -1;
    private int server = -1;

    @BeforeEach
    void setUp() throws Exception {
        ring = IoUring.open(32);
        int[] pair = TestFds.tcpPair();
        client = pair[0];
        server = pair[1];
    }

    @AfterEach
    void tearDown() {
        Posix.closeQuietly(client, server);
        if (ring != null) {
            ring.close();
        }
    }

    private static byte pattern(int round, long k) {
        return BufferRingTest.pattern(k * 7 + round * 1_000_003L);
    }

    /** Reads ROUNDS * SIZE bytes from {@code fd} on a thread of its own and checks each against the pattern. */
    private static Thread receiver(int fd, AtomicLong checked, AtomicReference<Throwable> error) {
        Thread t = new Thread(() -> {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment buf = a.allocate(64 * 1024);
                long total = (long) ROUNDS * SIZE;
                long got = 0;
                while (got < total) {
                    int n = Posix.read(fd, buf);
                    if (n == 0) {
                        throw new AssertionError("EOF after " + got + " bytes");
                    }
                    for (int i = 0; i < n; i++) {
                        long k = got + i;
                        byte expected = pattern((int) (k / SIZE), k % SIZE);
                        if (buf.get(JAVA_BYTE, i) != expected) {
                            throw new AssertionError("byte " + k + " differs");
                        }
                    }
                    got += n;
                    checked.set(got);
                }
            } catch (Throwable e) {
                error.set(e);
            }
        }, "zero-copy-receiver");
        t.start();
        return t;
    }

    private void sendRounds(boolean sendmsg) throws Exception {
        int op = sendmsg ? Uapi.IORING_OP_SENDMSG_ZC() : Uapi.IORING_OP_SEND_ZC();
        BufferRingTest.skipUnless(ring.probe().supports(op),
                (sendmsg ? "IORING_OP_SENDMSG_ZC (Linux 6.1)" : "IORING_OP_SEND_ZC (Linux 6.0)"));
        int reportUsage = Kernel.atLeast(6, 2) ? Uapi.IORING_SEND_ZC_REPORT_USAGE() : 0;
        AtomicLong checked = new AtomicLong();
        AtomicReference<Throwable> error = new AtomicReference<>();
        Thread t = receiver(server, checked, error);
        int copied = 0;
        try (ZeroCopySend zc = ZeroCopySend.allocate(SIZE)) {
            for (int round = 0; round < ROUNDS; round++) {
                assertTrue(zc.isReleased());
                MemorySegment buf = zc.buffer();
                for (int i = 0; i < SIZE; i++) {
                    buf.set(JAVA_BYTE, i, pattern(round, i));
                }
                int waitAll = Uapi.MSG_WAITALL();
                Sqe sqe = sendmsg ? zc.prepSendmsg(ring, client, SIZE, waitAll, reportUsage)
                        : zc.prepSend(ring, client, SIZE, waitAll, reportUsage);
                assertEquals(op, sqe.opcode());
                sqe.userData(100 + round);
                assertFalse(zc.isReleased());
                assertThrows(IllegalStateException.class, zc::buffer, "the buffer is the kernel's once prepared");
                ring.submit();

                Cqe first = ring.waitCqe(10, TimeUnit.SECONDS);
                assertNotNull(first, "no result");
                assertEquals(100 + round, first.userData());
                assertFalse(first.isNotification(), "the result comes first: " + first);
                assertEquals(SIZE, first.res(), first.toString());
                assertTrue(first.hasMore(), "F_MORE: a notification follows: " + first);
                assertFalse(zc.complete(first));
                ring.cqeSeen(first);
                // Between the result and the notification the stack may still read the buffer.
                assertTrue(zc.awaitsNotification());
                assertEquals(SIZE, zc.result());
                IllegalStateException refused = assertThrows(IllegalStateException.class, zc::buffer);
                assertTrue(refused.getMessage().contains("notification"), refused.getMessage());
                int queued = ring.sqReady();
                assertThrows(IllegalStateException.class, () -> zc.prepSend(ring, client, 1, 0, 0));
                assertEquals(queued, ring.sqReady(), "a refused send takes no entry");
                assertThrows(IllegalStateException.class, zc::close);
                assertEquals(1, ring.inFlight(), "the send counts as in flight until its notification");

                Cqe notif = ring.waitCqe(10, TimeUnit.SECONDS);
                assertNotNull(notif, "no notification (received so far: " + checked.get() + ")");
                assertEquals(100 + round, notif.userData(), "the notification carries the send's user_data");
                assertTrue(notif.isNotification(), notif.toString());
                assertFalse(notif.hasMore(), notif.toString());
                assertTrue(zc.complete(notif));
                assertThrows(IllegalStateException.class, () -> zc.complete(notif), "no send awaits a completion");
                ring.cqeSeen(notif);
                assertEquals(0, ring.inFlight());
                copied += zc.copied() ? 1 : 0;
            }
            assertTrue(zc.isReleased());
        }
        t.join(30_000);
        assertNull(error.get(), () -> "receiver: " + error.get());
        assertEquals((long) ROUNDS * SIZE, checked.get());
        System.err.println("[ZeroCopySendTest] " + (sendmsg ? "SENDMSG_ZC" : "SEND_ZC") + ": " + ROUNDS + " x "
                + SIZE + " B intact; notifications reporting IORING_NOTIF_USAGE_ZC_COPIED: " + copied
                + (reportUsage == 0 ? " (not asked: before 6.2)" : " (loopback copies)"));
    }

    @Test
    void sendZcDeliversIntactAndReleasesTheBufferOnlyAtTheNotification() throws Exception {
        sendRounds(false);
    }

    @Test
    void sendmsgZcDeliversIntactAndReleasesTheBufferOnlyAtTheNotification() throws Exception {
        sendRounds(true);
    }

    @Test
    void sendZcFromARegisteredBuffer() throws Exception {
        BufferRingTest.skipUnless(ring.probe().supports(Uapi.IORING_OP_SEND_ZC()), "IORING_OP_SEND_ZC (Linux 6.0)");
        try (Arena a = Arena.ofConfined()) {
            MemorySegment reg = a.allocate(8192, 4096);
            for (int i = 0; i < 8192; i++) {
                reg.set(JAVA_BYTE, i, pattern(0, i));
            }
            ring.registerBuffers(reg);
            MemorySegment part = reg.asSlice(4096, 1000);
            ring.getSqe().prepSendZcFixed(client, part, 0, 0, 0).userData(5);
            ring.submit();
            int results = 0;
            int notifications = 0;
            while (results + notifications < 2) {
                Cqe c = ring.waitCqe(10, TimeUnit.SECONDS);
                assertNotNull(c);
                assertEquals(5, c.userData());
                if (c.isNotification()) {
                    assertEquals(1, results, "the notification comes after the result");
                    notifications++;
                } else {
                    assertEquals(1000, c.res(), c.toString());
                    assertTrue(c.hasMore());
                    results++;
                }
                ring.cqeSeen(c);
            }
            byte[] got = TestFds.read(server, 1000);
            assertEquals(1000, got.length);
            for (int i = 0; i < 1000; i++) {
                if (got[i] != pattern(0, 4096 + i)) {
                    fail("byte " + i + " differs");
                }
            }
            ring.unregisterBuffers();
        }
    }

    @Test
    void theCookbookZeroCopySendDeliversIntact() throws Exception {
        BufferRingTest.skipUnless(ring.probe().supports(Uapi.IORING_OP_SEND_ZC()), "IORING_OP_SEND_ZC (Linux 6.0)");
        byte[] data = new byte[300_000];
        for (int i = 0; i < data.length; i++) {
            data[i] = pattern(3, i);
        }
        AtomicReference<byte[]> received = new AtomicReference<>();
        AtomicReference<Throwable> error = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            try {
                byte[] all = new byte[data.length];
                int n = 0;
                while (n < all.length) {
                    byte[] part = TestFds.read(server, all.length - n);
                    System.arraycopy(part, 0, all, n, part.length);
                    n += part.length;
                }
                received.set(all);
            } catch (Throwable e) {
                error.set(e);
            }
        });
        reader.start();
        assertEquals(data.length, BufferRingsAndZeroCopy.sendZeroCopy(client, data));
        reader.join(30_000);
        assertNull(error.get());
        org.junit.jupiter.api.Assertions.assertArrayEquals(data, received.get());
    }
}
