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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The designs an {@link AsyncRing} could have, side by side: each serves {@value #OPS} blocking NOPs from
 * {@code threads} virtual threads.
 * <ul>
 * <li>{@code design=handoff} is {@link AsyncRing#nopBlocking()}: the caller hands the request to the completion thread
 *     through a lock-free queue (batched: the completion thread submits everything queued since its last round in one
 *     {@code io_uring_enter}) and parks until that thread completes it.</li>
 * <li>{@code design=lock} (built here): callers take a {@link ReentrantLock} around the SQ and the slot table and make
 *     one {@code io_uring_enter} per request themselves; a reaper thread completes the futures.</li>
 * <li>{@code design=lockprep} (built here): callers prepare their SQE themselves under a lock, and a reaping thread,
 *     the only one that enters the kernel, submits whatever is prepared and completes the requests (it never sleeps:
 *     the bare protocol, without a wakeup). The submitting task is always the reaper, so it keeps the guarantee
 *     below; it saves the queue between caller and ring, and pays a lock instead.</li>
 * <li>{@code design=waiter} (built here): completion on the waiting thread. Callers submit under the lock as in
 *     {@code lock}; then whichever waiting caller first claims the <em>leader</em> role reaps the CQ for everybody
 *     (unparking the others whose requests completed) until its own request is done, and hands the role on. No thread
 *     but the callers, and no object per request.</li>
 * </ul>
 * {@code lock} and {@code waiter} let callers submit, so a request whose submitter exits is cancelled by the kernel
 * ({@code SubmitterExitTest}); with virtual threads the submitter is whichever carrier ran the call. They are measured
 * for what that guarantee costs, not as candidates that keep it.
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

    /** {@code handoff}, {@code lock}, {@code lockprep} or {@code waiter}. */
    @Param({"handoff", "lock", "lockprep", "waiter"})
    public String design;

    /** Virtual threads sharing the ring. */
    @Param({"1", "32", "256"})
    public int threads;

    private LockedRing locked;
    private WaiterRing waiters;
    private PreparingRing preparing;
    private AsyncRing async;
    private ExecutorService virtualThreads;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        switch (design) {
            case "lock" -> locked = new LockedRing();
            case "waiter" -> waiters = new WaiterRing();
            case "lockprep" -> preparing = new PreparingRing();
            default -> async = AsyncRing.open(256);
        }
        virtualThreads = Executors.newVirtualThreadPerTaskExecutor();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        virtualThreads.close();
        if (locked != null) {
            locked.close();
        }
        if (waiters != null) {
            waiters.close();
        }
        if (preparing != null) {
            preparing.close();
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
                WaiterRing.Waiter w = waiters != null || preparing != null ? new WaiterRing.Waiter() : null;
                for (int i = 0; i < per; i++) {
                    int res = locked != null ? locked.nop().get() : preparing != null ? preparing.nop(w)
                            : w != null ? waiters.nop(w) : async.nopBlocking();
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

    /** Completion on the waiting thread: callers submit under a lock, and one waiting caller at a time reaps. */
    static final class WaiterRing implements AutoCloseable {

        /** One caller's request, reused for each of its calls. */
        static final class Waiter {
            final Thread thread = Thread.currentThread();
            final long[] ud = new long[256];
            final int[] res = new int[256];
            int result;
            volatile boolean done;
        }

        private final IoUring ring;
        private final ReentrantLock lock = new ReentrantLock();
        private final Waiter[] slots = new Waiter[1024];
        private final int[] free = new int[1024];
        private int freeTop;
        private final AtomicBoolean leader = new AtomicBoolean();

        WaiterRing() throws ErrnoException {
            ring = IoUring.builder().coopTaskrun().submitAll().build(256);
            for (int i = 0; i < free.length; i++) {
                free[freeTop++] = i;
            }
        }

        int nop(Waiter w) throws ErrnoException {
            w.done = false;
            lock.lock();
            try {
                int idx = free[--freeTop];
                slots[idx] = w;
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
            while (!w.done) {
                if (leader.compareAndSet(false, true)) {
                    try {
                        while (!w.done) {
                            ring.waitCqe();
                            reap(w);
                        }
                    } finally {
                        leader.set(false);
                    }
                    wakeNextLeader();
                } else {
                    LockSupport.park(this);
                }
            }
            return w.result;
        }

        private void reap(Waiter self) throws ErrnoException {
            int n = ring.copyCqes(self.ud, self.res, null);
            lock.lock();
            try {
                for (int i = 0; i < n; i++) {
                    int idx = (int) self.ud[i];
                    Waiter x = slots[idx];
                    slots[idx] = null;
                    free[freeTop++] = idx;
                    x.result = self.res[i];
                    x.done = true;
                    if (x != self) {
                        LockSupport.unpark(x.thread);
                    }
                }
            } finally {
                lock.unlock();
            }
        }

        /** The leader left: a caller still waiting becomes the next one (it parked after failing to claim it). */
        private void wakeNextLeader() {
            lock.lock();
            try {
                for (Waiter x : slots) {
                    if (x != null && !x.done) {
                        LockSupport.unpark(x.thread);
                        return;
                    }
                }
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void close() {
            ring.close();
        }
    }

    /** Callers prepare SQEs under a lock; one reaping thread submits them and completes the requests. */
    static final class PreparingRing implements AutoCloseable {
        private final IoUring ring;
        private final ReentrantLock lock = new ReentrantLock();
        private final WaiterRing.Waiter[] slots = new WaiterRing.Waiter[1024];
        private final int[] free = new int[1024];
        private int freeTop;
        /** SQEs prepared and not yet submitted (under the lock). */
        private int prepared;
        private final Thread reaper;
        private volatile boolean stop;

        PreparingRing() throws ErrnoException {
            ring = IoUring.builder().coopTaskrun().submitAll().build(256);
            for (int i = 0; i < free.length; i++) {
                free[freeTop++] = i;
            }
            reaper = Thread.ofPlatform().daemon().name("preparing-ring-reaper").start(this::reap);
        }

        int nop(WaiterRing.Waiter w) throws InterruptedException {
            w.done = false;
            for (;;) {
                lock.lock();
                try {
                    Sqe s = ring.getSqe();
                    if (s != null) {
                        int idx = free[--freeTop];
                        slots[idx] = w;
                        s.prepNop().userData(idx);
                        prepared++;
                        break;
                    }
                } finally {
                    lock.unlock();
                }
                Thread.onSpinWait(); // the SQ is full until the reaper submits
            }
            while (!w.done) {
                LockSupport.park(this);
            }
            return w.result;
        }

        private void reap() {
            long[] ud = new long[256];
            int[] res = new int[256];
            try {
                while (!stop) {
                    boolean submit;
                    lock.lock();
                    try {
                        submit = prepared > 0;
                        if (submit) {
                            prepared = 0;
                            ring.submit();
                        }
                    } finally {
                        lock.unlock();
                    }
                    int n = ring.copyCqes(ud, res, null);
                    if (n > 0) {
                        lock.lock();
                        try {
                            for (int i = 0; i < n; i++) {
                                int idx = (int) ud[i];
                                WaiterRing.Waiter x = slots[idx];
                                slots[idx] = null;
                                free[freeTop++] = idx;
                                x.result = res[i];
                                x.done = true;
                                LockSupport.unpark(x.thread);
                            }
                        } finally {
                            lock.unlock();
                        }
                    } else if (!submit) {
                        Thread.onSpinWait();
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
