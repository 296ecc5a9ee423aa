package io.github.jring.core;

import io.github.jring.bindings.Uapi;
import io.github.jring.bindings.iovec;
import io.github.jring.bindings.msghdr;
import io.github.jring.core.internal.Syscalls;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * A send buffer for zero-copy sends ({@code IORING_OP_SEND_ZC}, Linux 6.0; {@code IORING_OP_SENDMSG_ZC}, 6.1) that
 * keeps their rule: <em>the buffer is the kernel's until the notification</em>.
 *
 * <p>A zero-copy send posts two completions with the request's {@code user_data}, in this order:
 * <ol>
 * <li>the result: {@code res} is the bytes sent (or {@code -errno}), and {@link Cqe#hasMore()} says that a
 *     notification follows (it does whenever the kernel got as far as pinning the data, failures included);</li>
 * <li>the notification ({@link Cqe#isNotification()}, {@code res} 0, or with {@code IORING_SEND_ZC_REPORT_USAGE}
 *     (6.2) {@code IORING_NOTIF_USAGE_ZC_COPIED} if the stack copied the data after all): the network stack has
 *     let go of the pages.</li>
 * </ol>
 * Between the two the data may still be read by the device or the stack (on loopback, until the receiver has read
 * it). So this type refuses, with {@link IllegalStateException}, to hand out {@link #buffer()}, to prepare another
 * send, or to free the memory ({@link #close()}) from the moment a send is prepared until {@link #complete(Cqe)} has
 * seen the notification, or a result without {@link Cqe#hasMore()}.
 *
 * <p>Before Linux 6.16, a ring that has posted a notification never releases a request flagged
 * {@code IOSQE_IO_DRAIN} (the kernel's drain sequence does not count notifications; fixed by commit 8fb7aee05591,
 * "io_uring: drain based on allocates reqs"): on such kernels, do not use {@code IOSQE_IO_DRAIN} on a ring that sends
 * with zero copy. {@link IoUring#close()} knows this and drains by its own count there.
 * {@snippet :
 * try (ZeroCopySend zc = ZeroCopySend.allocate(64 * 1024)) {
 *     zc.buffer().copyFrom(data);                           // fill while released
 *     zc.prepSend(ring, socket, (int) data.byteSize(), 0, 0).userData(9);
 *     ring.submit();
 *     while (!zc.isReleased()) {
 *         Cqe cqe = ring.waitCqe();                         // (route by user_data in a real loop)
 *         zc.complete(cqe);
 *         ring.cqeSeen(cqe);
 *     }
 *     int sent = zc.result();                               // now zc.buffer() may be refilled
 * }
 * }
 * Owns its memory (page-aligned, in an arena of its own), including a {@code msghdr} and one {@code iovec} for
 * {@link #prepSendmsg}; preparing and completing allocate nothing. Not thread-safe: one send at a time.
 */
public final class ZeroCopySend implements AutoCloseable {

    private static final int NOTIF_USAGE_ZC_COPIED = Uapi.IORING_NOTIF_USAGE_ZC_COPIED();

    private enum State { RELEASED, AWAITING_RESULT, AWAITING_NOTIFICATION }

    private final Arena arena;
    private final MemorySegment buffer;
    private final MemorySegment msg;
    private final MemorySegment iov;
    private State state = State.RELEASED;
    private int result;
    private boolean copied;
    private boolean closed;

    private ZeroCopySend(long capacity) {
        Arena a = Arena.ofShared();
        try {
            this.buffer = a.allocate(capacity, Syscalls.pageSize());
            this.iov = a.allocate(iovec.layout());
            this.msg = a.allocate(msghdr.layout());
        } catch (RuntimeException e) {
            a.close();
            throw e;
        }
        this.arena = a;
        iovec.iov_base(iov, buffer);
        msghdr.msg_iov(msg, iov);
        msghdr.msg_iovlen(msg, 1L);
    }

    /**
     * Allocates a send buffer of {@code capacity} bytes.
     *
     * @param capacity bytes, 1 to {@code Integer.MAX_VALUE}
     * @return a released buffer, zeroed
     */
    public static ZeroCopySend allocate(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        }
        return new ZeroCopySend(capacity);
    }

    /**
     * The buffer, to fill before a send.
     *
     * @return the whole buffer
     * @throws IllegalStateException while a send may still read it (prepared, and its notification not yet seen),
     *                               or if closed
     */
    public MemorySegment buffer() {
        checkReleased("the buffer is handed out");
        return buffer;
    }

    /**
     * Takes an entry from {@code ring} and prepares it as {@code IORING_OP_SEND_ZC} of the buffer's first
     * {@code length} bytes ({@link Sqe#prepSendZc(int, long, int, int, int)}). Set its {@code user_data}, submit it,
     * and route both completions to {@link #complete(Cqe)}. The checks come before the entry is taken, so a refusal
     * leaves the ring untouched.
     *
     * @param ring     the ring to submit on
     * @param fd       socket
     * @param length   bytes to send, 1 to the capacity
     * @param msgFlags {@code MSG_*}
     * @param zcFlags  {@code IORING_RECVSEND_POLL_FIRST}, {@code IORING_SEND_ZC_REPORT_USAGE}
     * @return the prepared entry, or null if the SQ is full (nothing changed)
     * @throws IllegalStateException if the previous send's notification has not been seen, or if closed
     */
    public Sqe prepSend(IoUring ring, int fd, int length, int msgFlags, int zcFlags) {
        checkReleased("another send is prepared");
        checkLength(length);
        Sqe sqe = ring.getSqe();
        if (sqe == null) {
            return null;
        }
        sqe.prepSendZc(fd, buffer.address(), length, msgFlags, zcFlags);
        started();
        return sqe;
    }

    /**
     * Takes an entry from {@code ring} and prepares it as {@code IORING_OP_SENDMSG_ZC} of the buffer's first
     * {@code length} bytes, through this object's own {@code msghdr} (one {@code iovec}, no address, no control
     * data); otherwise as {@link #prepSend}.
     *
     * @param ring     the ring to submit on
     * @param fd       socket
     * @param length   bytes to send, 1 to the capacity
     * @param msgFlags {@code MSG_*}
     * @param zcFlags  {@code IORING_RECVSEND_POLL_FIRST}, {@code IORING_SEND_ZC_REPORT_USAGE}
     * @return the prepared entry, or null if the SQ is full (nothing changed)
     * @throws IllegalStateException if the previous send's notification has not been seen, or if closed
     */
    public Sqe prepSendmsg(IoUring ring, int fd, int length, int msgFlags, int zcFlags) {
        checkReleased("another send is prepared");
        checkLength(length);
        Sqe sqe = ring.getSqe();
        if (sqe == null) {
            return null;
        }
        iovec.iov_len(iov, length);
        sqe.prepSendmsgZc(fd, msg, msgFlags, zcFlags);
        started();
        return sqe;
    }

    /**
     * Accounts for one completion of the send prepared last: first its result, then its notification.
     *
     * @param cqe a completion with the send's {@code user_data}
     * @return true if the buffer is now released (the notification, or a result that announces none)
     * @throws IllegalStateException if no send is awaiting a completion, or if a result arrives where the
     *                               notification is due
     */
    public boolean complete(Cqe cqe) {
        switch (state) {
            case AWAITING_RESULT -> {
                if (cqe.isNotification()) {
                    throw new IllegalStateException("a notification before the send's result: " + cqe);
                }
                result = cqe.res();
                state = cqe.hasMore() ? State.AWAITING_NOTIFICATION : State.RELEASED;
            }
            case AWAITING_NOTIFICATION -> {
                if (!cqe.isNotification()) {
                    throw new IllegalStateException("the send's notification is due, not " + cqe);
                }
                copied = (cqe.res() & NOTIF_USAGE_ZC_COPIED) != 0;
                state = State.RELEASED;
            }
            case RELEASED -> throw new IllegalStateException("no zero-copy send is awaiting a completion: " + cqe);
        }
        return state == State.RELEASED;
    }

    /**
     * Whether the buffer is the application's: no send prepared, or the last one's notification seen (or a result
     * that announced none).
     *
     * @return true when {@link #buffer()} may be used
     */
    public boolean isReleased() {
        return state == State.RELEASED;
    }

    /**
     * Whether the last send's result has been seen and its notification is still due.
     *
     * @return true between the two completions
     */
    public boolean awaitsNotification() {
        return state == State.AWAITING_NOTIFICATION;
    }

    /**
     * The last send's result: bytes sent, or {@code -errno}.
     *
     * @return {@code res} of its first completion
     */
    public int result() {
        return result;
    }

    /**
     * Whether the last notification reported {@code IORING_NOTIF_USAGE_ZC_COPIED}: the stack copied the data after
     * all (loopback does), so zero copy bought nothing. Only reported for sends with
     * {@code IORING_SEND_ZC_REPORT_USAGE} (Linux 6.2).
     *
     * @return true if copied
     */
    public boolean copied() {
        return copied;
    }

    /**
     * The capacity in bytes.
     *
     * @return the buffer's size
     */
    public long capacity() {
        return buffer.byteSize();
    }

    /**
     * Frees the memory. Idempotent.
     *
     * @throws IllegalStateException while a send may still read the buffer
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        checkReleased("it cannot be freed");
        closed = true;
        arena.close();
    }

    private void started() {
        state = State.AWAITING_RESULT;
        result = 0;
        copied = false;
    }

    private void checkLength(int length) {
        Objects.checkFromIndexSize(0, length, buffer.byteSize());
        if (length == 0) {
            throw new IllegalArgumentException("length must be at least 1");
        }
    }

    private void checkReleased(String what) {
        if (closed) {
            throw new IllegalStateException("zero-copy send buffer is closed");
        }
        if (state != State.RELEASED) {
            throw new IllegalStateException("the kernel may still read this zero-copy send buffer ("
                    + (state == State.AWAITING_RESULT ? "its send has not completed" : "its notification is due")
                    + "): " + what + " only after the notification");
        }
    }
}
