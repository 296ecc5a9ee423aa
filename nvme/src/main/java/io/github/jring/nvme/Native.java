package io.github.jring.nvme;

import io.github.jring.bindings.Uapi;
import io.github.jring.core.ErrnoException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.Files;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The libc calls the NVMe module makes, as FFM downcalls with {@code errno} captured by the linker: {@code open},
 * {@code close}, {@code ioctl}. The generated bindings' {@code open} and {@code ioctl} are variadic invokers that box
 * their arguments; these handles are built once with {@link Linker.Option#firstVariadicArg(int)} (the C variadic
 * calling convention) and a fixed argument list, so a call allocates nothing.
 */
@SuppressWarnings("restricted") // FFM downcalls to libc are the point here
final class Native {

    private static final Linker LINKER = Linker.nativeLinker();
    static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    // int open(const char *path, int flags, ...): mode passed as the one variadic int.
    private static final MethodHandle OPEN = LINKER.downcallHandle(find("open"),
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), Linker.Option.firstVariadicArg(2),
            CAPTURE_ERRNO);
    // int close(int fd)
    private static final MethodHandle CLOSE = LINKER.downcallHandle(find("close"),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT), CAPTURE_ERRNO);
    // int ioctl(int fd, unsigned long request, ...): the argument as the one variadic pointer (passed as a long
    // address so a hot caller need not wrap it in a segment).
    private static final MethodHandle IOCTL = LINKER.downcallHandle(find("ioctl"),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG), Linker.Option.firstVariadicArg(2),
            CAPTURE_ERRNO);

    // The same ioctl with the command's data and metadata segments as two more variadic arguments, which ioctl never
    // reads: passing a segment to a downcall makes FFM keep its arena alive for the call (a shared arena cannot be
    // closed meanwhile, a confined one only by its owner, which is in this call), so the device never gets memory
    // that was freed while the command ran.
    private static final MethodHandle IOCTL_PINNED = LINKER.downcallHandle(find("ioctl"),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, ADDRESS, ADDRESS),
            Linker.Option.firstVariadicArg(2), CAPTURE_ERRNO);
    // int fcntl(int fd, int cmd, ...): F_DUPFD_CLOEXEC with the lowest fd as the one variadic int.
    private static final MethodHandle FCNTL = LINKER.downcallHandle(find("fcntl"),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), Linker.Option.firstVariadicArg(2),
            CAPTURE_ERRNO);
    private static final int F_DUPFD_CLOEXEC = Uapi.F_DUPFD_CLOEXEC();

    static final int O_RDONLY = Uapi.O_RDONLY();
    static final int O_RDWR = Uapi.O_RDWR();
    static final int O_CLOEXEC = Uapi.O_CLOEXEC();
    static final int EACCES = Uapi.EACCES();
    static final int EPERM = Uapi.EPERM();

    private Native() {
    }

    private static MemorySegment find(String name) {
        return LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("libc symbol not found: " + name));
    }

    /**
     * An errno capture area, reused by one thread at a time.
     *
     * @param arena its owner
     * @return the area
     */
    static MemorySegment errnoState(Arena arena) {
        return arena.allocate(CAPTURE_LAYOUT);
    }

    static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    /**
     * {@code open(path, flags | O_CLOEXEC)}.
     *
     * @return the fd, or {@code -errno}
     */
    static int open(String path, int flags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = errnoState(arena);
            int fd = (int) OPEN.invokeExact(state, arena.allocateFrom(path), flags | O_CLOEXEC, 0);
            return fd < 0 ? -errno(state) : fd;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * {@code close(fd)}.
     *
     * @return 0, or {@code -errno}
     */
    static int close(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = errnoState(arena);
            int r = (int) CLOSE.invokeExact(state, fd);
            return r < 0 ? -errno(state) : r;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * {@code ioctl(fd, request, arg)} with a preallocated errno area: no allocation.
     *
     * @return the ioctl's non-negative return value, or {@code -errno}
     */
    static int ioctl(MemorySegment state, int fd, long request, long arg) {
        try {
            int r = (int) IOCTL.invokeExact(state, fd, request, arg);
            return r < 0 ? -errno(state) : r;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * {@code ioctl(fd, request, arg)} that keeps {@code data} and {@code metadata} (either may be
     * {@link MemorySegment#NULL}) alive until it returns. No allocation.
     *
     * @return the ioctl's non-negative return value, or {@code -errno}
     */
    static int ioctlPinned(MemorySegment state, int fd, long request, long arg, MemorySegment data,
                           MemorySegment metadata) {
        try {
            int r = (int) IOCTL_PINNED.invokeExact(state, fd, request, arg, data, metadata);
            return r < 0 ? -errno(state) : r;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * A new file descriptor for the same open file ({@code fcntl(fd, F_DUPFD_CLOEXEC, 0)}), so that a holder keeps
     * the device even after the fd it was given is closed and its number reused for another file.
     *
     * @param fd the fd
     * @param what for the error message
     * @return the new fd
     * @throws ErrnoException if it cannot be duplicated (EMFILE ...)
     */
    static int dup(int fd, String what) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = errnoState(arena);
            int r = (int) FCNTL.invokeExact(state, fd, F_DUPFD_CLOEXEC, 0);
            if (r < 0) {
                throw new ErrnoException("fcntl(F_DUPFD_CLOEXEC) of " + what, errno(state));
            }
            return r;
        } catch (ErrnoException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Throws what a downcall threw; downcall handles throw nothing checked. */
    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }

    /**
     * The running kernel's release, for example {@code "6.1.0-56-amd64"}.
     *
     * @return the release, or {@code "unknown"}
     */
    static String kernelRelease() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim();
        } catch (IOException | UncheckedIOException e) {
            return "unknown";
        }
    }

    /**
     * Whether the running kernel is at least {@code major.minor}.
     *
     * @param major major version
     * @param minor minor version
     * @return {@code true} when the release parses and is at least that
     */
    static boolean kernelAtLeast(int major, int minor) {
        String r = kernelRelease();
        String[] parts = r.split("[.-]", 3);
        try {
            int ma = Integer.parseInt(parts[0]);
            int mi = Integer.parseInt(parts[1]);
            return ma > major || (ma == major && mi >= minor);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * Opens an NVMe device node, turning a permission failure into advice.
     *
     * @param path  the device node
     * @param flags open flags
     * @return the fd
     * @throws ErrnoException with the errno, and for EACCES/EPERM what to do about it
     */
    static int openDevice(String path, int flags) throws ErrnoException {
        int fd = open(path, flags);
        if (fd >= 0) {
            return fd;
        }
        int errno = -fd;
        if (errno == EACCES || errno == EPERM) {
            boolean charDev = path.contains("/ng");
            String advice = "NVMe device nodes are root-only (mode 0600) by default. Run as root, or "
                    + (charDev
                    ? "on Linux 6.2 or later give your user access to " + path + " (for example chmod 0660 and a group"
                    + " you are in, or a udev rule: KERNEL==\"ng[0-9]*n[0-9]*\", GROUP=\"disk\", MODE=\"0660\");"
                    + " unprivileged users may then send reads (writes with write access) and Identify, not admin"
                    + " commands that change state"
                    : "grant access to " + path + " (admin commands on the controller need CAP_SYS_ADMIN)")
                    + ". This kernel is " + kernelRelease()
                    + (charDev && !kernelAtLeast(6, 2) ? ", which only allows root (unprivileged passthrough came in"
                    + " 6.2)" : "") + ".";
            throw new ErrnoException("open " + path, errno, advice);
        }
        throw new ErrnoException("open " + path, errno);
    }
}
