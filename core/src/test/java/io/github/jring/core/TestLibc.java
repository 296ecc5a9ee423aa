package io.github.jring.core;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * The libc calls a test needs that {@link Posix} does not offer: {@code posix_spawn}, to have a child that the JVM's
 * process reaper does not know (so only the ring waits for it), and {@code epoll_create1}.
 */
@SuppressWarnings("restricted")
final class TestLibc {

    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle POSIX_SPAWN = LINKER.downcallHandle(
            LINKER.defaultLookup().find("posix_spawn").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
    private static final MethodHandle EPOLL_CREATE1 = LINKER.downcallHandle(
            LINKER.defaultLookup().find("epoll_create1").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT));

    private TestLibc() {
    }

    /** {@code posix_spawn} of {@code /bin/sh -c script} with an empty environment: returns the child's pid. */
    static int spawnShell(String script) throws Throwable {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment pid = a.allocate(JAVA_INT);
            MemorySegment argv = a.allocate(ADDRESS, 4);
            argv.setAtIndex(ADDRESS, 0, a.allocateFrom("sh"));
            argv.setAtIndex(ADDRESS, 1, a.allocateFrom("-c"));
            argv.setAtIndex(ADDRESS, 2, a.allocateFrom(script));
            argv.setAtIndex(ADDRESS, 3, MemorySegment.NULL);
            MemorySegment envp = a.allocate(ADDRESS);
            int rc = (int) POSIX_SPAWN.invokeExact(pid, a.allocateFrom("/bin/sh"), MemorySegment.NULL,
                    MemorySegment.NULL, argv, envp);
            if (rc != 0) {
                throw new ErrnoException("posix_spawn", rc);
            }
            return pid.get(JAVA_INT, 0);
        }
    }

    /** {@code epoll_create1(EPOLL_CLOEXEC)}. */
    static int epollCreate() throws Throwable {
        int fd = (int) EPOLL_CREATE1.invokeExact(Posix.O_CLOEXEC);
        if (fd < 0) {
            throw new IllegalStateException("epoll_create1 failed");
        }
        return fd;
    }
}
