package io.github.jring.bench.jmh;

import io.github.jring.core.ErrnoException;
import io.github.jring.core.IoUring;
import io.github.jring.core.Sqe;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;

/**
 * What preparing one SQE costs, without the system call. The {@code prep*} benchmarks rewrite one slot of the mapped
 * SQE array, obtained once and never submitted. {@code getSqeAndPrep} adds obtaining the slot
 * ({@link IoUring#getSqe()}), which needs the SQ to drain: it submits the NOPs every 128 entries, so its figure is the
 * per-entry cost including that amortized {@code io_uring_enter}. Allocation must be 0 ({@code -prof gc}).
 *
 * <pre>java -jar bench/target/jring-bench.jar jmh SqePrepBenchmark -prof gc</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class SqePrepBenchmark {

    /** A ring and one slot taken from it, rewritten by each invocation. */
    @State(Scope.Thread)
    public static class Held extends HeldSqe {
        long offset;

        @Setup(Level.Trial)
        public void setUp() throws ErrnoException {
            hold(IoUring.open(256), Arena.ofConfined(), 4096);
        }
    }

    /** A ring whose slots are taken, prepared and submitted in rounds of 128. */
    @State(Scope.Thread)
    public static class Cycling {
        IoUring ring;
        int pending;

        @Setup(Level.Trial)
        public void setUp() throws ErrnoException {
            ring = IoUring.open(256);
        }

        @TearDown(Level.Trial)
        public void tearDown() throws ErrnoException {
            ring.submitAndWait(pending);
            ring.close();
        }
    }

    /**
     * {@code prepNop} and {@code userData}.
     *
     * @param s the held slot
     * @return the entry, for the blackhole
     */
    @Benchmark
    public Sqe prepNop(Held s) {
        return s.sqe.prepNop().userData(s.offset++);
    }

    /**
     * {@code prepRead} with a raw address: nothing checked.
     *
     * @param s the held slot
     * @return the entry, for the blackhole
     */
    @Benchmark
    public Sqe prepReadAddress(Held s) {
        long off = (s.offset += 4096);
        return s.sqe.prepRead(5, s.addr, 4096, off).userData(off);
    }

    /**
     * {@code prepRead} with a {@link MemorySegment}: native, alive and size are checked.
     *
     * @param s the held slot
     * @return the entry, for the blackhole
     */
    @Benchmark
    public Sqe prepReadSegment(Held s) {
        long off = (s.offset += 4096);
        return s.sqe.prepRead(5, s.buf, off).userData(off);
    }

    /**
     * {@code getSqe} + {@code prepNop} + {@code userData}, with one {@code io_uring_enter} per 128 entries (and their
     * completions released) to keep the SQ from filling.
     *
     * @param s the ring
     * @return the entry, for the blackhole
     * @throws ErrnoException if the ring fails
     */
    @Benchmark
    public Sqe getSqeAndPrep(Cycling s) throws ErrnoException {
        IoUring ring = s.ring;
        if (s.pending == 128) {
            ring.submitAndWait(128);
            ring.cqAdvance(ring.cqReady());
            s.pending = 0;
        }
        s.pending++;
        return ring.getSqe().prepNop().userData(s.pending);
    }
}
