package io.github.jring.core;

import io.github.jring.core.internal.NativeAccess;
import io.github.jring.bindings.Uapi;
import io.github.jring.bindings.io_uring_params;
import io.github.jring.bindings.io_uring_reg_wait;
import io.github.jring.bindings.io_cqring_offsets;
import io.github.jring.bindings.io_sqring_offsets;
import io.github.jring.core.internal.Syscalls;
import io.github.jring.core.internal.Unsigned;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import static java.lang.foreign.ValueLayout.JAVA_INT;

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
 * {@link #cqeSeen(Cqe)} or {@link #cqAdvance(int)}. {@link #forEachCqe(CqeHandler)}, {@link #peekBatchCqe(Cqe[])} and
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
 * created once per slot at setup (and again by {@link #resizeRings}), and the memory the system calls need (errno
 * capture, wait arguments) is allocated once per ring.
 *
 * <h2>Closing</h2>
 * Closing a ring with requests in flight is defined: {@link #close()} first cancels everything in flight
 * ({@code IORING_ASYNC_CANCEL_ANY}) and reaps until the kernel is done with every request (an
 * {@code IOSQE_IO_DRAIN} NOP tells; on kernels before 6.16, once a zero-copy send's notification was posted, such a
 * NOP is never released, and the ring's count decides instead), for at most
 * {@link IoUringBuilder#closeTimeout(Duration)}; only then does it invalidate the ring's memory segments (any later
 * access throws), unmap the SQE array and the rings, unregister the ring fd if this thread registered it, and close
 * the ring fd. So when {@code close()} returns, the kernel no longer
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
    public static final long INTERNAL_TIMEOUT_USER_DATA = CompletionQueue.INTERNAL_TIMEOUT_USER_DATA;

    /**
     * The lowest of the 65536 {@code user_data} values ({@code Long.MIN_VALUE} to {@code Long.MIN_VALUE + 65535})
     * that {@link #cancelAndDrain} and {@link #close()} give their own requests (the cancel and the draining NOP).
     * They consume those completions themselves; only after a {@code cancelAndDrain} that ran out of time (or a
     * {@code close()} that threw) can a late one still turn up in the CQ, to be ignored. Do not use these values.
     */
    public static final long DRAIN_USER_DATA_BASE = InFlightDrain.DRAIN_USER_DATA_BASE;

    private static final int SETUP_SQPOLL = Uapi.IORING_SETUP_SQPOLL();
    private static final int SETUP_IOPOLL = Uapi.IORING_SETUP_IOPOLL();
    private static final int SETUP_SQE128 = Uapi.IORING_SETUP_SQE128();
    private static final int SETUP_CQE32 = Uapi.IORING_SETUP_CQE32();
    private static final int SETUP_NO_SQARRAY = Uapi.IORING_SETUP_NO_SQARRAY();
    private static final int SETUP_NO_MMAP = Uapi.IORING_SETUP_NO_MMAP();
    private static final int FEAT_SINGLE_MMAP = Uapi.IORING_FEAT_SINGLE_MMAP();
    private static final int FEAT_EXT_ARG = Uapi.IORING_FEAT_EXT_ARG();
    private static final int EINVAL = Uapi.EINVAL();
    /** {@code IORING_MAX_ENTRIES}: the most SQ entries (twice as many CQ entries). */
    private static final int MAX_SQ_ENTRIES = 32768;
    /** After a submitAndWait whose completions were not inline, the calls until it submits without waiting again. */
    static final int INLINE_PROBE_INTERVAL = Submitter.INLINE_PROBE_INTERVAL;

    private final int ringFd;
    private final int flags;
    private final int features;
    /** Set at setup, and again by resizeRings. */
    private int sqEntries;
    private int cqEntries;
    private final int sqeSize;
    private final int cqeSize;
    private final int sqThreadCpu;
    private final int sqThreadIdle;

    /*
     * The parts, each owning its state, wired here and called only downwards: the queues know nothing above them,
     * the Submitter (io_uring_enter) drives both queues, the Registrar (io_uring_register) stands alone, and the
     * InFlightDrain (the close protocol) uses the queues and the Submitter.
     */
    /** The SQ ring, the CQ ring and the SQE array; unmapped by close(), replaced by resizeRings(). */
    private RingMemory memory;
    /**
     * The segments over {@link #memory} (and so every Sqe and Cqe flyweight's); closed before it is unmapped, by
     * close() and resizeRings(), so that a stale flyweight throws instead of touching unmapped memory.
     */
    private Arena ringArena;
    /** Per-ring scratch memory (system call arguments); closed by close(). */
    private final Arena arena;
    private final SubmissionQueue sq;
    private final CompletionQueue cq;
    private final Submitter submitter;
    private final Registrar registrar;
    private final InFlightDrain drain;
    private boolean closed;

    private IoUring(int ringFd, MemorySegment params, IoUringBuilder options, RingMemory userMemory)
            throws ErrnoException {
        this.ringFd = ringFd;
        this.flags = io_uring_params.flags(params);
        this.features = io_uring_params.features(params);
        this.sqEntries = io_uring_params.sq_entries(params);
        this.cqEntries = io_uring_params.cq_entries(params);
        this.sqThreadCpu = io_uring_params.sq_thread_cpu(params);
        this.sqThreadIdle = io_uring_params.sq_thread_idle(params);
        boolean sqPoll = (flags & SETUP_SQPOLL) != 0;
        boolean ioPoll = (flags & SETUP_IOPOLL) != 0;
        boolean extArg = (features & FEAT_EXT_ARG) != 0 && !options.ignoreExtArg;
        // The SQE and CQE sizes come from the setup flags, never from the features word.
        this.sqeSize = (flags & SETUP_SQE128) != 0 ? 2 * Sqe.SQE_SIZE : Sqe.SQE_SIZE;
        this.cqeSize = (flags & SETUP_CQE32) != 0 ? 2 * Cqe.CQE_SIZE : Cqe.CQE_SIZE;

        MemorySegment sqOff = io_uring_params.sq_off(params);
        MemorySegment cqOff = io_uring_params.cq_off(params);
        boolean hasSqArray = (flags & SETUP_NO_SQARRAY) == 0;
        RingMemory mem = userMemory;
        if (mem == null) {
            // The kernel serves both offsets from one allocation either way; with SINGLE_MMAP one mapping covers both.
            boolean singleMmap = (features & FEAT_SINGLE_MMAP) != 0 && !options.ignoreSingleMmap;
            try (Arena tmp = Arena.ofConfined()) {
                mem = RingMemory.map(Syscalls.allocateErrnoState(tmp), ringFd,
                        SubmissionQueue.ringSize(sqOff, sqEntries, hasSqArray),
                        CompletionQueue.ringSize(cqOff, cqEntries, cqeSize), singleMmap, (long) sqeSize * sqEntries);
            }
        }
        this.memory = mem;
        Arena shared = Arena.ofShared();
        this.arena = shared;
        Arena rings = Arena.ofShared();
        this.ringArena = rings;
        try {
            MemorySegment[] seg = segments(mem, rings);
            this.sq = new SubmissionQueue(seg[0], seg[2], sqOff, sqEntries, sqeSize, hasSqArray,
                    (flags & Uapi.IORING_SETUP_SQE_MIXED()) != 0);
            this.cq = new CompletionQueue(seg[1], cqOff, cqEntries, cqeSize, !extArg,
                    (flags & Uapi.IORING_SETUP_CQE_MIXED()) != 0);
            this.submitter = new Submitter(ringFd, sqPoll, ioPoll, extArg, sq, cq, shared);
            this.registrar = new Registrar(ringFd);
            this.drain = new InFlightDrain(ringFd, sqPoll, ioPoll, sq, cq, submitter, options.closeTimeoutNanos,
                    options.rejectCancelAny, options.drainByCqSequence, shared);
        } catch (RuntimeException | Error e) {
            shared.close();
            rings.close();
            if (userMemory == null) { // the caller frees the memory it allocated, this frees what it mapped
                try (Arena tmp = Arena.ofConfined()) {
                    mem.free(Syscalls.allocateErrnoState(tmp));
                }
            }
            throw e;
        }
    }

    /**
     * The ring memory as segments of {@code scope}: the SQ ring, the CQ ring (the same segment when one mapping holds
     * both) and the SQE array.
     */
    private static MemorySegment[] segments(RingMemory mem, Arena scope) {
        // Reinterpreted once, here: the hot path never slices.
        MemorySegment sqRing = MemorySegment.ofAddress(mem.sqRingAddr).reinterpret(mem.sqRingSize, scope, null);
        MemorySegment cqRing = mem.singleMapping() ? sqRing
                : MemorySegment.ofAddress(mem.cqRingAddr).reinterpret(mem.cqRingSize, scope, null);
        MemorySegment sqes = MemorySegment.ofAddress(mem.sqesAddr).reinterpret(mem.sqesSize, scope, null);
        return new MemorySegment[] {sqRing, cqRing, sqes};
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

    /**
     * What the running kernel's io_uring has: its opcodes, setup flags, register opcodes and features, each found by
     * asking the kernel ({@link Capabilities}). Probed on the first call (a few dozen tiny rings), then the same record.
     * {@snippet :
     * if (IoUring.capabilities().hasSetupFlag(Uapi.IORING_SETUP_CQE_MIXED())) { ... } // 6.18+
     * }
     *
     * @return the record
     * @throws IllegalStateException if io_uring is not usable here ({@link #availability()} says why)
     */
    public static Capabilities capabilities() {
        return Capabilities.ofRunningKernel();
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
     * SQE size: 64, or 128 with {@code IORING_SETUP_SQE128}. With {@code IORING_SETUP_SQE_MIXED} the slot size, 64:
     * a 128-byte SQE ({@link #getSqe128()}) takes two slots.
     *
     * @return bytes
     */
    public int sqeSize() {
        return sqeSize;
    }

    /**
     * CQE size: 16, or 32 with {@code IORING_SETUP_CQE32}. With {@code IORING_SETUP_CQE_MIXED} the slot size, 16:
     * a 32-byte CQE takes two slots ({@link Cqe#isBig()}).
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
        return memory.singleMapping();
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
        return sq.flagsAcquire();
    }

    /**
     * The kernel's count of completions it had to drop ({@code cq.overflow}); stays 0 with
     * {@code IORING_FEAT_NODROP} unless memory ran out.
     *
     * @return dropped completions
     */
    public int cqOverflow() {
        checkOpen();
        return cq.overflow();
    }

    /**
     * The kernel's count of invalid SQEs it skipped ({@code sq.dropped}).
     *
     * @return dropped submissions
     */
    public int sqDropped() {
        checkOpen();
        return sq.dropped();
    }

    /**
     * How many times this ring called {@code io_uring_enter} (a statistic for tests and benchmarks; not
     * synchronized).
     *
     * @return the count
     */
    public long enterCount() {
        return submitter.enterCount();
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
        return sq.next();
    }

    /**
     * The next free 128-byte SQE, for the 128-byte opcodes ({@link Sqe#prepNop128()},
     * {@link Sqe#prepUringCmd128(int, int)}): on a ring set up with {@code IORING_SETUP_SQE128} any entry; on one set
     * up with {@code IORING_SETUP_SQE_MIXED} (6.19) two 64-byte slots in a row. Such an entry never wraps: when the
     * next slot is the last, it gets a NOP flagged {@code IOSQE_CQE_SKIP_SUCCESS} (no completion; in a chain, a
     * member of it) and the entry starts at slot 0, as liburing's {@code io_uring_get_sqe128} does.
     *
     * @return the entry, or {@code null} when there is no room for it: {@link #submit()} then retry
     * @throws IllegalStateException if the ring is closed, or has neither flag
     */
    public Sqe getSqe128() {
        checkOpen();
        if ((flags & SETUP_SQE128) != 0) {
            return sq.next();
        }
        if ((flags & Uapi.IORING_SETUP_SQE_MIXED()) == 0) {
            throw new IllegalStateException("a 128-byte SQE needs a ring set up with IORING_SETUP_SQE128 or "
                    + "IORING_SETUP_SQE_MIXED; this one has " + setupFlagNames(flags));
        }
        return sq.next128();
    }

    /**
     * Entries handed out by {@link #getSqe()} and not yet consumed by the kernel (published or not).
     *
     * @return the count
     */
    public int sqReady() {
        checkOpen();
        return sq.unconsumed();
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
        return submitter.submit();
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
     * <p><b>IOPOLL rings</b> return as soon as the CQ holds one completion, which may be fewer than {@code waitNr}:
     * the kernel polls for completions only while the CQ is empty ({@code io_iopoll_check()} returns at once when it
     * holds any, in every kernel up to at least 6.18), so a further wait would never find the rest. The kernel still
     * polls for {@code waitNr} when the CQ was empty. Reap, then wait again, as fio's loop does.
     *
     * @param waitNr completions to wait for (0: do not wait)
     * @return the number of entries submitted
     * @throws ErrnoException if {@code io_uring_enter} fails
     */
    public int submitAndWait(int waitNr) throws ErrnoException {
        checkOpen();
        return submitter.submitAndWait(Unsigned.checkU32(waitNr, "waitNr"));
    }

    /**
     * Submits and waits until at least {@code waitNr} completions are in the CQ or the timeout expires (liburing's
     * {@code io_uring_submit_and_wait_timeout}). A timeout is not an error: check the CQ. A signal that interrupts the
     * wait does not end it early: the wait goes on for the rest of the time. On an IOPOLL ring it returns as soon as
     * the CQ holds one completion, as {@link #submitAndWait(int)} does.
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
        return submitter.submitAndWait(Unsigned.checkU32(waitNr, "waitNr"), Math.max(0L, unit.toNanos(timeout)));
    }

    /**
     * With SQPOLL, when the SQ is full, waits until the kernel thread has consumed entries
     * ({@code IORING_ENTER_SQ_WAIT}, Linux 5.10). Returns at once otherwise.
     *
     * @throws ErrnoException if {@code io_uring_enter} fails
     */
    public void sqRingWait() throws ErrnoException {
        checkOpen();
        submitter.sqRingWait();
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
        return cq.ready();
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
        return submitter.peekCqe();
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
     * Waits until at least {@code waitNr} completions are in the CQ and returns the one at the head. On an IOPOLL
     * ring it returns as soon as the CQ holds one (see {@link #submitAndWait(int)}).
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
        return submitter.waitCqeNr(waitNr);
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
        return submitter.waitCqe(Math.max(0L, unit.toNanos(timeout)));
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
        cq.seen(cqe);
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
        cq.advanceChecked(n);
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
        return submitter.peekBatchCqe(out);
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
    public int forEachCqe(CqeHandler consumer) throws ErrnoException {
        checkOpen();
        return submitter.forEachCqe(consumer);
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
        return submitter.copyCqes(userData, res, flags);
    }

    // -------------------------------------------------------------------------------------------------------------
    // Registration
    // -------------------------------------------------------------------------------------------------------------

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
        checkOpen();
        registrar.registerBuffers(buffers);
    }

    /**
     * Registers an empty fixed-buffer table of {@code nr} slots ({@code IORING_REGISTER_BUFFERS2} with
     * {@code IORING_RSRC_REGISTER_SPARSE}, Linux 5.19), to be filled with {@link #updateBuffers}.
     *
     * @param nr table size
     * @throws ErrnoException if the kernel refuses
     */
    public void registerBuffersSparse(int nr) throws ErrnoException {
        checkOpen();
        registrar.registerBuffersSparse(nr);
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
        checkOpen();
        return registrar.updateBuffers(offset, buffers);
    }

    /**
     * Unregisters all fixed buffers ({@code IORING_UNREGISTER_BUFFERS}).
     *
     * @throws ErrnoException {@code ENXIO} if none are registered
     */
    public void unregisterBuffers() throws ErrnoException {
        checkOpen();
        registrar.unregisterBuffers();
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
        checkOpen();
        registrar.registerFiles(fds);
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
        checkOpen();
        registrar.registerFilesSparse(nr);
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
        checkOpen();
        return registrar.updateFiles(offset, fds);
    }

    /**
     * Unregisters the fixed-file table ({@code IORING_UNREGISTER_FILES}).
     *
     * @throws ErrnoException {@code ENXIO} if none is registered
     */
    public void unregisterFiles() throws ErrnoException {
        checkOpen();
        registrar.unregisterFiles();
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
        return submitter.registerRingFd(registrar);
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
        submitter.unregisterRingFd(registrar);
    }

    /**
     * The registered ring index of the calling thread, or -1 (see {@link #registerRingFd()}).
     *
     * @return the index, or -1
     */
    public int registeredRingIndex() {
        return submitter.registeredRingIndex();
    }

    /**
     * Which opcodes the kernel supports ({@code IORING_REGISTER_PROBE}, Linux 5.6).
     *
     * @return the probe
     * @throws ErrnoException if the kernel refuses
     */
    public Probe probe() throws ErrnoException {
        checkOpen();
        return registrar.probe();
    }

    /**
     * Registers the calling thread's credentials ({@code IORING_REGISTER_PERSONALITY}, Linux 5.6); requests with
     * {@link Sqe#personality(int)} set to the returned id run with them.
     *
     * @return the personality id
     * @throws ErrnoException if the kernel refuses
     */
    public int registerPersonality() throws ErrnoException {
        checkOpen();
        return registrar.registerPersonality();
    }

    /**
     * Unregisters a personality ({@code IORING_UNREGISTER_PERSONALITY}).
     *
     * @param id the id from {@link #registerPersonality()}
     * @throws ErrnoException {@code EINVAL} for an unknown id
     */
    public void unregisterPersonality(int id) throws ErrnoException {
        checkOpen();
        registrar.unregisterPersonality(id);
    }

    /**
     * Enables a ring set up with {@link IoUringBuilder#disabled()} ({@code IORING_REGISTER_ENABLE_RINGS}, 5.10).
     *
     * @throws ErrnoException {@code EBADFD} if the ring is not disabled
     */
    public void enableRings() throws ErrnoException {
        checkOpen();
        registrar.enableRings();
    }

    /**
     * Has the kernel signal {@code eventFd} for every completion ({@code IORING_REGISTER_EVENTFD}, 5.2), to
     * integrate the ring with an event loop.
     *
     * @param eventFd an eventfd
     * @throws ErrnoException if the kernel refuses
     */
    public void registerEventFd(int eventFd) throws ErrnoException {
        checkOpen();
        registrar.registerEventFd(eventFd);
    }

    /**
     * Unregisters the eventfd ({@code IORING_UNREGISTER_EVENTFD}).
     *
     * @throws ErrnoException {@code ENXIO} if none is registered
     */
    public void unregisterEventFd() throws ErrnoException {
        checkOpen();
        registrar.unregisterEventFd();
    }

    // -------------------------------------------------------------------------------------------------------------
    // Registration: restrictions, io-wq, file-alloc range, sync cancel, clock, NAPI, clone buffers, messages, regions
    // -------------------------------------------------------------------------------------------------------------

    /**
     * Limits what the ring may do ({@code IORING_REGISTER_RESTRICTIONS}, Linux 5.10): only on a ring set up
     * {@link IoUringBuilder#disabled()}, before {@link #enableRings()}; see {@link Restrictions}.
     *
     * @param restrictions what stays allowed
     * @throws ErrnoException {@code EBADFD} if the ring is already enabled, {@code EBUSY} if restricted already
     */
    public void registerRestrictions(Restrictions restrictions) throws ErrnoException {
        checkOpen();
        registrar.registerRestrictions(restrictions);
    }

    /**
     * Sets the most io-wq workers the ring's task may run ({@code IORING_REGISTER_IOWQ_MAX_WORKERS}, Linux 5.15):
     * bounded ones (regular file and block I/O) and unbounded ones (sockets, pipes, anything that may wait forever).
     * A 0 leaves that limit as it is, so {@code ioWqMaxWorkers(0, 0)} reads both.
     *
     * @param bounded   the limit for bounded work, or 0
     * @param unbounded the limit for unbounded work, or 0
     * @return the limits before the call, {@code {bounded, unbounded}}
     * @throws ErrnoException if the kernel refuses
     */
    public int[] ioWqMaxWorkers(int bounded, int unbounded) throws ErrnoException {
        checkOpen();
        return registrar.ioWqMaxWorkers(bounded, unbounded);
    }

    /**
     * Pins the ring's io-wq workers to {@code cpus} ({@code IORING_REGISTER_IOWQ_AFF}, Linux 5.14); with SQPOLL the
     * poll thread is pinned by {@link IoUringBuilder#sqThreadCpu(int)} instead.
     *
     * @param cpus the CPUs, by number
     * @throws ErrnoException {@code EINVAL} if none of them is online
     */
    public void registerIoWqAffinity(java.util.BitSet cpus) throws ErrnoException {
        checkOpen();
        registrar.registerIoWqAffinity(cpus);
    }

    /**
     * Lets the io-wq workers run on any CPU again ({@code IORING_UNREGISTER_IOWQ_AFF}, Linux 5.14).
     *
     * @throws ErrnoException if the kernel refuses
     */
    public void unregisterIoWqAffinity() throws ErrnoException {
        checkOpen();
        registrar.unregisterIoWqAffinity();
    }

    /**
     * Limits the registered-file slots the kernel picks from for {@code IORING_FILE_INDEX_ALLOC} (direct
     * open/accept/socket) to {@code [offset, offset + length)} ({@code IORING_REGISTER_FILE_ALLOC_RANGE}, Linux 6.0),
     * keeping the others for indexes the application chooses.
     *
     * @param offset the first slot
     * @param length the number of slots
     * @throws ErrnoException {@code EINVAL} if the range leaves the registered table
     */
    public void registerFileAllocRange(int offset, int length) throws ErrnoException {
        checkOpen();
        registrar.registerFileAllocRange(offset, length);
    }

    /**
     * Cancels requests and waits until they have completed ({@code IORING_REGISTER_SYNC_CANCEL}, Linux 6.0): as
     * {@code IORING_OP_ASYNC_CANCEL}, but from the calling thread and without an SQE. Their completions
     * ({@code -ECANCELED}) are in the CQ when this returns.
     *
     * @param userData the {@code user_data} to match (unless {@code flags} has {@code IORING_ASYNC_CANCEL_FD} or
     *                 {@code _ANY})
     * @param fd       the fd to match with {@code IORING_ASYNC_CANCEL_FD}, else -1
     * @param flags    {@code IORING_ASYNC_CANCEL_*}
     * @param timeout  how long to wait, or {@code null} for as long as it takes
     * @return the kernel's result: 0, or with {@code IORING_ASYNC_CANCEL_ALL} the number cancelled
     * @throws ErrnoException {@code ENOENT} if nothing matched, {@code EALREADY} if it was running and could not be
     *                        stopped, {@code ETIME} if the time ran out
     */
    public int syncCancel(long userData, int fd, int flags, Duration timeout) throws ErrnoException {
        checkOpen();
        return registrar.syncCancel(userData, fd, flags, 0, timeout == null ? -1L : timeout.toNanos());
    }

    /**
     * The clock of the ring's waits with a timeout ({@code IORING_REGISTER_CLOCK}, Linux 6.12):
     * {@code CLOCK_MONOTONIC} (the default) or {@code CLOCK_BOOTTIME} (which counts suspend).
     *
     * @param clockId 1 ({@code CLOCK_MONOTONIC}) or 7 ({@code CLOCK_BOOTTIME})
     * @throws ErrnoException {@code EINVAL} for another clock
     */
    public void registerClock(int clockId) throws ErrnoException {
        checkOpen();
        registrar.registerClock(clockId);
    }

    /**
     * Turns on NAPI busy polling of the network queues that the ring's sockets receive from
     * ({@code IORING_REGISTER_NAPI}, Linux 6.9): a wait spins up to {@code busyPollMicros} on the NIC queue before
     * sleeping. Useful only with a NIC that has NAPI (not loopback).
     *
     * @param busyPollMicros  how long to busy-poll
     * @param preferBusyPoll  {@code SO_PREFER_BUSY_POLL}: defer the queue's interrupts while polling
     * @return the settings before: the busy-poll time in the low 32 bits, bit 32 set if busy polling was preferred
     * @throws ErrnoException {@code EINVAL} on a ring set up with {@code IORING_SETUP_IOPOLL}
     */
    public long registerNapi(int busyPollMicros, boolean preferBusyPoll) throws ErrnoException {
        checkOpen();
        return registrar.napi(true, busyPollMicros, preferBusyPoll);
    }

    /**
     * Turns NAPI busy polling off again ({@code IORING_UNREGISTER_NAPI}, Linux 6.9).
     *
     * @return the settings it had, as {@link #registerNapi(int, boolean)} returns them
     * @throws ErrnoException if the kernel refuses
     */
    public long unregisterNapi() throws ErrnoException {
        checkOpen();
        return registrar.napi(false, 0, false);
    }

    /**
     * Gives this ring the fixed buffers of {@code source} without registering (pinning) them again
     * ({@code IORING_REGISTER_CLONE_BUFFERS}, Linux 6.12; a range and {@code IORING_REGISTER_DST_REPLACE} 6.13): both
     * rings then share the same buffers, each unregistering its own view.
     *
     * @param source    the ring whose buffers to take
     * @param srcOffset the first of its buffers
     * @param dstOffset where they go in this ring's table
     * @param nr        how many; 0 for all from {@code srcOffset}
     * @param flags     0, or {@code IORING_REGISTER_DST_REPLACE} to replace buffers this ring has there
     * @throws ErrnoException {@code EBUSY} if this ring has buffers already (without DST_REPLACE)
     */
    public void cloneBuffers(IoUring source, int srcOffset, int dstOffset, int nr, int flags) throws ErrnoException {
        checkOpen();
        registrar.cloneBuffers(source.fd(), srcOffset, dstOffset, nr, flags);
    }

    /**
     * Posts a completion on another ring without a ring of one's own ({@code IORING_REGISTER_SEND_MSG_RING}, Linux
     * 6.13): what an {@code IORING_OP_MSG_RING} SQE does ({@link Sqe#prepMsgRing(int, int, long, int)}), as a
     * synchronous call from any thread, for example to wake the ring's reaper from a thread that has no ring.
     *
     * @param targetRingFd the ring to post on
     * @param res          the completion's {@code res}
     * @param userData     the completion's {@code user_data}
     * @param flags        {@code IORING_MSG_RING_*} ({@code IORING_MSG_RING_FLAGS_PASS} with {@code res}...)
     * @throws ErrnoException {@code EBADFD} if the target is not a ring, {@code EOVERFLOW} if its CQ is full
     */
    public static void sendMsgRing(int targetRingFd, int res, long userData, int flags) throws ErrnoException {
        Registrar.sendMsgRing(targetRingFd, res, userData, flags);
    }

    /**
     * Registers {@code region} as the ring's wait-argument region ({@code IORING_REGISTER_MEM_REGION} with
     * {@code IORING_MEM_REGION_REG_WAIT_ARG}, Linux 6.13): an array of {@code struct io_uring_reg_wait} that
     * {@link #waitRegistered(int, int)} names by index, so that a wait with a timeout passes no argument struct
     * each time. Only on a ring set up {@link IoUringBuilder#disabled()}, before {@link #enableRings()}; the region
     * must stay alive while the ring is open.
     *
     * @param region page-aligned native memory, a whole number of pages
     * @throws ErrnoException {@code EINVAL} on an enabled ring, {@code EFAULT} for unaligned memory
     */
    public void registerWaitRegion(MemorySegment region) throws ErrnoException {
        checkOpen();
        registrar.registerWaitRegion(region);
    }

    /**
     * Submits what is queued and waits for {@code waitNr} completions with the wait arguments (a timeout with
     * {@code IORING_REG_WAIT_TS}, a minimum wait) at {@code index} in the registered region
     * ({@code IORING_ENTER_EXT_ARG_REG}, Linux 6.13).
     *
     * @param waitNr completions to wait for
     * @param index  the {@code struct io_uring_reg_wait} to use, by index in the region
     * @return the number of SQEs submitted
     * @throws ErrnoException {@code ETIME} when the registered timeout ran out first
     */
    public int waitRegistered(int waitNr, int index) throws ErrnoException {
        checkOpen();
        sq.flush();
        int toSubmit = sq.unconsumed();
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment errno = Syscalls.allocateErrnoState(tmp);
            int ret = Syscalls.ioUringEnter(errno, ringFd, toSubmit, waitNr, Uapi.IORING_ENTER_GETEVENTS()
                    | Uapi.IORING_ENTER_EXT_ARG() | Uapi.IORING_ENTER_EXT_ARG_REG(), (long) index * io_uring_reg_wait.layout().byteSize(),
                    io_uring_reg_wait.layout().byteSize());
            if (ret < 0) {
                throw new ErrnoException("io_uring_enter(IORING_ENTER_EXT_ARG_REG)", -ret);
            }
            return ret;
        }
    }

    /**
     * Gives the ring a new SQ of {@code sqEntries} and a new CQ of {@code cqEntries}, larger or smaller, keeping
     * what is in them ({@code IORING_REGISTER_RESIZE_RINGS}, Linux 6.13): for a ring that must take bursts now and
     * then, without the memory of a large ring all the time, or without closing it.
     *
     * <p>The kernel allocates new rings and a new SQE array, copies into them the SQEs submitted and not yet
     * consumed and the CQEs not yet reaped (each keeps its position: the heads and tails carry over), and from then on
     * uses only the new ones. jring then maps the new memory (with {@code IORING_SETUP_NO_MMAP} it allocates it before
     * the call and hands it over), re-derives every offset and flyweight from the offsets the kernel returned, and
     * only then unmaps the old memory. So:
     * <ul>
     * <li>SQEs obtained with {@link #getSqe()} and not yet submitted are kept, in order, and the next
     *     {@link #submit()} submits them: the kernel has not seen them, so jring copies them to the new SQE array
     *     itself (whole, as it does the submitted ones the kernel has not consumed).</li>
     * <li>CQEs not yet reaped are kept, in order, and are reaped as usual afterwards; completions waiting in the
     *     kernel's overflow list stay there. Requests in flight complete into the new CQ.</li>
     * <li>{@link Sqe} and {@link Cqe} objects obtained before the call belong to the old memory: fill them (or reap
     *     and release them) before resizing. Used afterwards, one throws {@link IllegalStateException}; it never
     *     reaches unmapped memory.</li>
     * <li>{@link #sqEntries()} and {@link #cqEntries()} report the new sizes.</li>
     * </ul>
     * The sizes are rounded up to powers of two, as at setup ({@code IORING_SETUP_CQSIZE} is passed, so the CQ gets
     * {@code cqEntries}); the entry sizes ({@code SQE128}, {@code CQE32}) and the other setup flags stay as they were.
     *
     * <p><b>Refusals.</b> The kernel resizes only a ring set up with {@code IORING_SETUP_DEFER_TASKRUN}
     * ({@link IoUringBuilder#deferTaskrun()}, which needs {@code SINGLE_ISSUER} and excludes {@code SQPOLL}); any other
     * ring gets {@code EINVAL}, and so do sizes out of range (SQ 1 to 32768 entries, CQ from the SQ's size to 65536).
     * New rings too small for what is pending get {@code EOVERFLOW}: the kernel counts the SQEs submitted and not
     * consumed and the CQEs not reaped, jring beforehand also the SQEs not yet submitted. A call from a thread other
     * than the ring's submitter gets {@code EEXIST}. After any refusal nothing has changed: the ring, its memory and
     * what is in it are as before. Kernels before 6.13 have no such registration ({@code EINVAL});
     * {@code IoUring.capabilities().hasRegisterOp(Uapi.IORING_REGISTER_RESIZE_RINGS())} tells.
     *
     * <p>Neither the submitting nor the reaping side may run meanwhile.
     *
     * @param sqEntries the new SQ's entries
     * @param cqEntries the new CQ's entries
     * @throws ErrnoException {@code EINVAL}, {@code EOVERFLOW} or {@code EEXIST} as above, with the reason in the
     *                        message; {@code ENOMEM}. In one case the ring does not survive: if the kernel has
     *                        switched to the new rings and they cannot be mapped (only an exhausted address space
     *                        does that), jring closes the ring, fd included, and the message says so
     * @throws IllegalStateException if the ring is closed; on an {@code SQE_MIXED} ring while SQEs are pending, and on
     *                               a {@code CQE_MIXED} ring where an unreaped 32-byte CQE would straddle the new
     *                               CQ's end (a 128-byte SQE or 32-byte CQE never wraps): submit or reap first
     */
    public void resizeRings(int sqEntries, int cqEntries) throws ErrnoException {
        checkOpen();
        int pending = sq.unconsumed();
        if ((flags & Uapi.IORING_SETUP_SQE_MIXED()) != 0 && pending != 0) {
            throw new IllegalStateException("resizeRings on an SQE_MIXED ring with " + pending + " SQEs pending:"
                    + " submit them first (a 128-byte SQE could straddle the new SQ's end)");
        }
        if (sqEntries >= 1 && sqEntries <= MAX_SQ_ENTRIES && pending > powerOfTwoAtLeast(sqEntries)) {
            throw new ErrnoException("io_uring_register(IORING_REGISTER_RESIZE_RINGS)", Uapi.EOVERFLOW(),
                    pending + " SQEs handed out and not consumed do not fit in " + powerOfTwoAtLeast(sqEntries)
                    + " entries: submit (and reap) first; the ring is unchanged");
        }
        if (cqEntries >= 1 && cqEntries <= 2 * MAX_SQ_ENTRIES && !cq.unreapedFitIn(powerOfTwoAtLeast(cqEntries))) {
            throw new IllegalStateException("resizeRings on a CQE_MIXED ring: an unreaped 32-byte CQE would straddle"
                    + " the end of a CQ of " + powerOfTwoAtLeast(cqEntries) + " entries; reap first");
        }
        boolean userMemory = (flags & SETUP_NO_MMAP) != 0;
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment errno = Syscalls.allocateErrnoState(tmp);
            MemorySegment p = tmp.allocate(io_uring_params.layout());
            io_uring_params.sq_entries(p, sqEntries);
            io_uring_params.cq_entries(p, cqEntries);
            io_uring_params.flags(p, Uapi.IORING_SETUP_CQSIZE());
            RingMemory fresh = null;
            if (userMemory) {
                fresh = RingMemory.allocate(errno, sqEntries, flags | Uapi.IORING_SETUP_CQSIZE(), cqEntries);
                fresh.describe(p);
            }
            try {
                registrar.resizeRings(p);
            } catch (ErrnoException e) {
                if (fresh != null) {
                    fresh.free(errno);
                }
                throw e;
            }
            int newSq = io_uring_params.sq_entries(p);
            int newCq = io_uring_params.cq_entries(p);
            MemorySegment sqOff = io_uring_params.sq_off(p);
            MemorySegment cqOff = io_uring_params.cq_off(p);
            boolean hasSqArray = (flags & SETUP_NO_SQARRAY) == 0;
            if (hasSqArray && io_sqring_offsets.array(sqOff) == 0) {
                // The resize answers without sq_off.array (6.13 to 6.18 at least leave it as passed, 0, which lies
                // in the header, never the array): place it as the kernel does.
                io_sqring_offsets.array(sqOff, (int) RingMemory.sqArrayOffset(
                        Integer.toUnsignedLong(io_cqring_offsets.cqes(cqOff)), newCq, cqeSize));
            }
            if (fresh == null) {
                try {
                    fresh = RingMemory.map(errno, ringFd,
                            SubmissionQueue.ringSize(sqOff, newSq, hasSqArray),
                            CompletionQueue.ringSize(cqOff, newCq, cqeSize), memory.singleMapping(),
                            (long) sqeSize * newSq);
                } catch (ErrnoException e) {
                    abandon(tmp, errno);
                    throw new ErrnoException(e.operation(), e.errno(), "the kernel had resized the rings, which could"
                            + " not be mapped: the ring is closed");
                }
            }
            Arena rings = Arena.ofShared();
            MemorySegment[] seg = segments(fresh, rings);
            if (userMemory
                    && seg[0].get(JAVA_INT, Integer.toUnsignedLong(io_sqring_offsets.ring_entries(sqOff))) == 0) {
                // The first kernels with resizing (6.13 until a fix that stable kernels took in 2025) answer a resize
                // to the sizes the ring has with success and keep the old rings. The new memory then lies untouched:
                // the kernel writes the sizes into rings it takes.
                rings.close();
                fresh.free(errno);
                return;
            }
            sq.moveTo(seg[0], seg[2], sqOff, newSq);
            cq.moveTo(seg[1], cqOff, newCq);
            ringArena.close(); // the old flyweights throw from here on
            memory.free(errno);
            ringArena = rings;
            memory = fresh;
            this.sqEntries = newSq;
            this.cqEntries = newCq;
        }
    }

    /** The kernel's rounding of a ring size: the power of two at or above {@code n} (1 to 65536). */
    private static int powerOfTwoAtLeast(int n) {
        return n <= 1 ? 1 : Integer.highestOneBit(n - 1) << 1;
    }

    /** After a resize whose new rings could not be mapped: the ring cannot be driven, so it is closed. */
    private void abandon(Arena tmp, MemorySegment errno) {
        closed = true;
        ringArena.close();
        arena.close();
        memory.free(errno);
        submitter.closeRingFd(tmp, errno);
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
        return drain.inFlightCount();
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
    public int cancelAndDrain(long timeout, TimeUnit unit, CqeHandler consumer) throws ErrnoException {
        checkOpen();
        Objects.requireNonNull(consumer, "consumer");
        return drain.cancelAndDrain(Math.min(Math.max(0L, unit.toNanos(timeout)), Long.MAX_VALUE / 2), consumer);
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
        drain.drainBeforeClose(); // throws, leaving the ring open, if the kernel may still write a request's memory
        closed = true;
        ringArena.close();
        arena.close();
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment errno = Syscalls.allocateErrnoState(tmp);
            memory.free(errno);
            submitter.closeRingFd(tmp, errno);
        }
    }

    @Override
    public String toString() {
        return "IoUring[fd=" + ringFd + ", sq=" + sqEntries + "x" + sqeSize + "B, cq=" + cqEntries + "x" + cqeSize
                + "B, flags=" + setupFlagNames(flags) + ", features=0x" + Integer.toHexString(features)
                + (closed ? ", closed" : "") + "]";
    }
}
