package io.github.jring.core.nio;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.CompletionHandler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 1,000 operations outstanding at once from many threads (more than the ring takes in flight: the rest wait their
 * turn), with heap and direct buffers, futures and handlers mixed; every byte written and read back is checked.
 */
@Timeout(120)
class ConcurrentOperationsTest {

    private static final int OPS = 1000;
    private static final int THREADS = 8;
    private static final int BLOCK = 4096;

    @TempDir
    Path dir;

    private static byte expected(int block, int i) {
        return (byte) (block * 7 + i * 13 + (i >> 8));
    }

    private static ByteBuffer buffer(int block) {
        return (block & 1) == 0 ? ByteBuffer.allocate(BLOCK) : ByteBuffer.allocateDirect(BLOCK);
    }

    @ParameterizedTest
    @EnumSource(ChannelKind.class)
    void thousandOutstandingWritesThenReadsFromManyThreads(ChannelKind kind) throws Exception {
        Path f = dir.resolve("many-" + kind);
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        try (AsynchronousFileChannel ch = kind.open(f, Set.of(READ, WRITE, CREATE), null)) {
            run(ch, true, failures);
            assertTrue(failures.isEmpty(), () -> "writes failed: " + failures);
            byte[] all = Files.readAllBytes(f);
            assertEquals(OPS * BLOCK, all.length);
            for (int b = 0; b < OPS; b++) {
                for (int i = 0; i < BLOCK; i++) {
                    if (all[b * BLOCK + i] != expected(b, i)) {
                        throw new AssertionError("block " + b + " byte " + i + " written wrong");
                    }
                }
            }
            run(ch, false, failures);
            assertTrue(failures.isEmpty(), () -> "reads failed: " + failures);
        }
    }

    /** Each thread makes its share of the operations without waiting; then everything is waited for and checked. */
    private static void run(AsynchronousFileChannel ch, boolean write, ConcurrentLinkedQueue<Throwable> failures)
            throws Exception {
        CountDownLatch done = new CountDownLatch(OPS);
        AtomicInteger outstandingPeak = new AtomicInteger();
        AtomicInteger outstanding = new AtomicInteger();
        CyclicBarrier start = new CyclicBarrier(THREADS);
        Thread[] threads = new Thread[THREADS];
        for (int t = 0; t < THREADS; t++) {
            int first = t;
            threads[t] = new Thread(() -> {
                try {
                    start.await();
                    Future<?>[] futures = new Future<?>[OPS];
                    ByteBuffer[] buffers = new ByteBuffer[OPS];
                    for (int b = first; b < OPS; b += THREADS) {
                        ByteBuffer buf = buffer(b);
                        if (write) {
                            for (int i = 0; i < BLOCK; i++) {
                                buf.put(i, expected(b, i));
                            }
                        }
                        buffers[b] = buf;
                        outstandingPeak.accumulateAndGet(outstanding.incrementAndGet(), Math::max);
                        int block = b;
                        if ((b & 2) == 0) {
                            futures[b] = write ? ch.write(buf, (long) b * BLOCK) : ch.read(buf, (long) b * BLOCK);
                        } else {
                            CompletionHandler<Integer, ByteBuffer> h = new CompletionHandler<>() {
                                @Override
                                public void completed(Integer n, ByteBuffer bb) {
                                    check(write, block, n, bb, failures);
                                    outstanding.decrementAndGet();
                                    done.countDown();
                                }

                                @Override
                                public void failed(Throwable e, ByteBuffer bb) {
                                    failures.add(e);
                                    done.countDown();
                                }
                            };
                            if (write) {
                                ch.write(buf, (long) b * BLOCK, buf, h);
                            } else {
                                ch.read(buf, (long) b * BLOCK, buf, h);
                            }
                        }
                    }
                    for (int b = first; b < OPS; b += THREADS) {
                        if (futures[b] != null) {
                            int n = (Integer) futures[b].get(60, TimeUnit.SECONDS);
                            check(write, b, n, buffers[b], failures);
                            outstanding.decrementAndGet();
                            done.countDown();
                        }
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            threads[t].start();
        }
        assertTrue(done.await(60, TimeUnit.SECONDS), "every operation completes");
        for (Thread t : threads) {
            t.join();
        }
        System.out.println((write ? "writes" : "reads") + ": at most " + outstandingPeak.get() + " outstanding");
    }

    private static void check(boolean write, int block, int n, ByteBuffer buf,
                              ConcurrentLinkedQueue<Throwable> failures) {
        if (n != BLOCK || buf.position() != BLOCK) {
            failures.add(new AssertionError("block " + block + ": " + n + " bytes, position " + buf.position()));
            return;
        }
        if (!write) {
            for (int i = 0; i < BLOCK; i++) {
                if (buf.get(i) != expected(block, i)) {
                    failures.add(new AssertionError("block " + block + " byte " + i + " read wrong"));
                    return;
                }
            }
        }
    }
}
