package io.github.jring.examples;

import io.github.jring.bindings.Uapi;
import io.github.jring.bindings.sockaddr_in;
import io.github.jring.core.ErrnoException;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * The few libc calls the cookbook needs to get file descriptors (Java has no public way to hand one out), written as
 * an application would write them: FFM downcalls with {@code errno} captured by the linker, failing with jring's
 * {@link ErrnoException}. jring itself never needs these: the ring and the NVMe module open what they use.
 */
@SuppressWarnings("restricted") // javac's -Xlint flags every downcall handle; making them is this class's job
public final class Posix {

    // snippet:errno-capture
    private static final Linker LINKER = Linker.nativeLinker();
    /** Where the linker saves errno right after the call, before the JVM can run anything that changes it. */
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    // int open(const char *path, int flags, ...): variadic, the mode is its one variadic argument.
    private static final MethodHandle OPEN = LINKER.downcallHandle(
            LINKER.defaultLookup().find("open").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
            Linker.Option.firstVariadicArg(2), CAPTURE_ERRNO);

    /**
     * {@code open(path, flags, mode)}.
     *
     * @param path  the file
     * @param flags {@code O_*} flags ({@code Uapi.O_RDWR()} ...)
     * @param mode  permissions for a created file, e.g. {@code 0644}
     * @return the file descriptor
     * @throws ErrnoException naming the errno, e.g. {@code "open /x: ENOENT (No such file or directory)"}
     */
    public static int open(Path path, int flags, int mode) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);        // the call writes errno here
            MemorySegment cPath = arena.allocateFrom(path.toString()); // NUL-terminated UTF-8 copy
            int fd = (int) OPEN.invokeExact(state, cPath, flags, mode);
            if (fd < 0) {
                throw new ErrnoException("open " + path, (int) ERRNO.get(state, 0L));
            }
            return fd;
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {                  // invokeExact is declared to throw Throwable
            throw new IllegalStateException(t);
        }
    }
    // end:errno-capture

    // The generated bindings know close's address and C signature; adding the capture option is all it takes.
    private static final MethodHandle CLOSE = LINKER.downcallHandle(Uapi.close$address(), Uapi.close$descriptor(),
            CAPTURE_ERRNO);
    private static final MethodHandle PIPE2 = LINKER.downcallHandle(Uapi.pipe2$address(), Uapi.pipe2$descriptor(),
            CAPTURE_ERRNO);
    private static final MethodHandle SOCKET = LINKER.downcallHandle(Uapi.socket$address(), Uapi.socket$descriptor(),
            CAPTURE_ERRNO);
    private static final MethodHandle BIND = LINKER.downcallHandle(Uapi.bind$address(), Uapi.bind$descriptor(),
            CAPTURE_ERRNO);
    private static final MethodHandle CONNECT = LINKER.downcallHandle(Uapi.connect$address(),
            Uapi.connect$descriptor(), CAPTURE_ERRNO);
    private static final MethodHandle GETSOCKNAME = LINKER.downcallHandle(Uapi.getsockname$address(),
            Uapi.getsockname$descriptor(), CAPTURE_ERRNO);

    private Posix() {
    }

    private static int check(String what, int ret, MemorySegment state) throws ErrnoException {
        if (ret < 0) {
            throw new ErrnoException(what, (int) ERRNO.get(state, 0L));
        }
        return ret;
    }

    /**
     * {@code close(fd)}.
     *
     * @param fd the descriptor
     * @throws ErrnoException if the kernel refuses
     */
    public static void close(int fd) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            check("close", (int) CLOSE.invokeExact(state, fd), state);
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * {@code pipe2(fds, flags)}.
     *
     * @param flags {@code O_CLOEXEC}, {@code O_NONBLOCK} or 0
     * @return {read end, write end}
     * @throws ErrnoException if the kernel refuses
     */
    public static int[] pipe(int flags) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            MemorySegment fds = arena.allocate(JAVA_INT, 2);
            check("pipe2", (int) PIPE2.invokeExact(state, fds, flags), state);
            return new int[] {fds.getAtIndex(JAVA_INT, 0), fds.getAtIndex(JAVA_INT, 1)};
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * A UDP socket bound to 127.0.0.1 on a port the kernel picks and connected to itself, so that what it sends it
     * receives.
     *
     * @return the socket
     * @throws ErrnoException if a call fails
     */
    public static int udpLoopbackToSelf() throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            int fd = check("socket", (int) SOCKET.invokeExact(state, Uapi.AF_INET(), Uapi.SOCK_DGRAM(), 0), state);
            MemorySegment addr = arena.allocate(sockaddr_in.layout());
            sockaddr_in.sin_family(addr, (short) Uapi.AF_INET());
            // sin_addr is in network byte order (big-endian); port 0 lets the kernel pick one.
            addr.set(JAVA_INT.withOrder(ByteOrder.BIG_ENDIAN), sockaddr_in.sin_addr$offset(), Uapi.INADDR_LOOPBACK());
            int len = (int) addr.byteSize();
            check("bind", (int) BIND.invokeExact(state, fd, addr, len), state);
            MemorySegment lenOut = arena.allocateFrom(JAVA_INT, len);
            check("getsockname", (int) GETSOCKNAME.invokeExact(state, fd, addr, lenOut), state);
            check("connect", (int) CONNECT.invokeExact(state, fd, addr, len), state);
            return fd;
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
