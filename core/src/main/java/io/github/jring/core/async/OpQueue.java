package io.github.jring.core.async;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The hand-off from submitting threads to the completion thread: an intrusive multi-producer single-consumer queue
 * (Dmitry Vyukov's design) linked through {@link Op#next}. A producer swaps itself in as the tail (one atomic
 * exchange) and then links its predecessor to itself; the consumer follows the links from the last node it took. No
 * lock, no node allocation, wait-free for producers.
 *
 * <p>Between a producer's exchange and its link the queue is not empty but {@link #poll()} returns {@code null};
 * {@link #isEmpty()} looks at the tail and so already says "not empty": the completion thread does not go to sleep on
 * such a half-queued request.
 */
final class OpQueue extends OpQueueLayout.Padded {

    private static final VarHandle TAIL;
    private static final VarHandle NEXT;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            TAIL = l.findVarHandle(OpQueue.class, "tail", Op.class);
            NEXT = l.findVarHandle(Op.class, "next", Op.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The last node queued; producers exchange it. */
    @SuppressWarnings("unused") // accessed through TAIL
    private volatile Op<?> tail;

    OpQueue() {
        Op<?> stub = Op.stub();
        head = stub;
        tail = stub;
    }

    /** Queues {@code op} (any thread). Its fields must be written before: the exchange and the link publish them. */
    void offer(Op<?> op) {
        Op<?> prev = (Op<?>) TAIL.getAndSet(this, op);
        NEXT.setRelease(prev, op);
    }

    /** The next node, or {@code null} if none is fully queued (consumer only). */
    Op<?> poll() {
        Op<?> h = head;
        Op<?> n = (Op<?>) NEXT.getAcquire(h);
        if (n == null) {
            return null;
        }
        head = n;
        NEXT.setOpaque(h, null); // h is out of the queue: do not keep its successors reachable through it
        return n;
    }

    /**
     * Whether a node is fully queued (consumer only). Reads only the link that the producer writes, not the tail
     * that producers exchange: a consumer watching the queue does not pull the tail's cache line away from them.
     */
    boolean hasNext() {
        return NEXT.getAcquire(head) != null;
    }

    /** Whether nothing is queued, not even half-way (consumer only; a volatile read of the tail). */
    boolean isEmpty() {
        return (Op<?>) TAIL.getVolatile(this) == head;
    }
}
