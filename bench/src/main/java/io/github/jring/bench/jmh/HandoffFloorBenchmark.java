package io.github.jring.bench.jmh;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The floor under {@link AsyncNopBenchmark}: the same shapes (one future at a time, 32 or 256 submitted then joined,
 * virtual threads blocking) through a hand-off with no io_uring at all. Callers queue a {@link CompletableFuture}
 * (one atomic exchange, as {@code AsyncRing} does) and one platform thread, spinning without ever sleeping, takes each
 * and completes it with 0. For one request at a time and for the virtual threads, no design in which a completion
 * thread drives the ring for its callers can cost less than this plus the kernel's own work (the raw ring's
 * {@link RingNopBenchmark}); run the three together to read {@code AsyncRing}'s overhead as the part of its cost above
 * the sum. For the batch shapes it is a reference, not a floor: this thread completes each request as it takes it,
 * so a caller joining in order chases it from line to line, where {@code AsyncRing} completes a reaping round last
 * first and can be faster.
 *
 * <pre>java -jar bench/target/jring-bench.jar jmh 'RingNopBenchmark|AsyncNopBenchmark|HandoffFloorBenchmark'</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(3)
public class HandoffFloorBenchmark {

    private static final int VIRTUAL_THREADS = 32;
    private static final int PER_THREAD = 256;
    private static final Integer ZERO = 0;

    /** A queued request: the future and its link, as {@code AsyncRing}'s {@code Op}. */
    static final class Request extends CompletableFuture<Integer> {
        volatile Request next;
    }

    private static final VarHandle TAIL;
    private static final VarHandle NEXT;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            TAIL = l.findVarHandle(HandoffFloorBenchmark.class, "tail", Request.class);
            NEXT = l.findVarHandle(Request.class, "next", Request.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // through TAIL
    private volatile Request tail;
    private Thread completer;
    private volatile boolean stop;
    private ExecutorService virtualThreads;
    private final Request[] window = new Request[256];

    @Setup(Level.Trial)
    public void setUp() {
        Request stub = new Request();
        tail = stub;
        completer = Thread.ofPlatform().daemon().name("handoff-floor").start(() -> complete(stub));
        virtualThreads = Executors.newVirtualThreadPerTaskExecutor();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
        virtualThreads.close();
        stop = true;
        completer.join();
    }

    /** The completing thread: follows the links, completes each request, never sleeps. */
    private void complete(Request head) {
        while (!stop) {
            Request n = (Request) NEXT.getAcquire(head);
            if (n == null) {
                Thread.onSpinWait();
                continue;
            }
            NEXT.setOpaque(head, null);
            head = n;
            n.complete(ZERO);
        }
    }

    private Request request() {
        Request r = new Request();
        Request prev = (Request) TAIL.getAndSet(this, r);
        NEXT.setRelease(prev, r);
        return r;
    }

    /** As {@code AsyncRing}'s {@code join} on a platform thread: watches the result instead of parking. */
    private static int await(Request r) {
        while (!r.isDone()) {
            Thread.onSpinWait();
        }
        return r.join();
    }

    private int batch(int n) {
        Request[] w = window;
        for (int i = 0; i < n; i++) {
            w[i] = request();
        }
        int sum = 0;
        for (int i = 0; i < n; i++) {
            sum += await(w[i]);
        }
        return n + sum;
    }

    /**
     * One request at a time (compare {@code AsyncNopBenchmark.future01} and {@code RingNopBenchmark.batch01}).
     *
     * @return requests done
     */
    @Benchmark
    @OperationsPerInvocation(1)
    public int future01() {
        return await(request());
    }

    /**
     * 32 requests queued, then joined.
     *
     * @return requests done
     */
    @Benchmark
    @OperationsPerInvocation(32)
    public int future32() {
        return batch(32);
    }

    /**
     * 256 requests queued, then joined.
     *
     * @return requests done
     */
    @Benchmark
    @OperationsPerInvocation(256)
    public int future256() {
        return batch(256);
    }

    /**
     * {@value #VIRTUAL_THREADS} virtual threads, each queueing {@value #PER_THREAD} requests one at a time and parking
     * on each until it is complete (compare {@code AsyncNopBenchmark.blockingVirtualThreads}).
     *
     * @return requests done
     * @throws Exception if a thread fails
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
                    sum += request().get();
                }
                return sum;
            });
        }
        int sum = 0;
        for (Future<Integer> f : fs) {
            sum += f.get();
        }
        return VIRTUAL_THREADS * PER_THREAD + sum;
    }
}
