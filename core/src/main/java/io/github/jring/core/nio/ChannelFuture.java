package io.github.jring.core.nio;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The {@link java.util.concurrent.Future} of an {@link UringFileChannel} operation. A {@link CompletableFuture}, so
 * that callers can also compose it; waiting for it on the ring's own thread (in a completion handler of a channel
 * without an executor) would wait for the very thread that completes it, and throws {@link IllegalStateException}
 * instead of hanging.
 *
 * @param <V> the result type
 */
final class ChannelFuture<V> extends CompletableFuture<V> {

    private final ChannelRing ring;

    ChannelFuture(ChannelRing ring) {
        this.ring = ring;
    }

    @Override
    public V get() throws InterruptedException, ExecutionException {
        checkThread();
        return super.get();
    }

    @Override
    public V get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        checkThread();
        return super.get(timeout, unit);
    }

    @Override
    public V join() {
        checkThread();
        return super.join();
    }

    private void checkThread() {
        if (!isDone() && Thread.currentThread() == ring.thread()) {
            throw new IllegalStateException("waiting for a channel's future on the ring thread that completes it "
                    + "(in a completion handler) would never end; chain a handler instead");
        }
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new CompletableFuture<>();
    }
}
