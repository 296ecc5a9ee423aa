package io.github.jring.bench.jmh;

import io.github.jring.core.ErrnoException;
import io.github.jring.core.IoUring;
import io.github.jring.core.Sqe;
import io.github.jring.core.async.AsyncRing;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Why {@link AsyncRing} hands requests to its completion thread through a lock-free queue instead of letting each
 * caller take a lock around {@code getSqe}/{@code prep}/{@code submit}: both designs serve {@value #OPS} blocking NOPs
 * from {@code threads} virtual threads. {@code design=lock} is the alternative, built here for the comparison: a
 * {@link ReentrantLock} around the SQ and the slot table, one {@code io_uring_enter} per request from the caller, and a
 * reaper thread that completes the futures. {@code design=handoff} is {@link AsyncRing#nopBlocking()}.
 *
 * <pre>java -jar bench/target/jring-bench.jar jmh SubmitDesignBenchmark</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class SubmitDesignBenchmark {

    static final int OPS = 8192;

    /** {@code lock} or {@code handoff}. */
    @Param({"lock", "handoff"})
    public String design;

    /** Virtual threads sharing the ring. */
    @Param({"1", "32", "256"})
    public int threads;

    private LockedRing locked;
    private AsyncRing async;
    private ExecutorService virtualThreads;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        if (design.equals("lock")) {
            locked = new LockedRing();
        } else {
            async = AsyncRing.open(256);
        }
        virtualThreads = Executors.newVirtualThreadPerTaskExecutor();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        virtualThreads.close();
        if (locked != null) {
            locked.close();
        }
        if (async != null) {
            async.close();
        }
    }

    /**
     * {@value #OPS} blocking NOPs spread over {@code threads} virtual threads.
     *
     * @return NOPs done
     * @throws Exception if one fails
     */
    @Benchmark
    @OperationsPerInvocation(OPS)
    public int nops() throws Exception {
        int per = OPS / threads;
        Future<?>[] fs = new Future<?>[threads];
        for (int t = 0; t < threads; t++) {
            fs[t] = virtualThreads.submit(() -> {
                for (int i = 0; i < per; i++) {
                    int res = locked != null ? locked.nop().get() : async.nopBlocking();
                    if (res != 0) {
                        throw new IllegalStateException("NOP answered " + res);
                    }
                }
                return null;
            });
        }
        for (Future<?> f : fs) {
            f.get();
        }
        return OPS;
    }

    /** The lock-based alternative: callers submit under a lock, one reaper thread completes. */
    static final class LockedRing implements AutoCloseable {
        private final IoUring ring;
        private final ReentrantLock lock = new ReentrantLock();
        @SuppressWarnings("unchecked")
        private final CompletableFuture<Integer>[] slots = new CompletableFuture[1024];
        private final int[] free = new int[1024];
        private int freeTop;
        private final Thread reaper;
        private volatile boolean stop;

        LockedRing() throws ErrnoException {
            // No SINGLE_ISSUER/DEFER_TASKRUN: any thread submits, another waits.
            ring = IoUring.builder().coopTaskrun().submitAll().build(256);
            for (int i = 0; i < free.length; i++) {
                free[freeTop++] = i;
            }
            reaper = Thread.ofPlatform().daemon().name("locked-ring-reaper").start(this::reap);
        }

        CompletableFuture<Integer> nop() throws ErrnoException {
            CompletableFuture<Integer> f = new CompletableFuture<>();
            lock.lock();
            try {
                int idx = free[--freeTop];
                slots[idx] = f;
                Sqe s = ring.getSqe();
                if (s == null) {
                    ring.submit();
                    s = ring.getSqe();
                }
                s.prepNop().userData(idx);
                ring.submit();
            } finally {
                lock.unlock();
            }
            return f;
        }

        private void reap() {
            long[] ud = new long[256];
            int[] res = new int[256];
            @SuppressWarnings("unchecked")
            CompletableFuture<Integer>[] done = new CompletableFuture[256];
            try {
                while (!stop) {
                    ring.waitCqe(10, TimeUnit.MILLISECONDS);
                    int n = ring.copyCqes(ud, res, null);
                    lock.lock();
                    try {
                        for (int i = 0; i < n; i++) {
                            int idx = (int) ud[i];
                            done[i] = slots[idx];
                            slots[idx] = null;
                            free[freeTop++] = idx;
                        }
                    } finally {
                        lock.unlock();
                    }
                    for (int i = 0; i < n; i++) {
                        done[i].complete(res[i]);
                        done[i] = null;
                    }
                }
            } catch (ErrnoException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() throws InterruptedException {
            stop = true;
            reaper.join();
            ring.close();
        }
    }
}
