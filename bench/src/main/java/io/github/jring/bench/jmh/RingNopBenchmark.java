package io.github.jring.bench.jmh;

import io.github.jring.core.Cqe;
import io.github.jring.core.CqeHandler;
import io.github.jring.core.ErrnoException;
import io.github.jring.core.IoUring;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The raw ring's round trip, the Java twin of {@code /work/shared/ref/nopbench.c} (liburing): {@code batch} NOPs
 * prepared, submitted and waited for with {@link IoUring#submitAndWait(int)}, then reaped with one CQ-head store, 64
 * rounds per invocation as nopbench.c makes 64 rounds per clock reading. The score is NOPs per second (each method
 * declares its NOPs per invocation), directly comparable with {@code run-nopbench.sh BATCH SECONDS}; {@code -prof gc}
 * shows the allocation per NOP ({@code gc.alloc.rate.norm}), which must be 0.
 *
 * <pre>java -jar bench/target/jring-bench.jar jmh RingNopBenchmark -prof gc</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(3)
public class RingNopBenchmark implements CqeHandler {

    /**
     * {@code -p registerRingFd=true}: the benchmark thread registers the ring fd ({@link IoUring#registerRingFd()}),
     * which spares the kernel a file lookup per {@code io_uring_enter}. nopbench.c does not, so the figure to hold
     * against it is the default.
     */
    @Param({"false"})
    public boolean registerRingFd;

    private IoUring ring;
    private long seen;
    private int errors;

    @Setup(Level.Trial)
    public void setUp() throws ErrnoException {
        ring = IoUring.open(256); // as nopbench.c: io_uring_queue_init(256, &ring, 0)
        if (registerRingFd) {
            ring.registerRingFd(); // a Thread-scoped state is set up on the benchmark's own thread
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        ring.close();
        if (errors != 0) {
            throw new IllegalStateException(errors + " NOPs failed");
        }
    }

    @Override
    public void accept(Cqe cqe) {
        if (cqe.res() < 0) {
            errors++;
        }
        seen++;
    }

    /** As nopbench.c, which reads the clock once per 64 rounds: each invocation makes 64 rounds. */
    private static final int ROUNDS = 64;

    private long batch(int b) throws ErrnoException {
        IoUring r = ring;
        for (int k = 0; k < ROUNDS; k++) {
            for (int i = 0; i < b; i++) {
                r.getSqe().prepNop().userData(i);
            }
            r.submitAndWait(b);
            r.forEachCqe(this);
        }
        return seen;
    }

    /**
     * One NOP per {@code io_uring_enter} (as {@code run-nopbench.sh 1}).
     *
     * @return NOPs seen, for the blackhole
     * @throws ErrnoException if the ring fails
     */
    @Benchmark
    @OperationsPerInvocation(1 * ROUNDS)
    public long batch01() throws ErrnoException {
        return batch(1);
    }

    /**
     * Eight NOPs per {@code io_uring_enter}.
     *
     * @return NOPs seen, for the blackhole
     * @throws ErrnoException if the ring fails
     */
    @Benchmark
    @OperationsPerInvocation(8 * ROUNDS)
    public long batch08() throws ErrnoException {
        return batch(8);
    }

    /**
     * 32 NOPs per {@code io_uring_enter} (as {@code run-nopbench.sh 32}).
     *
     * @return NOPs seen, for the blackhole
     * @throws ErrnoException if the ring fails
     */
    @Benchmark
    @OperationsPerInvocation(32 * ROUNDS)
    public long batch32() throws ErrnoException {
        return batch(32);
    }
}
