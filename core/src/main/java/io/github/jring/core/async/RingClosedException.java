package io.github.jring.core.async;

import java.io.IOException;

/**
 * The {@link AsyncRing} was closed (or failed) before the operation could complete: it was submitted after
 * {@link AsyncRing#close()}, was still waiting to be submitted when the ring closed, or was in flight and cancelled
 * by the close (the kernel answered {@code -ECANCELED}, or did not answer within the close timeout).
 *
 * <p>Like {@link java.nio.channels.AsynchronousCloseException}, a checked {@link IOException}: the operation did not
 * happen (or, for a request still in flight past the close timeout, its outcome is unknown) and the caller decides
 * what to do. {@link #getCause()} carries the ring's failure when it stopped because of an error, or the
 * {@code ECANCELED} {@link io.github.jring.core.ErrnoException} the kernel gave.
 */
public class RingClosedException extends IOException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened to the operation
     * @param cause   why, or {@code null}
     */
    public RingClosedException(String message, Throwable cause) {
        super(message, cause);
    }
}
