package io.github.jring.bench.jmh;

import io.github.jring.core.ErrnoException;
import io.github.jring.core.IoUring;
import io.github.jring.core.Sqe;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.TearDown;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The JMH state that the SQE-preparation benchmarks share: a ring, one slot taken from it and rewritten by every
 * invocation (never submitted while measured), and a page-aligned buffer. At the end of the trial the slot becomes
 * a NOP and is submitted, so that the ring closes with nothing handed out, and the arena closes after it.
 */
public abstract class HeldSqe {
    IoUring ring;
    Arena arena;
    Sqe sqe;
    MemorySegment buf;
    long addr;

    /** Takes ownership of {@code ring} and {@code arena}: allocates the {@code bytes} buffer, then takes the slot. */
    final void hold(IoUring ring, Arena arena, long bytes) {
        this.ring = ring;
        this.arena = arena;
        this.buf = arena.allocate(bytes, 4096);
        this.addr = buf.address();
        this.sqe = ring.getSqe();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws ErrnoException {
        sqe.prepNop(); // the slot was handed out: let the kernel consume it as a NOP
        ring.submitAndWait(1);
        ring.close();
        arena.close();
    }
}
