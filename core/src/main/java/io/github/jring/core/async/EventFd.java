package io.github.jring.core.async;

import io.github.jring.core.ErrnoException;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The eventfd that wakes an {@link AsyncRing}'s completion thread when it sleeps in {@code io_uring_enter}: the ring
 * keeps an {@code IORING_OP_READ} of it in flight, and a submitter calls {@link #signal()}, which completes that read.
 * glibc's {@code eventfd(3)}, {@code eventfd_write(3)} and {@code close(2)}.
 */
final class EventFd {

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle EVENTFD = LINKER.downcallHandle(find("eventfd"),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), Linker.Option.captureCallState("errno"));
    /** No errno capture: nothing to allocate per call, and a failure (never expected) is only reported as -1. */
    private static final MethodHandle EVENTFD_WRITE = LINKER.downcallHandle(find("eventfd_write"),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG));
    private static final MethodHandle CLOSE = LINKER.downcallHandle(find("close"),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT));

    private EventFd() {
    }

    private static MemorySegment find(String name) {
        return LINKER.defaultLookup().find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
    }

    /**
     * {@code eventfd(0, flags)}.
     *
     * @param flags {@code EFD_*}
     * @return the new fd
     * @throws ErrnoException if the kernel refuses
     */
    static int create(int flags) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            int fd = (int) EVENTFD.invokeExact(st, 0, flags);
            if (fd < 0) {
                throw new ErrnoException("eventfd", (int) ERRNO.get(st, 0L));
            }
            return fd;
        } catch (ErrnoException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /**
     * Adds 1 to the eventfd's counter: one short system call that does not block (the counter is read back to 0 by
     * every wakeup, far from its 2^64-2 limit). Allocates nothing.
     *
     * @param fd the eventfd
     * @return 0, or -1 on failure
     */
    static int signal(int fd) {
        try {
            return (int) EVENTFD_WRITE.invokeExact(fd, 1L);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /**
     * {@code close(fd)}, ignoring errors.
     *
     * @param fd the eventfd
     */
    static void close(int fd) {
        try {
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }
}
