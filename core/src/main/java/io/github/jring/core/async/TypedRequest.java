package io.github.jring.core.async;

import io.github.jring.bindings.Uapi;
import io.github.jring.core.ErrnoException;
import io.github.jring.core.Sqe;

import java.lang.foreign.MemorySegment;

/**
 * The request behind {@link AsyncRing}'s typed futures for sockets, files and time ({@code accept}, {@code connect},
 * {@code send}, {@code recv}, {@code openat}, {@code closeFd}, {@code statx}, {@code timeout}, {@code splice}): one
 * object holding the operation's arguments and the memory it points to, which fills its SQE and completes with
 * {@code res}, or with an {@link ErrnoException} naming the operation when {@code res < 0}. A timeout that expires
 * ({@code -ETIME}) completes with 0: expiring is what it is for.
 */
final class TypedRequest extends RingRequest<Integer> {

    static final int ACCEPT = 0;
    static final int CONNECT = 1;
    static final int SEND = 2;
    static final int RECV = 3;
    static final int OPENAT = 4;
    static final int CLOSE = 5;
    static final int STATX = 6;
    static final int TIMEOUT = 7;
    static final int SPLICE = 8;

    private static final int ETIME = Uapi.ETIME();

    private final int op;
    private final int fd;
    private final int int0;
    private final int int1;
    private final int int2;
    private final long long0;
    private final long long1;
    /** Memory the kernel reads or writes, kept until the completion (the ring keeps this request). */
    private final MemorySegment mem0;
    private final MemorySegment mem1;

    private TypedRequest(int op, int fd, int int0, int int1, int int2, long long0, long long1, MemorySegment mem0,
                         MemorySegment mem1) {
        this.op = op;
        this.fd = fd;
        this.int0 = int0;
        this.int1 = int1;
        this.int2 = int2;
        this.long0 = long0;
        this.long1 = long1;
        this.mem0 = mem0;
        this.mem1 = mem1;
    }

    static TypedRequest accept(int fd, MemorySegment addr, MemorySegment addrLen, int flags) {
        return new TypedRequest(ACCEPT, fd, flags, 0, 0, 0, 0, addr, addrLen);
    }

    static TypedRequest connect(int fd, MemorySegment addr) {
        return new TypedRequest(CONNECT, fd, 0, 0, 0, 0, 0, addr, null);
    }

    static TypedRequest send(int fd, MemorySegment buf, int flags) {
        return new TypedRequest(SEND, fd, flags, 0, 0, 0, 0, buf, null);
    }

    static TypedRequest recv(int fd, MemorySegment buf, int flags) {
        return new TypedRequest(RECV, fd, flags, 0, 0, 0, 0, buf, null);
    }

    static TypedRequest openat(int dfd, MemorySegment path, int flags, int mode) {
        return new TypedRequest(OPENAT, dfd, flags, mode, 0, 0, 0, path, null);
    }

    static TypedRequest close(int fd) {
        return new TypedRequest(CLOSE, fd, 0, 0, 0, 0, 0, null, null);
    }

    static TypedRequest statx(int dfd, MemorySegment path, int flags, int mask, MemorySegment statxbuf) {
        return new TypedRequest(STATX, dfd, flags, mask, 0, 0, 0, path, statxbuf);
    }

    static TypedRequest timeout(MemorySegment ts) {
        return new TypedRequest(TIMEOUT, -1, 0, 0, 0, 0, 0, ts, null);
    }

    static TypedRequest splice(int fdIn, long offIn, int fdOut, long offOut, int nbytes, int flags) {
        return new TypedRequest(SPLICE, fdIn, fdOut, nbytes, flags, offIn, offOut, null, null);
    }

    @Override
    protected void prepare(Sqe sqe) {
        switch (op) {
            case ACCEPT -> sqe.prepAccept(fd, mem0, mem1, int0);
            case CONNECT -> sqe.prepConnect(fd, mem0);
            case SEND -> sqe.prepSend(fd, mem0, int0);
            case RECV -> sqe.prepRecv(fd, mem0, int0);
            case OPENAT -> sqe.prepOpenat(fd, mem0, int0, int1);
            case CLOSE -> sqe.prepClose(fd);
            case STATX -> sqe.prepStatx(fd, mem0, int0, int1, mem1);
            case TIMEOUT -> sqe.prepTimeout(mem0, 0, 0);
            case SPLICE -> sqe.prepSplice(fd, long0, int0, long1, int1, int2);
            default -> throw new AssertionError("op " + op);
        }
    }

    @Override
    protected void onCompletion(int res, int flags, long bigCqe0, long bigCqe1) {
        if (op == TIMEOUT && res == -ETIME) {
            complete(0);
        } else if (res < 0) {
            completeExceptionally(new ErrnoException(describe(), -res));
        } else {
            complete(res);
        }
    }

    @Override
    protected String describe() {
        return switch (op) {
            case ACCEPT -> "accept (fd " + fd + ")";
            case CONNECT -> "connect (fd " + fd + ")";
            case SEND -> "send (fd " + fd + ", " + mem0.byteSize() + " bytes)";
            case RECV -> "recv (fd " + fd + ", " + mem0.byteSize() + " bytes)";
            case OPENAT -> "openat (" + pathOf(mem0) + ")";
            case CLOSE -> "close (fd " + fd + ")";
            case STATX -> "statx (" + pathOf(mem0) + ")";
            case TIMEOUT -> "timeout";
            case SPLICE -> "splice (fd " + fd + " to fd " + int0 + ", " + Integer.toUnsignedString(int1) + " bytes)";
            default -> "request";
        };
    }

    private static String pathOf(MemorySegment path) {
        return path.scope().isAlive() ? "\"" + path.getString(0) + "\"" : "a path";
    }
}
