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
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/** The libc calls the async tests need to make file descriptors and check results without the ring. */
final class Libc {

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private static MethodHandle h(String name, FunctionDescriptor fd, Linker.Option... extra) {
        Linker.Option[] all = new Linker.Option[extra.length + 1];
        all[0] = Linker.Option.captureCallState("errno");
        System.arraycopy(extra, 0, all, 1, extra.length);
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), fd, all);
    }

    private static final MethodHandle OPEN = h("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
            Linker.Option.firstVariadicArg(2));
    private static final MethodHandle CLOSE = h("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle PIPE2 = h("pipe2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle READ = h("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle WRITE = h("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle SOCKETPAIR = h("socketpair",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));

    private Libc() {
    }

    @FunctionalInterface
    private interface Call {
        long invoke(MemorySegment state, Arena arena) throws Throwable;
    }

    private static long call(String what, Call c) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            long r = c.invoke(st, a);
            if (r < 0) {
                throw new ErrnoException(what, (int) ERRNO.get(st, 0L));
            }
            return r;
        } catch (ErrnoException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static int open(Path path, int flags, int mode) throws ErrnoException {
        return (int) call("open " + path, (st, a) -> (int) OPEN.invokeExact(st, a.allocateFrom(path.toString()), flags,
                mode));
    }

    static void close(int fd) throws ErrnoException {
        call("close", (st, a) -> (int) CLOSE.invokeExact(st, fd));
    }

    static void closeQuietly(int... fds) {
        for (int fd : fds) {
            if (fd >= 0) {
                try {
                    close(fd);
                } catch (ErrnoException ignored) {
                    // cleanup
                }
            }
        }
    }

    /** {read end, write end}. */
    static int[] pipe() throws ErrnoException {
        int[] out = new int[2];
        call("pipe2", (st, a) -> {
            MemorySegment fds = a.allocate(JAVA_INT, 2);
            int r = (int) PIPE2.invokeExact(st, fds, 0);
            out[0] = fds.get(JAVA_INT, 0);
            out[1] = fds.get(JAVA_INT, 4);
            return r;
        });
        return out;
    }

    /** A connected AF_UNIX stream pair. */
    static int[] socketPair(int domain, int type) throws ErrnoException {
        int[] out = new int[2];
        call("socketpair", (st, a) -> {
            MemorySegment fds = a.allocate(JAVA_INT, 2);
            int r = (int) SOCKETPAIR.invokeExact(st, domain, type, 0, fds);
            out[0] = fds.get(JAVA_INT, 0);
            out[1] = fds.get(JAVA_INT, 4);
            return r;
        });
        return out;
    }

    static int write(int fd, byte[] data) throws ErrnoException {
        return (int) call("write", (st, a) -> (long) WRITE.invokeExact(st, fd, a.allocateFrom(JAVA_BYTE, data),
                (long) data.length));
    }

    static byte[] read(int fd, int max) throws ErrnoException {
        byte[][] out = new byte[1][];
        call("read", (st, a) -> {
            MemorySegment buf = a.allocate(max);
            long n = (long) READ.invokeExact(st, fd, buf, (long) max);
            if (n >= 0) {
                out[0] = buf.asSlice(0, n).toArray(JAVA_BYTE);
            }
            return n;
        });
        return out[0];
    }
}
