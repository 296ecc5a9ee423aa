package io.github.jring.bench.engine;

import io.github.jring.nvme.AsyncNamespace;
import io.github.jring.nvme.NvmeNamespace;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * {@code async-pt} through jring-nvme's application API: {@link AsyncNamespace#read}/{@link AsyncNamespace#write}
 * (futures) and {@link AsyncNamespace#readBlocking}/{@link AsyncNamespace#writeBlocking}, on one ring of
 * {@code iodepth} entries (one ring, as the raw job drives one; {@link AsyncNamespace#defaultRings()} would spread
 * over more completion threads on a larger machine). The buffers come from an automatic arena, which the ring keeps
 * reachable while the device may still write them.
 */
final class AsyncNamespaceIo implements ApiIo {
    private final NvmeNamespace ns;
    private final AsyncNamespace nvme;
    private final int lbaShift;
    private final MemorySegment[] buffers;

    private AsyncNamespaceIo(JobContext ctx, NvmeNamespace ns, AsyncNamespace nvme, MemorySegment all) {
        this.ns = ns;
        this.nvme = nvme;
        this.lbaShift = Integer.numberOfTrailingZeros(ctx.target().logicalBlockSize());
        int bs = ctx.spec().bs();
        int depth = ctx.spec().iodepth();
        this.buffers = new MemorySegment[depth];
        for (int i = 0; i < depth; i++) buffers[i] = all.asSlice((long) i * bs, bs);
    }

    /**
     * Opens the namespace as {@code async-pt} does and its asynchronous form: one ring of {@code iodepth} entries,
     * with the slots' buffers registered for {@code --fixedbufs}, IOPOLL for {@code --hipri} and an SQ thread for
     * {@code --sqthread_poll}.
     */
    static AsyncNamespaceIo open(JobContext ctx) throws IOException {
        JobSpec spec = ctx.spec();
        MemorySegment all = Arena.ofAuto().allocate((long) spec.bs() * spec.iodepth(), JobContext.BUFFER_ALIGNMENT);
        DataPattern.fill(all, all.byteSize(), 0x5a5a5a5a00000000L + ctx.jobIndex() * all.byteSize(),
                DataPattern.DEFAULT_SEED + 1);
        NvmeNamespace ns = PassthroughNamespace.open(ctx);
        try {
            AsyncNamespace.Builder b = AsyncNamespace.builder(ns).rings(1).entries(spec.iodepth());
            if (spec.fixedbufs()) b.registeredBuffers(all);
            if (spec.hipri()) b.ioPoll();
            if (spec.sqthreadPoll()) b.sqPoll(0);
            return new AsyncNamespaceIo(ctx, ns, b.build(), all);
        } catch (IOException | RuntimeException e) {
            ns.close();
            throw e;
        }
    }

    @Override
    public MemorySegment buffer(int slot) {
        return buffers[slot];
    }

    @Override
    public CompletableFuture<?> start(int slot, boolean isRead, long offset) {
        long slba = offset >>> lbaShift;
        return isRead ? nvme.read(slba, buffers[slot]) : nvme.write(slba, buffers[slot]);
    }

    @Override
    public IOException failure(Object result, Throwable error, boolean isRead, long offset) {
        if (error == null) return null; // a transfer completes whole or fails with a status or an errno
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return cause instanceof IOException io ? io : new IOException(cause.toString(), cause);
    }

    @Override
    public void blocking(int slot, boolean isRead, long offset) throws IOException {
        long slba = offset >>> lbaShift;
        if (isRead) nvme.readBlocking(slba, buffers[slot]);
        else nvme.writeBlocking(slba, buffers[slot]);
    }

    @Override
    public void close() {
        try {
            nvme.close();
        } finally {
            ns.close();
        }
    }
}
