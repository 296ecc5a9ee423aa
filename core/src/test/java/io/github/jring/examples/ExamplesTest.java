package io.github.jring.examples;

import io.github.jring.core.Posix;
import io.github.jring.bindings.Uapi;
import io.github.jring.core.IoUring;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs every host example of the cookbook ({@code docs/cookbook.md}) against the real kernel and checks what it did
 * through a path that does not go through jring (the JDK's file API), so an example cannot silently rot.
 */
class ExamplesTest {

    @TempDir
    Path dir;

    @Test
    void readWriteFile() throws Exception {
        Path file = dir.resolve("hello.txt");
        assertEquals("hello, io_uring", ReadWriteFile.roundTrip(file, "hello, io_uring"));
        assertEquals("hello, io_uring", Files.readString(file, StandardCharsets.UTF_8));
        ReadWriteFile.main(new String[] {dir.resolve("main.txt").toString()});
        assertEquals("hello, io_uring", Files.readString(dir.resolve("main.txt")));
    }

    @Test
    void linkedTimeoutCancelsTheRead() throws Exception {
        Duration timeout = Duration.ofMillis(50);
        LinkedTimeout.Outcome o = LinkedTimeout.readWithTimeout(timeout);
        assertEquals(-Uapi.ECANCELED(), o.readRes(), "the read is cancelled by its link timeout");
        assertEquals(-Uapi.ETIME(), o.timeoutRes(), "the timeout fired");
        assertTrue(o.elapsed().compareTo(timeout) >= 0, "completed only after the timeout: " + o.elapsed());
    }

    @Test
    void fixedBuffersAndFiles() throws Exception {
        Path file = dir.resolve("fixed.bin");
        int blocks = 16;
        assertEquals(blocks * 4096L, FixedBuffers.writeAndReadBack(file, blocks));
        byte[] expected = new byte[blocks * 4096];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = (byte) (i * 31 + 7);
        }
        assertArrayEquals(expected, Files.readAllBytes(file), "file content written through the fixed buffer");
    }

    /**
     * Runs {@code example}, skipping the test (loudly) on a kernel before 6.7, which has no socket {@code uring_cmd}
     * and answers {@code EOPNOTSUPP}; on 6.7 and later that error fails the test.
     */
    private static <T> T socketCommands(java.util.concurrent.Callable<T> example) throws Exception {
        try {
            return example.call();
        } catch (io.github.jring.core.ErrnoException e) {
            String release = System.getProperty("os.version");
            String[] v = release.split("[.-]");
            int major = Integer.parseInt(v[0]);
            boolean before67 = major < 6 || (major == 6 && Integer.parseInt(v[1]) < 7);
            org.junit.jupiter.api.Assumptions.assumeFalse(e.errno() == Uapi.EOPNOTSUPP() && before67,
                    "SKIPPED: kernel " + release + " lacks socket uring_cmd (Linux 6.7+): " + e);
            throw e;
        }
    }

    @Test
    void socketUringCmd() throws Exception {
        SocketCommands.Answers a = socketCommands(
                () -> SocketCommands.ask("hello".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(5, a.sent());
        assertEquals(5, a.bytesQueued(), "SIOCINQ: the queued datagram's size");
        assertEquals(Uapi.SOCK_DGRAM(), a.soType(), "GETSOCKOPT SO_TYPE");
    }

    @Test
    void futuresAndVirtualThreads() throws Exception {
        Path file = dir.resolve("async.bin");
        int blocks = 200;
        assertEquals((long) blocks * (blocks - 1) / 2, FuturesAndVirtualThreads.writeThenRead(file, blocks));
        byte[] content = Files.readAllBytes(file);
        assertEquals(blocks * 4096, content.length);
        ByteBuffer bb = ByteBuffer.wrap(content).order(ByteOrder.nativeOrder());
        for (int i = 0; i < blocks; i++) {
            assertEquals(i, bb.getLong(i * 4096), "block " + i);
        }
    }

    @Test
    void kernelSupport() throws Exception {
        KernelSupport.Answer a = KernelSupport.ask();
        // The host kernel is 6.x: both are there. (On an older kernel this test says what was missing.)
        assertTrue(a.uringCmd(), "IORING_OP_URING_CMD supported");
        assertTrue(a.bigRing(), "SQE128|CQE32 ring");
        assertTrue(a.opcodes() > Uapi.IORING_OP_URING_CMD(), "opcodes supported: " + a.opcodes());
    }

    @Test
    void apiTour() throws Exception {
        Path from = dir.resolve("from.bin");
        byte[] data = new byte[8192];
        new Random(7).nextBytes(data);
        Files.write(from, data);
        int fd = Posix.open(from, Posix.O_RDONLY, 0);
        try (IoUring ring = IoUring.open(1); Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(4096);
            // The only slot is taken (by a NOP that posts no CQE on success): readOnce must submit to get one.
            ring.getSqe().prepNop().cqeSkipSuccess();
            assertEquals(4096, ApiTour.readOnce(ring, fd, buf));
            assertArrayEquals(Arrays.copyOf(data, 4096), buf.toArray(ValueLayout.JAVA_BYTE));
            assertEquals(0, ring.sqReady(), "the NOP and the read were both consumed");
            assertNull(ring.peekCqe(), "nothing else completed");
        } finally {
            Posix.close(fd);
        }
        Path to = dir.resolve("to.bin");
        assertEquals(4096, ApiTour.copyBlock(from, to));
        assertArrayEquals(Arrays.copyOf(data, 4096), Files.readAllBytes(to));
    }

    @Test
    void apiTourResizesForABurst() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                IoUring.capabilities().hasRegisterOp(Uapi.IORING_REGISTER_RESIZE_RINGS()),
                "SKIPPED: kernel " + System.getProperty("os.version") + " lacks IORING_REGISTER_RESIZE_RINGS (6.13)");
        assertEquals(1000, ApiTour.burst(1000));
    }

    @Test
    void apiTourAvailabilityPrintsTheReport() {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        boolean usable = ApiTour.checkAvailability(new java.io.PrintStream(bytes, true,
                java.nio.charset.StandardCharsets.UTF_8));
        String text = bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(usable, text);
        assertTrue(text.startsWith("io_uring: usable\n"), text);
    }

    @Test
    void mains() throws Exception {
        LinkedTimeout.main(new String[0]);
        FixedBuffers.main(new String[] {dir.resolve("m1").toString()});
        FuturesAndVirtualThreads.main(new String[] {dir.resolve("m2").toString()});
        KernelSupport.main(new String[0]);
        assertEquals(16 * 4096, Files.size(dir.resolve("m1")));
        assertEquals(1000 * 4096, Files.size(dir.resolve("m2")));
        socketCommands(() -> { // last: before 6.7 it skips the test
            SocketCommands.main(new String[0]);
            return null;
        });
    }
}
