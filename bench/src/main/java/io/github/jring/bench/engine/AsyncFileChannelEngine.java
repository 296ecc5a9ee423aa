package io.github.jring.bench.engine;

import io.github.jring.bench.target.Target;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.CompletionHandler;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@link AsynchronousFileChannel} with {@link CompletionHandler}s, as code written for java.nio drives it: each of
 * {@code iodepth} slots has one handler (made once), which checks and records the slot's completed I/O and issues the
 * slot's next one itself, on whatever thread the channel runs handlers on. The job's thread only starts the slots
 * and waits until the last one ends (the runtime is over, {@code --number_ios} are issued, the run is stopped, or an
 * I/O failed). Latency runs from the call to the start of its handler. The two engines differ only in whose channel
 * it is: the JDK's ({@link JdkAsyncFileChannelEngine}: a thread pool doing {@code pread}/{@code pwrite}, handlers on
 * its threads) or jring's ({@link JringFileChannelEngine}: io_uring, handlers on the ring's thread).
 *
 * <p>The job's bookkeeping ({@link JobContext}: the offset generator, the counters, the latency histogram) belongs to
 * one thread at a time, so a handler takes one lock per I/O, to record its I/O and choose the slot's next one, and
 * calls the channel outside it; on jring's single ring thread the lock is never contended, on the JDK's pool it is
 * held for well under a microsecond. Nothing of the bench's allocates per I/O.
 */
abstract class AsyncFileChannelEngine implements Engine {

    /** Opens the channel this engine measures. */
    abstract AsynchronousFileChannel open(Path path, Set<OpenOption> options, boolean direct) throws IOException;

    @Override
    public int order() {
        return 55;
    }

    @Override
    public boolean inDefaultSet(Target target) {
        return false;
    }

    @Override
    public String unsupportedReason(Target target, JobSpec spec) {
        return BlockIo.unsupportedReason(target, spec);
    }

    @Override
    public FioEquivalent fioEquivalent(Target target, JobSpec spec) {
        // the nearest fio engine: requests kept in flight asynchronously (for jring's channel that is what it is)
        return FioEquivalent.of("io_uring", target.blockPath(), List.of());
    }

    @Override
    public EngineJob open(JobContext ctx) throws IOException {
        return new Job(ctx, this);
    }

    private static final class Job implements EngineJob {
        private final JobContext ctx;
        private final AsynchronousFileChannel channel;
        private final Path path;
        private final int bs;
        private final Slot[] slots;
        /** Guards the job's bookkeeping ({@link #ctx}'s counters and offsets), {@link #active} and {@link #failed}. */
        private final Object lock = new Object();
        /** Slots with an I/O in flight. */
        private int active;
        /** The first failure; no slot issues another I/O once it is set. */
        private IOException failed;

        Job(JobContext ctx, AsyncFileChannelEngine engine) throws IOException {
            this.ctx = ctx;
            JobSpec spec = ctx.spec();
            this.path = ctx.target().blockPath();
            this.bs = spec.bs();
            Set<OpenOption> options = new HashSet<>();
            options.add(StandardOpenOption.READ);
            if (spec.writes()) options.add(StandardOpenOption.WRITE);
            this.channel = engine.open(path, options, spec.direct());
            this.slots = new Slot[spec.iodepth()];
            for (int i = 0; i < slots.length; i++) {
                slots[i] = new Slot();
            }
        }

        @Override
        public void run() throws IOException {
            IoPattern pattern = ctx.pattern();
            for (Slot slot : slots) {
                synchronized (lock) {
                    // a slot started first may already be running its handlers on another thread
                    if (failed != null || !slot.choose(pattern, System.nanoTime())) break;
                    active++;
                }
                slot.issue();
            }
            boolean interrupted = false;
            synchronized (lock) {
                while (active > 0) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        // stop issuing, and wait for what is in flight: the buffers and the bookkeeping are in use
                        interrupted = true;
                        if (failed == null) failed = new IOException("interrupted", e);
                    }
                }
            }
            if (interrupted) Thread.currentThread().interrupt();
            synchronized (lock) {
                if (failed != null) throw failed;
            }
        }

        /** Ends a slot's run (nothing of it in flight any more); the last one wakes the job's thread. */
        private void slotEnded() {
            if (--active == 0) lock.notifyAll();
        }

        /**
         * One slot: its buffer and its I/O in flight, and the handler of that I/O. Its fields are written before the
         * channel call and read in the handler, which the channel's hand-over (a pool's queue, the ring's) orders.
         */
        private final class Slot implements CompletionHandler<Integer, Void> {
            // Page-aligned (O_DIRECT) direct buffers of exactly bs bytes, not the job's confined arena: the JDK's
            // channel refuses buffers of a confined arena in its pool threads (IllegalStateException, and the
            // handler is never called).
            private final ByteBuffer buffer = ByteBuffer.allocateDirect(bs + (int) JobContext.BUFFER_ALIGNMENT)
                    .alignedSlice((int) JobContext.BUFFER_ALIGNMENT).slice(0, bs);
            private final MemorySegment segment = MemorySegment.ofBuffer(buffer);
            private boolean read;
            private long offset;
            private long start;

            /** Under {@link #lock}: asks for another I/O and picks its direction and offset; false when none. */
            private boolean choose(IoPattern pattern, long now) {
                if (!ctx.tryIssue(now)) return false;
                read = pattern.next();
                offset = pattern.offset();
                start = now;
                return true;
            }

            /** Outside the lock: starts the chosen I/O; a refusal (nothing in flight then) ends the slot. */
            private void issue() {
                if (!read) ctx.prepareWrite(segment, bs, offset);
                try {
                    if (read) {
                        channel.read(buffer.clear(), offset, null, this);
                    } else {
                        channel.write(buffer.clear(), offset, null, this);
                    }
                } catch (RuntimeException e) {
                    IOException refused = new IOException(call() + " at offset " + offset + " refused: " + e, e);
                    synchronized (lock) {
                        if (failed == null) failed = refused;
                        slotEnded();
                    }
                }
            }

            @Override
            public void completed(Integer n, Void a) {
                long end = System.nanoTime();
                IOException error = null;
                if (n != bs) {
                    error = BlockIo.failure(call(), path, bs, offset, n, 0, ctx);
                } else if (read) {
                    try {
                        ctx.checkRead(segment, bs, offset);
                    } catch (VerifyException e) {
                        error = e;
                    }
                }
                next(end, error);
            }

            @Override
            public void failed(Throwable t, Void a) {
                next(System.nanoTime(), new IOException(call() + "(" + path + ", " + bs + " bytes at offset " + offset
                        + "): " + t, t));
            }

            /** Records the I/O that ended at {@code end} (or its failure), then issues the slot's next one. */
            private void next(long end, IOException error) {
                synchronized (lock) {
                    if (error != null) {
                        if (failed == null) failed = error;
                    } else if (failed == null) {
                        ctx.complete(read, bs, start, end);
                    }
                    if (failed != null || !choose(ctx.pattern(), end)) {
                        slotEnded();
                        return;
                    }
                }
                issue();
            }

            private String call() {
                return "AsynchronousFileChannel." + (read ? "read" : "write");
            }
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
