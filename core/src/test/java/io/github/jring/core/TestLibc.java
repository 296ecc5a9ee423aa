package io.github.jring.core;

import io.github.jring.bindings.Uapi;
import io.github.jring.bindings.sockaddr_in;

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
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * libc calls the tests need to get file descriptors and check results independently of the ring, with errno
 * captured so a failure names its cause.
 */
@SuppressWarnings("restricted") // FFM downcalls and reinterpretation of kernel memory are the point here
final class TestLibc {

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CCS = Linker.Option.captureCallState("errno");

    private static MethodHandle h(String name, FunctionDescriptor fd, Linker.Option... opts) {
        Linker.Option[] all = new Linker.Option[opts.length + 1];
        all[0] = CCS;
        System.arraycopy(opts, 0, all, 1, opts.length);
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), fd, all);
    }

    private static final MethodHandle OPEN = h("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
            Linker.Option.firstVariadicArg(2));
    private static final MethodHandle CLOSE = h("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle PIPE2 = h("pipe2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle READ = h("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle WRITE = h("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle SOCKET = h("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle BIND = h("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle LISTEN = h("listen", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle GETSOCKNAME = h("getsockname",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle CONNECT = h("connect", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle ACCEPT = h("accept", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle FCNTL = h("fcntl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT),
            Linker.Option.firstVariadicArg(2));

    private static final MethodHandle FALLOCATE = h("fallocate",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG));

    private TestLibc() {
    }

    private static int check(String what, long ret, MemorySegment state) throws ErrnoException {
        if (ret < 0) {
            throw new ErrnoException(what, (int) ERRNO.get(state, 0L));
        }
        return (int) ret;
    }

    static int open(Path path, int flags, int mode) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            return check("open " + path, (int) OPEN.invokeExact(st, a.allocateFrom(path.toString()), flags, mode), st);
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static void close(int fd) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            check("close", (int) CLOSE.invokeExact(st, fd), st);
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** Closes, ignoring errors (for cleanup). */
    static void closeQuietly(int fd) {
        if (fd >= 0) {
            try {
                close(fd);
            } catch (ErrnoException ignored) {
                // cleanup
            }
        }
    }

    /** pipe2(fds, flags): returns {read end, write end}. */
    static int[] pipe(int flags) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            MemorySegment fds = a.allocate(JAVA_INT, 2);
            check("pipe2", (int) PIPE2.invokeExact(st, fds, flags), st);
            return new int[] {fds.get(JAVA_INT, 0), fds.get(JAVA_INT, 4)};
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static int read(int fd, MemorySegment buf) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            return check("read", (long) READ.invokeExact(st, fd, buf, buf.byteSize()), st);
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static int write(int fd, MemorySegment buf) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            return check("write", (long) WRITE.invokeExact(st, fd, buf, buf.byteSize()), st);
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static int write(int fd, byte[] data) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            return write(fd, a.allocateFrom(JAVA_BYTE, data));
        }
    }

    /** fallocate(2): 0, or -errno (so a test can tell an unsupported file system apart). */
    static int fallocate(int fd, int mode, long offset, long len) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            int r = (int) FALLOCATE.invokeExact(st, fd, mode, offset, len);
            return r < 0 ? -(int) ERRNO.get(st, 0L) : r;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static void setNonBlocking(int fd) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            int fl = check("fcntl F_GETFL", (int) FCNTL.invokeExact(st, fd, Uapi.F_GETFL(), 0), st);
            check("fcntl F_SETFL", (int) FCNTL.invokeExact(st, fd, Uapi.F_SETFL(), fl | Uapi.O_NONBLOCK()), st);
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static int socket(int domain, int type, int protocol) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            return check("socket", (int) SOCKET.invokeExact(st, domain, type, protocol), st);
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** A sockaddr_in for 127.0.0.1:port in {@code arena}. */
    static MemorySegment loopback(Arena arena, int port) {
        MemorySegment sa = arena.allocate(sockaddr_in.layout());
        sockaddr_in.sin_family(sa, (short) Uapi.AF_INET());
        // sin_port and sin_addr are in network byte order (big-endian).
        sa.set(JAVA_SHORT.withOrder(java.nio.ByteOrder.BIG_ENDIAN), sockaddr_in.sin_port$offset(), (short) port);
        sa.set(JAVA_INT.withOrder(java.nio.ByteOrder.BIG_ENDIAN), sockaddr_in.sin_addr$offset(),
                Uapi.INADDR_LOOPBACK());
        return sa;
    }

    static int port(MemorySegment sockaddrIn) {
        return Short.toUnsignedInt(sockaddrIn.get(JAVA_SHORT.withOrder(java.nio.ByteOrder.BIG_ENDIAN),
                sockaddr_in.sin_port$offset()));
    }

    /** A TCP socket listening on 127.0.0.1 on an ephemeral port: returns {fd, port}. */
    static int[] listenLoopback() throws ErrnoException {
        int fd = socket(Uapi.AF_INET(), Uapi.SOCK_STREAM(), 0);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            MemorySegment sa = loopback(a, 0);
            check("bind", (int) BIND.invokeExact(st, fd, sa, (int) sa.byteSize()), st);
            check("listen", (int) LISTEN.invokeExact(st, fd, 16), st);
            MemorySegment len = a.allocateFrom(JAVA_INT, (int) sa.byteSize());
            check("getsockname", (int) GETSOCKNAME.invokeExact(st, fd, sa, len), st);
            return new int[] {fd, port(sa)};
        } catch (ErrnoException e) {
            closeQuietly(fd);
            throw e;
        } catch (Throwable t) {
            closeQuietly(fd);
            throw new AssertionError(t);
        }
    }

    static int connectLoopback(int port) throws ErrnoException {
        int fd = socket(Uapi.AF_INET(), Uapi.SOCK_STREAM(), 0);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            MemorySegment sa = loopback(a, port);
            check("connect", (int) CONNECT.invokeExact(st, fd, sa, (int) sa.byteSize()), st);
            return fd;
        } catch (ErrnoException e) {
            closeQuietly(fd);
            throw e;
        } catch (Throwable t) {
            closeQuietly(fd);
            throw new AssertionError(t);
        }
    }

    static int accept(int fd) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            return check("accept", (int) ACCEPT.invokeExact(st, fd, MemorySegment.NULL, MemorySegment.NULL), st);
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** A connected TCP pair over 127.0.0.1: {client, server}. */
    static int[] tcpPair() throws ErrnoException {
        int[] l = listenLoopback();
        try {
            int c = connectLoopback(l[1]);
            int s = accept(l[0]);
            return new int[] {c, s};
        } finally {
            closeQuietly(l[0]);
        }
    }
}
