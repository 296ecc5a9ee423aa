package io.github.jring.bench.engine;

import java.io.IOException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@link Api#VTHREADS}: {@code iodepth} virtual threads, each with its own slot, in a loop of blocking calls, as a
 * thread-per-request application is written. The job's thread starts them and waits for them. The job's
 * bookkeeping ({@link JobContext}: the offset generator, the counters, the latency histogram) belongs to one thread
 * at a time, so each virtual thread takes one lock per I/O, to record its last I/O and choose its next one; latency
 * runs from just before the blocking call to its return.
 */
final class VirtualThreadsJob implements EngineJob {
    private final JobContext ctx;
    private final ApiIo io;
    private final int bs;
    private final int depth;
    private final ReentrantLock lock = new ReentrantLock();
    /** The first failure; guarded by {@link #lock}. */
    private IOException failed;

    VirtualThreadsJob(JobContext ctx, ApiIo io) {
        this.ctx = ctx;
        this.io = io;
        this.bs = ctx.spec().bs();
        this.depth = ctx.spec().iodepth();
    }

    @Override
    public void run() throws IOException {
        Thread[] threads = new Thread[depth];
        Thread.Builder builder = Thread.ofVirtual().name(Thread.currentThread().getName() + "-vt-", 0);
        for (int slot = 0; slot < depth; slot++) {
            int s = slot;
            threads[slot] = builder.start(() -> loop(s));
        }
        boolean interrupted = false;
        for (Thread t : threads) {
            while (true) {
                try {
                    t.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // the threads end by themselves once the run is over: wait for their I/O
                }
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
        lock.lock();
        try {
            if (failed != null) throw failed;
        } finally {
            lock.unlock();
        }
    }

    private void loop(int slot) {
        IoPattern pattern = ctx.pattern();
        boolean isRead = false;
        long offset = 0;
        long start = 0;
        long end = 0;
        boolean last = false;
        while (true) {
            lock.lock();
            try {
                if (last) ctx.complete(isRead, bs, start, end);
                long now = System.nanoTime();
                if (failed != null || !ctx.tryIssue(now)) return;
                isRead = pattern.next();
                offset = pattern.offset();
                start = now;
            } finally {
                lock.unlock();
            }
            try {
                if (!isRead) ctx.prepareWrite(io.buffer(slot), bs, offset);
                io.blocking(slot, isRead, offset);
                end = System.nanoTime();
                if (isRead) ctx.checkRead(io.buffer(slot), bs, offset);
                last = true;
            } catch (IOException | RuntimeException e) {
                lock.lock();
                try {
                    if (failed == null) {
                        failed = e instanceof IOException io ? io : new IOException(e.toString(), e);
                    }
                } finally {
                    lock.unlock();
                }
                return;
            }
        }
    }

    /** Closes the API object, which waits for whatever is still in flight before it lets go of the buffers. */
    @Override
    public void close() throws IOException {
        io.close();
    }
}
