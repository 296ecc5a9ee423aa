package io.github.jring.core.async;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The requests of finished blocking calls, kept for the next blocking calls of the same ring so that a blocking call
 * allocates nothing. Only the waiting threads use it, never the completion thread: a request goes back here when its
 * waiter has read the outcome, and only when nothing else can still refer to it (the queue has let go of it, see
 * {@link OpQueue#poll()}; its slot and buffer reference were released before its completion was published; it was
 * neither cancelled nor failed, which could leave a reference behind in the completion thread).
 *
 * <p>An array of cells, each empty or holding one request: a thread takes one by swapping a cell to empty and gives
 * one back by filling an empty cell (one atomic operation each, no lock, no ABA problem as whole references are
 * swapped). It starts probing at a cell chosen by its thread id, so that threads mostly use cells of their own. When
 * the probes find nothing a new request is made, and when they find no empty cell the request is left to the garbage
 * collector: the pool never holds more than its size.
 */
final class OpPool {

    private static final int PROBES = 4;

    private final RingDriver driver;
    private final AtomicReferenceArray<BlockingOp> cells;
    private final int mask;

    /** @param size cells, rounded up to a power of two */
    OpPool(RingDriver driver, int size) {
        this.driver = driver;
        int n = Integer.highestOneBit(Math.max(1, size - 1)) << 1;
        this.cells = new AtomicReferenceArray<>(n);
        this.mask = n - 1;
    }

    /** A request for a blocking call: a pooled one, or a new one. */
    BlockingOp take() {
        int start = start();
        for (int i = 0; i < PROBES; i++) {
            int idx = (start + i) & mask;
            if (cells.getPlain(idx) != null) {
                BlockingOp op = cells.getAndSet(idx, null);
                if (op != null) {
                    return op;
                }
            }
        }
        return new BlockingOp(driver);
    }

    /** Gives back a request whose outcome its waiter has read and that nothing else refers to. */
    void give(BlockingOp op) {
        op.recycle();
        int start = start();
        for (int i = 0; i < PROBES; i++) {
            int idx = (start + i) & mask;
            if (cells.getPlain(idx) == null && cells.compareAndSet(idx, null, op)) {
                return;
            }
        }
    }

    private int start() {
        long id = Thread.currentThread().threadId();
        return (int) (id ^ (id >>> 16)) * PROBES;
    }
}
