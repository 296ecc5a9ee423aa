package io.github.jring.bench.jmh;

import io.github.jring.core.ErrnoException;
import io.github.jring.core.Sqe;
import io.github.jring.core.async.AsyncRing;
import io.github.jring.core.async.RingRequest;
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

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The futures API's round trip ({@link AsyncRing}): NOPs submitted from the benchmark thread as futures and joined,
 * or from virtual threads with the blocking form. Scores are NOPs per second, to set beside
 * {@link RingNopBenchmark}'s raw-ring figure at the same batch; {@code -prof gc} shows the allocation per NOP (the
 * future and its request, one object, plus the boxed result).
 *
 * <pre>java -jar bench/target/jring-bench.jar jmh AsyncNopBenchmark -prof gc</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(3)
public class AsyncNopBenchmark {

    private static final int VIRTUAL_THREADS = 32;
    private static final int PER_THREAD = 256;

    /** {@link io.github.jring.core.async.AsyncRingBuilder#spin}: microseconds the completion thread spins before sleeping. */
    @Param({"0", "20"})
    public int spinMicros;

    private AsyncRing ring;
    private ExecutorService virtualThreads;
    @SuppressWarnings("unchecked")
    private final CompletableFuture<Integer>[] window = new CompletableFuture[256];
    private int pos;

    @Setup(Level.Trial)
    public void setUp() throws ErrnoException {
        ring = AsyncRing.builder().entries(256).spin(Duration.ofNanos(spinMicros * 1000L)).build();
        virtualThreads = Executors.newVirtualThreadPerTaskExecutor();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        for (CompletableFuture<Integer> f : window) {
            if (f != null) {
                f.join();
            }
        }
        virtualThreads.close();
        ring.close();
    }

    private int batch(int n) {
        CompletableFuture<Integer>[] w = window;
        for (int i = 0; i < n; i++) {
            w[i] = ring.nop();
        }
        int sum = 0;
        for (int i = 0; i < n; i++) {
            sum += w[i].join();
        }
        if (sum != 0) {
            throw new IllegalStateException("a NOP answered " + sum);
        }
        return n;
    }

    /**
     * One future at a time: submit, join (the benchmark thread parks until the completion thread answers).
     *
     * @return NOPs done
     */
    @Benchmark
    @OperationsPerInvocation(1)
    public int future01() {
        return batch(1);
    }

    /**
     * 32 futures submitted, then joined: the completion thread puts them into as few {@code io_uring_enter} calls as it
     * finds them queued.
     *
     * @return NOPs done
     */
    @Benchmark
    @OperationsPerInvocation(32)
    public int future32() {
        return batch(32);
    }

    /**
     * 256 futures submitted, then joined.
     *
     * @return NOPs done
     */
    @Benchmark
    @OperationsPerInvocation(256)
    public int future256() {
        return batch(256);
    }

    /**
     * A steady stream with 32 NOPs in flight: each invocation waits for the oldest future (usually complete by then)
     * and submits a new one in its place. No batch boundaries, so this is the API's per-request cost when the
     * completion thread is kept busy.
     *
     * @return the oldest NOP's result
     */
    @Benchmark
    @OperationsPerInvocation(1)
    public int pipelined32() {
        int i = pos++ & 31;
        CompletableFuture<Integer> oldest = window[i];
        int r = oldest == null ? 0 : oldest.join();
        window[i] = ring.nop();
        return r;
    }

    /**
     * {@value #VIRTUAL_THREADS} virtual threads, each calling {@link AsyncRing#nopBlocking()} {@value #PER_THREAD}
     * times (parking while the request is in flight), started and joined per invocation.
     *
     * @return NOPs done
     * @throws Exception if a NOP fails
     */
    @Benchmark
    @OperationsPerInvocation(VIRTUAL_THREADS * PER_THREAD)
    public int blockingVirtualThreads() throws Exception {
        @SuppressWarnings("unchecked")
        Future<Integer>[] fs = new Future[VIRTUAL_THREADS];
        for (int t = 0; t < VIRTUAL_THREADS; t++) {
            fs[t] = virtualThreads.submit(() -> {
                int sum = 0;
                for (int i = 0; i < PER_THREAD; i++) {
                    sum += nopBlocking();
                }
                return sum;
            });
        }
        int sum = 0;
        for (Future<Integer> f : fs) {
            sum += f.get();
        }
        if (sum != 0) {
            throw new IllegalStateException("a NOP answered " + sum);
        }
        return VIRTUAL_THREADS * PER_THREAD;
    }

    private int nopBlocking() throws IOException {
        return ring.nopBlocking();
    }

    /** A NOP as a {@link RingRequest}: the request is the future, fills its SQE and completes from its CQE. */
    static final class NopRequest extends RingRequest<Integer> {
        @Override
        protected void prepare(Sqe sqe) {
            sqe.prepNop();
        }

        @Override
        protected void onCompletion(int res, int flags, long bigCqe0, long bigCqe1) {
            complete(res);
        }
    }

    /**
     * One {@link RingRequest} at a time, sent and awaited ({@link AsyncRing#await}: parks without a waiter node),
     * the path {@code AsyncNamespace}'s commands take: beside {@link #future01()}.
     *
     * @return the NOP's result
     * @throws IOException if it fails
     */
    @Benchmark
    @OperationsPerInvocation(1)
    public int request01() throws IOException {
        return ring.await(ring.send(new NopRequest()));
    }

    /**
     * {@value #VIRTUAL_THREADS} virtual threads, each sending and awaiting {@value #PER_THREAD} {@link RingRequest}
     * NOPs: beside {@link #blockingVirtualThreads()}.
     *
     * @return NOPs done
     * @throws Exception if a NOP fails
     */
    @Benchmark
    @OperationsPerInvocation(VIRTUAL_THREADS * PER_THREAD)
    public int requestVirtualThreads() throws Exception {
        @SuppressWarnings("unchecked")
        Future<Integer>[] fs = new Future[VIRTUAL_THREADS];
        for (int t = 0; t < VIRTUAL_THREADS; t++) {
            fs[t] = virtualThreads.submit(() -> {
                int sum = 0;
                for (int i = 0; i < PER_THREAD; i++) {
                    sum += ring.await(ring.send(new NopRequest()));
                }
                return sum;
            });
        }
        int sum = 0;
        for (Future<Integer> f : fs) {
            sum += f.get();
        }
        if (sum != 0) {
            throw new IllegalStateException("a NOP answered " + sum);
        }
        return VIRTUAL_THREADS * PER_THREAD;
    }
}
