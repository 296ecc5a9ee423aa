package io.github.jring.core.async;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The hand-off from submitting threads to the completion thread: an intrusive multi-producer single-consumer queue
 * (Dmitry Vyukov's design) linked through {@link Op#next}. A producer swaps itself in as the tail (one atomic
 * exchange) and then links its predecessor to itself; the consumer follows the links. No lock, no node allocation,
 * wait-free for producers.
 *
 * <p>{@link #poll()} returns a node only once the queue holds no reference to it any more: the consumer's end has
 * moved past it, and no producer will write its link. When the node is the last one, the consumer first queues the
 * queue's own stub node behind it (one exchange per emptied queue, not per node). That is what lets a blocking call
 * reuse its request ({@link OpPool}) as soon as the request is complete: a node that was still the tail would have
 * its link written by the next producer, and queued again it would link to itself.
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

    /** The node the consumer's end starts from when nothing is queued; queued again behind a last node. */
    private final Op<?> stub = Op.stub();
    /** The last node queued; producers exchange it. */
    @SuppressWarnings("unused") // accessed through TAIL
    private volatile Op<?> tail;

    OpQueue() {
        head = stub;
        tail = stub;
    }

    /** Queues {@code op} (any thread). Its fields must be written before: the exchange and the link publish them. */
    void offer(Op<?> op) {
        NEXT.set(op, null); // a reused request's old link; the exchange below publishes the store
        Op<?> prev = (Op<?>) TAIL.getAndSet(this, op);
        NEXT.setRelease(prev, op);
    }

    /**
     * The next node, out of the queue for good, or {@code null} if none is fully queued (consumer only).
     */
    Op<?> poll() {
        Op<?> h = head;
        Op<?> n = (Op<?>) NEXT.getAcquire(h);
        if (h == stub) {
            if (n == null) {
                return null;
            }
            head = n; // step over the stub
            h = n;
            n = (Op<?>) NEXT.getAcquire(h);
        }
        if (n != null) {
            return take(h, n);
        }
        if ((Op<?>) TAIL.getVolatile(this) != h) {
            return null; // a producer has swapped in behind h and not yet linked it: next time
        }
        offer(stub); // h is the last node: put the stub behind it, so that h can leave
        n = (Op<?>) NEXT.getAcquire(h);
        if (n != null) {
            return take(h, n);
        }
        return null; // another producer came between: h leaves at the next poll
    }

    private Op<?> take(Op<?> h, Op<?> n) {
        head = n;
        NEXT.setOpaque(h, null); // h is out of the queue: do not keep its successors reachable through it
        return h;
    }

    /**
     * Whether a node is fully queued (consumer only). Reads only links that producers write, not the tail that
     * producers exchange: a consumer watching the queue does not pull the tail's cache line away from them.
     */
    boolean hasNext() {
        Op<?> h = head;
        return h != stub || NEXT.getAcquire(h) != null;
    }

    /** Whether nothing is queued, not even half-way (consumer only; a volatile read of the tail). */
    boolean isEmpty() {
        Op<?> h = head;
        return h == stub && (Op<?>) TAIL.getVolatile(this) == h;
    }
}
