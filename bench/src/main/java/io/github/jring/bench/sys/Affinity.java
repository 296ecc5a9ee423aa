package io.github.jring.bench.sys;

import io.github.jring.core.ErrnoException;
import io.github.jring.core.internal.Syscalls;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * CPU affinity of the calling thread ({@code sched_getaffinity(2)}, {@code sched_setaffinity(2)} with pid 0), so that
 * {@code --numjobs N} spreads its jobs one per core, as fio's {@code cpus_allowed} with {@code cpus_allowed_policy=split}.
 */
@SuppressWarnings("restricted") // the two downcalls
public final class Affinity {
    /** {@code cpu_set_t} of glibc: 1024 bits. */
    private static final long SET_BYTES = 128;

    private static final class Calls {
        static final MethodHandle GET = Syscalls.linkCapturingErrno("sched_getaffinity",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS));
        static final MethodHandle SET = Syscalls.linkCapturingErrno("sched_setaffinity",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS));
    }

    private Affinity() {
    }

    /** The CPUs the calling thread may run on, in ascending order. */
    public static List<Integer> allowed() throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = Syscalls.allocateErrnoState(arena);
            MemorySegment set = arena.allocate(SET_BYTES, 8);
            int rc = (int) Calls.GET.invokeExact(errno, 0, SET_BYTES, set);
            if (rc < 0) throw new ErrnoException("sched_getaffinity", Syscalls.errno(errno));
            List<Integer> cpus = new ArrayList<>();
            for (int cpu = 0; cpu < SET_BYTES * 8; cpu++) {
                if ((set.get(java.lang.foreign.ValueLayout.JAVA_BYTE, cpu / 8) & (1 << (cpu % 8))) != 0) cpus.add(cpu);
            }
            return cpus;
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Syscalls.rethrow(t);
        }
    }

    /** Binds the calling (platform) thread to {@code cpu}. */
    public static void pin(int cpu) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = Syscalls.allocateErrnoState(arena);
            MemorySegment set = arena.allocate(SET_BYTES, 8);
            set.set(java.lang.foreign.ValueLayout.JAVA_BYTE, cpu / 8, (byte) (1 << (cpu % 8)));
            int rc = (int) Calls.SET.invokeExact(errno, 0, SET_BYTES, set);
            if (rc < 0) throw new ErrnoException("sched_setaffinity(cpu " + cpu + ")", Syscalls.errno(errno));
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Syscalls.rethrow(t);
        }
    }
}
