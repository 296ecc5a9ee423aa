package io.github.jring.bench.engine;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.CompletableFuture;

/**
 * One job's I/O through an application API ({@link Api#FUTURES}, {@link Api#VTHREADS}): the API object (an
 * {@code AsyncRing}, an {@code AsyncNamespace}) with one {@code bs} buffer per slot, in memory any thread may touch.
 * {@link FuturesJob} and {@link VirtualThreadsJob} drive it; a slot is used by one I/O at a time.
 */
interface ApiIo extends AutoCloseable {

    /** Slot {@code slot}'s buffer, {@code bs} bytes: written before a write, checked after a read. */
    MemorySegment buffer(int slot);

    /** Starts one I/O of slot {@code slot} at byte {@code offset}; its future completes with the API's result. */
    CompletableFuture<?> start(int slot, boolean isRead, long offset);

    /**
     * Judges a completed future: its result or its failure. Returns the exception that describes a failed I/O (the
     * API's own, or a short transfer), or null if it moved {@code bs} bytes.
     */
    IOException failure(Object result, Throwable error, boolean isRead, long offset);

    /** The same I/O with the API's blocking call, on the calling (virtual) thread; throws if it failed. */
    void blocking(int slot, boolean isRead, long offset) throws IOException;

    /** Closes the API object (it waits for what is in flight) and then frees the buffers. */
    @Override
    void close() throws IOException;
}
