package io.github.jring.core.nio;

import java.nio.ByteBuffer;
import java.nio.channels.CompletionHandler;

/**
 * One operation of an {@link UringFileChannel}, from the call to the handler: pooled by its {@link ChannelRing} and
 * reused, so that an operation with a {@link CompletionHandler} and a direct buffer allocates nothing. It is also the
 * task handed to a channel's executor to run the handler ({@link #run()}), so that hand-off allocates nothing of
 * jring's either.
 */
final class ChannelOp implements Runnable {

    static final int READ = 0;
    static final int WRITE = 1;
    static final int FSYNC = 2;
    /** Already settled (a closed channel, an empty buffer, a lock taken elsewhere): only the handler is left. */
    static final int SETTLED = 3;
    /** {@code IORING_OP_ASYNC_CANCEL} of everything its closing channel has in the kernel; no handler. */
    static final int CANCEL = 4;

    final ChannelRing ring;
    /** The submission queue's link (see {@link ChannelRing#enqueue}). */
    ChannelOp next;

    int kind;
    UringFileChannel channel;
    ByteBuffer buffer;
    /** The buffer's position when the operation was made: the transfer starts there. */
    int bufferPosition;
    /** For heap buffers: the native copy the kernel reads or writes. */
    Bounce bounce;
    long address;
    int length;
    long position;
    int fsyncFlags;

    Object attachment;
    CompletionHandler<Object, Object> handler;
    ChannelFuture<Object> future;

    /** The outcome: {@link #result} (or {@link #value}), or {@link #failure}. */
    int result;
    Object value;
    Throwable failure;
    /**
     * The last result this pooled operation boxed, kept across uses: handlers get an {@code Integer}, and reads and
     * writes of one size return the same count again and again, which would otherwise cost a box per operation
     * (above 127, {@link Integer#valueOf} allocates: 16 bytes per operation, {@code SteadyStateAllocationTest}).
     */
    private Integer boxed;

    ChannelOp(ChannelRing ring) {
        this.ring = ring;
    }

    /** Runs the handler on the channel's executor: the operation goes back to the pool first. */
    @Override
    public void run() {
        CompletionHandler<Object, Object> h = handler;
        Object a = attachment;
        Throwable f = failure;
        Object v = outcome();
        ring.recycle(this);
        if (f == null) {
            h.completed(v, a);
        } else {
            h.failed(f, a);
        }
    }

    /** What the handler or future gets: {@link #value}, or {@link #result} boxed (reusing the last box if equal). */
    Object outcome() {
        if (value != null) {
            return value;
        }
        Integer b = boxed;
        if (b == null || b != result) {
            b = Integer.valueOf(result);
            boxed = b;
        }
        return b;
    }

    void clear() {
        next = null;
        channel = null;
        buffer = null;
        bounce = null;
        attachment = null;
        handler = null;
        future = null;
        value = null;
        failure = null;
        result = 0;
        address = 0;
        length = 0;
        position = 0;
        fsyncFlags = 0;
    }
}
