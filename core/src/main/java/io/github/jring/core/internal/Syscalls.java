package io.github.jring.core.internal;

import io.github.jring.bindings.Uapi;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * jring's one native layer: the only place that links libc functions with {@code errno} captured by the linker
 * (jextract cannot capture it, and reading {@code errno} after the call from Java is unreliable because the JVM may
 * run native code in between), and the home of the calls only the ring itself makes: the three io_uring system calls
 * and the memory mapping of the rings.
 *
 * <p>Why one class: the capture layout, the reading of {@code errno} from it, the libc lookup and the handling of what
 * {@code invokeExact} declares are the same for every call, and six copies of them had drifted apart. The public
 * {@link io.github.jring.core.Posix} (the calls a ring's user needs: open, close, ioctl, eventfd ...) and
 * {@link Host} (diagnostics) declare their functions' signatures and link them with {@link #linkCapturingErrno}; the
 * io_uring calls stay here, internal, because no user should make them behind a ring's back.
 *
 * <p>Every method returns the kernel's convention: a non-negative result, or {@code -errno} on failure. Callers on a hot
 * path pass a preallocated capture segment ({@link #allocateErrnoState(Arena)}) so that no call allocates; the cold
 * overloads allocate one in a confined arena.
 *
 * <p>glibc's {@code syscall(long number, ...)} is variadic: the handles are built with
 * {@link Linker.Option#firstVariadicArg(int)} so that the caller follows the variadic calling convention, and every
 * variadic argument is passed as a 64-bit {@code long} (the register the kernel reads is 64 bits wide; an {@code int}
 * would leave its upper half undefined).
 *
 * <p>Not part of jring's API: this package is not exported.
 */
@SuppressWarnings("restricted") // FFM downcalls and reinterpretation of kernel memory are the point here
public final class Syscalls {

    // System call numbers, from the bindings (<asm/unistd_64.h>; io_uring's are 425/426/427 on every architecture).
    /** {@code __NR_io_uring_setup}. */
    public static final long NR_IO_URING_SETUP = Uapi.__NR_io_uring_setup();
    /** {@code __NR_io_uring_enter}. */
    public static final long NR_IO_URING_ENTER = Uapi.__NR_io_uring_enter();
    /** {@code __NR_io_uring_register}. */
    public static final long NR_IO_URING_REGISTER = Uapi.__NR_io_uring_register();

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();

    /** The layout of the linker's call-state capture area (holds {@code errno}). */
    public static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    // long syscall(long number, ...): all variadic arguments as long.
    private static final MethodHandle SYSCALL2 = LINKER.downcallHandle(find("syscall"),
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
            Linker.Option.firstVariadicArg(1), CAPTURE_ERRNO);
    private static final MethodHandle SYSCALL4 = LINKER.downcallHandle(find("syscall"),
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
            Linker.Option.firstVariadicArg(1), CAPTURE_ERRNO);
    private static final FunctionDescriptor SYSCALL6_TYPE = FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG,
            JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG);
    private static final MethodHandle SYSCALL6 = LINKER.downcallHandle(find("syscall"), SYSCALL6_TYPE,
            Linker.Option.firstVariadicArg(1), CAPTURE_ERRNO);
    /**
     * {@code syscall} as a critical function: no thread-state transition around the call (about 12 ns less per call
     * here), and no errno capture (about 3.5 ns less: the capturing stub stores errno after every call, failed or
     * not). Only for {@code io_uring_enter} calls that cannot wait: the JVM cannot reach a safepoint while the thread
     * is in such a call, so one that slept would stall every other thread at the next garbage collection. See
     * {@link #ioUringSubmit} for how a failure still gets its errno.
     */
    private static final MethodHandle SYSCALL6_CRITICAL = LINKER.downcallHandle(find("syscall"), SYSCALL6_TYPE,
            Linker.Option.firstVariadicArg(1), Linker.Option.critical(false));

    // void *mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset)
    private static final MethodHandle MMAP = LINKER.downcallHandle(find("mmap"),
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG), CAPTURE_ERRNO);
    // int munmap(void *addr, size_t length)
    private static final MethodHandle MUNMAP = LINKER.downcallHandle(find("munmap"),
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG), CAPTURE_ERRNO);
    // int close(int fd)
    private static final MethodHandle CLOSE = LINKER.downcallHandle(find("close"),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT), CAPTURE_ERRNO);

    // int getpagesize(void): the page size mmap works in (and the kernel pins NO_MMAP ring memory in).
    private static final MethodHandle GETPAGESIZE = LINKER.downcallHandle(find("getpagesize"),
            FunctionDescriptor.of(JAVA_INT));
    private static final long PAGE_SIZE = pageSize0();

    /** {@code MAP_FAILED}, {@code (void *) -1}. */
    private static final long MAP_FAILED = -1L;

    private Syscalls() {
    }

    private static long pageSize0() {
        try {
            return (int) GETPAGESIZE.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * The system's page size ({@code getpagesize()}), read once.
     *
     * @return bytes per page
     */
    public static long pageSize() {
        return PAGE_SIZE;
    }

    static MemorySegment find(String symbol) {
        return LIBC.find(symbol).orElseThrow(() -> new UnsatisfiedLinkError("libc symbol not found: " + symbol));
    }

    /**
     * Links a libc function with {@code errno} captured: the handle takes a capture area (see
     * {@link #allocateErrnoState(Arena)}) as its first parameter, before the function's own.
     *
     * @param symbol     the libc function
     * @param descriptor its C signature
     * @param options    more linker options, such as {@link Linker.Option#firstVariadicArg(int)}
     * @return the downcall handle
     * @throws UnsatisfiedLinkError if libc has no such function
     */
    public static MethodHandle linkCapturingErrno(String symbol, FunctionDescriptor descriptor,
                                                  Linker.Option... options) {
        Linker.Option[] all = new Linker.Option[options.length + 1];
        all[0] = CAPTURE_ERRNO;
        System.arraycopy(options, 0, all, 1, options.length);
        return LINKER.downcallHandle(find(symbol), descriptor, all);
    }

    /**
     * Links a libc function without capturing {@code errno}, for calls that cannot fail or whose failure is learnt
     * another way (a repeat through a capturing handle, as {@link #ioUringSubmit} does).
     *
     * @param symbol     the libc function
     * @param descriptor its C signature
     * @param options    more linker options
     * @return the downcall handle
     * @throws UnsatisfiedLinkError if libc has no such function
     */
    public static MethodHandle link(String symbol, FunctionDescriptor descriptor, Linker.Option... options) {
        return LINKER.downcallHandle(find(symbol), descriptor, options);
    }

    /**
     * Links a libc function that not every libc has, without capturing {@code errno}.
     *
     * @param symbol     the libc function
     * @param descriptor its C signature
     * @return the downcall handle, or {@code null} when libc has no such function
     */
    public static MethodHandle linkIfPresent(String symbol, FunctionDescriptor descriptor) {
        return LIBC.find(symbol).map(a -> LINKER.downcallHandle(a, descriptor)).orElse(null);
    }

    /**
     * Allocates a capture area for {@code errno} in the given arena, to be reused by one thread at a time.
     *
     * @param arena the arena that owns the area
     * @return a segment with the layout {@link #CAPTURE_LAYOUT}
     */
    public static MemorySegment allocateErrnoState(Arena arena) {
        return arena.allocate(CAPTURE_LAYOUT);
    }

    /**
     * Reads the {@code errno} captured by the last call that used this capture area.
     *
     * @param state a capture area from {@link #allocateErrnoState(Arena)}
     * @return the captured errno
     */
    public static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    /**
     * The kernel's convention for a libc call's return value: {@code ret} itself, or {@code -errno} when it is
     * negative.
     *
     * @param ret   what the call returned
     * @param state the capture area the call used
     * @return {@code ret}, or {@code -errno}
     */
    public static int result(long ret, MemorySegment state) {
        return ret < 0 ? -errno(state) : (int) ret;
    }

    /**
     * What to throw for a {@link Throwable} caught around {@code invokeExact}: downcall handles throw nothing checked,
     * so a runtime exception or an error is thrown as it is.
     *
     * @param t what the call threw
     * @return the exception to throw
     */
    public static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException("unexpected exception from a native call", t);
    }

    /**
     * {@code io_uring_setup(2)}.
     *
     * @param state   errno capture area
     * @param entries requested SQ entries
     * @param params  address of a {@code struct io_uring_params}, read and written by the kernel
     * @return the ring fd, or {@code -errno}
     */
    public static int ioUringSetup(MemorySegment state, int entries, long params) {
        try {
            return result((long) SYSCALL2.invokeExact(state, NR_IO_URING_SETUP, (long) entries, params), state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * {@code io_uring_enter2(2)}: {@code io_uring_enter(fd, toSubmit, minComplete, flags, arg, argSize)}.
     *
     * @param state       errno capture area (preallocated: this is the hot path)
     * @param fd          the ring fd, or its registered index with {@code IORING_ENTER_REGISTERED_RING}
     * @param toSubmit    number of SQEs to submit
     * @param minComplete completions to wait for with {@code IORING_ENTER_GETEVENTS}
     * @param flags       {@code IORING_ENTER_*} flags
     * @param arg         a signal mask or, with {@code IORING_ENTER_EXT_ARG}, a {@code struct io_uring_getevents_arg}
     * @param argSize     size of what {@code arg} points to
     * @return the number of SQEs consumed, or {@code -errno}
     */
    public static int ioUringEnter(MemorySegment state, int fd, int toSubmit, int minComplete, int flags, long arg,
                                   long argSize) {
        try {
            return result((long) SYSCALL6.invokeExact(state, NR_IO_URING_ENTER, (long) fd,
                    Integer.toUnsignedLong(toSubmit), Integer.toUnsignedLong(minComplete),
                    Integer.toUnsignedLong(flags), arg, argSize), state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * {@code io_uring_enter(2)} for a call that submits and does not wait: neither {@code IORING_ENTER_GETEVENTS} nor
     * {@code IORING_ENTER_SQ_WAIT} in {@code flags}. The kernel issues each request without blocking (it hands one
     * that would block to its io-wq workers), so the call is short, and it is made as a critical downcall (see
     * {@link Linker.Option#critical(boolean)}) that does not capture errno. {@code io_uring_enter} fails only when it
     * consumed no entry (otherwise it returns the number consumed), so a failed call is repeated through the capturing
     * handle and reports that call's outcome: the same error, or success if its cause (an {@code EAGAIN}, say) has
     * passed in between. Errors are rare; the capture would cost every call.
     *
     * @param state    errno capture area
     * @param fd       the ring fd (or registered index with {@code IORING_ENTER_REGISTERED_RING})
     * @param toSubmit SQEs to submit
     * @param flags    {@code IORING_ENTER_*} flags, without GETEVENTS or SQ_WAIT
     * @return the number of SQEs consumed, or {@code -errno}
     */
    public static int ioUringSubmit(MemorySegment state, int fd, int toSubmit, int flags) {
        try {
            long ret = (long) SYSCALL6_CRITICAL.invokeExact(NR_IO_URING_ENTER, (long) fd,
                    Integer.toUnsignedLong(toSubmit), 0L, Integer.toUnsignedLong(flags), 0L, 0L);
            if (ret >= 0) {
                return (int) ret;
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
        return ioUringEnter(state, fd, toSubmit, 0, flags, 0L, 0L); // the same call again, capturing its errno
    }

    /**
     * {@code io_uring_register(2)}.
     *
     * @param state  errno capture area
     * @param fd     the ring fd
     * @param opcode an {@code IORING_REGISTER_*} opcode
     * @param arg    address of the opcode's argument, or 0
     * @param nrArgs the opcode's count argument
     * @return the opcode's result, or {@code -errno}
     */
    public static int ioUringRegister(MemorySegment state, int fd, int opcode, long arg, int nrArgs) {
        try {
            return result((long) SYSCALL4.invokeExact(state, NR_IO_URING_REGISTER, (long) fd,
                    Integer.toUnsignedLong(opcode), arg, Integer.toUnsignedLong(nrArgs)), state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * Like {@link #ioUringRegister(MemorySegment, int, int, long, int)} with a temporary capture area.
     *
     * @param fd     the ring fd
     * @param opcode an {@code IORING_REGISTER_*} opcode
     * @param arg    address of the opcode's argument, or 0
     * @param nrArgs the opcode's count argument
     * @return the opcode's result, or {@code -errno}
     */
    public static int ioUringRegister(int fd, int opcode, long arg, int nrArgs) {
        try (Arena arena = Arena.ofConfined()) {
            return ioUringRegister(allocateErrnoState(arena), fd, opcode, arg, nrArgs);
        }
    }

    /**
     * {@code mmap(NULL, length, prot, flags, fd, offset)}.
     *
     * @param state  errno capture area
     * @param length bytes to map
     * @param prot   {@code PROT_*}
     * @param flags  {@code MAP_*}
     * @param fd     file to map
     * @param offset offset in the file (for io_uring: {@code IORING_OFF_*})
     * @return the address, or {@code -errno} (a valid mapping address is never in {@code [-4095, -1]})
     */
    public static long mmap(MemorySegment state, long length, int prot, int flags, int fd, long offset) {
        try {
            MemorySegment p = (MemorySegment) MMAP.invokeExact(state, MemorySegment.NULL, length, prot, flags, fd,
                    offset);
            return p.address() == MAP_FAILED ? -errno(state) : p.address();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * {@code munmap(addr, length)}.
     *
     * @param state  errno capture area
     * @param addr   start of the mapping
     * @param length its length
     * @return 0, or {@code -errno}
     */
    public static int munmap(MemorySegment state, long addr, long length) {
        try {
            return result((int) MUNMAP.invokeExact(state, MemorySegment.ofAddress(addr), length), state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * {@code close(fd)}.
     *
     * @param state errno capture area
     * @param fd    the descriptor
     * @return 0, or {@code -errno}
     */
    public static int close(MemorySegment state, int fd) {
        try {
            return result((int) CLOSE.invokeExact(state, fd), state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }
}
