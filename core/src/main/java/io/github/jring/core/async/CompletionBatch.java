package io.github.jring.core.async;

/**
 * The completions of one reaping round of an {@link AsyncRing}, held until the round has read the whole CQ, then
 * handed to their futures last first.
 *
 * <p>Why last first: a caller that submitted a batch joins the futures in the order it submitted them, and while it
 * waits it reads the first one's result field again and again. Completed in CQ order, each next future would be
 * completed just as the caller starts watching it, and every completion would pull that future's cache line back from
 * the caller's core: the two threads would chase each other through the batch. Completed last first, the caller
 * watches one line until the end of the batch and then finds every other future already complete. The kernel promises
 * no order among independent requests' completions, so none is lost. A request that completes more than once
 * ({@code IORING_CQE_F_MORE}) is not held: its future takes the first completion at once.
 *
 * <p>Completion thread only; preallocated, nothing is allocated per completion.
 */
final class CompletionBatch {

    private final Op<?>[] ops;
    private final int[] res;
    private final int[] flags;
    private final long[] big0;
    private final long[] big1;
    private int size;

    /** @param capacity the most completions of one round: the ring's slot count (one final completion each) */
    CompletionBatch(int capacity) {
        ops = new Op<?>[capacity];
        res = new int[capacity];
        flags = new int[capacity];
        big0 = new long[capacity];
        big1 = new long[capacity];
    }

    void add(Op<?> op, int r, int f, long b0, long b1) {
        int i = size++;
        ops[i] = op;
        res[i] = r;
        flags[i] = f;
        big0[i] = b0;
        big1[i] = b1;
    }

    /** Completes the held futures, last first, and empties the batch (also when a callback throws). */
    void completeLastFirst(boolean ringClosing) {
        while (size > 0) {
            int i = --size;
            Op<?> op = ops[i];
            ops[i] = null;
            op.finish(res[i], flags[i], big0[i], big1[i], ringClosing);
        }
    }
}
