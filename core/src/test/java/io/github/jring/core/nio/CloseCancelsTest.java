package io.github.jring.core.nio;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A read that would wait for ever (a FIFO nobody writes) does not hold {@code close} up: close cancels what its
 * channel has in the kernel, and the read fails with {@link AsynchronousCloseException}.
 */
@Timeout(60)
class CloseCancelsTest {

    @TempDir
    Path dir;

    @Test
    void closeEndsAReadThatWouldWaitForEver() throws Exception {
        Path fifo = dir.resolve("fifo");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertTrue(mk.waitFor(10, TimeUnit.SECONDS) && mk.exitValue() == 0, "mkfifo");
        // READ and WRITE: O_RDWR opens a FIFO without waiting for a writer
        UringFileChannel ch = UringFileChannel.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE);
        Future<Integer> read = ch.read(ByteBuffer.allocateDirect(16), 0);
        Thread.sleep(200);
        long t0 = System.nanoTime();
        ch.close();
        long closeMillis = (System.nanoTime() - t0) / 1_000_000;
        ExecutionException e = assertThrows(ExecutionException.class, () -> read.get(10, TimeUnit.SECONDS));
        assertInstanceOf(IOException.class, e.getCause());
        assertInstanceOf(AsynchronousCloseException.class, e.getCause(), e.getCause().toString());
        assertTrue(closeMillis < 5_000, "close took " + closeMillis + " ms");
    }
}
