/**
 * The futures API over io_uring: {@link io.github.jring.core.async.AsyncRing} takes requests from any thread and
 * answers each with a {@link java.util.concurrent.CompletableFuture} (or, in the blocking forms, by parking the caller,
 * which costs a virtual thread nothing), driving the ring from one completion thread per ring.
 */
package io.github.jring.core.async;
