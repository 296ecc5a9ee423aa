package io.github.jring.core.async;

import io.github.jring.core.IoUring;

/**
 * Work to run on an {@link AsyncRing}'s completion thread with the underlying {@link IoUring}, for what the futures
 * API does not wrap: registering fixed buffers or files, probing opcodes. See {@link AsyncRing#onRing(RingHandler)}.
 *
 * @param <T> the result
 */
@FunctionalInterface
public interface RingHandler<T> {

    /**
     * Runs with the ring. Must not close it, submit or reap on it, or keep it after returning.
     *
     * @param ring the ring, usable only during this call
     * @return the result
     * @throws Exception any failure, which completes the future exceptionally
     */
    T run(IoUring ring) throws Exception;
}
