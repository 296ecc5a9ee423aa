package io.github.jring.core.nio;

import io.github.jring.bindings.Uapi;
import io.github.jring.core.ErrnoException;
import io.github.jring.core.internal.Syscalls;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * The libc calls an {@link UringFileChannel} makes outside the ring: the file's size, truncation and POSIX record
 * locks, which io_uring has no portable operation for ({@code IORING_OP_FTRUNCATE} is 6.9+, record locks have none),
 * and {@code fsync}/{@code fdatasync} for a {@code force} called on the ring's own thread. Linked through core's
 * {@link Syscalls}, with {@code errno} captured.
 */
final class FileCalls {

    private static final long SEEK_END = Uapi.SEEK_END();
    private static final int F_SETLK = Uapi.F_SETLK();
    private static final int F_SETLKW = Uapi.F_SETLKW();
    static final int EINTR = Uapi.EINTR();
    static final int EAGAIN = Uapi.EAGAIN();
    static final int EACCES = Uapi.EACCES();

    /** {@code struct flock} on 64-bit Linux: l_type, l_whence (shorts), l_start, l_len (off_t), l_pid (int). */
    private static final long FLOCK_SIZE = 32;
    private static final long L_TYPE = 0;
    private static final long L_WHENCE = 2;
    private static final long L_START = 8;
    private static final long L_LEN = 16;

    private static final class Lseek {
        static final MethodHandle H = Syscalls.linkCapturingErrno("lseek",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT));
    }

    private static final class Ftruncate {
        static final MethodHandle H = Syscalls.linkCapturingErrno("ftruncate",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG));
    }

    private static final class Fsync {
        static final MethodHandle FSYNC = Syscalls.linkCapturingErrno("fsync",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        static final MethodHandle FDATASYNC = Syscalls.linkCapturingErrno("fdatasync",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    }

    /** {@code int fcntl(int fd, int cmd, ...)} with a pointer as the variadic argument. */
    private static final class FcntlLock {
        static final MethodHandle H = Syscalls.linkCapturingErrno("fcntl",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS), Linker.Option.firstVariadicArg(2));
    }

    private FileCalls() {
    }

    /** The file's size: {@code lseek(fd, 0, SEEK_END)} (the channel reads and writes at explicit offsets only). */
    static long size(int fd) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Syscalls.allocateErrnoState(arena);
            long r = (long) Lseek.H.invokeExact(state, fd, 0L, (int) SEEK_END);
            if (r < 0) {
                throw new ErrnoException("lseek (size of fd " + fd + ")", Syscalls.errno(state));
            }
            return r;
        } catch (ErrnoException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw Syscalls.rethrow(t);
        }
    }

    static void ftruncate(int fd, long size) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Syscalls.allocateErrnoState(arena);
            int r;
            do {
                r = Syscalls.result((int) Ftruncate.H.invokeExact(state, fd, size), state);
            } while (r == -EINTR);
            if (r < 0) {
                throw new ErrnoException("ftruncate (fd " + fd + ", " + size + ")", -r);
            }
        } catch (ErrnoException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw Syscalls.rethrow(t);
        }
    }

    static void fsync(int fd, boolean metaData) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Syscalls.allocateErrnoState(arena);
            int r;
            do {
                r = Syscalls.result(metaData ? (int) Fsync.FSYNC.invokeExact(state, fd)
                        : (int) Fsync.FDATASYNC.invokeExact(state, fd), state);
            } while (r == -EINTR);
            if (r < 0) {
                throw new ErrnoException((metaData ? "fsync" : "fdatasync") + " (fd " + fd + ")", -r);
            }
        } catch (ErrnoException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw Syscalls.rethrow(t);
        }
    }

    /**
     * A POSIX record lock ({@code fcntl F_SETLK / F_SETLKW}), as the JDK's own file channels take them, so that
     * other processes see the same locks whichever channel took them.
     *
     * @param type {@code F_RDLCK}, {@code F_WRLCK} or {@code F_UNLCK}
     * @param wait {@code F_SETLKW} (wait for a conflicting lock to go) instead of {@code F_SETLK}
     * @return 0, or {@code -errno} ({@code -EAGAIN}/{@code -EACCES}: held elsewhere; {@code -EINTR}: interrupted)
     */
    static int lock(int fd, int type, long position, long size, boolean wait) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Syscalls.allocateErrnoState(arena);
            MemorySegment fl = arena.allocate(FLOCK_SIZE, 8);
            fl.set(JAVA_SHORT, L_TYPE, (short) type);
            fl.set(JAVA_SHORT, L_WHENCE, (short) 0); // SEEK_SET
            fl.set(JAVA_LONG, L_START, position);
            fl.set(JAVA_LONG, L_LEN, size == Long.MAX_VALUE ? 0L : size); // 0: to the end of the file, and beyond
            return Syscalls.result((int) FcntlLock.H.invokeExact(state, fd, wait ? F_SETLKW : F_SETLK, fl), state);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw Syscalls.rethrow(t);
        }
    }
}
