package io.github.jring.core.nio;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.CompletionHandler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reads and writes with a {@link CompletionHandler} allocate nothing in a steady state, with direct and with heap
 * buffers: a chain of operations, each started by the previous one's handler on the ring thread, is measured with
 * that thread's allocation counter (the only thread involved).
 */
@Timeout(120)
class SteadyStateAllocationTest {

    private static final int OPS = 20_000;

    @TempDir
    Path dir;

    /** Each completion starts the next operation until {@code left} reaches 0; records the ring thread's bytes. */
    private static final class Chain implements CompletionHandler<Integer, ByteBuffer> {
        final UringFileChannel ch;
        final boolean write;
        final com.sun.management.ThreadMXBean mx =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        int left;
        long startBytes;
        final CompletableFuture<Long> done = new CompletableFuture<>();

        Chain(UringFileChannel ch, boolean write, int ops) {
            this.ch = ch;
            this.write = write;
            this.left = ops;
        }

        void start(ByteBuffer buf) {
            next(buf);
        }

        private void next(ByteBuffer buf) {
            buf.clear();
            long pos = (left & 15) * 4096L;
            if (write) {
                ch.write(buf, pos, buf, this);
            } else {
                ch.read(buf, pos, buf, this);
            }
        }

        @Override
        public void completed(Integer n, ByteBuffer buf) {
            if (n != 4096) {
                done.completeExceptionally(new AssertionError("transferred " + n));
                return;
            }
            if (left == OPS / 2) {
                startBytes = mx.getCurrentThreadAllocatedBytes(); // the second half is measured
            }
            if (--left == 0) {
                done.complete(mx.getCurrentThreadAllocatedBytes() - startBytes);
                return;
            }
            next(buf);
        }

        @Override
        public void failed(Throwable e, ByteBuffer buf) {
            done.completeExceptionally(e);
        }
    }

    private double bytesPerOp(UringFileChannel ch, boolean write, ByteBuffer buf) throws Exception {
        double best = Double.MAX_VALUE;
        for (int round = 0; round < 5; round++) { // the first rounds pay for JIT compilation
            Chain c = new Chain(ch, write, OPS);
            c.start(buf);
            best = Math.min(best, c.done.get(60, TimeUnit.SECONDS) / (double) (OPS / 2));
        }
        return best;
    }

    @Test
    void handlerOperationsAllocateNothingInASteadyState() throws Exception {
        Path f = dir.resolve("alloc");
        Files.write(f, new byte[16 * 4096]);
        try (UringFileChannel ch = UringFileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            double directRead = bytesPerOp(ch, false, ByteBuffer.allocateDirect(4096));
            double heapRead = bytesPerOp(ch, false, ByteBuffer.allocate(4096));
            double directWrite = bytesPerOp(ch, true, ByteBuffer.allocateDirect(4096));
            double heapWrite = bytesPerOp(ch, true, ByteBuffer.allocate(4096));
            String figures = String.format("bytes allocated per operation (ring thread): direct read %.2f, heap read "
                    + "%.2f, direct write %.2f, heap write %.2f", directRead, heapRead, directWrite, heapWrite);
            System.out.println(figures);
            // a few bytes on average: the thread's own rare allocations (a JIT deoptimization, a TLAB statistic);
            // a boxed Integer per operation would be 16
            assertTrue(directRead < 8 && heapRead < 8 && directWrite < 8 && heapWrite < 8, figures);
        }
        assertEquals(16 * 4096, Files.size(f));
    }
}
