package io.github.jring.bench.engine;

import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * {@link Api#FUTURES}: the job's thread keeps {@code iodepth} futures in flight, as an application that owns its
 * state on one thread does. Each slot's future gets the slot's completion callback (made once), which runs on the
 * API's completion thread, stores the result and hands the slot back through a queue; the job's thread takes
 * completed slots one at a time, checks and records each (latency from just before the request to the moment this
 * thread sees its result, as {@link UringJob} measures to the reap) and issues the slot's next I/O at once.
 *
 * <p>Per I/O the API allocates its future (and whatever its request needs) and {@code whenComplete} its dependent
 * stage; the bench's own part (the queue of preboxed slot numbers) allocates nothing while the job's thread has
 * completed slots to take.
 */
final class FuturesJob implements EngineJob {
    private final JobContext ctx;
    private final ApiIo io;
    private final int bs;
    private final int depth;
    private final ArrayBlockingQueue<Integer> done;
    private final Integer[] slotBox;
    private final BiConsumer<Object, Throwable>[] callback;
    private final Object[] result;
    private final Throwable[] error;
    private final long[] start;
    private final long[] offset;
    private final boolean[] read;
    private int inflight;

    @SuppressWarnings("unchecked")
    FuturesJob(JobContext ctx, ApiIo io) {
        this.ctx = ctx;
        this.io = io;
        this.bs = ctx.spec().bs();
        this.depth = ctx.spec().iodepth();
        this.done = new ArrayBlockingQueue<>(depth);
        this.slotBox = new Integer[depth];
        this.callback = new BiConsumer[depth];
        this.result = new Object[depth];
        this.error = new Throwable[depth];
        this.start = new long[depth];
        this.offset = new long[depth];
        this.read = new boolean[depth];
        for (int i = 0; i < depth; i++) {
            int slot = i;
            slotBox[i] = slot;
            // The queue's lock orders these stores before the job's thread reads them after take().
            callback[i] = (r, t) -> {
                result[slot] = r;
                error[slot] = t;
                done.add(slotBox[slot]);
            };
        }
    }

    @Override
    public void run() throws IOException {
        IoPattern pattern = ctx.pattern();
        IOException failed = null;
        long now = System.nanoTime();
        for (int slot = 0; slot < depth && failed == null; slot++) {
            if (!ctx.tryIssue(now)) break;
            failed = issue(pattern, slot, now);
        }
        try {
            while (inflight > 0) {
                int slot = done.take();
                long end = System.nanoTime();
                inflight--;
                Object r = result[slot];
                Throwable t = error[slot];
                result[slot] = null;
                error[slot] = null;
                if (failed != null) continue; // draining
                IOException f = io.failure(r, t, read[slot], offset[slot]);
                if (f == null && read[slot]) {
                    try {
                        ctx.checkRead(io.buffer(slot), bs, offset[slot]);
                    } catch (VerifyException e) {
                        f = e;
                    }
                }
                if (f != null) {
                    failed = f;
                    continue;
                }
                ctx.complete(read[slot], bs, start[slot], end);
                if (ctx.tryIssue(end)) failed = issue(pattern, slot, end);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted with " + inflight + " I/Os in flight", e);
        }
        if (failed != null) throw failed;
    }

    /** Starts slot {@code slot}'s next I/O; returns the failure if the API refused it at once (nothing in flight then). */
    private IOException issue(IoPattern pattern, int slot, long now) {
        boolean isRead = pattern.next();
        long off = pattern.offset();
        if (!isRead) ctx.prepareWrite(io.buffer(slot), bs, off);
        start[slot] = now;
        offset[slot] = off;
        read[slot] = isRead;
        CompletableFuture<?> f;
        try {
            f = io.start(slot, isRead, off);
        } catch (RuntimeException e) {
            return new IOException((isRead ? "read" : "write") + " at offset " + off + " refused: " + e.getMessage(), e);
        }
        inflight++;
        f.whenComplete(callback[slot]);
        return null;
    }

    /** Closes the API object, which waits for whatever is still in flight before it lets go of the buffers. */
    @Override
    public void close() throws IOException {
        io.close();
    }
}
