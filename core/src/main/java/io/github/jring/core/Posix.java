package io.github.jring.core;

import io.github.jring.bindings.Uapi;
import io.github.jring.core.internal.Syscalls;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The few POSIX and Linux calls a ring's user needs around the ring: io_uring works on file descriptors, and the JDK
 * hands none out. Open a file (with {@link #O_DIRECT} if wanted), a device's {@code ioctl}, an eventfd, a pipe or a
 * socket, and close them; each method names its system call, whose man page gives the semantics.
 *
 * <p>Every call has the linker save {@code errno} in native code right after the call (linked by jring's one native
 * layer, the internal {@code Syscalls}), and a failure is thrown as an {@link ErrnoException}
 * naming the call and the errno ({@code "open /x: ENOENT (No such file or directory)"}). Flags are passed to the
 * kernel as given: add {@link #O_CLOEXEC} where a child process must not inherit the descriptor.
 *
 * <p>The forms that take an {@code errnoState} (from {@link #allocateErrnoState(Arena)}) are for hot paths: they
 * allocate nothing, never throw for a kernel failure, and return the kernel's convention, a non-negative result or
 * {@code -errno}. A state area may be reused, by one thread at a time. The other forms allocate a little per call.
 *
 * <p>Each libc function is linked on the first call that needs it, so that a program pays only for what it uses.
 */
@SuppressWarnings("restricted") // linking libc functions is this class's job
public final class Posix {

    private static final boolean AARCH64 = "aarch64".equals(System.getProperty("os.arch"));

    /** {@code O_RDONLY}: open for reading only. */
    public static final int O_RDONLY = Uapi.O_RDONLY();
    /** {@code O_WRONLY}: open for writing only. */
    public static final int O_WRONLY = Uapi.O_WRONLY();
    /** {@code O_RDWR}: open for reading and writing. */
    public static final int O_RDWR = Uapi.O_RDWR();
    /** {@code O_CREAT}: create the file if it does not exist, with the mode given to {@code open}. */
    public static final int O_CREAT = Uapi.O_CREAT();
    /**
     * {@code O_EXCL}: with {@link #O_CREAT}, fail with {@code EEXIST} if the file exists; on a block device without
     * {@code O_CREAT}, fail with {@code EBUSY} if the device is mounted or otherwise claimed.
     */
    public static final int O_EXCL = Uapi.O_EXCL();
    /** {@code O_TRUNC}: truncate an existing regular file to length 0. */
    public static final int O_TRUNC = Uapi.O_TRUNC();
    /** {@code O_APPEND}: every write goes to the end of the file. */
    public static final int O_APPEND = Uapi.O_APPEND();
    /** {@code O_NONBLOCK}: reads and writes that would wait fail with {@code EAGAIN} instead. */
    public static final int O_NONBLOCK = Uapi.O_NONBLOCK();
    /** {@code O_CLOEXEC}: close the descriptor in a child process at {@code execve}. */
    public static final int O_CLOEXEC = Uapi.O_CLOEXEC();
    /**
     * {@code O_DIRECT}: I/O bypasses the page cache; buffers, offsets and lengths must be aligned (see
     * {@link #directIoAlignment(Path)}). The bindings are generated from the x86_64 headers, where it is 040000;
     * aarch64 numbers it 0200000 (its 040000 is {@code O_DIRECTORY}), so that value is chosen here by architecture.
     */
    public static final int O_DIRECT = AARCH64 ? 0200000 : Uapi.O_DIRECT();
    /** {@code AT_FDCWD}: for {@link #openat}, a relative path is resolved against the working directory. */
    public static final int AT_FDCWD = Uapi.AT_FDCWD();
    /** {@code EFD_CLOEXEC}: the eventfd's {@link #O_CLOEXEC}. */
    public static final int EFD_CLOEXEC = Uapi.EFD_CLOEXEC();
    /** {@code EFD_NONBLOCK}: the eventfd's {@link #O_NONBLOCK}. */
    public static final int EFD_NONBLOCK = Uapi.EFD_NONBLOCK();
    /** {@code EFD_SEMAPHORE}: a read takes 1 from the counter instead of all of it. */
    public static final int EFD_SEMAPHORE = Uapi.EFD_SEMAPHORE();
    /** {@code F_GETFL}: {@link #fcntl} returns the file status flags. */
    public static final int F_GETFL = Uapi.F_GETFL();
    /** {@code F_SETFL}: {@link #fcntl} sets the file status flags that may change ({@code O_NONBLOCK} ...). */
    public static final int F_SETFL = Uapi.F_SETFL();
    /** {@code F_DUPFD_CLOEXEC}: {@link #fcntl} duplicates the descriptor, with {@code O_CLOEXEC}. */
    public static final int F_DUPFD_CLOEXEC = Uapi.F_DUPFD_CLOEXEC();

    /** {@code STATX_DIOALIGN} (Linux 6.1): ask {@code statx} for the direct I/O alignment. */
    private static final int STATX_DIOALIGN = Uapi.STATX_DIOALIGN();
    /** The bindings' {@code struct statx} predates {@code stx_dio_offset_align} (Linux 6.1): its offset is given here. */
    private static final long STATX_SIZE = 256;
    private static final long STX_MASK = 0;
    private static final long STX_DIO_OFFSET_ALIGN = 156;

    private static final Linker.Option VARIADIC_AFTER_2 = Linker.Option.firstVariadicArg(2);

    // Each handle is linked on first use, in a holder class of its own: linking spins classes.

    /** {@code int open(const char *path, int flags, ...)}: the mode is the one variadic argument. */
    private static final class Open {
        static final MethodHandle H = Syscalls.linkCapturingErrno("open",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), VARIADIC_AFTER_2);
    }

    /** {@code int openat(int dirfd, const char *path, int flags, ...)}. */
    private static final class OpenAt {
        static final MethodHandle H = Syscalls.linkCapturingErrno("openat",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
                Linker.Option.firstVariadicArg(3));
    }

    /** {@code ssize_t read(int fd, void *buf, size_t count)}. */
    private static final class Read {
        static final MethodHandle H = Syscalls.linkCapturingErrno("read",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    }

    /** {@code ssize_t write(int fd, const void *buf, size_t count)}. */
    private static final class Write {
        static final MethodHandle H = Syscalls.linkCapturingErrno("write",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    }

    /** {@code ssize_t pread(int fd, void *buf, size_t count, off_t offset)}. */
    private static final class Pread {
        static final MethodHandle H = Syscalls.linkCapturingErrno("pread",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG));
    }

    /** {@code ssize_t pwrite(int fd, const void *buf, size_t count, off_t offset)}. */
    private static final class Pwrite {
        static final MethodHandle H = Syscalls.linkCapturingErrno("pwrite",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG));
    }

    /** {@code int ioctl(int fd, unsigned long request, ...)}, the argument as a number or an address. */
    private static final class IoctlValue {
        static final MethodHandle H = Syscalls.linkCapturingErrno("ioctl",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG), VARIADIC_AFTER_2);
    }

    /** {@code ioctl} with a pointer to memory the caller owns; FFM keeps its arena alive during the call. */
    private static final class IoctlSegment {
        static final MethodHandle H = Syscalls.linkCapturingErrno("ioctl",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS), VARIADIC_AFTER_2);
    }

    /**
     * The same ioctl with two more variadic arguments, which ioctl never reads: passing a segment to a downcall makes
     * FFM keep its arena alive for the call (a shared arena cannot be closed meanwhile, a confined one only by its
     * owner, which is in this call), so the device never gets memory that was freed while the command ran.
     */
    private static final class IoctlKeepingAlive {
        static final MethodHandle H = Syscalls.linkCapturingErrno("ioctl",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, ADDRESS, ADDRESS), VARIADIC_AFTER_2);
    }

    /** {@code int fcntl(int fd, int cmd, ...)}: an int argument as the one variadic argument. */
    private static final class Fcntl {
        static final MethodHandle H = Syscalls.linkCapturingErrno("fcntl",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), VARIADIC_AFTER_2);
    }

    /** {@code int eventfd(unsigned int initval, int flags)}. */
    private static final class EventFd {
        static final MethodHandle H = Syscalls.linkCapturingErrno("eventfd",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    }

    /** {@code int eventfd_write(int fd, eventfd_t value)}, without capture: see {@link #eventfdWrite}. */
    private static final class EventFdWrite {
        static final MethodHandle FAST = Syscalls.link("eventfd_write",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG));
        static final MethodHandle H = Syscalls.linkCapturingErrno("eventfd_write",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG));
    }

    /** {@code int pipe2(int fds[2], int flags)}. */
    private static final class Pipe2 {
        static final MethodHandle H = Syscalls.linkCapturingErrno("pipe2",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    }

    /** {@code int socketpair(int domain, int type, int protocol, int fds[2])}. */
    private static final class SocketPair {
        static final MethodHandle H = Syscalls.linkCapturingErrno("socketpair",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    }

    /** {@code int socket(int domain, int type, int protocol)}. */
    private static final class Socket {
        static final MethodHandle H = Syscalls.linkCapturingErrno("socket",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    }

    /** {@code bind}, {@code connect}: {@code int f(int fd, const struct sockaddr *addr, socklen_t len)}. */
    private static final class Bind {
        static final MethodHandle H = Syscalls.linkCapturingErrno("bind",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    }

    /** {@code int connect(int fd, const struct sockaddr *addr, socklen_t len)}. */
    private static final class Connect {
        static final MethodHandle H = Syscalls.linkCapturingErrno("connect",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    }

    /** {@code int listen(int fd, int backlog)}. */
    private static final class Listen {
        static final MethodHandle H = Syscalls.linkCapturingErrno("listen",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    }

    /** {@code int accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags)}. */
    private static final class Accept4 {
        static final MethodHandle H = Syscalls.linkCapturingErrno("accept4",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
    }

    /** {@code int getsockname(int fd, struct sockaddr *addr, socklen_t *len)}. */
    private static final class GetSockName {
        static final MethodHandle H = Syscalls.linkCapturingErrno("getsockname",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    }

    /** {@code int getsockopt(int fd, int level, int name, void *value, socklen_t *len)}. */
    private static final class GetSockOpt {
        static final MethodHandle H = Syscalls.linkCapturingErrno("getsockopt",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    }

    /** {@code int setsockopt(int fd, int level, int name, const void *value, socklen_t len)}. */
    private static final class SetSockOpt {
        static final MethodHandle H = Syscalls.linkCapturingErrno("setsockopt",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    }

    /** {@code int fallocate(int fd, int mode, off_t offset, off_t len)}. */
    private static final class Fallocate {
        static final MethodHandle H = Syscalls.linkCapturingErrno("fallocate",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG));
    }

    /** {@code int statx(int dirfd, const char *path, int flags, unsigned int mask, struct statx *buf)}. */
    private static final class Statx {
        static final MethodHandle H = Syscalls.linkCapturingErrno("statx",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS));
    }

    private Posix() {
    }

    /**
     * Allocates an area where the calls of the allocation-free forms leave {@code errno}; reuse it, from one thread
     * at a time.
     *
     * @param arena the arena that owns the area
     * @return the area
     */
    public static MemorySegment allocateErrnoState(Arena arena) {
        return Syscalls.allocateErrnoState(arena);
    }

    /**
     * The {@code errno} the last call that used this area left in it.
     *
     * @param errnoState an area from {@link #allocateErrnoState(Arena)}
     * @return the errno
     */
    public static int errno(MemorySegment errnoState) {
        return Syscalls.errno(errnoState);
    }

    // ---- files ---------------------------------------------------------------------------------------------------

    /**
     * {@code open(2)}: {@code open(path, flags, mode)}.
     *
     * @param path  the file
     * @param flags {@code O_*} flags, such as {@code O_RDWR | O_CREAT | O_DIRECT}
     * @param mode  the permissions of a file that {@link #O_CREAT} creates, such as {@code 0644}; else ignored
     * @return the new file descriptor
     * @throws ErrnoException {@code "open PATH: ENOENT ..."} and every other errno of {@code open(2)}
     */
    public static int open(String path, int flags, int mode) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = allocateErrnoState(arena);
            int fd = (int) Open.H.invokeExact(state, arena.allocateFrom(path), flags, mode);
            return check("open " + path, fd, state);
        } catch (ErrnoException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw Syscalls.rethrow(t);
        }
    }

    /**
     * {@code open(2)} of an existing file: {@code open(path, flags)}.
     *
     * @param path  the file
     * @param flags {@code O_*} flags
     * @return the new file descriptor
     * @throws ErrnoException {@code "open PATH: ENOENT ..."} and every other errno of {@code open(2)}
     */
    public static int open(String path, int flags) throws ErrnoException {
        return open(path, flags, 0);
    }

    /**
     * {@code open(2)}: {@code open(path, flags, mode)}.
     *
     * @param path  the file
     * @param flags {@code O_*} flags
     * @param mode  the permissions of a file that {@link #O_CREAT} creates; else ignored
     * @return the new file descriptor
     * @throws ErrnoException {@code "open PATH: ENOENT ..."} and every other errno of {@code open(2)}
     */
    public static int open(Path path, int flags, int mode) throws ErrnoException {
        return open(path.toString(), flags, mode);
    }

    /**
     * {@code open(2)} of an existing file: {@code open(path, flags)}.
     *
     * @param path  the file
     * @param flags {@code O_*} flags
     * @return the new file descriptor
     * @throws ErrnoException {@code "open PATH: ENOENT ..."} and every other errno of {@code open(2)}
     */
    public static int open(Path path, int flags) throws ErrnoException {
        return open(path.toString(), flags, 0);
    }

    /**
     * {@code openat(2)}: opens {@code path} relative to the directory {@code dirfd} (or {@link #AT_FDCWD}); an
     * absolute path ignores {@code dirfd}.
     *
     * @param dirfd a directory's file descriptor, or {@link #AT_FDCWD}
     * @param path  the file
     * @param flags {@code O_*} flags
     * @param mode  the permissions of a file that {@link #O_CREAT} creates; else ignored
     * @return the new file descriptor
     * @throws ErrnoException {@code "openat PATH: ..."} with every errno of {@code openat(2)} ({@code EBADF} for a
     *                        bad {@code dirfd}, {@code ENOTDIR} ...)
     */
    public static int openat(int dirfd, String path, int flags, int mode) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = allocateErrnoState(arena);
            int fd = (int) OpenAt.H.invokeExact(state, dirfd, arena.allocateFrom(path), flags, mode);
            return check("openat " + path, fd, state);
        } catch (ErrnoException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw Syscalls.rethrow(t);
        }
    }

    /**
     * {@code close(2)}. The descriptor is released even when this throws (Linux never leaves it open).
     *
     * @param fd the file descriptor
     * @throws ErrnoException {@code EBADF} for a descriptor that is not open, {@code EIO} ...
     */
    public static void close(int fd) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = allocateErrnoState(arena);
            int r = Syscalls.close(state, fd);
            if (r < 0) {
                throw new ErrnoException("close " + fd, -r);
            }
        }
    }

    /**
     * {@code close(2)} for cleanup paths, where a failure has nothing to tell: Linux releases the descriptor whatever
     * {@code close} reports. A negative number (a descriptor never opened) is skipped.
     *
     * @param fds the file descriptors, or negative numbers
     */
    public static void closeQuietly(int... fds) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = allocateErrnoState(arena);
            for (int fd : fds) {
                if (fd >= 0) {
                    Syscalls.close(state, fd);
                }
            }
        }
    }

    /**
     * {@code read(2)} into the whole of {@code buf}.
     *
     * @param fd  the file descriptor
     * @param buf where the bytes go; its size is the count asked for
     * @return the bytes read, 0 at end of file (Linux moves at most 0x7ffff000 bytes per call, so it fits an int)
     * @throws ErrnoException {@code EAGAIN} for a non-blocking descriptor with nothing to read, and the other
     *                        errnos of {@code read(2)}
     */
    public static int read(int fd, MemorySegment buf) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = allocateErrnoState(arena);
            return check("read " + fd, (long) Read.H.invokeExact(state, fd, buf, buf.byteSize()), state);
        } catch (ErrnoException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw Syscalls.rethrow(t);
        }
    }

    /**
     * {@code write(2)} of the whole of {@code buf}.
     *
     * @param fd  the file descriptor
     * @param buf the bytes; its size is the count
     * @return the bytes written, which may be fewer than asked for
     * @throws ErrnoException {@code EAGAIN} for a non-blocking descriptor that cannot take any, {@code EPIPE} ...
     */
    public static int write(int fd, MemorySegment buf) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = allocateErrnoState(arena);
            return check("write " + fd, (long) Write.H.invokeExact(state, fd, buf, buf.byteSize()), state);
        } catch (ErrnoException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw Syscalls.rethrow(t);
        }
    }

    /**
     * {@code pread(2)}: reads at {@code offset} without moving the file offset. Allocates nothing.
     *
     * @param errnoState an area from {@link #allocateErrnoState(Arena)}
     * @param fd         the file descriptor
     * @param buf        where the bytes go, at least {@code count} long
     * @param count      bytes to read
     * @param offset     where in the file
     * @return the bytes read (0 at end of file), or {@code -errno} ({@code -EINTR}, {@code -EINVAL} for a misaligned
     *         {@link #O_DIRECT} read ...)
     */
    public static int pread(MemorySegment errnoState, int fd, MemorySegment buf, long count, long offset) {
        try {
            return Syscalls.result((long) Pread.H.invokeExact(errnoState, fd, buf, count, offset), errnoState);
        } catch (Throwable t) {
            throw Syscalls.rethrow(t);
        }
    }

    /**
     * {@code pwrite(2)}: writes at {@code offset} without moving the file offset. Allocates nothing.
     *
     * @param errnoState an area from {@link #allocateErrnoState(Arena)}
     * @param fd         the file descriptor
     * @param buf        the bytes, at least {@code count} long
     * @param count      bytes to write
     * @param offset     where in the file
     * @return the bytes written, or {@code -errno}
     */
    public static int pwrite(MemorySegment errnoState, int fd, MemorySegment buf, long count, long offset) {
        try {
            return Syscalls.result((long) Pwrite.H.invokeExact(errnoState, fd, buf, count, offset), errnoState);
        } catch (Throwable t) {
            throw Syscalls.rethrow(t);
        }
    }

    /**
     * {@code pread(2)} into the whole of {@code buf}.
     *
     * @param fd     the file descriptor
     * @param buf    where the bytes go; its size is the count
     * @param offset where in the file
     * @return the bytes read, 0 at end of file
     * @throws ErrnoException the errnos of {@code pread(2)}
     */
    public static int pread(int fd, MemorySegment buf, long offset) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = allocateErrnoState(arena);
            return check("pread " + fd, pread(state, fd, buf, buf.byteSize(), offset));
        }
    }

    /**
     * {@code pwrite(2)} of the whole of {@code buf}.
     *
     * @param fd     the file descriptor
     * @param buf    the bytes; its size is the count
     * @param offset where in the file
     * @return the bytes written
     * @throws ErrnoException the errnos of {@code pwrite(2)}
     */
    public static int pwrite(int fd, MemorySegment buf, long offset) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = allocateErrnoState(arena);
            return check("pwrite " + fd, pwrite(state, fd, buf, buf.byteSize(), offset));
        }
    }

    /**
     * {@code fallocate(2)}: allocates (or with {@code FALLOC_FL_*} flags, punches or zeroes) a range of a file.
     *
     * @param fd     the file descriptor
     * @param mode   0, or {@code FALLOC_FL_*} flags
     * @param offset start of the range
     * @param length its length
     * @throws ErrnoException {@code EOPNOTSUPP} where the file system does not support the mode, and the other
     *                        errnos of {@code fallocate(2)}
     */
    public static void fallocate(int fd, int mode, long offset, long length) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = allocateErrnoState(arena);
            check("fallocate " + fd, (int) Fallocate.H.invokeExact(state, fd, mode, offset, length), state);
        } catch (ErrnoException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw Syscalls.rethrow(t);
        }
    }

    /**
     * The alignment {@link #O_DIRECT} needs for file offsets and lengths on {@code path}, from {@code statx(2)} with
     * {@code STATX_DIOALIGN} (Linux 6.1 and later).
     *
     * @param path the file or directory
     * @return the alignment in bytes, or 0 when the kernel or the file system does not say, when direct I/O is not
     *         supported there, or when {@code statx} fails
     */
    public static int directIoAlignment(Path path) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = allocateErrnoState(arena);
            MemorySegment stx = arena.allocate(STATX_SIZE, 8);
            int rc = (int) Statx.H.invokeExact(state, AT_FDCWD, arena.allocateFrom(path.toString()), 0,
                    STATX_DIOALIGN, stx);
            if (rc != 0 || (stx.get(JAVA_INT, STX_MASK) & STATX_DIOALIGN) == 0) {
                return 0;
            }
            return stx.get(JAVA_INT, STX_DIO_OFFSET_ALIGN);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw Syscalls.rethrow(t);
        }
    }

    // ---- control -------------------------------------------------------------------------------------------------

    /**
     * {@code ioctl(2)} with a number (or an address held as a {@code long}) as its argument. Allocates nothing.
     *
     * @param errnoState an area from {@link #allocateErrnoState(Arena)}
     * @param fd         the file descriptor
     * @param request    the request code, such as {@code NVME_IOCTL_ID}
     * @param arg        the argument
     * @return the ioctl's non-negative result, or {@code -errno} ({@code -ENOTTY} where the file has no such request)
     */
    public static int ioctl(MemorySegment errnoState, int fd, long request, long arg) {
        try {
            return Syscalls.result((int) IoctlValue.H.invokeExact(errnoState, fd, request, arg), errnoState);
        } catch (Throwable t) {
            throw Syscalls.rethrow(t);
        }
    }

    /**
     * {@code ioctl(2)} with a pointer to {@code arg}, which FFM keeps alive for the call. Allocates nothing.
     *
     * @param errnoState an area from {@link #allocateErrnoState(Arena)}
     * @param fd         the file descriptor
     * @param request    the request code, such as {@code BLKGETSIZE64}
     * @param arg        the memory the request reads or writes
     * @return the ioctl's non-negative result, or {@code -errno}
     */
    public static int ioctl(MemorySegment errnoState, int fd, long request, MemorySegment arg) {
        try {
            return Syscalls.result((int) IoctlSegment.H.invokeExact(errnoState, fd, request, arg), errnoState);
        } catch (Throwable t) {
            throw Syscalls.rethrow(t);
        }
    }

    /**
     * {@code ioctl(2)} whose argument (a command structure at address {@code arg}) points at other memory the kernel
     * reads or writes during the call, such as an NVMe passthrough command's data and metadata buffers: those two
     * segments (either may be {@link MemorySegment#NULL}) are kept alive until the call returns, so that their arena
     * cannot be closed under the device. Allocates nothing.
     *
     * @param errnoState an area from {@link #allocateErrnoState(Arena)}
     * @param fd         the file descriptor
     * @param request    the request code, such as {@code NVME_IOCTL_IO64_CMD}
     * @param arg        the address of the command structure
     * @param data       memory the command refers to, or {@code NULL}
     * @param metadata   more memory the command refers to, or {@code NULL}
     * @return the ioctl's non-negative result, or {@code -errno}
     */
    public static int ioctl(MemorySegment errnoState, int fd, long request, long arg, MemorySegment data,
                            MemorySegment metadata) {
        try {
            return Syscalls.result((int) IoctlKeepingAlive.H.invokeExact(errnoState, fd, request, arg, data,
                    metadata), errnoState);
        } catch (Throwable t) {
            throw Syscalls.rethrow(t);
        }
    }

    /**
     * {@code ioctl(2)} with a number as its argument.
     *
     * @param fd      the file descriptor
     * @param request the request code
     * @param arg     the argument
     * @return the ioctl's non-negative result
     * @throws ErrnoException {@code ENOTTY} where the file has no such request, and the request's own errnos
     */
    public static int ioctl(int fd, long request, long arg) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            return check("ioctl " + fd, ioctl(allocateErrnoState(arena), fd, request, arg));
        }
    }

    /**
     * {@code ioctl(2)} with a pointer to {@code arg}.
     *
     * @param fd      the file descriptor
     * @param request the request code
     * @param arg     the memory the request reads or writes
     * @return the ioctl's non-negative result
     * @throws ErrnoException {@code ENOTTY} where the file has no such request, and the request's own errnos
     */
    public static int ioctl(int fd, long request, MemorySegment arg) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            return check("ioctl " + fd, ioctl(allocateErrnoState(arena), fd, request, arg));
        }
    }

    /**
     * {@code fcntl(2)} with an int argument (or none: pass 0).
     *
     * @param fd  the file descriptor
     * @param cmd {@link #F_GETFL}, {@link #F_SETFL}, {@link #F_DUPFD_CLOEXEC} ...
     * @param arg the command's argument
     * @return the command's result
     * @throws ErrnoException {@code EBADF}, {@code EINVAL}, {@code EMFILE} ...
     */
    public static int fcntl(int fd, int cmd, int arg) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = allocateErrnoState(arena);
            return check("fcntl " + fd, (int) Fcntl.H.invokeExact(state, fd, cmd, arg), state);
        } catch (ErrnoException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw Syscalls.rethrow(t);
        }
    }

    /**
     * A new descriptor for the same open file, with {@code O_CLOEXEC}: {@code fcntl(fd, F_DUPFD_CLOEXEC, 0)}. Whoever
     * holds it keeps the file even after {@code fd} is closed and its number reused for another file.
     *
     * @param fd the file descriptor
     * @return the lowest free descriptor number, now referring to the same file
     * @throws ErrnoException {@code EBADF}, {@code EMFILE} ...
     */
    public static int dup(int fd) throws ErrnoException {
        try {
            return fcntl(fd, F_DUPFD_CLOEXEC, 0);
        } catch (ErrnoException e) {
            throw new ErrnoException("fcntl(F_DUPFD_CLOEXEC) " + fd, e.errno());
        }
    }

    // ---- eventfd, pipes and sockets ------------------------------------------------------------------------------

    /**
     * {@code eventfd(2)}: a descriptor holding a 64-bit counter, which a write adds to and a read takes, and which
     * io_uring can read ({@code IORING_OP_READ}) or be told to signal ({@code IORING_REGISTER_EVENTFD}).
     *
     * @param initialValue the counter's starting value
     * @param flags        {@link #EFD_CLOEXEC}, {@link #EFD_NONBLOCK}, {@link #EFD_SEMAPHORE}, or 0
     * @return the eventfd
     * @throws ErrnoException {@code EMFILE}, {@code EINVAL} for unknown flags ...
     */
    public static int eventfd(int initialValue, int flags) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = allocateErrnoState(arena);
            return check("eventfd", (int) EventFd.H.invokeExact(state, initialValue, flags), state);
        } catch (ErrnoException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw Syscalls.rethrow(t);
        }
    }

    /**
     * Adds {@code value} to an eventfd's counter ({@code eventfd_write(3)}, an 8-byte {@code write(2)}). Allocates
     * nothing when it succeeds: the call is made without errno capture, and only a failed one (which added nothing)
     * is repeated with capture to learn its errno.
     *
     * @param fd    the eventfd
     * @param value what to add
     * @throws ErrnoException {@code EAGAIN} when the counter would pass 2^64-2 on a non-blocking eventfd,
     *                        {@code EINVAL} for a value of 2^64-1, {@code EBADF} ...
     */
    public static void eventfdWrite(int fd, long value) throws ErrnoException {
        try {
            if ((int) EventFdWrite.FAST.invokeExact(fd, value) == 0) {
                return;
            }
        } catch (Throwable t) {
            throw Syscalls.rethrow(t);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = allocateErrnoState(arena);
            check("eventfd_write " + fd, (int) EventFdWrite.H.invokeExact(state, fd, value), state);
        } catch (ErrnoException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw Syscalls.rethrow(t);
        }
    }

    /**
     * Takes an eventfd's counter ({@code eventfd_read(3)}, an 8-byte {@code read(2)}): its value, after which it is
     * 0 (with {@link #EFD_SEMAPHORE}: 1, after which it is one less). Waits while it is 0, unless non-blocking.
     *
     * @param fd the eventfd
     * @return the value taken
     * @throws ErrnoException {@code EAGAIN} for a non-blocking eventfd whose counter is 0, {@code EBADF} ...
     */
    public static long eventfdRead(int fd) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment counter = arena.allocate(JAVA_LONG);
            read(fd, counter);
            return counter.get(JAVA_LONG, 0);
        }
    }

    /**
     * {@code pipe2(2)}.
     *
     * @param flags {@link #O_CLOEXEC}, {@link #O_NONBLOCK}, {@link #O_DIRECT} (packet mode), or 0
     * @return {read end, write end}
     * @throws ErrnoException {@code EMFILE}, {@code ENFILE} ...
     */
    public static int[] pipe(int flags) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = allocateErrnoState(arena);
            MemorySegment fds = arena.allocate(JAVA_INT, 2);
            check("pipe2", (int) Pipe2.H.invokeExact(state, fds, flags), state);
            return new int[] {fds.getAtIndex(JAVA_INT, 0), fds.getAtIndex(JAVA_INT, 1)};
        } catch (ErrnoException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw Syscalls.rethrow(t);
        }
    }

    /**
     * {@code socketpair(2)}: two connected sockets.
     *
     * @param domain   {@code AF_UNIX}
     * @param type     {@code SOCK_STREAM}, {@code SOCK_DGRAM}, {@code SOCK_SEQPACKET}, with {@code SOCK_CLOEXEC} or
     *                 {@code SOCK_NONBLOCK} added if wanted
     * @param protocol 0
     * @return the two ends
     * @throws ErrnoException {@code EAFNOSUPPORT} for a domain without pairs, {@code EMFILE} ...
     */
    public static int[] socketpair(int domain, int type, int protocol) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = allocateErrnoState(arena);
            MemorySegment fds = arena.allocate(JAVA_INT, 2);
            check("socketpair", (int) SocketPair.H.invokeExact(state, domain, type, protocol, fds), state);
            return new int[] {fds.getAtIndex(JAVA_INT, 0), fds.getAtIndex(JAVA_INT, 1)};
        } catch (ErrnoException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw Syscalls.rethrow(t);
        }
    }

    /**
     * {@code socket(2)}.
     *
     * @param domain   {@code AF_INET}, {@code AF_INET6}, {@code AF_UNIX} ...
     * @param type     {@code SOCK_STREAM}, {@code SOCK_DGRAM} ..., with {@code SOCK_CLOEXEC} or
     *                 {@code SOCK_NONBLOCK} added if wanted
     * @param protocol 0 for the domain's default
     * @return the socket
     * @throws ErrnoException {@code EAFNOSUPPORT}, {@code EMFILE} ...
     */
    public static int socket(int domain, int type, int protocol) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = allocateErrnoState(arena);
            return check("socket", (int) Socket.H.invokeExact(state, domain, type, protocol), state);
        } catch (ErrnoException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw Syscalls.rethrow(t);
        }
    }

    /**
     * {@code bind(2)}: gives the socket the address in {@code address} (a {@code struct sockaddr_in} ..., whose size
     * is passed as the length).
     *
     * @param fd      the socket
     * @param address the address
     * @throws ErrnoException {@code EADDRINUSE}, {@code EACCES} ...
     */
    public static void bind(int fd, MemorySegment address) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = allocateErrnoState(arena);
            check("bind " + fd, (int) Bind.H.invokeExact(state, fd, address, (int) address.byteSize()), state);
        } catch (ErrnoException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw Syscalls.rethrow(t);
        }
    }

    /**
     * {@code connect(2)} to the address in {@code address} (whose size is passed as the length).
     *
     * @param fd      the socket
     * @param address the peer's address
     * @throws ErrnoException {@code ECONNREFUSED}, {@code EINPROGRESS} on a non-blocking socket ...
     */
    public static void connect(int fd, MemorySegment address) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = allocateErrnoState(arena);
            check("connect " + fd, (int) Connect.H.invokeExact(state, fd, address, (int) address.byteSize()), state);
        } catch (ErrnoException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw Syscalls.rethrow(t);
        }
    }

    /**
     * {@code listen(2)}.
     *
     * @param fd      a bound stream socket
     * @param backlog how many connections may wait to be accepted
     * @throws ErrnoException {@code EADDRINUSE}, {@code EOPNOTSUPP} for a datagram socket ...
     */
    public static void listen(int fd, int backlog) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = allocateErrnoState(arena);
            check("listen " + fd, (int) Listen.H.invokeExact(state, fd, backlog), state);
        } catch (ErrnoException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw Syscalls.rethrow(t);
        }
    }

    /**
     * {@code accept4(2)} without the peer's address. (A ring can accept too: {@code Sqe.prepAccept}.)
     *
     * @param fd    a listening socket
     * @param flags {@code SOCK_CLOEXEC}, {@code SOCK_NONBLOCK}, or 0
     * @return the connected socket
     * @throws ErrnoException {@code EAGAIN} on a non-blocking socket with no connection waiting, {@code EINVAL} ...
     */
    public static int accept(int fd, int flags) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = allocateErrnoState(arena);
            return check("accept " + fd, (int) Accept4.H.invokeExact(state, fd, MemorySegment.NULL,
                    MemorySegment.NULL, flags), state);
        } catch (ErrnoException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw Syscalls.rethrow(t);
        }
    }

    /**
     * {@code getsockname(2)}: the socket's own address, written into {@code address}.
     *
     * @param fd      the socket
     * @param address where the address goes (a {@code struct sockaddr_in} ...); its size is the room there is
     * @return the address's full length, which is more than {@code address}'s size when it was cut short
     * @throws ErrnoException {@code EBADF}, {@code ENOTSOCK} ...
     */
    public static int getsockname(int fd, MemorySegment address) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = allocateErrnoState(arena);
            MemorySegment length = arena.allocateFrom(JAVA_INT, (int) address.byteSize());
            check("getsockname " + fd, (int) GetSockName.H.invokeExact(state, fd, address, length), state);
            return length.get(JAVA_INT, 0);
        } catch (ErrnoException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw Syscalls.rethrow(t);
        }
    }

    /**
     * {@code getsockopt(2)} of an int-valued option.
     *
     * @param fd    the socket
     * @param level {@code SOL_SOCKET}, {@code IPPROTO_TCP} ...
     * @param name  the option, such as {@code SO_RCVBUF}
     * @return the option's value
     * @throws ErrnoException {@code ENOPROTOOPT} for an option the level does not know ...
     */
    public static int getsockoptInt(int fd, int level, int name) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = allocateErrnoState(arena);
            MemorySegment value = arena.allocate(JAVA_INT);
            MemorySegment length = arena.allocateFrom(JAVA_INT, (int) JAVA_INT.byteSize());
            check("getsockopt " + fd, (int) GetSockOpt.H.invokeExact(state, fd, level, name, value, length), state);
            return value.get(JAVA_INT, 0);
        } catch (ErrnoException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw Syscalls.rethrow(t);
        }
    }

    /**
     * {@code setsockopt(2)} of an int-valued option.
     *
     * @param fd    the socket
     * @param level {@code SOL_SOCKET}, {@code IPPROTO_TCP} ...
     * @param name  the option, such as {@code SO_KEEPALIVE}
     * @param value its new value
     * @throws ErrnoException {@code ENOPROTOOPT}, {@code EINVAL} ...
     */
    public static void setsockoptInt(int fd, int level, int name, int value) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = allocateErrnoState(arena);
            check("setsockopt " + fd, (int) SetSockOpt.H.invokeExact(state, fd, level, name,
                    arena.allocateFrom(JAVA_INT, value), (int) JAVA_INT.byteSize()), state);
        } catch (ErrnoException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw Syscalls.rethrow(t);
        }
    }

    private static int check(String what, long ret, MemorySegment state) throws ErrnoException {
        return check(what, Syscalls.result(ret, state));
    }

    private static int check(String what, int result) throws ErrnoException {
        if (result < 0) {
            throw new ErrnoException(what, -result);
        }
        return result;
    }
}
