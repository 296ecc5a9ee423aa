package io.github.jring.core.async;

import io.github.jring.core.Sqe;

/**
 * Fills a submission queue entry for {@link AsyncRing#submit(SqeHandler)} and
 * {@link AsyncRing#uringCmd(long, int, SqeHandler)}.
 *
 * <p>Called once, on the ring's completion thread, with a free {@link Sqe}: call exactly one {@code prep*} method
 * (for {@code uringCmd}, the ring has already called {@link Sqe#prepUringCmd(long, int)}: fill {@link Sqe#cmd()} and
 * any other field), then any setters. Do not set {@code user_data}: the ring overwrites it with the request's own tag.
 * {@code IOSQE_IO_LINK}/{@code IO_HARDLINK} (entries of different callers interleave) and
 * {@code IOSQE_CQE_SKIP_SUCCESS} (the ring must see every request end) are refused: the request fails with
 * {@link IllegalArgumentException}. Keep it short and do not block: it runs on the thread that drives every request of
 * the ring; an exception it throws fails the request's future.
 *
 * <p>The preparer, and everything it captures, stays strongly reachable until the request's completion has been
 * reaped: capturing the buffers the request uses keeps them alive for exactly as long as the kernel may use them.
 */
@FunctionalInterface
public interface SqeHandler {

    /**
     * Fills {@code sqe}.
     *
     * @param sqe the entry, valid only during this call
     */
    void prepare(Sqe sqe);
}
