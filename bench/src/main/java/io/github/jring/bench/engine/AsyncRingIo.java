package io.github.jring.bench.engine;

import io.github.jring.bench.sys.Open;
import io.github.jring.core.Posix;
import io.github.jring.core.async.AsyncRing;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * {@code uring-block} through jring-core's application API: {@link AsyncRing#read}/{@link AsyncRing#write} (futures)
 * and {@link AsyncRing#readBlocking}/{@link AsyncRing#writeBlocking}, on one ring of {@code iodepth} SQ entries
 * whose completion thread submits and reaps for the job. The buffers come from an automatic arena, which the ring
 * keeps reachable while the kernel may still write them.
 */
final class AsyncRingIo implements ApiIo {
    private final JobContext ctx;
    private final Path path;
    private final int fd;
    private final int bs;
    private final AsyncRing ring;
    private final MemorySegment[] buffers;

    private AsyncRingIo(JobContext ctx, Path path, int fd, AsyncRing ring) {
        this.ctx = ctx;
        this.path = path;
        this.fd = fd;
        this.ring = ring;
        this.bs = ctx.spec().bs();
        int depth = ctx.spec().iodepth();
        this.buffers = new MemorySegment[depth];
        MemorySegment all = Arena.ofAuto().allocate((long) bs * depth, JobContext.BUFFER_ALIGNMENT);
        DataPattern.fill(all, all.byteSize(), 0x5a5a5a5a00000000L + ctx.jobIndex() * all.byteSize(),
                DataPattern.DEFAULT_SEED + 1);
        for (int i = 0; i < depth; i++) buffers[i] = all.asSlice((long) i * bs, bs);
    }

    /** Opens the target as {@code uring-block} does and sets up the job's ring. */
    static AsyncRingIo open(JobContext ctx) throws IOException {
        JobSpec spec = ctx.spec();
        Path path = ctx.target().blockPath();
        int fd = Open.file(path, (spec.writes() ? Posix.O_RDWR : Posix.O_RDONLY) | (spec.direct() ? Posix.O_DIRECT : 0), 0);
        try {
            AsyncRing ring = AsyncRing.builder().entries(spec.iodepth())
                    .threadName("jring-bench-" + spec.api().label() + "-ring-" + ctx.jobIndex()).build();
            return new AsyncRingIo(ctx, path, fd, ring);
        } catch (IOException | RuntimeException e) {
            Posix.close(fd);
            throw e;
        }
    }

    @Override
    public MemorySegment buffer(int slot) {
        return buffers[slot];
    }

    @Override
    public CompletableFuture<?> start(int slot, boolean isRead, long offset) {
        return isRead ? ring.read(fd, buffers[slot], offset) : ring.write(fd, buffers[slot], offset);
    }

    @Override
    public IOException failure(Object result, Throwable error, boolean isRead, long offset) {
        if (error != null) {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            return cause instanceof IOException io ? io : new IOException(cause.toString(), cause);
        }
        int res = (Integer) result;
        return res == bs ? null : shortTransfer(res, isRead, offset);
    }

    @Override
    public void blocking(int slot, boolean isRead, long offset) throws IOException {
        int res = isRead ? ring.readBlocking(fd, buffers[slot], offset) : ring.writeBlocking(fd, buffers[slot], offset);
        if (res != bs) throw shortTransfer(res, isRead, offset);
    }

    private IOException shortTransfer(int res, boolean isRead, long offset) {
        return BlockIo.failure(isRead ? "AsyncRing read" : "AsyncRing write", path, bs, offset, res, 0, ctx);
    }

    @Override
    public void close() throws IOException {
        try {
            ring.close();
        } finally {
            Posix.close(fd);
        }
    }
}
