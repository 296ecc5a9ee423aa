package io.github.jring.bench.engine;

import io.github.jring.core.ErrnoException;
import io.github.jring.core.IoUring;
import io.github.jring.core.Sqe;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;

/**
 * The I/O loop the io_uring engines share, shaped like fio's: keep {@code iodepth} I/Os in flight, each in its own
 * slot (a {@code bs} buffer and its bookkeeping); submit whenever {@code iodepth_batch_submit} are prepared; wait
 * for {@code iodepth_batch_complete} completions unless the CQ holds them already; reap all that are there (exactly
 * {@code iodepth_batch_complete} when it is above 1, as fio's {@code iodepth_batch_complete_max} defaults to it); refill.
 * Subclasses prepare the SQE and judge the CQE. Allocation-free per I/O: slots are arrays indexed by
 * {@code user_data}, completions are copied into preallocated arrays.
 *
 * <p>A failed I/O stops issuing, but the loop still reaps every I/O in flight before it throws, so no buffer is
 * freed while the kernel may still write it.
 */
abstract class UringJob implements EngineJob {
    /** How long {@link #close()} waits for stragglers if {@link #run()} could not drain (an error from the ring itself). */
    private static final long DRAIN_TIMEOUT_MS = 10_000;

    protected final JobContext ctx;
    protected final int bs;
    protected final int depth;
    protected final IoUring ring;
    /** Slot buffers, page aligned, contiguous. */
    protected final MemorySegment[] slotBuffers;
    protected final long[] slotAddress;

    private final long[] start;
    private final long[] offset;
    private final boolean[] read;
    private final int[] free;
    private int freeTop;
    private int inflight;
    private final long[] cqUserData;
    private final int[] cqRes;
    /** False once the run is over or an I/O failed: the loop then only reaps what is in flight. */
    private boolean issuing;
    /** The first failed I/O, thrown once everything in flight is reaped. */
    private IOException failed;

    /** @param ring the job's ring, already set up; this job closes it */
    protected UringJob(JobContext ctx, IoUring ring) throws ErrnoException {
        this.ctx = ctx;
        this.ring = ring;
        this.bs = ctx.spec().bs();
        this.depth = ctx.spec().iodepth();
        MemorySegment all = ctx.allocateBuffer((long) bs * depth);
        this.slotBuffers = new MemorySegment[depth];
        this.slotAddress = new long[depth];
        for (int i = 0; i < depth; i++) {
            slotBuffers[i] = all.asSlice((long) i * bs, bs);
            slotAddress[i] = slotBuffers[i].address();
        }
        this.start = new long[depth];
        this.offset = new long[depth];
        this.read = new boolean[depth];
        this.free = new int[depth];
        for (int i = 0; i < depth; i++) free[i] = depth - 1 - i;
        this.freeTop = depth;
        if (ctx.spec().registerRing()) ring.registerRingFd(); // this job's thread is the one that submits and waits
        // fio's iodepth_batch_complete_max defaults to iodepth_batch_complete_min: with batches, a round reaps exactly
        // that many (those left stay in the CQ for the next), so that every refill is one whole batch and one
        // io_uring_enter; reaping all that were there made a remainder batch and a second enter per round (strace,
        // O_DIRECT QD 128 batch 32: 31 % of jring's calls submitted a remainder of 8 to 24, fio's never; now 0.02 %).
        int batchComplete = ctx.spec().batchComplete();
        int reapMax = batchComplete > 1 ? batchComplete : Math.max(ring.cqEntries(), depth);
        this.cqUserData = new long[reapMax];
        this.cqRes = new int[reapMax];
    }

    /** Writes the SQE for one I/O of {@code bs} bytes at {@code offset} from or into slot {@code slot}'s buffer. */
    protected abstract void prepare(Sqe sqe, int slot, boolean isRead, long offset);

    /** Checks a completion's {@code res}; returns an exception describing the failure, or null if the I/O succeeded. */
    protected abstract IOException failure(int res, boolean isRead, long offset);

