package io.github.jring.core.nio;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.ClosedChannelException;
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
 * turn), with heap and direct buffers, futures and handlers mixed; every byte written and read back is checked. And
 * chains of operations, each started by the previous one's handler (on jring's ring thread, which queues them
 * straight into its own list), with every byte checked, and a close from inside a handler ending every chain.
 */
@Timeout(120)
class ConcurrentOperationsTest {

    private static final int OPS = 1000;
    private static final int THREADS = 8;
    private static final int BLOCK = 4096;
    private static final int CHAINS = 64;
    private static final int ROUNDS = 100;

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

    @ParameterizedTest
    @EnumSource(ChannelKind.class)
    void handlersThatStartTheirNextOperationKeepEveryChainGoing(ChannelKind kind) throws Exception {
        Path f = dir.resolve("chains-" + kind);
        Files.write(f, new byte[CHAINS * BLOCK]);
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        CountDownLatch done = new CountDownLatch(CHAINS);
        try (AsynchronousFileChannel ch = kind.open(f, READ, WRITE)) {
            for (int c = 0; c < CHAINS; c++) {
                new Chain(ch, c, ROUNDS, failures, done).next();
            }
            assertTrue(done.await(60, TimeUnit.SECONDS), "every chain ends");
        }
        assertTrue(failures.isEmpty(), () -> "chains failed: " + failures);
        byte[] all = Files.readAllBytes(f);
        for (int b = 0; b < CHAINS; b++) {
            for (int i = 0; i < BLOCK; i++) {
                if (all[b * BLOCK + i] != Chain.expected(b, ROUNDS - 1, i)) {
                    throw new AssertionError("block " + b + " byte " + i + " holds the wrong round");
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(ChannelKind.class)
    void closeInAHandlerEndsEveryChain(ChannelKind kind) throws Exception {
        Path f = dir.resolve("close-chains-" + kind);
        Files.write(f, new byte[CHAINS * BLOCK]);
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        CountDownLatch done = new CountDownLatch(CHAINS);
        AtomicInteger completions = new AtomicInteger();
        AsynchronousFileChannel ch = kind.open(f, READ, WRITE);
        try {
            for (int c = 0; c < CHAINS; c++) {
                new Chain(ch, c, Integer.MAX_VALUE, failures, done) {
                    @Override
                    void completedOne() throws java.io.IOException {
                        if (completions.incrementAndGet() == CHAINS * 10) {
                            ch.close(); // on the handler's thread (jring: the ring's), with the other chains in flight
                        }
                    }
                }.next();
            }
            assertTrue(done.await(60, TimeUnit.SECONDS), "every chain ends");
        } finally {
            ch.close();
        }
        assertEquals(CHAINS, failures.size(), () -> "one failure per chain: " + failures);
        for (Throwable t : failures) {
            assertTrue(t instanceof ClosedChannelException, () -> "a chain ended with " + t);
        }
    }

    /**
     * Writes its block with the round's bytes, reads it back and checks it, then the next round: every operation
     * started by the previous one's handler (jring: on the ring's thread). Ends after {@code rounds}, or at the first
     * failure (recorded).
     */
    private static class Chain implements CompletionHandler<Integer, Void> {
        private final AsynchronousFileChannel ch;
        private final int block;
        private final int rounds;
        private final ConcurrentLinkedQueue<Throwable> failures;
        private final CountDownLatch done;
        private final ByteBuffer buf = ByteBuffer.allocateDirect(BLOCK);
        private int round;
        private boolean reading;

        Chain(AsynchronousFileChannel ch, int block, int rounds, ConcurrentLinkedQueue<Throwable> failures,
              CountDownLatch done) {
            this.ch = ch;
            this.block = block;
            this.rounds = rounds;
            this.failures = failures;
            this.done = done;
        }

        static byte expected(int block, int round, int i) {
            return (byte) (block * 7 + i * 13 + round * 31);
        }

        /** Called after each successful operation, before the next one starts. */
        void completedOne() throws java.io.IOException {
        }

        void next() {
            buf.clear();
            if (reading) {
                ch.read(buf, (long) block * BLOCK, null, this);
                return;
            }
            for (int i = 0; i < BLOCK; i++) {
                buf.put(i, expected(block, round, i));
            }
            ch.write(buf, (long) block * BLOCK, null, this);
        }

        @Override
        public void completed(Integer n, Void a) {
            try {
                if (n != BLOCK) {
                    throw new AssertionError("block " + block + " round " + round + ": " + n + " bytes");
                }
                if (reading) {
                    for (int i = 0; i < BLOCK; i++) {
                        if (buf.get(i) != expected(block, round, i)) {
                            throw new AssertionError("block " + block + " round " + round + " byte " + i + " read wrong");
                        }
                    }
                    round++;
                }
                reading = !reading;
                completedOne();
                if (round == rounds) {
                    done.countDown();
                    return;
                }
                next();
            } catch (Throwable t) {
                failed(t, a);
            }
        }

        @Override
        public void failed(Throwable e, Void a) {
            failures.add(e);
            done.countDown();
        }
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
