package io.github.jring.bench.sys;

import io.github.jring.bindings.Uapi;
import io.github.jring.core.ErrnoException;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The few libc calls the benchmark needs, as FFM downcalls (no JNI): {@code open} (so that {@code O_DIRECT} can be
 * set, which {@code java.io} cannot), {@code pread}/{@code pwrite}, {@code ioctl}, {@code getrusage}. Calls that can
 * fail capture {@code errno} into a caller-owned segment ({@link #newCallState}), so the hot path allocates nothing:
 * the caller keeps one call-state segment per thread and reads {@link #errno} after a {@code -1}.
 *
 * <p>This stays in bench until {@code io.github.jring.core} offers the same calls; then the engines switch over.
 */
@SuppressWarnings("restricted")
public final class Libc {
    private static final boolean AARCH64 = "aarch64".equals(System.getProperty("os.arch"));

    public static final int O_RDONLY = Uapi.O_RDONLY();
    public static final int O_WRONLY = Uapi.O_WRONLY();
    public static final int O_RDWR = Uapi.O_RDWR();
    public static final int O_CREAT = Uapi.O_CREAT();
    /** On a block device without {@code O_CREAT}: fail with {@code EBUSY} if the device is mounted or otherwise claimed. */
    public static final int O_EXCL = Uapi.O_EXCL();
    public static final int O_TRUNC = Uapi.O_TRUNC();
    /**
     * The bindings' {@code O_DIRECT} (040000, generated from the x86_64 headers). aarch64 numbers it 0200000 (its
     * 040000 is {@code O_DIRECTORY}), and the bindings have no per-architecture values yet, so that one stays here.
     */
    public static final int O_DIRECT = AARCH64 ? 0200000 : Uapi.O_DIRECT();
    public static final int O_CLOEXEC = Uapi.O_CLOEXEC();

    public static final int RUSAGE_SELF = 0;
    public static final int RUSAGE_THREAD = 1;

    /** {@code BLKGETSIZE64 = _IOR(0x12, 114, size_t)}: the block device's size in bytes. */
    public static final long BLKGETSIZE64 = Uapi.BLKGETSIZE64();
    /** {@code BLKSSZGET = _IO(0x12, 104)}: the block device's logical block size. */
    public static final long BLKSSZGET = Uapi.BLKSSZGET();

    private static final int EINVAL = Uapi.EINVAL();
    private static final int EBUSY = Uapi.EBUSY();
    private static final int EACCES = Uapi.EACCES();
    private static final int EPERM = Uapi.EPERM();

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno")).withInvokeExactBehavior();
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    /** Linked on first use: each downcall handle costs class spinning at startup. */
    private static final class OpenCall {
        static final MethodHandle H = downcall("open",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), CAPTURE_ERRNO, Linker.Option.firstVariadicArg(2));
    }

    /** Linked on first use: each downcall handle costs class spinning at startup. */
    private static final class CloseCall {
        static final MethodHandle H = downcall("close",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT), CAPTURE_ERRNO);
    }

    /** Linked on first use: each downcall handle costs class spinning at startup. */
    private static final class PreadCall {
        static final MethodHandle H = downcall("pread",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG), CAPTURE_ERRNO);
    }

    /** Linked on first use: each downcall handle costs class spinning at startup. */
    private static final class PwriteCall {
        static final MethodHandle H = downcall("pwrite",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG), CAPTURE_ERRNO);
    }

    /** Linked on first use: each downcall handle costs class spinning at startup. */
    private static final class IoctlCall {
        static final MethodHandle H = downcall("ioctl",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS), CAPTURE_ERRNO, Linker.Option.firstVariadicArg(2));
    }

    /** Linked on first use: each downcall handle costs class spinning at startup. */
    private static final class GetrusageCall {
        static final MethodHandle H = downcall("getrusage",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
    }

    /** Linked on first use: each downcall handle costs class spinning at startup. */
    private static final class StatxCall {
        static final MethodHandle H = downcall("statx",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS), CAPTURE_ERRNO);
    }

    private Libc() {
    }

    private static MethodHandle downcall(String name, FunctionDescriptor fd, Linker.Option... options) {
        MemorySegment symbol = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
        return LINKER.downcallHandle(symbol, fd, options);
    }

    /** A segment to receive {@code errno} from the calls here; allocate one per thread and reuse it. */
    public static MemorySegment newCallState(Arena arena) {
        return arena.allocate(CALL_STATE);
    }

    /** The {@code errno} the last call made with this call state left. */
    public static int errno(MemorySegment callState) {
        return (int) ERRNO.get(callState, 0L);
    }

    /** {@code open(2)}; returns the fd or throws naming the path and errno. */
    public static int open(Path path, int flags, int mode) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = newCallState(arena);
            int fd = (int) OpenCall.H.invokeExact(state, arena.allocateFrom(path.toString()), flags | O_CLOEXEC, mode);
            if (fd < 0) {
                int errno = errno(state);
                throw new ErrnoException("open(" + path + ", " + describeFlags(flags) + ")", errno, openHint(errno, flags));
            }
            return fd;
        } catch (ErrnoException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    private static String openHint(int errno, int flags) {
        if (errno == EINVAL && (flags & O_DIRECT) != 0) {
            return "the file system does not support O_DIRECT; use --direct=0 or another --directory";
        }
        if (errno == EBUSY && (flags & O_EXCL) != 0) {
            return "the device is mounted or in use (O_EXCL open refused by the kernel)";
        }
        if (errno == EACCES || errno == EPERM) {
            return "run as root or give this user access to the device";
        }
        return null;
    }

    static String describeFlags(int flags) {
        int access = flags & 3;
        StringBuilder sb = new StringBuilder(access == O_WRONLY ? "O_WRONLY" : access == O_RDWR ? "O_RDWR" : "O_RDONLY");
        if ((flags & O_CREAT) != 0) sb.append("|O_CREAT");
        if ((flags & O_EXCL) != 0) sb.append("|O_EXCL");
        if ((flags & O_TRUNC) != 0) sb.append("|O_TRUNC");
        if ((flags & O_DIRECT) != 0) sb.append("|O_DIRECT");
        return sb.toString();
    }

    /** {@code close(2)}. */
    public static void close(int fd) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = newCallState(arena);
            int rc = (int) CloseCall.H.invokeExact(state, fd);
            if (rc < 0) {
                throw new ErrnoException("close(" + fd + ")", errno(state));
            }
        } catch (ErrnoException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** {@code pread(2)}: bytes read, or -1 with {@link #errno} set in {@code callState}. Allocates nothing. */
    public static long pread(MemorySegment callState, int fd, MemorySegment buf, long count, long offset) {
        try {
            return (long) PreadCall.H.invokeExact(callState, fd, buf, count, offset);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code pwrite(2)}: bytes written, or -1 with {@link #errno} set in {@code callState}. Allocates nothing. */
    public static long pwrite(MemorySegment callState, int fd, MemorySegment buf, long count, long offset) {
        try {
            return (long) PwriteCall.H.invokeExact(callState, fd, buf, count, offset);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code ioctl(2)} with a pointer argument: the return value, or -1 with {@link #errno} set. Allocates nothing. */
    public static int ioctl(MemorySegment callState, int fd, long request, MemorySegment arg) {
        try {
            return (int) IoctlCall.H.invokeExact(callState, fd, request, arg);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code ioctl(fd, BLKGETSIZE64)}: a block device's size in bytes. */
    public static long blockDeviceSize(int fd, Path path) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = newCallState(arena);
            MemorySegment out = arena.allocate(JAVA_LONG);
            if (ioctl(state, fd, BLKGETSIZE64, out) < 0) {
                throw new ErrnoException("ioctl(" + path + ", BLKGETSIZE64)", errno(state));
            }
            return out.get(JAVA_LONG, 0);
        }
    }

    /** {@code ioctl(fd, BLKSSZGET)}: a block device's logical block size in bytes. */
    public static int logicalBlockSize(int fd, Path path) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = newCallState(arena);
            MemorySegment out = arena.allocate(JAVA_INT);
            if (ioctl(state, fd, BLKSSZGET, out) < 0) {
                throw new ErrnoException("ioctl(" + path + ", BLKSSZGET)", errno(state));
            }
            return out.get(JAVA_INT, 0);
        }
    }

    /** {@code getrusage(2)} into {@code out} (a {@link Rusage#LAYOUT} segment); {@code who} is RUSAGE_SELF or RUSAGE_THREAD. */
    public static void getrusage(int who, MemorySegment out) {
        try {
            int rc = (int) GetrusageCall.H.invokeExact(who, out);
            if (rc != 0) {
                throw new IllegalStateException("getrusage(" + who + ") failed");
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static final int AT_FDCWD = Uapi.AT_FDCWD();
    private static final int STATX_DIOALIGN = Uapi.STATX_DIOALIGN();
    /** The bindings' {@code struct statx} predates {@code stx_dio_offset_align} (Linux 6.1): its offset is given here. */
    private static final long STATX_SIZE = 256, STX_MASK = 0, STX_DIO_OFFSET_ALIGN = 156;

    /**
     * The alignment O_DIRECT needs for file offsets and lengths on {@code path}, from {@code statx(STATX_DIOALIGN)}
     * (Linux 6.1+); 0 when the kernel or the file system does not say, or direct I/O is not supported there.
     */
    public static int directIoAlignment(Path path) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = newCallState(arena);
            MemorySegment stx = arena.allocate(STATX_SIZE, 8);
            int rc = (int) StatxCall.H.invokeExact(state, AT_FDCWD, arena.allocateFrom(path.toString()), 0, STATX_DIOALIGN, stx);
            if (rc != 0 || (stx.get(JAVA_INT, STX_MASK) & STATX_DIOALIGN) == 0) {
                return 0;
            }
            return stx.get(JAVA_INT, STX_DIO_OFFSET_ALIGN);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException(t);
    }
}
