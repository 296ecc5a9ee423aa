package io.github.jring.bench.sys;

import io.github.jring.core.internal.Syscalls;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * A {@code getrusage(2)} snapshot: user and system CPU time in microseconds, faults and context switches. fio reports
 * {@code usr_cpu}/{@code sys_cpu} from {@code RUSAGE_THREAD} of each job thread; {@code RUSAGE_SELF} adds every
 * other thread of the process (io_uring's SQPOLL and io-wq kernel threads belong to it too, and so do the JIT and GC).
 */
@SuppressWarnings("restricted") // the one downcall below
public record Rusage(long userMicros, long systemMicros, long minorFaults, long majorFaults,
                     long voluntarySwitches, long involuntarySwitches) {

    /** {@code struct rusage} on 64-bit Linux: two {@code timeval}s, then fourteen {@code long}s. */
    public static final MemoryLayout LAYOUT = MemoryLayout.sequenceLayout(18, JAVA_LONG);

    public static final Rusage ZERO = new Rusage(0, 0, 0, 0, 0, 0);

    /** {@code who}: the whole process. */
    public static final int RUSAGE_SELF = 0;
    /** {@code who}: the calling thread. */
    public static final int RUSAGE_THREAD = 1;

    /**
     * {@code int getrusage(int who, struct rusage *usage)}, linked on first use. Not one of core's {@code Posix} calls
     * (a ring's user has no need of it), and it needs no errno: for these two {@code who} values and a valid buffer it
     * cannot fail, so it is linked here without capture.
     */
    private static final class Getrusage {
        static final MethodHandle H = Syscalls.link("getrusage", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
    }

    /** Reads the calling thread's ({@code RUSAGE_THREAD}) or the whole process's ({@code RUSAGE_SELF}) usage. */
    public static Rusage now(int who) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ru = arena.allocate(LAYOUT);
            getrusage(who, ru);
            long user = ru.getAtIndex(JAVA_LONG, 0) * 1_000_000L + ru.getAtIndex(JAVA_LONG, 1);
            long sys = ru.getAtIndex(JAVA_LONG, 2) * 1_000_000L + ru.getAtIndex(JAVA_LONG, 3);
            return new Rusage(user, sys, ru.getAtIndex(JAVA_LONG, 8), ru.getAtIndex(JAVA_LONG, 9),
                    ru.getAtIndex(JAVA_LONG, 16), ru.getAtIndex(JAVA_LONG, 17));
        }
    }

    private static void getrusage(int who, MemorySegment out) {
        int rc;
        try {
            rc = (int) Getrusage.H.invokeExact(who, out);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        if (rc != 0) {
            throw new IllegalStateException("getrusage(" + who + ") failed");
        }
    }

    public Rusage minus(Rusage o) {
        return new Rusage(userMicros - o.userMicros, systemMicros - o.systemMicros, minorFaults - o.minorFaults,
                majorFaults - o.majorFaults, voluntarySwitches - o.voluntarySwitches,
                involuntarySwitches - o.involuntarySwitches);
    }

    public Rusage plus(Rusage o) {
        return new Rusage(userMicros + o.userMicros, systemMicros + o.systemMicros, minorFaults + o.minorFaults,
                majorFaults + o.majorFaults, voluntarySwitches + o.voluntarySwitches,
                involuntarySwitches + o.involuntarySwitches);
    }

    public long contextSwitches() {
        return voluntarySwitches + involuntarySwitches;
    }
}
