package io.github.jring.core;

import io.github.jring.bindings.Uapi;
import io.github.jring.bindings.io_uring_cqe;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * A completion queue entry: a flyweight over one slot of the ring's CQ ({@code struct io_uring_cqe}, 16 bytes, or
 * 32 with {@code IORING_SETUP_CQE32}, whose two extra 64-bit words are {@link #bigCqe0()} and {@link #bigCqe1()}).
 *
 * <p>A {@code Cqe} returned by {@link IoUring#peekCqe()}, {@link IoUring#waitCqe()} and friends is valid until the
 * CQ head is advanced past it ({@link IoUring#cqeSeen(Cqe)}, {@link IoUring#cqAdvance(int)}); after that the kernel
 * may overwrite the slot. Read what you need, then mark it seen. Each slot has its own {@code Cqe} object, created
 * once when the ring is set up, so reaping allocates nothing.
 *
 * <p>{@link #res()} is the operation's result: non-negative on success (bytes transferred, a new fd ...), or
 * {@code -errno}; {@link #throwIfError()} turns the latter into an {@link ErrnoException}.
 */
public final class Cqe {

    static final long USER_DATA = io_uring_cqe.user_data$offset();
    static final long RES = io_uring_cqe.res$offset();
    static final long FLAGS = io_uring_cqe.flags$offset();
    static final long BIG_CQE = io_uring_cqe.big_cqe$offset();
    /** Size of a plain CQE. */
    static final int CQE_SIZE = (int) io_uring_cqe.layout().byteSize();

    private static final int F_BUFFER = Uapi.IORING_CQE_F_BUFFER();
    private static final int F_MORE = Uapi.IORING_CQE_F_MORE();
    private static final int F_SOCK_NONEMPTY = Uapi.IORING_CQE_F_SOCK_NONEMPTY();
    private static final int F_NOTIF = Uapi.IORING_CQE_F_NOTIF();
    private static final int F_BUF_MORE = Uapi.IORING_CQE_F_BUF_MORE();
    private static final int BUFFER_SHIFT = Uapi.IORING_CQE_BUFFER_SHIFT();

    /** The CQ ring mapping. */
    private final MemorySegment mem;
    /** Offset of this slot in {@link #mem}. */
    private final long base;
    private final int index;
    private final boolean big;

    Cqe(MemorySegment cqRing, long cqesOffset, int index, int cqeSize) {
        this.mem = cqRing;
        this.index = index;
        this.base = cqesOffset + (long) index * cqeSize;
        this.big = cqeSize > CQE_SIZE;
    }

    /**
     * The {@code user_data} of the request, copied from its SQE.
     *
     * @return the value
     */
    public long userData() {
        return mem.get(JAVA_LONG, base + USER_DATA);
    }

    /**
     * The result: non-negative on success, {@code -errno} on failure. For NVMe passthrough a positive value is the
     * NVMe status of a failed command.
     *
     * @return the result
     */
    public int res() {
        return mem.get(JAVA_INT, base + RES);
    }

    /**
     * The {@code IORING_CQE_F_*} flags (and, with {@code IORING_CQE_F_BUFFER}, the buffer id in the upper 16 bits).
     *
     * @return the flags
     */
    public int flags() {
        return mem.get(JAVA_INT, base + FLAGS);
    }

    /**
     * The first extra 64-bit word of a 32-byte CQE ({@code big_cqe[0]}); for NVMe passthrough, the command's result
     * dword.
     *
     * @return the value
     * @throws IllegalStateException if the ring was not set up with {@code IORING_SETUP_CQE32}
     */
    public long bigCqe0() {
        checkBig();
        return mem.get(JAVA_LONG, base + BIG_CQE);
    }

    /**
     * The second extra 64-bit word of a 32-byte CQE ({@code big_cqe[1]}).
     *
     * @return the value
     * @throws IllegalStateException if the ring was not set up with {@code IORING_SETUP_CQE32}
     */
    public long bigCqe1() {
        checkBig();
        return mem.get(JAVA_LONG, base + BIG_CQE + Long.BYTES);
    }

    private void checkBig() {
        if (!big) {
            throw new IllegalStateException("big_cqe is only there on a ring set up with IORING_SETUP_CQE32 "
                    + "(IoUringBuilder.cqe32()); this ring has 16-byte CQEs");
        }
    }

    /**
     * Whether {@link #res()} is negative, i.e. the request failed with {@code -res} as errno.
     *
     * @return true on failure
     */
    public boolean isError() {
        return res() < 0;
    }

    /**
     * The errno of a failed request.
     *
     * @return {@code -res()} if negative, else 0
     */
    public int errno() {
        int r = res();
        return r < 0 ? -r : 0;
    }

    /**
     * Returns {@link #res()}, or throws if it is negative.
     *
     * @return the non-negative result
     * @throws ErrnoException with {@code errno == -res}, naming the {@code user_data}
     */
    public int throwIfError() throws ErrnoException {
        int r = res();
        if (r < 0) {
            throw new ErrnoException("io_uring request (user_data " + userData() + ")", -r);
        }
        return r;
    }

    /**
     * Returns {@link #res()}, or throws if it is negative.
     *
     * @param operation names the operation in the exception's message
     * @return the non-negative result
     * @throws ErrnoException with {@code errno == -res}
     */
    public int throwIfError(String operation) throws ErrnoException {
        int r = res();
        if (r < 0) {
            throw new ErrnoException(operation, -r);
        }
        return r;
    }

    /**
     * {@code IORING_CQE_F_MORE}: a multishot request will post more completions.
     *
     * @return the flag
     */
    public boolean hasMore() {
        return (flags() & F_MORE) != 0;
    }

    /**
     * {@code IORING_CQE_F_BUFFER}: {@link #bufferId()} holds the id of the provided buffer used.
     *
     * @return the flag
     */
    public boolean hasBuffer() {
        return (flags() & F_BUFFER) != 0;
    }

    /**
     * The provided-buffer id (upper 16 bits of the flags), meaningful if {@link #hasBuffer()}.
     *
     * @return the id
     */
    public int bufferId() {
        return flags() >>> BUFFER_SHIFT;
    }

    /**
     * {@code IORING_CQE_F_SOCK_NONEMPTY}: after a receive, more data is waiting in the socket.
     *
     * @return the flag
     */
    public boolean sockNonEmpty() {
        return (flags() & F_SOCK_NONEMPTY) != 0;
    }

    /**
     * {@code IORING_CQE_F_NOTIF}: a zero-copy send's notification that the buffer may be reused.
     *
     * @return the flag
     */
    public boolean isNotification() {
        return (flags() & F_NOTIF) != 0;
    }

    /**
     * {@code IORING_CQE_F_BUF_MORE} (Linux 6.12): on a buffer ring registered with {@code IOU_PBUF_RING_INC}, the
     * buffer {@link #bufferId()} was only partly filled and stays with the kernel, which puts the next data right
     * after this completion's bytes; see {@link BufferRing}.
     *
     * @return the flag
     */
    public boolean hasBufMore() {
        return (flags() & F_BUF_MORE) != 0;
    }

    /**
     * This entry's index in the CQ array.
     *
     * @return the slot index
     */
    public int index() {
        return index;
    }

    /**
     * Whether this ring's CQEs are 32 bytes ({@code IORING_SETUP_CQE32}).
     *
     * @return true for 32-byte CQEs
     */
    public boolean isBig() {
        return big;
    }

    @Override
    public String toString() {
        int r = res();
        return "Cqe[userData=" + userData() + ", res=" + r + (r < 0 ? " (" + Errno.name(r) + ")" : "") + ", flags=0x"
                + Integer.toHexString(flags()) + (big ? ", big=[" + bigCqe0() + ", " + bigCqe1() + "]" : "") + "]";
    }
}
