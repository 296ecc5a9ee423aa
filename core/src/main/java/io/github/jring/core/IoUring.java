package io.github.jring.core;

import io.github.jring.core.internal.NativeAccess;
import io.github.jring.bindings.Uapi;
import io.github.jring.bindings.__kernel_timespec;
import io.github.jring.bindings.io_cqring_offsets;
import io.github.jring.bindings.io_sqring_offsets;
import io.github.jring.bindings.io_uring_files_update;
import io.github.jring.bindings.io_uring_getevents_arg;
import io.github.jring.bindings.io_uring_params;
import io.github.jring.bindings.io_uring_probe;
import io.github.jring.bindings.io_uring_probe_op;
import io.github.jring.bindings.io_uring_rsrc_register;
import io.github.jring.bindings.io_uring_rsrc_update;
import io.github.jring.bindings.io_uring_rsrc_update2;
import io.github.jring.bindings.io_uring_sync_cancel_reg;
import io.github.jring.bindings.iovec;
import io.github.jring.core.internal.Syscalls;
import io.github.jring.core.internal.Unsigned;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * An io_uring instance: the submission queue (SQ), the completion queue (CQ) and the SQE array, mapped into
 * {@link MemorySegment}s, driven with the kernel's lock-free protocol.
 *
 * <h2>Use</h2>
 * {@snippet :
 * try (IoUring ring = IoUring.open(64); Arena arena = Arena.ofConfined()) {
 *     MemorySegment buf = arena.allocate(4096);
 *     ring.getSqe().prepRead(fd, buf, 0).userData(1);
 *     ring.getSqe().prepNop().userData(2);
 *     ring.submitAndWait(2);                    // one io_uring_enter for the batch
 *     ring.forEachCqe(cqe -> System.out.println(cqe.userData() + " -> " + cqe.res()));
 * }
 * }
 *
 * <h2>Submission</h2>
 * {@link #getSqe()} hands out the next free slot, or {@code null} when the SQ is full: the kernel has not yet
 * consumed (its SQ head has not passed) every slot handed out before. A slot is never handed out again before the
 * kernel has consumed it, even with SQPOLL. On {@code null}, {@link #submit()} (and, with SQPOLL,
 * {@link #sqRingWait()}) and try again. {@link #submit()} publishes every entry obtained since the last submit with
 * one release store of the SQ tail and, if needed, one {@code io_uring_enter}: without SQPOLL whenever entries are
 * pending; with SQPOLL only to wake the kernel thread when it set {@code IORING_SQ_NEED_WAKEUP} (checked after a full
 * fence, as liburing does). Entries are submitted in the order they were obtained.
 *
 * <h2>Completion</h2>
 * {@link #peekCqe()} returns the completion at the CQ head without waiting; {@link #waitCqe()} waits for one;
 * {@link #waitCqe(long, TimeUnit)} waits with a timeout ({@code IORING_ENTER_EXT_ARG}, Linux 5.11; on a kernel without
 * {@code IORING_FEAT_EXT_ARG} a timeout SQE whose {@code user_data} is {@link #INTERNAL_TIMEOUT_USER_DATA} is used
 * instead, and its completions are never shown). A returned {@link Cqe} stays valid until it is marked seen with
 * {@link #cqeSeen(Cqe)} or {@link #cqAdvance(int)}. {@link #forEachCqe(CqeConsumer)}, {@link #peekBatchCqe(Cqe[])} and
 * {@link #copyCqes(long[], int[], int[])} reap in batches with one release store of the CQ head.
 *
 * <p><b>CQ overflow.</b> When more completions arrive than the CQ holds, the kernel (with
 * {@code IORING_FEAT_NODROP}, 5.5) keeps them in an overflow list and sets {@code IORING_SQ_CQ_OVERFLOW}. Whenever the
 * CQ is empty and that flag (or {@code IORING_SQ_TASKRUN}, or IOPOLL) says completions are waiting in the kernel,
 * the reaping methods call {@code io_uring_enter(IORING_ENTER_GETEVENTS)} to flush them, so no completion is lost;
 * keep reaping until {@link #peekCqe()} returns {@code null}. If the kernel could not even allocate an overflow entry
 * it reports {@code EBADR}, thrown as an {@link ErrnoException}.
 *
 * <h2>Errors from io_uring_enter</h2>
 * {@code EINTR} is retried. {@code EAGAIN} (no memory or resources for new requests) and {@code EBUSY} (the CQ and
 * its overflow are full) are thrown from the submitting methods as an {@link ErrnoException}: the entries that were
 * not consumed stay queued (the kernel's SQ head tells which), so reap completions and call {@link #submit()}
 * again. The waiting methods re-check the CQ on {@code EAGAIN}/{@code EBUSY} and return a completion if there is one.
 * Other errnos are thrown. Completions never throw by themselves: a failed request has a negative
 * {@link Cqe#res()}.
 *
 * <h2>Threads</h2>
 * Not thread-safe, like liburing: one thread at a time may use the submission side ({@code getSqe}, the
 * {@code prep*} methods, {@code submit*}) and one thread at a time the completion side ({@code peek*}, {@code wait*},
 * {@code forEachCqe}, {@code cqAdvance}); the two sides may be different threads. {@link #close()} must not run
 * concurrently with either. With {@code SINGLE_ISSUER} or {@code DEFER_TASKRUN} the kernel further requires one
 * submitting (and, for DEFER_TASKRUN, waiting) task: use one platform thread.
 *
 * <h2>Allocation</h2>
 * {@code getSqe}, the {@code prep*} methods, {@code submit}, {@code submitAndWait}, the {@code peek}/{@code wait}
 * methods, {@code forEachCqe} and {@code cqAdvance} allocate nothing: the {@link Sqe} and {@link Cqe} flyweights are
 * created once per slot at setup, and the memory the system calls need (errno capture, wait arguments) is allocated
 * once per ring.
 *
 * <h2>Closing</h2>
 * Closing a ring with requests in flight is defined: {@link #close()} first cancels everything in flight
 * ({@code IORING_ASYNC_CANCEL_ANY}) and reaps until the kernel is done with every request (an
 * {@code IOSQE_IO_DRAIN} NOP tells), for at most {@link IoUringBuilder#closeTimeout(Duration)}; only then does it
 * invalidate the ring's memory segments (any later access throws), unmap the SQE array and the rings, unregister the
 * ring fd if this thread registered it, and close the ring fd. So when {@code close()} returns, the kernel no longer
 * writes any request's memory, and the caller may free it. If requests outlive the timeout (a request no cancel
 * stops), {@code close()} throws {@link IllegalStateException} and leaves the ring open, as their buffers are still
 * the kernel's. {@link #cancelAndDrain} does the first half alone and hands over the completions;
 * {@link #inFlight()} is the ring's count of requests in flight.
 */
@SuppressWarnings("restricted") // FFM downcalls and reinterpretation of kernel memory are the point here
public final class IoUring implements AutoCloseable {

    static {
        NativeAccess.require(); // first: a JVM that denies native access gets one clear error, not one from the bindings
    }

    /**
     * The {@code user_data} of jring's own timeout requests, used by the timed waits only on kernels without
     * {@code IORING_FEAT_EXT_ARG} (before 5.11, i.e. never on the kernels jring supports); their completions are
     * consumed by the ring and never returned. (liburing's {@code LIBURING_UDATA_TIMEOUT}.)
     */
    public static final long INTERNAL_TIMEOUT_USER_DATA = -1L;

    /**
     * The lowest of the 65536 {@code user_data} values ({@code Long.MIN_VALUE} to {@code Long.MIN_VALUE + 65535})
     * that {@link #cancelAndDrain} and {@link #close()} give their own requests (the cancel and the draining NOP).
     * They consume those completions themselves; only after a {@code cancelAndDrain} that ran out of time (or a
     * {@code close()} that threw) can a late one still turn up in the CQ, to be ignored. Do not use these values.
     */
    public static final long DRAIN_USER_DATA_BASE = Long.MIN_VALUE;

    private static final VarHandle INT = JAVA_INT.varHandle();

    private static final int SETUP_SQPOLL = Uapi.IORING_SETUP_SQPOLL();
    private static final int SETUP_IOPOLL = Uapi.IORING_SETUP_IOPOLL();
    private static final int SETUP_SQE128 = Uapi.IORING_SETUP_SQE128();
    private static final int SETUP_CQE32 = Uapi.IORING_SETUP_CQE32();
    private static final int SETUP_NO_SQARRAY = Uapi.IORING_SETUP_NO_SQARRAY();
    private static final int SETUP_NO_MMAP = Uapi.IORING_SETUP_NO_MMAP();
    private static final int FEAT_SINGLE_MMAP = Uapi.IORING_FEAT_SINGLE_MMAP();
    private static final int FEAT_EXT_ARG = Uapi.IORING_FEAT_EXT_ARG();
    private static final int SQ_NEED_WAKEUP = Uapi.IORING_SQ_NEED_WAKEUP();
    private static final int SQ_CQ_OVERFLOW = Uapi.IORING_SQ_CQ_OVERFLOW();
    private static final int SQ_TASKRUN = Uapi.IORING_SQ_TASKRUN();
    private static final int ENTER_GETEVENTS = Uapi.IORING_ENTER_GETEVENTS();
    private static final int ENTER_SQ_WAKEUP = Uapi.IORING_ENTER_SQ_WAKEUP();
    private static final int ENTER_SQ_WAIT = Uapi.IORING_ENTER_SQ_WAIT();
    private static final int ENTER_EXT_ARG = Uapi.IORING_ENTER_EXT_ARG();
    private static final int ENTER_REGISTERED_RING = Uapi.IORING_ENTER_REGISTERED_RING();
    private static final int EINTR = Uapi.EINTR();
    private static final int EAGAIN = Uapi.EAGAIN();
    private static final int EBUSY = Uapi.EBUSY();
    private static final int ETIME = Uapi.ETIME();
    private static final int EINVAL = Uapi.EINVAL();
    private static final int EOPNOTSUPP = Uapi.EOPNOTSUPP();
    private static final int ECANCELED = Uapi.ECANCELED();
    private static final int CQE_F_MORE = Uapi.IORING_CQE_F_MORE();
    private static final int SQE_LINK_FLAGS = Uapi.IOSQE_IO_LINK() | Uapi.IOSQE_IO_HARDLINK();
    private static final int CANCEL_ANY = Uapi.IORING_ASYNC_CANCEL_ANY();
    /** Test hook: ANY together with FD, which every kernel refuses with EINVAL (as kernels before 5.19 refuse ANY). */
    private static final int CANCEL_ANY_REFUSED = CANCEL_ANY | Uapi.IORING_ASYNC_CANCEL_FD();
    /** Test hook: a cancel flag no kernel knows, so that IORING_REGISTER_SYNC_CANCEL answers EINVAL. */
    private static final int SYNC_CANCEL_UNKNOWN_FLAG = 1 << 30;
    /** While draining: how often the cancel-everything is repeated for requests that started since. */
    private static final long RECANCEL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /** How many user_data values from {@link #DRAIN_USER_DATA_BASE} are reserved. */
    private static final long DRAIN_USER_DATA_COUNT = 1L << 16;
    /** Skip mode (drain refused): how long to keep reaping for counted requests after the cancel's completion. */
    private static final long SKIP_SUCCESS_GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final CqeConsumer DISCARD = cqe -> { };
    // A cancelAndDrain's own requests: user_data = its base + one of these.
    private static final int OWN_CANCEL = 0;
    private static final int OWN_DRAIN = 1;
    /** A NOP that ends a link chain left open by the last entry submitted. */
    private static final int OWN_NOP = 2;
    private static final int PROT_RW = Uapi.PROT_READ() | Uapi.PROT_WRITE();
    private static final int MAP_SHARED_POPULATE = Uapi.MAP_SHARED() | Uapi.MAP_POPULATE();
    private static final long GETEVENTS_ARG_SIZE = io_uring_getevents_arg.layout().byteSize();
    /**
     * {@code _NSIG / 8}, the kernel's signal-set size in bytes ({@code _NSIG} is 64 in {@code <asm/signal.h>} on
     * x86-64 and arm64; not in the bindings). liburing passes it as {@code sigmask_sz}; the kernel only checks it when a
     * mask is given.
     */
    private static final int KERNEL_SIGSET_BYTES = 64 / 8;
    /** Probe size: {@code struct io_uring_probe} with room for 256 ops (the opcode is a {@code __u8}). */
    private static final int PROBE_OPS = 256;

    private final int ringFd;
    private final int flags;
    private final int features;
    private final int sqEntries;
    private final int cqEntries;
    private final int sqMask;
    private final int cqMask;
    private final int sqeSize;
    private final int cqeSize;
    private final int sqThreadCpu;
    private final int sqThreadIdle;
    private final boolean sqPoll;
    private final boolean ioPoll;
    /** Whether waits with a timeout can use IORING_ENTER_EXT_ARG (else: an internal timeout SQE). */
    private final boolean extArg;
    /** !extArg: completions with INTERNAL_TIMEOUT_USER_DATA are the ring's own and are skipped. */
    private final boolean skipInternalTimeouts;

    private final Arena arena;
    private final MemorySegment sqRing;
    private final MemorySegment cqRing;
    private final long sqRingAddr;
    private final long sqRingSize;
    private final long cqRingAddr;
    private final long cqRingSize;
    private final long sqesAddr;
    private final long sqesSize;

    // Offsets of the kernel's ring fields inside sqRing / cqRing.
    private final long kSqHead;
    private final long kSqTail;
    private final long kSqFlags;
    private final long kSqDropped;
    private final long kCqHead;
    private final long kCqTail;
    private final long kCqOverflow;

    private final Sqe[] sqeSlots;
    private final Cqe[] cqeSlots;

    // Submission side (liburing's sqe_tail/sqe_head): entries handed out, and entries published to the kernel.
    private int sqeTail;
    private int sqePublished;
    /** The kernel's SQ head as last read; only ever behind the real one, so it is safe for the "full" check. */
    private int cachedSqHead;
    // Completion side: the CQ head (only this side writes it, so a local copy is exact).
    private int cqHead;

    // Per-side scratch memory for io_uring_enter, allocated once.
    private final MemorySegment submitErrno;
    private final MemorySegment submitArg;
    private final MemorySegment submitTs;
    private final MemorySegment reapErrno;
    private final MemorySegment reapArg;
    private final MemorySegment reapTs;
    /** The {@code struct io_uring_sync_cancel_reg} of the close's cancel-everything. */
    private final MemorySegment syncCancelArg;

    private int registeredIndex = -1;
    private Thread registeredThread;
    private long enterCount;
    private boolean closed;

    /*
     * submitAndWait's guess whether the completions it waits for will be in the CQ as soon as the submit returns
     * (requests the kernel completes inline post their CQEs before io_uring_enter returns). A waiting enter must pay
     * FFM's thread-state transition, about 12 ns here (a critical downcall that slept would hold up every safepoint);
     * a submit-only enter need not. Submission side only.
     */
    /** After a submitAndWait whose completions were not inline, the calls until it submits without waiting again. */
    static final int INLINE_PROBE_INTERVAL = 32;
    private boolean readyAfterSubmit = true;
    private int inlineProbeCountdown;

    // Requests in flight = SQEs the kernel consumed - completions reaped that end a request. Both sides are counted
    // from their heads at setup, and only the completions with IORING_CQE_F_MORE need a counter of their own (they
    // do not end their request), so the hot path pays one flag test per reaped completion. See inFlight().
    private final int sqHeadBase;
    private final int cqHeadBase;
    /** Completions reaped with IORING_CQE_F_MORE (completion side only). */
    private int cqeMoreReaped;
    private final long closeTimeoutNanos;
    private final boolean rejectCancelAny;
    /** Numbers the cancelAndDrain calls, so that a late completion of an earlier one is not taken for the current. */
    private int drainAttempt;
    /** The latest cancelAndDrain, for the count in close()'s message. */
    private DrainState currentDrain;

    private IoUring(int ringFd, MemorySegment params, IoUringBuilder options, RingMemory memory)
            throws ErrnoException {
        this.ringFd = ringFd;
        this.flags = io_uring_params.flags(params);
        this.features = io_uring_params.features(params);
        this.sqEntries = io_uring_params.sq_entries(params);
        this.cqEntries = io_uring_params.cq_entries(params);
        this.sqThreadCpu = io_uring_params.sq_thread_cpu(params);
        this.sqThreadIdle = io_uring_params.sq_thread_idle(params);
        this.sqPoll = (flags & SETUP_SQPOLL) != 0;
        this.ioPoll = (flags & SETUP_IOPOLL) != 0;
        this.extArg = (features & FEAT_EXT_ARG) != 0 && !options.ignoreExtArg;
        this.skipInternalTimeouts = !extArg;
        // The SQE and CQE sizes come from the setup flags, never from the features word.
        this.sqeSize = (flags & SETUP_SQE128) != 0 ? 2 * Sqe.SQE_SIZE : Sqe.SQE_SIZE;
        this.cqeSize = (flags & SETUP_CQE32) != 0 ? 2 * Cqe.CQE_SIZE : Cqe.CQE_SIZE;

        MemorySegment sqOff = io_uring_params.sq_off(params);
        MemorySegment cqOff = io_uring_params.cq_off(params);
        boolean hasSqArray = (flags & SETUP_NO_SQARRAY) == 0;
        long sqArrayOff = Integer.toUnsignedLong(io_sqring_offsets.array(sqOff));
        // Without the index array (NO_SQARRAY), the SQ ring is just its header fields: cover the last of them.
        long sqSize = hasSqArray ? sqArrayOff + 4L * sqEntries
                : 4L + Math.max(Math.max(Integer.toUnsignedLong(io_sqring_offsets.head(sqOff)),
                        Integer.toUnsignedLong(io_sqring_offsets.tail(sqOff))),
                Math.max(Math.max(Integer.toUnsignedLong(io_sqring_offsets.ring_mask(sqOff)),
                                Integer.toUnsignedLong(io_sqring_offsets.ring_entries(sqOff))),
                        Math.max(Integer.toUnsignedLong(io_sqring_offsets.flags(sqOff)),
                                Integer.toUnsignedLong(io_sqring_offsets.dropped(sqOff)))));
        long cqesOff = Integer.toUnsignedLong(io_cqring_offsets.cqes(cqOff));
        long cqSize = cqesOff + (long) cqEntries * cqeSize;
        // The kernel serves both offsets from one allocation either way; with SINGLE_MMAP one mapping covers both.
        boolean singleMmap = memory != null
                || (features & FEAT_SINGLE_MMAP) != 0 && !options.ignoreSingleMmap;
        if (memory != null) {
            sqSize = cqSize = memory.ringsSize; // NO_MMAP: the rings are the region jring allocated
        } else if (singleMmap) {
            sqSize = cqSize = Math.max(sqSize, cqSize);
        }
        this.sqRingSize = sqSize;
        this.cqRingSize = cqSize;
        this.sqesSize = memory != null ? memory.sqesSize : (long) sqeSize * sqEntries;

        long sqAddr = 0;
        long cqAddr = 0;
        long sqesA = 0;
        Arena shared = Arena.ofShared();
        if (memory != null) {
            sqAddr = cqAddr = memory.ringsAddr;
            sqesA = memory.sqesAddr;
        } else {
            try (Arena tmp = Arena.ofConfined()) {
                MemorySegment errno = Syscalls.allocateErrnoState(tmp);
                sqAddr = mmapOrThrow(errno, sqSize, Uapi.IORING_OFF_SQ_RING(), "SQ ring");
                cqAddr = singleMmap ? sqAddr : mmapOrThrow(errno, cqSize, Uapi.IORING_OFF_CQ_RING(), "CQ ring");
                sqesA = mmapOrThrow(errno, sqesSize, Uapi.IORING_OFF_SQES(), "SQE array");
            } catch (ErrnoException | RuntimeException | Error e) {
                try (Arena tmp = Arena.ofConfined()) {
                    MemorySegment errno = Syscalls.allocateErrnoState(tmp);
                    if (sqesA > 0) {
                        Syscalls.munmap(errno, sqesA, sqesSize);
                    }
                    if (cqAddr > 0 && cqAddr != sqAddr) {
                        Syscalls.munmap(errno, cqAddr, cqSize);
                    }
                    if (sqAddr > 0) {
                        Syscalls.munmap(errno, sqAddr, sqSize);
                    }
                }
                shared.close();
                throw e;
            }
        }
        this.arena = shared;
        this.sqRingAddr = sqAddr;
        this.cqRingAddr = cqAddr;
        this.sqesAddr = sqesA;
        // Reinterpreted once, here: the hot path never slices.
        this.sqRing = MemorySegment.ofAddress(sqAddr).reinterpret(sqSize, shared, null);
        this.cqRing = cqAddr == sqAddr ? sqRing : MemorySegment.ofAddress(cqAddr).reinterpret(cqSize, shared, null);
        MemorySegment sqes = MemorySegment.ofAddress(sqesA).reinterpret(sqesSize, shared, null);

        this.kSqHead = Integer.toUnsignedLong(io_sqring_offsets.head(sqOff));
        this.kSqTail = Integer.toUnsignedLong(io_sqring_offsets.tail(sqOff));
        this.kSqFlags = Integer.toUnsignedLong(io_sqring_offsets.flags(sqOff));
        this.kSqDropped = Integer.toUnsignedLong(io_sqring_offsets.dropped(sqOff));
        this.kCqHead = Integer.toUnsignedLong(io_cqring_offsets.head(cqOff));
        this.kCqTail = Integer.toUnsignedLong(io_cqring_offsets.tail(cqOff));
        this.kCqOverflow = Integer.toUnsignedLong(io_cqring_offsets.overflow(cqOff));
        this.sqMask = sqRing.get(JAVA_INT, Integer.toUnsignedLong(io_sqring_offsets.ring_mask(sqOff)));
        this.cqMask = cqRing.get(JAVA_INT, Integer.toUnsignedLong(io_cqring_offsets.ring_mask(cqOff)));

        if (hasSqArray) {
            // Identity mapping, written once (as liburing does): SQ slot i holds SQE i.
            for (int i = 0; i < sqEntries; i++) {
                sqRing.set(JAVA_INT, sqArrayOff + 4L * i, i);
            }
        }
        this.sqeSlots = new Sqe[sqEntries];
        for (int i = 0; i < sqEntries; i++) {
            sqeSlots[i] = new Sqe(sqes, i, sqeSize);
        }
        this.cqeSlots = new Cqe[cqEntries];
        for (int i = 0; i < cqEntries; i++) {
            cqeSlots[i] = new Cqe(cqRing, cqesOff, i, cqeSize);
        }
        this.sqeTail = this.sqePublished = (int) INT.getAcquire(sqRing, kSqTail);
        this.cachedSqHead = (int) INT.getAcquire(sqRing, kSqHead);
        this.cqHead = (int) INT.getAcquire(cqRing, kCqHead);
        this.sqHeadBase = cachedSqHead;
        this.cqHeadBase = cqHead;
        this.closeTimeoutNanos = options.closeTimeoutNanos;
        this.rejectCancelAny = options.rejectCancelAny;

        this.submitErrno = Syscalls.allocateErrnoState(shared);
        this.submitTs = shared.allocate(__kernel_timespec.layout());
        this.submitArg = shared.allocate(io_uring_getevents_arg.layout());
        this.reapErrno = Syscalls.allocateErrnoState(shared);
        this.reapTs = shared.allocate(__kernel_timespec.layout());
        this.reapArg = shared.allocate(io_uring_getevents_arg.layout());
        initGeteventsArg(submitArg, submitTs);
        initGeteventsArg(reapArg, reapTs);
        this.syncCancelArg = shared.allocate(io_uring_sync_cancel_reg.layout());
        // Cancel everything: IORING_ASYNC_CANCEL_ANY (the test hook adds a bit no kernel knows: EINVAL, as before 6.0).
        io_uring_sync_cancel_reg.flags(syncCancelArg, rejectCancelAny ? CANCEL_ANY | SYNC_CANCEL_UNKNOWN_FLAG
                : CANCEL_ANY);
        io_uring_sync_cancel_reg.fd(syncCancelArg, -1);
        MemorySegment forever = io_uring_sync_cancel_reg.timeout(syncCancelArg);
        __kernel_timespec.tv_sec(forever, -1L); // no timeout (only used for a single-request cancel)
        __kernel_timespec.tv_nsec(forever, -1L);
    }

    private static void initGeteventsArg(MemorySegment arg, MemorySegment ts) {
        io_uring_getevents_arg.sigmask(arg, 0L);
        io_uring_getevents_arg.sigmask_sz(arg, KERNEL_SIGSET_BYTES);
        io_uring_getevents_arg.ts(arg, ts.address());
    }

    private long mmapOrThrow(MemorySegment errno, long size, long offset, String what) throws ErrnoException {
        return mmapOrThrow(errno, size, MAP_SHARED_POPULATE, ringFd, offset, what);
    }

    /** A read-write mapping for the ring ({@code what} names it in the error), or an ErrnoException. */
    static long mmapOrThrow(MemorySegment errno, long size, int mapFlags, int fd, long offset, String what)
            throws ErrnoException {
        long a = Syscalls.mmap(errno, size, PROT_RW, mapFlags, fd, offset);
        if (a < 0 && a >= -4095) {
            throw new ErrnoException("mmap of the io_uring " + what + " (" + size + " bytes)", (int) -a);
        }
        return a;
    }

    // -------------------------------------------------------------------------------------------------------------
    // Setup
    // -------------------------------------------------------------------------------------------------------------

    /**
     * A builder for a ring with setup flags.
     *
     * @return a new builder
     */
    public static IoUringBuilder builder() {
        return new IoUringBuilder();
    }

    /**
     * Sets up a ring with {@code entries} SQ entries and default options (as {@code io_uring_queue_init(entries,
     * &ring, 0)}).
     *
     * @param entries SQ entries (a power of two is used; at most 32768)
     * @return the open ring
     * @throws ErrnoException if {@code io_uring_setup} or a mapping fails
     */
    public static IoUring open(int entries) throws ErrnoException {
        return builder().build(entries);
    }

    /**
     * Why {@code io_uring_setup} failed where the errno alone does not say, and what to do: the three ways a system
     * refuses io_uring as a whole ({@link #availability()} tells them apart on this machine).
     */
    private static String setupAdvice(int errno) {
        if (errno == Uapi.ENOSYS()) {
            return ". This kernel has no io_uring (it needs Linux 5.1+ built with CONFIG_IO_URING), or a seccomp filter"
                    + " answers ENOSYS for it";
        } else if (errno == Uapi.EPERM()) {
            return ". io_uring is refused here: by a seccomp filter (Docker's default profile blocks the io_uring"
                    + " system calls: run with a profile that allows io_uring_setup/enter/register) or by the sysctl"
                    + " kernel.io_uring_disabled (1: only the group in kernel.io_uring_group, 2: nobody);"
                    + " IoUring.availability() or ./jring doctor tells which";
        } else if (errno == Uapi.ENOMEM()) {
            return ". The ring's memory counts against RLIMIT_MEMLOCK for a process without CAP_IPC_LOCK (before 5.12"
                    + " always; 6.18 charges it too): raise it (ulimit -l, memlock in /etc/security/limits.conf,"
                    + " LimitMEMLOCK= for a systemd service) or use fewer entries; IoUring.availability() shows the limit";
        }
        return "";
    }

    /**
     * Sets up a ring with {@code entries} SQ entries and raw {@code IORING_SETUP_*} flags (see
     * {@link IoUringBuilder} for flags that take parameters).
     *
     * @param entries    SQ entries
     * @param setupFlags {@code IORING_SETUP_*} flags
     * @return the open ring
     * @throws ErrnoException if {@code io_uring_setup} or a mapping fails
     */
    public static IoUring open(int entries, int setupFlags) throws ErrnoException {
        return builder().flags(setupFlags).build(entries);
    }

    /**
     * Whether io_uring can be used by this process and, if not, exactly why and what to do; with the kernel release,
     * the feature bits, which setup flags the kernel accepts, the opcodes it supports and whether a fixed buffer can
     * be registered under this process's {@code RLIMIT_MEMLOCK}. It sets up (and closes) a few tiny rings, so it takes
     * milliseconds; it never throws for a kernel that refuses, that is what it reports.
     * {@snippet :
     * Availability a = IoUring.availability();
     * if (!a.usable()) {
     *     System.err.println(a.reason() + "\nfix: " + a.fix());   // e.g. cause SECCOMP, errno EPERM
     * }
     * }
     * {@code ./jring doctor} prints it ({@link Availability#toText()}, or {@link Availability#toJson()}).
     *
     * @return the report
     */
    public static Availability availability() {
        return Availability.check();
    }

    static IoUring setup(int entries, IoUringBuilder b) throws ErrnoException {
        int base = b.flags;
        if (b.noSqArray == IoUringBuilder.SQARRAY_NONE) {
            base |= SETUP_NO_SQARRAY;
        }
        boolean tryNoSqArray = b.noSqArray == IoUringBuilder.SQARRAY_AUTO;
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment errno = Syscalls.allocateErrnoState(tmp);
            MemorySegment p = tmp.allocate(io_uring_params.layout());
            // The flags to try, best first: each optional flag (NO_MMAP 6.5+, NO_SQARRAY 6.6+) is dropped in turn
            // when the kernel answers EINVAL (any other cause of EINVAL fails again with the last, plainest set).
            int[] tries = b.noMmap
                    ? (tryNoSqArray ? new int[] {base | SETUP_NO_MMAP | SETUP_NO_SQARRAY, base | SETUP_NO_MMAP,
                        base | SETUP_NO_SQARRAY, base} : new int[] {base | SETUP_NO_MMAP, base})
                    : (tryNoSqArray ? new int[] {base | SETUP_NO_SQARRAY, base} : new int[] {base});
            int asked = 0;
            int fd = -EINVAL;
            RingMemory memory = null;
            for (int i = 0; i < tries.length && fd == -EINVAL; i++) {
                asked = tries[i];
                if ((asked & SETUP_NO_MMAP) != 0 && memory == null) {
                    memory = RingMemory.allocate(errno, entries, asked, b.cqEntries);
                } else if ((asked & SETUP_NO_MMAP) == 0 && memory != null) {
                    memory.free(errno);
                    memory = null;
                }
                fd = trySetup(errno, p, entries, asked, memory, b);
            }
            if (fd < 0) {
                if (memory != null) {
                    memory.free(errno);
                }
                throw new ErrnoException("io_uring_setup", -fd, "entries=" + entries + ", flags=" + setupFlagNames(asked)
                        + setupAdvice(-fd));
            }
            try {
                return new IoUring(fd, p, b, memory);
            } catch (ErrnoException | RuntimeException | Error e) {
                Syscalls.close(errno, fd);
                if (memory != null) {
                    memory.free(errno);
                }
                throw e;
            }
        }
    }

    private static int trySetup(MemorySegment errno, MemorySegment p, int entries, int setupFlags, RingMemory memory,
                                IoUringBuilder b) {
        p.fill((byte) 0);
        if (memory != null) {
            memory.describe(p); // NO_MMAP: the addresses of the memory for the rings and the SQEs
        }
        io_uring_params.flags(p, setupFlags);
        io_uring_params.sq_thread_cpu(p, b.sqThreadCpu);
        io_uring_params.sq_thread_idle(p, b.sqThreadIdle);
        io_uring_params.cq_entries(p, b.cqEntries);
        io_uring_params.wq_fd(p, b.wqFd);
        int fd = Syscalls.ioUringSetup(errno, entries, p.address());
        if (fd >= 0 && ((b.rejectNoSqArray && (setupFlags & SETUP_NO_SQARRAY) != 0)
                || (b.rejectNoMmap && (setupFlags & SETUP_NO_MMAP) != 0))) {
            Syscalls.close(errno, fd); // test hook: answer as a kernel before 6.6 (or 6.5) would
            return -EINVAL;
        }
        return fd;
    }

    /**
     * Names the {@code IORING_SETUP_*} bits of {@code setupFlags}, for messages: {@code "SQPOLL|SQE128|0x80000000"}.
     *
     * @param setupFlags the flags
     * @return the names joined by {@code |}, or {@code "0"}
     */
    public static String setupFlagNames(int setupFlags) {
        String[] names = {"IOPOLL", "SQPOLL", "SQ_AFF", "CQSIZE", "CLAMP", "ATTACH_WQ", "R_DISABLED", "SUBMIT_ALL",
            "COOP_TASKRUN", "TASKRUN_FLAG", "SQE128", "CQE32", "SINGLE_ISSUER", "DEFER_TASKRUN", "NO_MMAP",
            "REGISTERED_FD_ONLY", "NO_SQARRAY", "HYBRID_IOPOLL", "CQE_MIXED", "SQE_MIXED", "SQ_REWIND"};
        int[] bits = {Uapi.IORING_SETUP_IOPOLL(), Uapi.IORING_SETUP_SQPOLL(), Uapi.IORING_SETUP_SQ_AFF(),
            Uapi.IORING_SETUP_CQSIZE(), Uapi.IORING_SETUP_CLAMP(), Uapi.IORING_SETUP_ATTACH_WQ(),
            Uapi.IORING_SETUP_R_DISABLED(), Uapi.IORING_SETUP_SUBMIT_ALL(), Uapi.IORING_SETUP_COOP_TASKRUN(),
            Uapi.IORING_SETUP_TASKRUN_FLAG(), Uapi.IORING_SETUP_SQE128(), Uapi.IORING_SETUP_CQE32(),
            Uapi.IORING_SETUP_SINGLE_ISSUER(), Uapi.IORING_SETUP_DEFER_TASKRUN(), Uapi.IORING_SETUP_NO_MMAP(),
            Uapi.IORING_SETUP_REGISTERED_FD_ONLY(), Uapi.IORING_SETUP_NO_SQARRAY(),
            Uapi.IORING_SETUP_HYBRID_IOPOLL(), Uapi.IORING_SETUP_CQE_MIXED(), Uapi.IORING_SETUP_SQE_MIXED(),
            Uapi.IORING_SETUP_SQ_REWIND()};
        StringBuilder sb = new StringBuilder();
        int rest = setupFlags;
        for (int i = 0; i < bits.length; i++) {
            if ((setupFlags & bits[i]) != 0) {
                sb.append(sb.isEmpty() ? "" : "|").append(names[i]);
                rest &= ~bits[i];
            }
        }
        if (rest != 0) {
            sb.append(sb.isEmpty() ? "" : "|").append("0x").append(Integer.toHexString(rest));
        }
        return sb.isEmpty() ? "0" : sb.toString();
    }

    // -------------------------------------------------------------------------------------------------------------
    // Properties
    // -------------------------------------------------------------------------------------------------------------

    /**
     * The ring's file descriptor.
     *
     * @return the fd
     */
    public int fd() {
        return ringFd;
    }

    /**
     * The setup flags as the kernel accepted them (read back from {@code io_uring_params.flags} after setup),
     * including {@code IORING_SETUP_NO_SQARRAY} when it was used.
     *
     * @return {@code IORING_SETUP_*} bits
     */
    public int flags() {
        return flags;
    }

    /**
     * The kernel's {@code IORING_FEAT_*} bits for this ring.
     *
     * @return the features word
     */
    public int features() {
        return features;
    }

    /**
     * Whether the kernel reported {@code feature}.
     *
     * @param feature an {@code IORING_FEAT_*} bit
     * @return true if present
     */
    public boolean hasFeature(int feature) {
        return (features & feature) == feature;
    }

    /**
     * SQ entries (the requested number rounded up to a power of two, or clamped).
     *
     * @return entries
     */
    public int sqEntries() {
        return sqEntries;
    }

    /**
     * CQ entries.
     *
     * @return entries
     */
    public int cqEntries() {
        return cqEntries;
    }

    /**
     * SQE size: 64, or 128 with {@code IORING_SETUP_SQE128}.
     *
     * @return bytes
     */
    public int sqeSize() {
        return sqeSize;
    }

    /**
     * CQE size: 16, or 32 with {@code IORING_SETUP_CQE32}.
     *
     * @return bytes
     */
    public int cqeSize() {
        return cqeSize;
    }

    /**
     * {@code io_uring_params.sq_thread_cpu} as read back.
     *
     * @return the SQPOLL CPU
     */
    public int sqThreadCpu() {
        return sqThreadCpu;
    }

    /**
     * {@code io_uring_params.sq_thread_idle} as read back, in milliseconds.
     *
     * @return the SQPOLL idle time
     */
    public int sqThreadIdle() {
        return sqThreadIdle;
    }

    /**
     * Whether the SQ and CQ rings share one mapping ({@code IORING_FEAT_SINGLE_MMAP}, Linux 5.4).
     *
     * @return true if one {@code mmap} covers both rings
     */
    public boolean singleMmap() {
        return cqRingAddr == sqRingAddr;
    }

    /**
     * Whether {@link #close()} has been called.
     *
     * @return true once closed
     */
    public boolean isClosed() {
        return closed;
    }

    /**
     * The kernel's SQ flags word ({@code IORING_SQ_NEED_WAKEUP}, {@code IORING_SQ_CQ_OVERFLOW},
     * {@code IORING_SQ_TASKRUN}), read now.
     *
     * @return the flags
     */
    public int sqFlags() {
        checkOpen();
        return (int) INT.getAcquire(sqRing, kSqFlags);
    }

    /**
     * The kernel's count of completions it had to drop ({@code cq.overflow}); stays 0 with
     * {@code IORING_FEAT_NODROP} unless memory ran out.
     *
     * @return dropped completions
     */
    public int cqOverflow() {
        checkOpen();
        return (int) INT.getAcquire(cqRing, kCqOverflow);
    }

    /**
     * The kernel's count of invalid SQEs it skipped ({@code sq.dropped}).
     *
     * @return dropped submissions
     */
    public int sqDropped() {
        checkOpen();
        return (int) INT.getAcquire(sqRing, kSqDropped);
    }

    /**
     * How many times this ring called {@code io_uring_enter} (a statistic for tests and benchmarks; not
     * synchronized).
     *
     * @return the count
     */
    public long enterCount() {
        return enterCount;
    }

    // -------------------------------------------------------------------------------------------------------------
    // Submission
    // -------------------------------------------------------------------------------------------------------------

    /**
     * The next free SQE, or {@code null} if the SQ is full (every slot has been handed out and not yet consumed by
     * the kernel). The entry holds stale data: fill it with a {@code prep*} method. Allocates nothing.
     *
     * @return the entry, or {@code null} when full: {@link #submit()} then retry
     * @throws IllegalStateException if the ring is closed
     */
    public Sqe getSqe() {
        checkOpen();
        int tail = sqeTail;
        if (tail - cachedSqHead >= sqEntries) {
            // Looks full: the kernel may have consumed entries since we last looked.
            int head = (int) INT.getAcquire(sqRing, kSqHead);
            cachedSqHead = head;
            if (tail - head >= sqEntries) {
                return null;
            }
        }
        sqeTail = tail + 1;
        return sqeSlots[tail & sqMask];
    }

    /**
     * Entries handed out by {@link #getSqe()} and not yet consumed by the kernel (published or not).
     *
     * @return the count
     */
    public int sqReady() {
        checkOpen();
        return sqeTail - (int) INT.getAcquire(sqRing, kSqHead);
    }

    /**
     * Free SQ slots: how many more {@link #getSqe()} calls will succeed before the kernel consumes anything.
     *
     * @return the count
     */
    public int sqSpaceLeft() {
        return sqEntries - sqReady();
    }

    /**
     * Submits every entry obtained since the last submit. Without SQPOLL: one {@code io_uring_enter}, if any entry
     * is pending (and, on IOPOLL rings or with completions waiting in the kernel, it also reaps). With SQPOLL: no
     * system call unless the kernel thread needs a wakeup.
     *
     * @return the number of entries submitted: consumed by the kernel in this call (without SQPOLL; entries left
     *         over by an earlier error are included), or published to the SQ thread by this call (with SQPOLL)
     * @throws ErrnoException if {@code io_uring_enter} fails (see the class description for {@code EAGAIN} and
     *                        {@code EBUSY})
     */
    public int submit() throws ErrnoException {
        checkOpen();
        return submitInternal(0, 0, 0L, 0L);
    }

    /**
     * Submits (as {@link #submit()}) and waits until at least {@code waitNr} completions are in the CQ. A signal that
     * interrupts the wait does not end it: where the kernel answers {@code EINTR}, or returns early with the number it
     * submitted, this waits again.
     *
     * <p>Usually one {@code io_uring_enter}. Requests the kernel completes inline (a NOP, a read from the page cache,
     * a receive on a socket with data waiting) have their completions in the CQ when the submit returns, so while
     * they do this submits without waiting, through a cheaper downcall (no thread-state transition), and checks the
     * CQ. When the completions were not there, it waits with a second {@code io_uring_enter}, and the next
     * {@value #INLINE_PROBE_INTERVAL} - 1 calls submit and wait in one before it tries again; a ring whose requests
     * never complete inline pays the second enter once in {@value #INLINE_PROBE_INTERVAL} calls. Rings with SQPOLL or
     * IOPOLL always submit and wait in one.
     *
     * @param waitNr completions to wait for (0: do not wait)
     * @return the number of entries submitted
     * @throws ErrnoException if {@code io_uring_enter} fails
     */
    public int submitAndWait(int waitNr) throws ErrnoException {
        checkOpen();
        Unsigned.checkU32(waitNr, "waitNr");
        if (waitNr > 0 && !sqPoll && !ioPoll && (readyAfterSubmit || --inlineProbeCountdown <= 0)) {
            // Submit without waiting (a critical downcall) and wait only if the completions did not come inline.
            int submitted = submitInternal(0, 0, 0L, 0L);
            readyAfterSubmit = cqReady() >= waitNr;
            if (!readyAfterSubmit) {
                inlineProbeCountdown = INLINE_PROBE_INTERVAL;
                awaitReady(waitNr, 0L);
            }
            return submitted;
        }
        int submitted = submitInternal(waitNr, 0, 0L, 0L);
        awaitReady(waitNr, 0L);
        return submitted;
    }

    /**
     * Submits and waits until at least {@code waitNr} completions are in the CQ or the timeout expires (liburing's
     * {@code io_uring_submit_and_wait_timeout}). A timeout is not an error: check the CQ. A signal that interrupts the
     * wait does not end it early: the wait goes on for the rest of the time.
     *
     * @param waitNr  completions to wait for
     * @param timeout the longest time to wait
     * @param unit    its unit
     * @return the number of entries submitted (on a kernel without {@code IORING_FEAT_EXT_ARG}, including the
     *         internal timeout entry)
     * @throws ErrnoException if {@code io_uring_enter} fails for another reason than the timeout
     */
    public int submitAndWait(int waitNr, long timeout, TimeUnit unit) throws ErrnoException {
        checkOpen();
        long nanos = Math.max(0L, unit.toNanos(timeout));
        if (extArg) {
            long deadline = System.nanoTime() + nanos;
            KernelTimespec.set(submitTs, nanos);
            int submitted = submitInternal(Unsigned.checkU32(waitNr, "waitNr"), ENTER_EXT_ARG, submitArg.address(),
                    GETEVENTS_ARG_SIZE);
            awaitReady(waitNr, deadline);
            return submitted;
        }
        queueInternalTimeout(submitTs, nanos, waitNr);
        return submitInternal(Unsigned.checkU32(waitNr, "waitNr"), 0, 0L, 0L);
    }

    /**
     * With SQPOLL, when the SQ is full, waits until the kernel thread has consumed entries
     * ({@code IORING_ENTER_SQ_WAIT}, Linux 5.10). Returns at once otherwise.
     *
     * @throws ErrnoException if {@code io_uring_enter} fails
     */
    public void sqRingWait() throws ErrnoException {
        checkOpen();
        if (!sqPoll || sqSpaceLeft() > 0) {
            return;
        }
        for (;;) {
            int ret = enter(submitErrno, 0, 0, ENTER_SQ_WAIT, 0L, 0L);
            if (ret >= 0) {
                return;
            }
            if (ret != -EINTR) {
                throw new ErrnoException("io_uring_enter (IORING_ENTER_SQ_WAIT)", -ret);
            }
        }
    }

    /**
     * After a submit-and-wait: waits on while fewer than {@code waitNr} completions are in the CQ. A wait that a
     * signal interrupts after the same call submitted entries does not fail with {@code EINTR}: the kernel returns the
     * number submitted, as if the wait were over. Waits until {@code deadline} ({@code System.nanoTime()}), or without
     * limit when it is 0. {@code EAGAIN}/{@code EBUSY} end the wait (the caller reaps and tries again).
     */
    private void awaitReady(int waitNr, long deadline) throws ErrnoException {
        while (waitNr > 0 && cqReady() < waitNr) {
            int ret;
            if (deadline == 0L) {
                ret = enter(submitErrno, 0, waitNr, ENTER_GETEVENTS, 0L, 0L);
            } else {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                KernelTimespec.set(submitTs, left);
                ret = enter(submitErrno, 0, waitNr, ENTER_GETEVENTS | ENTER_EXT_ARG, submitArg.address(),
                        GETEVENTS_ARG_SIZE);
                if (ret == -ETIME) {
                    return;
                }
            }
            if (ret < 0 && ret != -EINTR) {
                if (ret == -EAGAIN || ret == -EBUSY) {
                    return;
                }
                throw new ErrnoException("io_uring_enter (waiting for completions)", -ret);
            }
        }
    }

    /** Publishes the SQ tail; returns how many entries this call published. */
    private int flushSq() {
        int tail = sqeTail;
        int published = tail - sqePublished;
        if (published != 0) {
            sqePublished = tail;
            // Release: the SQE contents must be visible before the new tail (the SQPOLL thread may read at once).
            INT.setRelease(sqRing, kSqTail, tail);
        }
        return published;
    }

    private int submitInternal(int waitNr, int extraFlags, long arg, long argSize) throws ErrnoException {
        int published = flushSq();
        int enterFlags = extraFlags;
        boolean needEnter = false;
        int toSubmit;
        if (sqPoll) {
            toSubmit = published;
            // Order the tail store before the NEED_WAKEUP load (liburing: io_uring_smp_mb()). Without it the kernel
            // thread could go to sleep after our load and never see the new tail.
            VarHandle.fullFence();
            if (((int) INT.getOpaque(sqRing, kSqFlags) & SQ_NEED_WAKEUP) != 0) {
                enterFlags |= ENTER_SQ_WAKEUP;
                needEnter = true;
            }
        } else {
            // Everything published and not yet consumed (entries left over after an error are retried too).
            toSubmit = sqeTail - (int) INT.getAcquire(sqRing, kSqHead);
            needEnter = toSubmit > 0;
        }
        if (waitNr > 0 || cqNeedsEnter()) {
            enterFlags |= ENTER_GETEVENTS;
            needEnter = true;
        }
        if (!needEnter) {
            return toSubmit;
        }
        for (;;) {
            int ret = enter(submitErrno, toSubmit, waitNr, enterFlags, arg, argSize);
            if (ret >= 0) {
                return sqPoll ? published : ret;
            }
            if (ret == -EINTR) {
                // Nothing was consumed (the kernel reports an error only then): recount and retry.
                if (!sqPoll) {
                    toSubmit = sqeTail - (int) INT.getAcquire(sqRing, kSqHead);
                }
                continue;
            }
            if (ret == -ETIME && (enterFlags & ENTER_EXT_ARG) != 0) {
                return sqPoll ? published : 0;
            }
            throw new ErrnoException("io_uring_enter", -ret, !sqPoll && toSubmit > 0
                    ? toSubmit + " entries stay queued; reap completions and submit again" : "");
        }
    }

    private int enter(MemorySegment errno, int toSubmit, int minComplete, int enterFlags, long arg, long argSize) {
        int fd = ringFd;
        if (registeredThread == Thread.currentThread()) {
            fd = registeredIndex;
            enterFlags |= ENTER_REGISTERED_RING;
        }
        enterCount++;
        if ((enterFlags & (ENTER_GETEVENTS | ENTER_SQ_WAIT)) == 0 && arg == 0L) {
            return Syscalls.ioUringSubmit(errno, fd, toSubmit, enterFlags); // cannot wait: a cheaper downcall
        }
        return Syscalls.ioUringEnter(errno, fd, toSubmit, minComplete, enterFlags, arg, argSize);
    }

    /** IOPOLL rings reap by entering; CQ_OVERFLOW and TASKRUN mean completions are waiting in the kernel. */
    private boolean cqNeedsEnter() {
        return ioPoll || ((int) INT.getOpaque(sqRing, kSqFlags) & (SQ_CQ_OVERFLOW | SQ_TASKRUN)) != 0;
    }

    // -------------------------------------------------------------------------------------------------------------
    // Completion
    // -------------------------------------------------------------------------------------------------------------

    /**
     * Completions in the CQ, ready to be reaped (not counting any still in the kernel's overflow list).
     *
     * @return the count
     */
    public int cqReady() {
        checkOpen();
        return (int) INT.getAcquire(cqRing, kCqTail) - cqHead;
    }

    /** The completion at the head, without entering the kernel; skips the ring's own timeout completions. */
    private Cqe peekReady() {
        for (;;) {
            int head = cqHead;
            if (head == (int) INT.getAcquire(cqRing, kCqTail)) {
                return null;
            }
            Cqe c = cqeSlots[head & cqMask];
            if (skipInternalTimeouts && c.userData() == INTERNAL_TIMEOUT_USER_DATA) {
                advance(1);
                continue;
            }
            return c;
        }
    }

    /**
     * The completion at the CQ head, or {@code null} if there is none. Does not wait; enters the kernel only if the
     * CQ is empty and completions are waiting in the kernel (CQ overflow, task work flagged, IOPOLL). Mark it seen
     * with {@link #cqeSeen(Cqe)} when done.
     *
     * @return the completion, or {@code null}
     * @throws ErrnoException if flushing completions fails
     */
    public Cqe peekCqe() throws ErrnoException {
        checkOpen();
        Cqe c = peekReady();
        if (c == null && cqNeedsEnter()) {
            flushCq();
            c = peekReady();
        }
        return c;
    }

    /**
     * Waits for a completion and returns it (without marking it seen).
     *
     * @return the completion at the CQ head
     * @throws ErrnoException if {@code io_uring_enter} fails
     */
    public Cqe waitCqe() throws ErrnoException {
        return waitCqeNr(1);
    }

    /**
     * Waits until at least {@code waitNr} completions are in the CQ and returns the one at the head.
     *
     * @param waitNr completions to wait for (at least 1)
     * @return the completion at the CQ head
     * @throws ErrnoException if {@code io_uring_enter} fails
     */
    public Cqe waitCqeNr(int waitNr) throws ErrnoException {
        checkOpen();
        if (waitNr < 1) {
            throw new IllegalArgumentException("waitNr must be at least 1: " + waitNr);
        }
        for (;;) {
            Cqe c = peekReady();
            if (c != null && (waitNr == 1 || cqReady() >= waitNr)) {
                return c;
            }
            int ret = enter(reapErrno, 0, waitNr, ENTER_GETEVENTS, 0L, 0L);
            if (ret < 0 && ret != -EINTR) {
                c = peekReady();
                if (c != null && (ret == -EAGAIN || ret == -EBUSY)) {
                    return c;
                }
                throw new ErrnoException("io_uring_enter (waiting for completions)", -ret);
            }
        }
    }

    /**
     * Waits at most {@code timeout} for a completion and returns it, or {@code null} when the time ran out. Uses
     * {@code IORING_ENTER_EXT_ARG} (Linux 5.11); on an older kernel it queues and submits an internal timeout SQE,
     * which touches the submission side (call it from the submitting thread there).
     *
     * @param timeout the longest time to wait (0: just look, flushing overflowed completions)
     * @param unit    its unit
     * @return the completion at the CQ head, or {@code null}
     * @throws ErrnoException if {@code io_uring_enter} fails for another reason than the timeout
     */
    public Cqe waitCqe(long timeout, TimeUnit unit) throws ErrnoException {
        checkOpen();
        Cqe c = peekReady();
        if (c != null) {
            return c;
        }
        long nanos = Math.max(0L, unit.toNanos(timeout));
        long deadline = System.nanoTime() + nanos;
        for (;;) {
            int ret;
            if (extArg) {
                KernelTimespec.set(reapTs, nanos);
                ret = enter(reapErrno, 0, 1, ENTER_GETEVENTS | ENTER_EXT_ARG, reapArg.address(), GETEVENTS_ARG_SIZE);
            } else {
                queueInternalTimeout(reapTs, nanos, 1);
                flushSq();
                int toSubmit = sqeTail - (int) INT.getAcquire(sqRing, kSqHead);
                ret = enter(reapErrno, toSubmit, 1, ENTER_GETEVENTS | (sqPoll ? ENTER_SQ_WAKEUP : 0), 0L, 0L);
            }
            c = peekReady();
            if (c != null) {
                return c;
            }
            if (ret < 0 && ret != -ETIME && ret != -EINTR && ret != -EAGAIN && ret != -EBUSY) {
                throw new ErrnoException("io_uring_enter (waiting for completions)", -ret);
            }
            nanos = deadline - System.nanoTime();
            if (ret == -ETIME || nanos <= 0) {
                return peekCqe();
            }
        }
    }

    /** For kernels without EXT_ARG: queues an IORING_OP_TIMEOUT with the ring's reserved user_data. */
    private void queueInternalTimeout(MemorySegment ts, long nanos, int count) throws ErrnoException {
        Sqe sqe = getSqe();
        if (sqe == null) {
            submitInternal(0, 0, 0L, 0L);
            sqe = getSqe();
            if (sqe == null) {
                throw new ErrnoException("timed wait (no IORING_FEAT_EXT_ARG): no free SQE for the timeout",
                        EBUSY);
            }
        }
        KernelTimespec.set(ts, nanos);
        sqe.prepTimeout(ts, count, 0).userData(INTERNAL_TIMEOUT_USER_DATA);
    }

    /** Asks the kernel to move overflowed completions / run task work (io_uring_enter GETEVENTS, min 0). */
    private void flushCq() throws ErrnoException {
        for (;;) {
            int ret = enter(reapErrno, 0, 0, ENTER_GETEVENTS, 0L, 0L);
            if (ret >= 0 || ret == -EAGAIN || ret == -EBUSY) {
                // EBUSY: the CQ is full again and the overflow list is not empty: reap, then flush again.
                return;
            }
            if (ret != -EINTR) {
                throw new ErrnoException("io_uring_enter (flushing completions)", -ret);
            }
        }
    }

    /**
     * Marks {@code cqe}, which must be the completion at the CQ head, as seen (liburing's
     * {@code io_uring_cqe_seen}): the kernel may reuse its slot.
     *
     * @param cqe the completion returned by {@link #peekCqe()} or a wait
     * @throws IllegalArgumentException if {@code cqe} is not at the CQ head
     */
    public void cqeSeen(Cqe cqe) {
        checkOpen();
        int head = cqHead;
        if (cqe.index() != (head & cqMask) || (int) INT.getAcquire(cqRing, kCqTail) == head) {
            throw new IllegalArgumentException("cqeSeen: " + cqe + " is not the completion at the CQ head");
        }
        advance(1);
    }

    /**
     * Advances the CQ head by {@code n}, releasing {@code n} reaped completions to the kernel (liburing's
     * {@code io_uring_cq_advance}), after {@link #peekBatchCqe(Cqe[])} for example.
     *
     * @param n completions to release
     * @throws IllegalArgumentException if fewer than {@code n} completions are in the CQ
     */
    public void cqAdvance(int n) {
        checkOpen();
        int ready = (int) INT.getAcquire(cqRing, kCqTail) - cqHead;
        if (n < 0 || n > ready) {
            throw new IllegalArgumentException("cqAdvance(" + n + ") with " + ready + " completions in the CQ");
        }
        advance(n);
    }

    private void advance(int n) {
        int head = cqHead;
        int more = 0;
        for (int i = 0; i < n; i++) {
            if ((cqeSlots[(head + i) & cqMask].flags() & CQE_F_MORE) != 0) {
                more++; // not the request's last completion: it stays in flight
            }
        }
        cqeMoreReaped += more;
        head += n;
        cqHead = head;
        // Release: our reads of the CQEs happen before the kernel may overwrite them.
        INT.setRelease(cqRing, kCqHead, head);
    }

    /**
     * Fills {@code out} with up to {@code out.length} completions from the CQ head, without marking them seen
     * (liburing's {@code io_uring_peek_batch_cqe}); then {@link #cqAdvance(int)} by the count returned. Flushes
     * completions waiting in the kernel if the CQ is empty.
     *
     * @param out receives flyweights for the completions
     * @return the number of completions placed in {@code out}
     * @throws ErrnoException if flushing fails
     */
    public int peekBatchCqe(Cqe[] out) throws ErrnoException {
        checkOpen();
        if (peekReady() == null && cqNeedsEnter()) {
            flushCq();
        }
        if (peekReady() == null) {
            return 0;
        }
        int head = cqHead;
        int n = Math.min((int) INT.getAcquire(cqRing, kCqTail) - head, out.length);
        for (int i = 0; i < n; i++) {
            Cqe c = cqeSlots[(head + i) & cqMask];
            if (skipInternalTimeouts && c.userData() == INTERNAL_TIMEOUT_USER_DATA) {
                return i; // stop before it; the next call skips it at the head
            }
            out[i] = c;
        }
        return n;
    }

    /**
     * Calls {@code consumer} for every completion in the CQ, then marks them all seen with one release store of
     * the CQ head. Then, if completions are waiting in the kernel (CQ overflow, task work, IOPOLL), flushes them once
     * and delivers those too; call again until it returns 0 to drain a large overflow.
     * If {@code consumer} throws, the completions delivered so far (including the one it threw on) are marked seen
     * and the exception propagates.
     *
     * @param consumer receives each completion (valid only during the call)
     * @return the number of completions delivered
     * @throws ErrnoException if flushing fails
     */
    public int forEachCqe(CqeConsumer consumer) throws ErrnoException {
        checkOpen();
        int n = drain(consumer);
        if (cqNeedsEnter()) {
            flushCq();
            n += drain(consumer);
        }
        return n;
    }

    private int drain(CqeConsumer consumer) {
        int head = cqHead;
        int tail = (int) INT.getAcquire(cqRing, kCqTail);
        if (head == tail) {
            return 0;
        }
        int n = 0;
        int more = 0;
        try {
            while (head != tail) {
                Cqe c = cqeSlots[head & cqMask];
                head++;
                if ((c.flags() & CQE_F_MORE) != 0) {
                    more++;
                }
                if (skipInternalTimeouts && c.userData() == INTERNAL_TIMEOUT_USER_DATA) {
                    continue;
                }
                n++;
                consumer.accept(c);
            }
        } finally {
            cqeMoreReaped += more;
            cqHead = head;
            INT.setRelease(cqRing, kCqHead, head);
        }
        return n;
    }

    /**
     * Copies up to {@code userData.length} completions into the arrays and marks them seen. Flushes completions
     * waiting in the kernel if the CQ is empty.
     *
     * @param userData receives {@code user_data} values
     * @param res      receives {@code res} values, or {@code null}; at least as long as {@code userData}
     * @param flags    receives {@code flags} values, or {@code null}; at least as long as {@code userData}
     * @return the number of completions copied
     * @throws ErrnoException if flushing fails
     */
    public int copyCqes(long[] userData, int[] res, int[] flags) throws ErrnoException {
        checkOpen();
        if ((res != null && res.length < userData.length) || (flags != null && flags.length < userData.length)) {
            throw new IllegalArgumentException("res and flags must be at least as long as userData");
        }
        if (peekReady() == null && cqNeedsEnter()) {
            flushCq();
        }
        int head = cqHead;
        int tail = (int) INT.getAcquire(cqRing, kCqTail);
        int n = 0;
        int more = 0;
        while (head != tail && n < userData.length) {
            Cqe c = cqeSlots[head & cqMask];
            head++;
            long ud = c.userData();
            int f = c.flags();
            if ((f & CQE_F_MORE) != 0) {
                more++;
            }
            if (skipInternalTimeouts && ud == INTERNAL_TIMEOUT_USER_DATA) {
                continue;
            }
            userData[n] = ud;
            if (res != null) {
                res[n] = c.res();
            }
            if (flags != null) {
                flags[n] = f;
            }
            n++;
        }
        cqeMoreReaped += more;
        cqHead = head;
        INT.setRelease(cqRing, kCqHead, head);
        return n;
    }

    // -------------------------------------------------------------------------------------------------------------
    // Registration
    // -------------------------------------------------------------------------------------------------------------

    private int register(String what, int opcode, long arg, int nrArgs) throws ErrnoException {
        checkOpen();
        int ret = Syscalls.ioUringRegister(ringFd, opcode, arg, nrArgs);
        if (ret < 0) {
            throw new ErrnoException("io_uring_register(" + what + ")", -ret);
        }
        return ret;
    }

    private static MemorySegment iovecs(Arena arena, MemorySegment[] buffers) {
        MemorySegment iov = arena.allocate(iovec.layout(), Math.max(1, buffers.length));
        long size = iovec.layout().byteSize();
        for (int i = 0; i < buffers.length; i++) {
            MemorySegment b = buffers[i];
            MemorySegment slot = iov.asSlice(i * size, size);
            if (b == null) {
                iovec.iov_base(slot, MemorySegment.NULL);
                iovec.iov_len(slot, 0L);
                continue;
            }
            if (!b.isNative()) {
                throw new IllegalArgumentException("buffer " + i + " must be native memory to be registered");
            }
            if (!b.scope().isAlive()) {
                throw new IllegalStateException("buffer " + i + " belongs to a closed arena");
            }
            iovec.iov_base(slot, b);
            iovec.iov_len(slot, b.byteSize());
        }
        return iov;
    }

    /**
     * Registers {@code buffers} as fixed buffers ({@code IORING_REGISTER_BUFFERS}, Linux 5.1): the kernel pins their
     * pages once, and {@link Sqe#prepReadFixed}, {@link Sqe#prepWriteFixed} and {@code uring_cmd} with
     * {@code IORING_URING_CMD_FIXED} address them by index. The segments must stay alive until
     * {@link #unregisterBuffers()} or {@link #close()}; each is at most 1 GiB.
     *
     * @param buffers native segments; index {@code i} is {@code buffers[i]}
     * @throws ErrnoException for example {@code EBUSY} if buffers are already registered, {@code ENOMEM} over
     *                        {@code RLIMIT_MEMLOCK}, {@code EFAULT}/{@code EINVAL} for a bad buffer
     */
    public void registerBuffers(MemorySegment... buffers) throws ErrnoException {
        if (buffers.length == 0) {
            throw new IllegalArgumentException("registerBuffers needs at least one buffer");
        }
        try (Arena tmp = Arena.ofConfined()) {
            register("IORING_REGISTER_BUFFERS", Uapi.IORING_REGISTER_BUFFERS(), iovecs(tmp, buffers).address(),
                    buffers.length);
        }
    }

    /**
     * Registers an empty fixed-buffer table of {@code nr} slots ({@code IORING_REGISTER_BUFFERS2} with
     * {@code IORING_RSRC_REGISTER_SPARSE}, Linux 5.19), to be filled with {@link #updateBuffers}.
     *
     * @param nr table size
     * @throws ErrnoException if the kernel refuses
     */
    public void registerBuffersSparse(int nr) throws ErrnoException {
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment rr = tmp.allocate(io_uring_rsrc_register.layout());
            io_uring_rsrc_register.nr(rr, Unsigned.checkU32(nr, "nr"));
            io_uring_rsrc_register.flags(rr, Uapi.IORING_RSRC_REGISTER_SPARSE());
            register("IORING_REGISTER_BUFFERS2 sparse", Uapi.IORING_REGISTER_BUFFERS2(), rr.address(),
                    (int) rr.byteSize());
        }
    }

    /**
     * Replaces fixed buffers {@code offset ..} with {@code buffers} ({@code IORING_REGISTER_BUFFERS_UPDATE}, Linux
     * 5.13); a {@code null} element empties its slot.
     *
     * @param offset  first slot
     * @param buffers native segments, or {@code null}
     * @return the number of slots updated
     * @throws ErrnoException if the kernel refuses
     */
    public int updateBuffers(int offset, MemorySegment... buffers) throws ErrnoException {
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment up = tmp.allocate(io_uring_rsrc_update2.layout());
            io_uring_rsrc_update2.offset(up, offset);
            io_uring_rsrc_update2.data(up, iovecs(tmp, buffers).address());
            io_uring_rsrc_update2.nr(up, buffers.length);
            return register("IORING_REGISTER_BUFFERS_UPDATE", Uapi.IORING_REGISTER_BUFFERS_UPDATE(), up.address(),
                    (int) up.byteSize());
        }
    }

    /**
     * Unregisters all fixed buffers ({@code IORING_UNREGISTER_BUFFERS}).
     *
     * @throws ErrnoException {@code ENXIO} if none are registered
     */
    public void unregisterBuffers() throws ErrnoException {
        register("IORING_UNREGISTER_BUFFERS", Uapi.IORING_UNREGISTER_BUFFERS(), 0L, 0);
    }

    /**
     * Registers a fixed-file table ({@code IORING_REGISTER_FILES}, Linux 5.1); entry {@code i} is {@code fds[i]}, and
     * -1 leaves a slot empty (5.5). Requests with {@link Sqe#fixedFile()} then name files by index, which saves the
     * per-request file reference counting.
     *
     * @param fds file descriptors, or -1
     * @throws ErrnoException for example {@code EBUSY} if a table is already registered, {@code EBADF}
     */
    public void registerFiles(int... fds) throws ErrnoException {
        if (fds.length == 0) {
            throw new IllegalArgumentException("registerFiles needs at least one fd (or use registerFilesSparse)");
        }
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment arr = tmp.allocateFrom(JAVA_INT, fds);
            register("IORING_REGISTER_FILES", Uapi.IORING_REGISTER_FILES(), arr.address(), fds.length);
        }
    }

    /**
     * Registers an empty fixed-file table of {@code nr} slots ({@code IORING_REGISTER_FILES2} with
     * {@code IORING_RSRC_REGISTER_SPARSE}, Linux 5.19), to be filled with {@link #updateFiles(int, int...)} or by
     * direct-descriptor opens ({@link Sqe#prepOpenatDirect}).
     *
     * @param nr table size
     * @throws ErrnoException if the kernel refuses
     */
    public void registerFilesSparse(int nr) throws ErrnoException {
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment rr = tmp.allocate(io_uring_rsrc_register.layout());
            io_uring_rsrc_register.nr(rr, Unsigned.checkU32(nr, "nr"));
            io_uring_rsrc_register.flags(rr, Uapi.IORING_RSRC_REGISTER_SPARSE());
            register("IORING_REGISTER_FILES2 sparse", Uapi.IORING_REGISTER_FILES2(), rr.address(),
                    (int) rr.byteSize());
        }
    }

    /**
     * Replaces fixed-file slots {@code offset ..} with {@code fds} ({@code IORING_REGISTER_FILES_UPDATE}, Linux
     * 5.5); -1 empties a slot.
     *
     * @param offset first slot
     * @param fds    file descriptors, or -1
     * @return the number of slots updated
     * @throws ErrnoException if the kernel refuses
     */
    public int updateFiles(int offset, int... fds) throws ErrnoException {
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment arr = tmp.allocateFrom(JAVA_INT, fds.length == 0 ? new int[1] : fds);
            MemorySegment up = tmp.allocate(io_uring_files_update.layout());
            io_uring_files_update.offset(up, offset);
            io_uring_files_update.fds(up, arr.address());
            return register("IORING_REGISTER_FILES_UPDATE", Uapi.IORING_REGISTER_FILES_UPDATE(), up.address(),
                    fds.length);
        }
    }

    /**
     * Unregisters the fixed-file table ({@code IORING_UNREGISTER_FILES}).
     *
     * @throws ErrnoException {@code ENXIO} if none is registered
     */
    public void unregisterFiles() throws ErrnoException {
        register("IORING_UNREGISTER_FILES", Uapi.IORING_UNREGISTER_FILES(), 0L, 0);
    }

    /**
     * Registers the ring's own fd with the kernel ({@code IORING_REGISTER_RING_FDS}, Linux 5.18), so that this
     * thread's {@code io_uring_enter} calls pass the registered index with {@code IORING_ENTER_REGISTERED_RING} and
     * skip the fd lookup. The registration belongs to the calling <em>thread</em> (the kernel keeps it per task):
     * other threads keep using the plain fd, automatically. Must be called from a platform thread.
     *
     * @return the registered index
     * @throws ErrnoException if the kernel refuses
     * @throws IllegalStateException on a virtual thread, or if already registered
     */
    public int registerRingFd() throws ErrnoException {
        checkOpen();
        if (Thread.currentThread().isVirtual()) {
            throw new IllegalStateException("registerRingFd needs a platform thread: the kernel keeps the registration "
                    + "per task, and a virtual thread moves between carrier threads");
        }
        if (registeredIndex >= 0) {
            throw new IllegalStateException("the ring fd is already registered (index " + registeredIndex + ")");
        }
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment up = tmp.allocate(io_uring_rsrc_update.layout());
            io_uring_rsrc_update.offset(up, -1); // let the kernel pick a slot
            io_uring_rsrc_update.data(up, ringFd);
            register("IORING_REGISTER_RING_FDS", Uapi.IORING_REGISTER_RING_FDS(), up.address(), 1);
            registeredIndex = io_uring_rsrc_update.offset(up);
            registeredThread = Thread.currentThread();
            return registeredIndex;
        }
    }

    /**
     * Undoes {@link #registerRingFd()} ({@code IORING_UNREGISTER_RING_FDS}); must be called from the registering
     * thread.
     *
     * @throws ErrnoException if the kernel refuses
     * @throws IllegalStateException if not registered, or called from another thread
     */
    public void unregisterRingFd() throws ErrnoException {
        checkOpen();
        if (registeredIndex < 0) {
            throw new IllegalStateException("the ring fd is not registered");
        }
        if (registeredThread != Thread.currentThread()) {
            throw new IllegalStateException("unregisterRingFd must be called from the thread that registered it ("
                    + registeredThread + ")");
        }
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment up = tmp.allocate(io_uring_rsrc_update.layout());
            io_uring_rsrc_update.offset(up, registeredIndex);
            register("IORING_UNREGISTER_RING_FDS", Uapi.IORING_UNREGISTER_RING_FDS(), up.address(), 1);
            registeredIndex = -1;
            registeredThread = null;
        }
    }

    /**
     * The registered ring index of the calling thread, or -1 (see {@link #registerRingFd()}).
     *
     * @return the index, or -1
     */
    public int registeredRingIndex() {
        return registeredThread == Thread.currentThread() ? registeredIndex : -1;
    }

    /**
     * Which opcodes the kernel supports ({@code IORING_REGISTER_PROBE}, Linux 5.6).
     *
     * @return the probe
     * @throws ErrnoException if the kernel refuses
     */
    public Probe probe() throws ErrnoException {
        try (Arena tmp = Arena.ofConfined()) {
            long opSize = io_uring_probe_op.layout().byteSize();
            MemorySegment p = tmp.allocate(io_uring_probe.layout().byteSize() + PROBE_OPS * opSize, 8);
            register("IORING_REGISTER_PROBE", Uapi.IORING_REGISTER_PROBE(), p.address(), PROBE_OPS);
            int lastOp = Byte.toUnsignedInt(io_uring_probe.last_op(p));
            int opsLen = Byte.toUnsignedInt(io_uring_probe.ops_len(p));
            boolean[] supported = new boolean[PROBE_OPS];
            long ops = io_uring_probe.ops$offset();
            int flagSupported = Uapi.IO_URING_OP_SUPPORTED();
            for (int i = 0; i < opsLen; i++) {
                MemorySegment op = p.asSlice(ops + i * opSize, opSize);
                int code = Byte.toUnsignedInt(io_uring_probe_op.op(op));
                if ((io_uring_probe_op.flags(op) & flagSupported) != 0) {
                    supported[code] = true;
                }
            }
            return new Probe(lastOp, supported);
        }
    }

    /**
     * Registers the calling thread's credentials ({@code IORING_REGISTER_PERSONALITY}, Linux 5.6); requests with
     * {@link Sqe#personality(int)} set to the returned id run with them.
     *
     * @return the personality id
     * @throws ErrnoException if the kernel refuses
     */
    public int registerPersonality() throws ErrnoException {
        return register("IORING_REGISTER_PERSONALITY", Uapi.IORING_REGISTER_PERSONALITY(), 0L, 0);
    }

    /**
     * Unregisters a personality ({@code IORING_UNREGISTER_PERSONALITY}).
     *
     * @param id the id from {@link #registerPersonality()}
     * @throws ErrnoException {@code EINVAL} for an unknown id
     */
    public void unregisterPersonality(int id) throws ErrnoException {
        register("IORING_UNREGISTER_PERSONALITY", Uapi.IORING_UNREGISTER_PERSONALITY(), 0L, id);
    }

    /**
     * Enables a ring set up with {@link IoUringBuilder#disabled()} ({@code IORING_REGISTER_ENABLE_RINGS}, 5.10).
     *
     * @throws ErrnoException {@code EBADFD} if the ring is not disabled
     */
    public void enableRings() throws ErrnoException {
        register("IORING_REGISTER_ENABLE_RINGS", Uapi.IORING_REGISTER_ENABLE_RINGS(), 0L, 0);
    }

    /**
     * Has the kernel signal {@code eventFd} for every completion ({@code IORING_REGISTER_EVENTFD}, 5.2), to
     * integrate the ring with an event loop.
     *
     * @param eventFd an eventfd
     * @throws ErrnoException if the kernel refuses
     */
    public void registerEventFd(int eventFd) throws ErrnoException {
        try (Arena tmp = Arena.ofConfined()) {
            register("IORING_REGISTER_EVENTFD", Uapi.IORING_REGISTER_EVENTFD(),
                    tmp.allocateFrom(JAVA_INT, eventFd).address(), 1);
        }
    }

    /**
     * Unregisters the eventfd ({@code IORING_UNREGISTER_EVENTFD}).
     *
     * @throws ErrnoException {@code ENXIO} if none is registered
     */
    public void unregisterEventFd() throws ErrnoException {
        register("IORING_UNREGISTER_EVENTFD", Uapi.IORING_UNREGISTER_EVENTFD(), 0L, 0);
    }

    // -------------------------------------------------------------------------------------------------------------
    // Lifecycle
    // -------------------------------------------------------------------------------------------------------------

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("io_uring (fd " + ringFd + ") is closed");
        }
    }

    /**
     * Requests in flight, by the ring's count: the SQEs the kernel has consumed (its SQ head, which an SQPOLL thread
     * advances on its own) minus the completions reaped that end a request, i.e. every completion except those
     * flagged {@code IORING_CQE_F_MORE} (a multishot request's results before its last, a zero-copy send's result
     * before its notification). A linked timeout is a request with a completion of its own, and so is every entry
     * of a link chain. Entries not yet submitted do not count. Keeping the count costs the reaping methods one flag
     * test per completion.
     *
     * <p>The kernel offers no way to see two cases, so the count is exact only without them:
     * <ul>
     * <li>a request with {@code IOSQE_CQE_SKIP_SUCCESS} that succeeds posts no completion: it stays counted (the
     *     count is too high by one for each);</li>
     * <li>a completion that another ring posts into this one ({@code IORING_OP_MSG_RING}) ends no request here:
     *     the count is too low by one for each (it may go negative).</li>
     * </ul>
     * {@link #close()} does not rely on the count alone (see {@link #cancelAndDrain}). After a
     * {@code cancelAndDrain} that ran out of time (or a {@code close()} that threw), its own requests still waiting
     * count too, until their completions ({@link #DRAIN_USER_DATA_BASE}) are reaped. Read it from the reaping
     * thread, or with both sides idle.
     *
     * @return requests in flight
     * @throws IllegalStateException if the ring is closed
     */
    public int inFlight() {
        checkOpen();
        return inFlightCount();
    }

    private int inFlightCount() {
        int consumed = (int) INT.getAcquire(sqRing, kSqHead) - sqHeadBase;
        int ended = cqHead - cqHeadBase - cqeMoreReaped;
        return consumed - ended;
    }

    /**
     * Cancels every request in flight and reaps until the kernel has finished with all of them, or until
     * {@code timeout} has passed. {@link #close()} does this before it unmaps the ring; call it yourself to see the
     * completions, or to keep the ring.
     * <ol>
     * <li>Entries obtained with {@link #getSqe()} and not yet submitted are dropped (the kernel has never seen
     *     them); submitted ones the kernel has not consumed yet are handed to it (an SQPOLL thread is waited
     *     for).</li>
     * <li>Everything cancellable is cancelled with {@code IORING_ASYNC_CANCEL_ANY}: polls and what waits on poll
     *     (socket and pipe I/O, accept ...), requests queued or running in io-wq, timeouts, futex and waitid
     *     waits. It is sent with {@code IORING_REGISTER_SYNC_CANCEL} (Linux 6.0), which needs no SQE and is
     *     repeated while draining (every 50 ms, and after completions: a hard-linked or drained request can start
     *     after its predecessor was cancelled); on 5.19 as one {@code IORING_OP_ASYNC_CANCEL} SQE. What no cancel
     *     stops (block I/O issued to a device, {@code uring_cmd} such as NVMe passthrough, everything on an IOPOLL
     *     ring) ends by itself.</li>
     * <li>An {@code IORING_OP_NOP} with {@code IOSQE_IO_DRAIN} follows, which the kernel starts only once every
     *     request submitted before it has completed: its completion is the kernel's word that nothing is left.
     *     The ring's count ({@link #inFlight()}) must then be 0 (or less) too.</li>
     * </ol>
     * Every other completion reaped meanwhile, whether cancelled ({@code -ECANCELED}; {@code -EINTR} for io-wq
     * work that was running) or complete, goes to {@code consumer}; those of the cancel and the NOP do not (their
     * {@code user_data} is reserved: {@link #DRAIN_USER_DATA_BASE}).
     *
     * <p><b>CQE_SKIP_SUCCESS.</b> Once a request with {@code IOSQE_CQE_SKIP_SUCCESS} has been submitted to the
     * ring, the kernel refuses {@code IOSQE_IO_DRAIN} on it ({@code -EOPNOTSUPP}), and the count cannot tell a
     * skipped success from a request in flight. Then, after the cancel, this reaps until the count is 0 but for at
     * most 100 ms (cancelled requests post their completions well within that) and returns 0: a request that no
     * cancel stops and that has not completed may still be running. Reap such requests (storage I/O) before
     * closing a ring that uses CQE_SKIP_SUCCESS.
     *
     * <p><b>Before 5.19</b> the kernel knows no {@code IORING_ASYNC_CANCEL_ANY} ({@code -EINVAL}): nothing is
     * cancelled, and this only waits for the requests to end. Cancel them by {@code user_data} first
     * ({@link Sqe#prepCancel(long, int)}).
     *
     * <p>Uses both sides of the ring: no other thread may submit or reap meanwhile. On a {@code SINGLE_ISSUER} ring,
     * call it from the submitting thread.
     *
     * @param timeout  the longest wait (0: cancel, reap what has ended, and return)
     * @param unit     its unit
     * @param consumer receives every other completion reaped (valid during the call only)
     * @return 0 when nothing is in flight any more; otherwise (the time ran out) the number of requests still in
     *         flight by the ring's count, at least 1
     * @throws ErrnoException if {@code io_uring_enter} or {@code io_uring_register} fails, for example with
     *                        {@code EEXIST} on a {@code SINGLE_ISSUER} ring from another thread
     * @throws IllegalStateException if the ring is closed
     */
    public int cancelAndDrain(long timeout, TimeUnit unit, CqeConsumer consumer) throws ErrnoException {
        checkOpen();
        Objects.requireNonNull(consumer, "consumer");
        return drainInFlight(Math.min(Math.max(0L, unit.toNanos(timeout)), Long.MAX_VALUE / 2), consumer);
    }

    /** The state of one cancelAndDrain: its own completions, recognized by their user_data. */
    private final class DrainState implements CqeConsumer {
        final long base;
        final CqeConsumer consumer;
        /** Completions handed to the consumer since the last cancel. */
        int delivered;
        /** Own requests queued, and own completions reaped (of this drain). */
        int ownQueued;
        int ownReaped;
        boolean cancelDone;
        long cancelDoneAt;
        boolean drainDone;
        int drainRes;

        DrainState(long base, CqeConsumer consumer) {
            this.base = base;
            this.consumer = consumer;
        }

        @Override
        public void accept(Cqe c) {
            long ud = c.userData();
            long own = ud - DRAIN_USER_DATA_BASE;
            if (own >= 0 && own < DRAIN_USER_DATA_COUNT) {
                if (ud - base >= 0 && ud - base <= OWN_NOP) {
                    ownReaped++;
                }
                if (ud == base + OWN_CANCEL) {
                    // -ENOENT: nothing to cancel. -EINVAL: no IORING_ASYNC_CANCEL_ANY (before 5.19): wait only.
                    cancelled(System.nanoTime());
                } else if (ud == base + OWN_DRAIN) {
                    drainDone = true;
                    drainRes = c.res();
                }
                return; // the terminating NOP, or a late completion of an earlier cancelAndDrain
            }
            delivered++;
            consumer.accept(c);
        }

        void cancelled(long now) {
            if (!cancelDone) {
                cancelDone = true;
                cancelDoneAt = now;
            }
        }

        /** Whether nothing is in flight any more (or, in skip mode, nothing more can be known). */
        boolean finished(int left, long now) {
            if (!drainDone) {
                return false; // the kernel has not said so yet, whatever the count says
            }
            if (drainRes >= 0 || drainRes == -ECANCELED) {
                // -ECANCELED: the kernel released the NOP from its drain queue (so everything before it had
                // completed) into io-wq, where a repeated cancel-everything found it.
                return left <= 0;
            }
            // The draining NOP was refused: -EOPNOTSUPP once CQE_SKIP_SUCCESS was used. Fall back on the count.
            if (!cancelDone) {
                return false;
            }
            return left <= 0 || (drainRes == -EOPNOTSUPP && now - cancelDoneAt - SKIP_SUCCESS_GRACE_NANOS >= 0);
        }

        /**
         * The ring's count without this drain's own requests that the kernel has consumed and not completed (the
         * newest entries, so those it has not consumed yet are the last ones).
         */
        int othersInFlight() {
            int ownPending = ownQueued - ownReaped;
            int unconsumed = sqePublished - (int) INT.getAcquire(sqRing, kSqHead);
            return inFlightCount() - (ownPending - Math.min(ownPending, Math.max(0, unconsumed)));
        }

        void reapAll() throws ErrnoException {
            while (forEachCqe(this) > 0) {
                // until the CQ and the kernel's overflow list are empty
            }
        }
    }

    private int drainInFlight(long timeoutNanos, CqeConsumer consumer) throws ErrnoException {
        long deadline = System.nanoTime() + timeoutNanos;
        currentDrain = null;
        // Entries never published: the kernel has not seen them, and they must not run now.
        sqeTail = sqePublished;
        if (sqePublished == sqHeadBase && (int) INT.getAcquire(sqRing, kSqHead) == sqHeadBase
                && cqHead == cqHeadBase && cqeMoreReaped == 0) {
            // Nothing was ever submitted (or exactly a multiple of 2^32 entries and completions, none of them
            // F_MORE: then the count is 0 too): nothing is in flight. Hand over what is in the CQ (MSG_RING posts).
            while (forEachCqe(consumer) > 0) {
                // drain
            }
            return 0;
        }
        drainAttempt = (drainAttempt + 1) & 0x3FFF;
        DrainState d = new DrainState(DRAIN_USER_DATA_BASE + 4L * drainAttempt, consumer);
        currentDrain = d;
        // Let the kernel take what was submitted before the cancel runs, so that the cancel sees it.
        submitQueued(d, true, deadline);
        boolean syncCancel = syncCancelAll();
        if (syncCancel) {
            d.cancelled(System.nanoTime());
        } else if (ioPoll) {
            d.cancelled(System.nanoTime()); // nothing on an IOPOLL ring can be cancelled, and the kernel refuses it
        } else if (!queueOwn(d, OWN_CANCEL, deadline)) {
            return Math.max(1, d.othersInFlight());
        }
        if (!queueOwn(d, OWN_DRAIN, deadline)) {
            return Math.max(1, d.othersInFlight());
        }
        submitQueued(d, false, 0L);
        long lastCancel = System.nanoTime();
        for (;;) {
            d.reapAll();
            long now = System.nanoTime();
            int left = inFlightCount();
            if (d.finished(left, now)) {
                return 0;
            }
            if (now - deadline >= 0) {
                return Math.max(1, d.othersInFlight()); // at least 1: the kernel has not said "none"
            }
            long wait = deadline - now;
            if (syncCancel) {
                if (d.delivered > 0 || now - lastCancel >= RECANCEL_NANOS) {
                    // Completions can release requests (a hard-linked successor, a drained one) that the last
                    // cancel could not see yet.
                    syncCancelAll();
                    d.delivered = 0;
                    lastCancel = now;
                }
                wait = Math.min(wait, RECANCEL_NANOS);
            }
            if (d.drainDone && d.drainRes == -EOPNOTSUPP && d.cancelDone) {
                wait = Math.max(1L, Math.min(wait, d.cancelDoneAt + SKIP_SUCCESS_GRACE_NANOS - now));
            }
            try {
                submitAndWait(1, wait, TimeUnit.NANOSECONDS);
            } catch (ErrnoException e) {
                if (e.errno() != EAGAIN && e.errno() != EBUSY) {
                    throw e;
                }
                LockSupport.parkNanos(100_000L); // no memory for new requests, or the CQ is full: reap, retry
            }
        }
    }

    /**
     * Cancels everything cancellable with {@code IORING_REGISTER_SYNC_CANCEL} (6.0); false if the kernel does not
     * have it (or {@code IORING_ASYNC_CANCEL_ANY}).
     */
    private boolean syncCancelAll() throws ErrnoException {
        int ret;
        do {
            ret = Syscalls.ioUringRegister(reapErrno, ringFd, Uapi.IORING_REGISTER_SYNC_CANCEL(),
                    syncCancelArg.address(), 1);
        } while (ret == -EINTR);
        if (ret >= 0) {
            return true; // the number of requests it found
        }
        if (ret == -EINVAL) {
            return false;
        }
        throw new ErrnoException("io_uring_register(IORING_REGISTER_SYNC_CANCEL, IORING_ASYNC_CANCEL_ANY)", -ret);
    }

    /**
     * Hands the kernel the entries submitted but not yet consumed (after an EAGAIN, or before an SQPOLL thread took
     * them); if {@code wait}, until {@code deadline} for it to consume them all (an SQPOLL thread takes its time).
     */
    private void submitQueued(DrainState d, boolean wait, long deadline) throws ErrnoException {
        for (;;) {
            try {
                submitInternal(0, 0, 0L, 0L);
            } catch (ErrnoException e) {
                if (e.errno() != EAGAIN && e.errno() != EBUSY) {
                    throw e;
                }
                d.reapAll(); // make room in the CQ, then try again
            }
            if (!wait || sqePublished == (int) INT.getAcquire(sqRing, kSqHead)
                    || System.nanoTime() - deadline >= 0) {
                return;
            }
            LockSupport.parkNanos(50_000L);
        }
    }

    /** Queues one of the drain's own requests; false if no SQE became free before {@code deadline}. */
    private boolean queueOwn(DrainState d, int kind, long deadline) throws ErrnoException {
        for (;;) {
            int head = (int) INT.getAcquire(sqRing, kSqHead);
            // If the last entry submitted links to the next one and the kernel has not consumed it yet, our request
            // would join that chain (and wait for it, or be cancelled with it): end the chain with a NOP first.
            boolean endChain = kind != OWN_NOP && head != sqePublished
                    && (sqeSlots[(sqePublished - 1) & sqMask].flags() & SQE_LINK_FLAGS) != 0;
            if (endChain && !queueOwn(d, OWN_NOP, deadline)) {
                return false;
            }
            Sqe sqe = getSqe();
            if (sqe != null) {
                if (kind == OWN_CANCEL) {
                    sqe.prepCancel(0L, rejectCancelAny ? CANCEL_ANY_REFUSED : CANCEL_ANY);
                } else if (kind == OWN_DRAIN) {
                    sqe.prepNop().ioDrain();
                } else {
                    sqe.prepNop();
                }
                sqe.userData(d.base + kind);
                d.ownQueued++;
                flushSq();
                return true;
            }
            // The SQ is full of entries the kernel has not consumed: hand them over, make room in the CQ, retry.
            submitQueued(d, false, 0L);
            d.reapAll();
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            if (sqPoll) {
                LockSupport.parkNanos(50_000L);
            }
        }
    }

    /**
     * Closes the ring, after making sure that the kernel is done with every request, so that the memory the requests
     * use (buffers, iovecs, sockaddrs ...) may be freed as soon as this returns.
     *
     * <p>If requests are in flight, it first cancels them and waits for them to end, for at most
     * {@link IoUringBuilder#closeTimeout(Duration)} (5 s by default): {@link #cancelAndDrain} with a consumer that
     * drops the completions. Completions that nobody reaped before, and those of requests that completed normally
     * meanwhile, are dropped the same way; call {@code cancelAndDrain} first to see them. Then it invalidates the
     * ring's memory segments and flyweights, unmaps the SQE array and the rings, unregisters the ring fd if the
     * calling thread registered it, and closes the fd (in liburing's order). Idempotent.
     *
     * <p>Without this wait the kernel would cancel the requests only after the fd is closed, asynchronously (in its
     * ring-exit work), so a request could still write into a buffer after {@code close()} returned and the caller
     * freed it.
     *
     * <p><b>When the kernel does not let go.</b> If requests are still in flight when the close timeout expires (a
     * request no cancel stops, such as a command a device does not answer; or, before 5.19, any request, as
     * nothing can be cancelled wholesale there), {@code close()} does <em>not</em> unmap the ring or close the fd:
     * it throws {@link IllegalStateException} naming how many requests are still in flight, and the ring stays
     * open and usable. Their buffers must then stay allocated: reap the completions (or cancel the requests by
     * {@code user_data}), then call {@code close()} again. Closing the fd anyway would not stop the kernel from
     * writing them. The same holds when {@code close()} cannot drive the ring at all (for example from a thread
     * other than the submitter of a {@code SINGLE_ISSUER} ring: {@code EEXIST}) and the ring's count
     * ({@link #inFlight()}) is above 0; at or below 0 it closes. A late completion of the close's own requests
     * may show up in the CQ after such a failed close: its {@code user_data} is in the reserved range of
     * {@link #DRAIN_USER_DATA_BASE}; ignore it.
     *
     * <p>A ring that never submitted anything closes at once. Must not run concurrently with the submitting or the
     * reaping side.
     *
     * @throws IllegalStateException if requests are still in flight after the close timeout, or if the ring cannot
     *                               be driven and its count says requests are in flight; the ring then stays open
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        int left;
        ErrnoException failure = null;
        try {
            left = drainInFlight(closeTimeoutNanos, DISCARD);
        } catch (ErrnoException e) {
            failure = e;
            drain(currentDrain != null ? currentDrain : DISCARD); // what is in the CQ, without entering the kernel
            left = currentDrain != null ? currentDrain.othersInFlight() : inFlightCount();
        }
        if (left > 0) {
            String why = failure != null
                    ? "close() could not cancel and reap them (" + failure.getMessage() + ")"
                    : "they did not end within the close timeout of " + Duration.ofNanos(closeTimeoutNanos)
                            + " after close() cancelled them (IORING_ASYNC_CANCEL_ANY" + (ioPoll ? " is not possible "
                            + "on an IOPOLL ring" : "") + ")";
            IllegalStateException e = new IllegalStateException("io_uring (fd " + ringFd + "): " + left
                    + (left == 1 ? " request is" : " requests are") + " still in flight: " + why + ". The ring stays "
                    + "open and mapped, because the kernel may still write their buffers: keep those allocated, reap "
                    + "the completions, and close again");
            if (failure != null) {
                e.initCause(failure);
            }
            throw e;
        }
        closed = true;
        arena.close();
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment errno = Syscalls.allocateErrnoState(tmp);
            Syscalls.munmap(errno, sqesAddr, sqesSize);
            Syscalls.munmap(errno, sqRingAddr, sqRingSize);
            if (cqRingAddr != sqRingAddr) {
                Syscalls.munmap(errno, cqRingAddr, cqRingSize);
            }
            if (registeredIndex >= 0 && registeredThread == Thread.currentThread()) {
                MemorySegment up = tmp.allocate(io_uring_rsrc_update.layout());
                io_uring_rsrc_update.offset(up, registeredIndex);
                Syscalls.ioUringRegister(errno, ringFd, Uapi.IORING_UNREGISTER_RING_FDS(), up.address(), 1);
            }
            registeredIndex = -1;
            registeredThread = null;
            Syscalls.close(errno, ringFd);
        }
    }

    @Override
    public String toString() {
        return "IoUring[fd=" + ringFd + ", sq=" + sqEntries + "x" + sqeSize + "B, cq=" + cqEntries + "x" + cqeSize
                + "B, flags=" + setupFlagNames(flags) + ", features=0x" + Integer.toHexString(features)
                + (closed ? ", closed" : "") + "]";
    }
}
