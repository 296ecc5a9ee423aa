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
import java.util.concurrent.ArrayBlockingQueue;

/**
 * {@link AsynchronousFileChannel} with {@link CompletionHandler}s, as an application that speaks java.nio drives it:
 * the job's thread keeps {@code iodepth} reads or writes in flight, each slot's handler (made once) stores the result
 * and hands the slot back through a queue, and the job's thread checks and records it and issues the slot's next I/O
 * (latency from the call to the moment the job's thread sees the result, as {@link FuturesJob} measures). The two
 * engines differ only in whose channel it is: the JDK's ({@link JdkAsyncFileChannelEngine}: a thread pool doing
 * {@code pread}/{@code pwrite}) or jring's ({@link JringFileChannelEngine}: io_uring).
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
        private final int depth;
        private final ByteBuffer[] buffer;
        private final MemorySegment[] segment;
        private final ArrayBlockingQueue<Integer> done;
        private final Integer[] slotBox;
        private final CompletionHandler<Integer, Void>[] handler;
        private final int[] result;
        private final Throwable[] error;
        private final long[] start;
        private final long[] offset;
        private final boolean[] read;
        private int inflight;

        @SuppressWarnings("unchecked")
        Job(JobContext ctx, AsyncFileChannelEngine engine) throws IOException {
            this.ctx = ctx;
            JobSpec spec = ctx.spec();
            this.path = ctx.target().blockPath();
            this.bs = spec.bs();
            this.depth = spec.iodepth();
            Set<OpenOption> options = new HashSet<>();
            options.add(StandardOpenOption.READ);
            if (spec.writes()) options.add(StandardOpenOption.WRITE);
            this.channel = engine.open(path, options, spec.direct());
            this.buffer = new ByteBuffer[depth];
            this.segment = new MemorySegment[depth];
            this.done = new ArrayBlockingQueue<>(depth);
            this.slotBox = new Integer[depth];
            this.handler = new CompletionHandler[depth];
            this.result = new int[depth];
            this.error = new Throwable[depth];
            this.start = new long[depth];
            this.offset = new long[depth];
            this.read = new boolean[depth];
            for (int i = 0; i < depth; i++) {
                int slot = i;
                // Page-aligned (O_DIRECT) direct buffers of exactly bs bytes, not the job's confined arena: the JDK's
                // channel refuses buffers of a confined arena in its pool threads (IllegalStateException, and the
                // handler is never called).
                buffer[i] = ByteBuffer.allocateDirect(bs + (int) JobContext.BUFFER_ALIGNMENT)
                        .alignedSlice((int) JobContext.BUFFER_ALIGNMENT).slice(0, bs);
                segment[i] = MemorySegment.ofBuffer(buffer[i]);
                slotBox[i] = slot;
                // The queue's lock orders these stores before the job's thread reads them after take().
                handler[i] = new CompletionHandler<>() {
                    @Override
                    public void completed(Integer n, Void a) {
                        result[slot] = n;
                        done.add(slotBox[slot]);
                    }

                    @Override
                    public void failed(Throwable e, Void a) {
                        error[slot] = e;
                        done.add(slotBox[slot]);
                    }
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
                    Throwable t = error[slot];
                    error[slot] = null;
                    if (failed != null) continue; // draining
                    String call = "AsynchronousFileChannel." + (read[slot] ? "read" : "write");
                    if (t != null) {
                        failed = new IOException(call + "(" + path + ", " + bs + " bytes at offset " + offset[slot]
                                + "): " + t, t);
                        continue;
                    }
                    if (result[slot] != bs) {
                        failed = BlockIo.failure(call, path, bs, offset[slot], result[slot], 0, ctx);
                        continue;
                    }
                    if (read[slot]) {
                        try {
                            ctx.checkRead(segment[slot], bs, offset[slot]);
                        } catch (VerifyException e) {
                            failed = e;
                            continue;
                        }
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

        /** Starts the slot's next I/O; the failure if the channel refused it at once (nothing in flight then). */
        private IOException issue(IoPattern pattern, int slot, long now) {
            boolean isRead = pattern.next();
            long off = pattern.offset();
            if (!isRead) ctx.prepareWrite(segment[slot], bs, off);
            start[slot] = now;
            offset[slot] = off;
            read[slot] = isRead;
            ByteBuffer buf = buffer[slot].clear();
            try {
                if (isRead) {
                    channel.read(buf, off, null, handler[slot]);
                } else {
                    channel.write(buf, off, null, handler[slot]);
                }
            } catch (RuntimeException e) {
                return new IOException((isRead ? "read" : "write") + " at offset " + off + " refused: " + e, e);
            }
            inflight++;
            return null;
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
