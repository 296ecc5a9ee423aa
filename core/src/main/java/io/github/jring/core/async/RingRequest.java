package io.github.jring.core.async;

import io.github.jring.core.Sqe;

import java.util.concurrent.CompletableFuture;

/**
 * A request that is its own future: a subclass fills its SQE ({@link #prepare(Sqe)}) and turns the kernel's answer
 * into its result ({@link #onCompletion(int, int, long, long)}), both on the ring's completion thread, and the caller
 * holds the very object that {@link AsyncRing#send(RingRequest)} queued. One object per request, then: no
 * {@link SqeHandler} lambda, no ring future with a dependent stage, no {@link Completion} record. Made for libraries
 * that send many requests of one kind (jring-nvme's {@code AsyncNamespace} sends every NVMe command as one).
 * {@snippet :
 * final class Nop extends RingRequest<Integer> {
 *     protected void prepare(Sqe sqe) { sqe.prepNop(); }
 *     protected void onCompletion(int res, int flags, long bigCqe0, long bigCqe1) { complete(res); }
 * }
 * int res = ring.await(ring.send(new Nop()));
 * }
 *
 * <p><b>Memory.</b> The ring keeps the request strongly reachable from the moment it is queued until its final
 * completion has been reaped, so fields holding the buffers the request points to keep them allocated for exactly as
 * long as the kernel may use them.
 *
 * <p><b>Rules.</b> A request is submitted once, to one ring. {@link #prepare(Sqe)} gets a free entry and must call
 * exactly one {@code prep*} method and may set other fields, not {@code user_data} (the ring overwrites it);
 * {@code IOSQE_IO_LINK}, {@code IOSQE_IO_HARDLINK} and {@code IOSQE_CQE_SKIP_SUCCESS} are refused, as for
 * {@link SqeHandler}. {@link #onCompletion} is called once, for the first completion, unless the future is already
 * complete (cancelled, or failed by a close); it must complete the future ({@link #complete} or
 * {@link #completeExceptionally}). An exception thrown by either method fails the future. A request that answers more
 * than once ({@code IORING_CQE_F_MORE}) keeps its slot until the completion without {@code F_MORE}. Both run on the
 * thread that drives every request of the ring: keep them short, and do not block. When the ring fails the request
 * (closed, or the kernel gave up) it completes the future exceptionally itself, and {@link #onCompletion} is not
 * called. A request that the close cancelled fails with {@link RingClosedException}.
 *
 * <p><b>Waiting.</b> {@link AsyncRing#await(CompletableFuture)} on a request parks the thread and is woken by the
 * completion itself, with no waiter node.
 *
 * @param <T> the result
 */
public abstract class RingRequest<T> extends Op<T> {

    /** A request not yet submitted. */
    protected RingRequest() {
        super(null, REQUEST, -1, 0, 0, 0L, null);
    }

    /**
     * Fills {@code sqe} (completion thread, as the request enters the submission queue).
     *
     * @param sqe a free entry, valid only during this call
     */
    protected abstract void prepare(Sqe sqe);

    /**
     * Takes the kernel's answer (completion thread): completes this future from it.
     *
     * @param res     the CQE's {@code res}: non-negative on success, {@code -errno} on failure (a {@code uring_cmd}
     *                may answer a positive driver status: NVMe's status field)
     * @param flags   the CQE's {@code IORING_CQE_F_*} flags
     * @param bigCqe0 the first extra word of a 32-byte CQE (NVMe: the result Dword 0-1), else 0
     * @param bigCqe1 the second extra word, else 0
     */
    protected abstract void onCompletion(int res, int flags, long bigCqe0, long bigCqe1);

    /**
     * The request in words, for the exceptions the ring makes (a close, a refused submission). Called only when one
     * is made.
     *
     * @return a description
     */
    @Override
    protected String describe() {
        return "io_uring request";
    }

    /** {@link #onCompletion}, failing the future with whatever it throws instead of the ring. */
    final void completeFromRing(int res, int flags, long bigCqe0, long bigCqe1) {
        try {
            onCompletion(res, flags, bigCqe0, bigCqe1);
        } catch (RuntimeException | Error e) {
            completeExceptionally(e);
        }
    }

    /** On submission: the request's ring; refuses a second submission. */
    final void bind(RingDriver d) {
        if (driver != null) {
            throw new IllegalStateException(describe() + ": a RingRequest is submitted once");
        }
        driver = d;
    }
}