    @Override
    public final void run() throws IOException {
        IoPattern pattern = ctx.pattern();
        // fio's meaning: 0 submits the whole iodepth at once, so one value batches every QD of a sweep alike.
        int batchSubmit = ctx.spec().batchSubmit() == 0 ? depth : ctx.spec().batchSubmit();
        int batchComplete = Math.max(1, ctx.spec().batchComplete());
        boolean sqPoll = ctx.spec().sqthreadPoll();
        // With O_DIRECT the device is the limit, and watching the CQ cost more than it saved (0.91x fio against 0.99x
        // waiting in the kernel at once, the same 7 interleaved passes as at awaitPolled).
        boolean watchCq = sqPoll && !ctx.spec().direct();
        issuing = true;
        failed = null;
        int pending = 0;
        while (true) {
            if (issuing) {
                long now = System.nanoTime();
                while (inflight < depth) {
                    if (!ctx.tryIssue(now)) {
                        issuing = false;
                        break;
                    }
                    Sqe sqe = nextSqe();
                    int slot = free[--freeTop];
                    boolean isRead = pattern.next();
                    long off = pattern.offset();
                    if (!isRead) ctx.prepareWrite(slotBuffers[slot], bs, off);
                    prepare(sqe, slot, isRead, off);
                    sqe.userData(slot);
                    start[slot] = now;
                    offset[slot] = off;
                    read[slot] = isRead;
                    inflight++;
                    if (++pending >= batchSubmit) {
                        ring.submit();
                        pending = 0;
                    }
                }
            }
            if (inflight == 0) {
                break;
            }
            int want = Math.min(batchComplete, inflight);
            if (watchCq) {
                awaitPolled(want, pending > 0);
            } else if (sqPoll || ring.cqReady() < want) {
                // As fio: take what the CQ holds before entering the kernel to wait (with SQPOLL, wait at once).
                ring.submitAndWait(want);
            } else if (pending > 0) {
                ring.submit();
            }
            reap();
            pending = 0;
        }
        if (failed != null) throw failed;
    }

    /**
     * With SQPOLL on buffered I/O: publishes what was prepared (the kernel thread takes it; a system call only to
     * wake that thread), then watches the CQ for {@code want} completions for up to {@link #SQPOLL_SPIN_NANOS} before
     * it enters the kernel to wait. The kernel thread does the copies from the page cache and posts the completions
     * itself, and when this thread sleeps in {@code io_uring_enter} the kernel thread pays for waking it every batch,
     * on the core that is the limit (4 KiB random reads from the page cache, QD 128, batches of 32, 7 interleaved
     * passes against fio, whose loop watches the CQ without a limit: 0.93x (0.66-1.14) waiting in the kernel at
     * once, 1.10x (1.07-1.13) watching first). The limit keeps a stalled file or a busy machine from costing a
     * spinning core.
     */
    private void awaitPolled(int want, boolean publish) throws IOException {
        if (publish) ring.submit();
        long start = System.nanoTime();
        while (ring.cqReady() < want) {
            if (System.nanoTime() - start > SQPOLL_SPIN_NANOS) {
                ring.submitAndWait(want);
                return;
            }
            Thread.onSpinWait();
        }
    }

    /** How long an SQPOLL job watches the CQ before it sleeps in the kernel: a batch of 32 4 KiB reads from the page cache takes about 35 us. */
    private static final long SQPOLL_SPIN_NANOS = 200_000;

    /** Copies the completions that are in the CQ and accounts for them; returns how many. */
    private int reap() throws IOException {
        int n = ring.copyCqes(cqUserData, cqRes, null);
        if (n == 0) {
            return 0;
        }
        long end = System.nanoTime();
        for (int i = 0; i < n; i++) {
            int slot = (int) cqUserData[i];
            inflight--;
            free[freeTop++] = slot;
            if (failed != null) continue;
            IOException f = failure(cqRes[i], read[slot], offset[slot]);
            if (f == null && read[slot]) {
                try {
                    ctx.checkRead(slotBuffers[slot], bs, offset[slot]);
                } catch (VerifyException e) {
                    f = e;
                }
            }
            if (f != null) {
                failed = f;
                issuing = false; // drain what is in flight, then throw
                continue;
            }
            ctx.complete(read[slot], bs, start[slot], end);
        }
        return n;
    }

    private Sqe nextSqe() throws IOException {
        Sqe sqe = ring.getSqe();
        while (sqe == null) {
            // Only with SQPOLL can the SQ be full with at most iodepth entries handed out: wait for the kernel thread.
            ring.submit();
            ring.sqRingWait();
            sqe = ring.getSqe();
        }
        return sqe;
    }

    /** Closes the ring after reaping what is still in flight (only left over when the ring itself failed). */
    @Override
    public void close() throws IOException {
        try {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DRAIN_TIMEOUT_MS);
            while (inflight > 0 && !ring.isClosed() && System.nanoTime() < deadline) {
                ring.submitAndWait(1, 100, TimeUnit.MILLISECONDS);
                inflight -= ring.copyCqes(cqUserData, cqRes, null);
            }
        } finally {
            try {
                closeResources();
            } finally {
                ring.close();
            }
        }
    }

    /** Closes what the subclass opened (its fd), after the ring has drained. */
    protected abstract void closeResources() throws IOException;
}
