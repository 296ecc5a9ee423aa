package io.github.jring.core;

import io.github.jring.core.internal.NativeAccess;
import io.github.jring.bindings.Uapi;

import java.time.Duration;

/**
 * Options for {@code io_uring_setup(2)}: one method per {@code IORING_SETUP_*} flag that jring supports, then
 * {@link #build(int)}. Obtain one with {@link IoUring#builder()}.
 * {@snippet :
 * try (IoUring ring = IoUring.builder().sqPoll(2000).sqThreadCpu(1).cqSize(4096).build(256)) {
 *     // ...
 * }
 * }
 * Setup flags are a 32-bit {@code int} end to end (several live at bit 8 and above), and the flags the kernel
 * accepted are read back into {@link IoUring#flags()}. The kernel rejects an unknown or unsupported flag, or an
 * invalid combination, with {@code EINVAL}, reported as an {@link ErrnoException} that lists the flags asked for.
 *
 * <p>{@code IORING_SETUP_NO_SQARRAY} (Linux 6.6) is used by default when the kernel has it: {@link #build(int)} asks
 * for it and, if the kernel answers {@code EINVAL}, sets up again without it (as liburing does). Use
 * {@link #noSqArray()} to require it, or {@link #useSqArray()} to never ask.
 *
 * <p>{@code IORING_SETUP_NO_MMAP} (Linux 6.5) is asked for with {@link #noMmap()}, which also provides the memory,
 * and falls back the same way.
 *
 * <p>Other flags that not every kernel (or not every combination) accepts are asked for with
 * {@link #preferFlags(int...)}, which falls back the same way through the choices it is given.
 *
 * <p>Not supported: {@code IORING_SETUP_REGISTERED_FD_ONLY} (a ring with no fd, reachable only through an index
 * registered in the task, that is the OS thread, that set it up: no other thread could submit, wait or even close it,
 * which a virtual thread, moving between carriers, cannot promise; {@link IoUring#registerRingFd()} gives that
 * thread the same saving on a ring that keeps its fd);
 * {@link #flags(int)} can pass any flag, but a flag that changes the ring's memory layout in a way jring does not
 * know is refused.
 */
public final class IoUringBuilder {

    static {
        NativeAccess.require(); // first: a JVM that denies native access gets one clear error, not one from the bindings
    }

    private static final int NO_MMAP = Uapi.IORING_SETUP_NO_MMAP();
    private static final int REGISTERED_FD_ONLY = Uapi.IORING_SETUP_REGISTERED_FD_ONLY();
    private static final int EINVAL = Uapi.EINVAL();
    private static final int[] NONE = {};

    /** NO_SQARRAY: try it and fall back. */
    static final int SQARRAY_AUTO = 0;
    /** NO_SQARRAY: required. */
    static final int SQARRAY_NONE = 1;
    /** NO_SQARRAY: never asked for. */
    static final int SQARRAY_KEEP = 2;

    int flags;
    /** Flag sets tried in this order on top of {@link #flags}, each dropped when the kernel answers EINVAL. */
    private int[] preferred = NONE;
    int sqThreadIdle;
    int sqThreadCpu;
    int cqEntries;
    int wqFd;
    int noSqArray = SQARRAY_AUTO;
    /** Test hook: behave as if the kernel had no IORING_FEAT_EXT_ARG. */
    boolean ignoreExtArg;
    /** Test hook: map the SQ and CQ rings separately, as on a kernel without IORING_FEAT_SINGLE_MMAP (before 5.4). */
    boolean ignoreSingleMmap;
    /** Test hook: behave as if the kernel answered EINVAL to IORING_SETUP_NO_SQARRAY (as kernels before 6.6 do). */
    boolean rejectNoSqArray;
    /** IORING_SETUP_NO_MMAP with memory jring allocates: try it and fall back. */
    boolean noMmap;
    /** Test hook: behave as if the kernel answered EINVAL to IORING_SETUP_NO_MMAP (as kernels before 6.5 do). */
    boolean rejectNoMmap;
    /** How long {@link IoUring#close()} waits for requests in flight to end. */
    long closeTimeoutNanos = DEFAULT_CLOSE_TIMEOUT.toNanos();
    /** Test hook: the close's IORING_ASYNC_CANCEL_ANY is answered with EINVAL, as by kernels before 5.19. */
    boolean rejectCancelAny;
    /** Test hook: close's drain behaves as on kernels before 6.16, which release a drained request by CQ sequence. */
    boolean drainByCqSequence;

    /** The default of {@link #closeTimeout(Duration)}. */
    static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration MAX_CLOSE_TIMEOUT = Duration.ofNanos(Long.MAX_VALUE / 2);

    IoUringBuilder() {
    }

    /**
     * ORs raw {@code IORING_SETUP_*} flags into the setup flags, for flags without a method here.
     *
     * @param setupFlags the flags
     * @return this builder
     * @throws IllegalArgumentException for {@code NO_MMAP} (the ring's memory must come with it: use
     *                                  {@link #noMmap()}) and for flags whose ring layout jring does not handle
     *                                  ({@code REGISTERED_FD_ONLY})
     */
    public IoUringBuilder flags(int setupFlags) {
        checkRawFlags(setupFlags);
        this.flags |= setupFlags;
        return this;
    }

    /**
     * Flags to add when the kernel accepts them, in order of preference: {@link #build(int)} sets the ring up with
     * the flags asked for elsewhere plus {@code choices[0]}; if the kernel answers {@code EINVAL}, with them plus
     * {@code choices[1]}, and so on; and last with them alone. {@link IoUring#flags()} tells which the kernel took.
     * Any other error ends the tries at once. This is the ladder for flags that only newer kernels, or only some
     * combinations, accept: for a ring with one thread that both submits and waits,
     * {@snippet :
     * int coop = Uapi.IORING_SETUP_COOP_TASKRUN();
     * IoUring ring = IoUring.builder()
     *         .preferFlags(coop | Uapi.IORING_SETUP_SINGLE_ISSUER() | Uapi.IORING_SETUP_DEFER_TASKRUN(), coop)
     *         .build(256); // DEFER_TASKRUN from 6.1, COOP_TASKRUN from 5.19, neither before; never with SQPOLL
     * }
     * A later call replaces the choices of an earlier one; no call, or none given, tries nothing but the flags asked
     * for.
     *
     * @param choices {@code IORING_SETUP_*} flag sets, most wanted first
     * @return this builder
     * @throws IllegalArgumentException for the flags {@link #flags(int)} refuses
     */
    public IoUringBuilder preferFlags(int... choices) {
        for (int c : choices) {
            checkRawFlags(c);
        }
        this.preferred = choices.clone();
        return this;
    }

    private static void checkRawFlags(int setupFlags) {
        if ((setupFlags & NO_MMAP) != 0) {
            throw new IllegalArgumentException("IORING_SETUP_NO_MMAP needs memory for the rings: use noMmap(), which "
                    + "allocates it");
        }
        if ((setupFlags & REGISTERED_FD_ONLY) != 0) {
            throw new IllegalArgumentException("setup flag REGISTERED_FD_ONLY is not supported by jring's ring");
        }
    }

    /**
     * {@code IORING_SETUP_IOPOLL} (Linux 5.1): busy-poll for completions instead of taking interrupts. Only for
     * files opened with {@code O_DIRECT} on devices with poll queues (and, from 6.1, NVMe passthrough); other
     * requests fail with {@code -EOPNOTSUPP}. Completions are found by entering the kernel (every reap enters).
     *
     * @return this builder
     */
    public IoUringBuilder ioPoll() {
        flags |= Uapi.IORING_SETUP_IOPOLL();
        return this;
    }

    /**
     * {@code IORING_SETUP_SQPOLL} (Linux 5.1; unprivileged from 5.11): a kernel thread polls the SQ, so submission
     * needs no system call while it is awake; after {@code idleMillis} without work it sleeps and sets
     * {@code IORING_SQ_NEED_WAKEUP}, and {@link IoUring#submit()} wakes it.
     *
     * @param idleMillis idle time before the thread sleeps; 0 means the kernel's default (1 second)
     * @return this builder
     */
    public IoUringBuilder sqPoll(int idleMillis) {
        if (idleMillis < 0) {
            throw new IllegalArgumentException("SQPOLL idle time must not be negative: " + idleMillis);
        }
        flags |= Uapi.IORING_SETUP_SQPOLL();
        sqThreadIdle = idleMillis;
        return this;
    }

    /**
     * {@code IORING_SETUP_SQ_AFF} (Linux 5.1): pins the SQPOLL thread to {@code cpu}. Implies nothing else: combine
     * with {@link #sqPoll(int)}.
     *
     * @param cpu the CPU number
     * @return this builder
     */
    public IoUringBuilder sqThreadCpu(int cpu) {
        if (cpu < 0) {
            throw new IllegalArgumentException("SQPOLL CPU must not be negative: " + cpu);
        }
        flags |= Uapi.IORING_SETUP_SQ_AFF();
        sqThreadCpu = cpu;
        return this;
    }

    /**
     * {@code IORING_SETUP_CQSIZE} (Linux 5.5): a CQ of {@code entries} entries (rounded up to a power of two)
     * instead of twice the SQ size.
     *
     * @param entries CQ entries
     * @return this builder
     */
    public IoUringBuilder cqSize(int entries) {
        if (entries <= 0) {
            throw new IllegalArgumentException("CQ size must be positive: " + entries);
        }
        flags |= Uapi.IORING_SETUP_CQSIZE();
        cqEntries = entries;
        return this;
    }

    /**
     * {@code IORING_SETUP_CLAMP} (Linux 5.6): clamp SQ and CQ sizes that exceed the kernel's maximum instead of
     * failing with {@code EINVAL}.
     *
     * @return this builder
     */
    public IoUringBuilder clamp() {
        flags |= Uapi.IORING_SETUP_CLAMP();
        return this;
    }

    /**
     * {@code IORING_SETUP_ATTACH_WQ} (Linux 5.6): share the io-wq worker pool of {@code other}.
     *
     * @param other an open ring
     * @return this builder
     */
    public IoUringBuilder attachWq(IoUring other) {
        return attachWq(other.fd());
    }

    /**
     * {@code IORING_SETUP_ATTACH_WQ} (Linux 5.6) to the ring with file descriptor {@code ringFd}.
     *
     * @param ringFd the other ring's fd
     * @return this builder
     */
    public IoUringBuilder attachWq(int ringFd) {
        flags |= Uapi.IORING_SETUP_ATTACH_WQ();
        wqFd = ringFd;
        return this;
    }

    /**
     * {@code IORING_SETUP_R_DISABLED} (Linux 5.10): start with the ring disabled, so that restrictions can be
     * registered; nothing can be submitted until {@link IoUring#enableRings()}.
     *
     * @return this builder
     */
    public IoUringBuilder disabled() {
        flags |= Uapi.IORING_SETUP_R_DISABLED();
        return this;
    }

    /**
     * {@code IORING_SETUP_SUBMIT_ALL} (Linux 5.18): keep submitting a batch after an entry fails at submission
     * (the failure is posted as its completion) instead of stopping at it.
     *
     * @return this builder
     */
    public IoUringBuilder submitAll() {
        flags |= Uapi.IORING_SETUP_SUBMIT_ALL();
        return this;
    }

    /**
     * {@code IORING_SETUP_COOP_TASKRUN} (Linux 5.19): do not interrupt the task to run completion work; it runs at
     * the next transition into the kernel. Cheaper; fine when the application enters the ring regularly.
     *
     * @return this builder
     */
    public IoUringBuilder coopTaskrun() {
        flags |= Uapi.IORING_SETUP_COOP_TASKRUN();
        return this;
    }

    /**
     * {@code IORING_SETUP_TASKRUN_FLAG} (Linux 5.19, with {@link #coopTaskrun()} or {@link #deferTaskrun()}): the
     * kernel sets {@code IORING_SQ_TASKRUN} when completion work is pending, and {@link IoUring#peekCqe()} then
     * enters the kernel to run it.
     *
     * @return this builder
     */
    public IoUringBuilder taskrunFlag() {
        flags |= Uapi.IORING_SETUP_TASKRUN_FLAG();
        return this;
    }

    /**
     * {@code IORING_SETUP_SQE128} (Linux 5.19): 128-byte SQEs, whose 80-byte command area carries large
     * {@code uring_cmd} payloads (NVMe passthrough).
     *
     * @return this builder
     */
    public IoUringBuilder sqe128() {
        flags |= Uapi.IORING_SETUP_SQE128();
        return this;
    }

    /**
     * {@code IORING_SETUP_CQE32} (Linux 5.19): 32-byte CQEs with two extra words ({@link Cqe#bigCqe0()},
     * {@link Cqe#bigCqe1()}) for {@code uring_cmd} results.
     *
     * @return this builder
     */
    public IoUringBuilder cqe32() {
        flags |= Uapi.IORING_SETUP_CQE32();
        return this;
    }

    /**
     * {@code IORING_SETUP_CQE_MIXED} (Linux 6.18): 16- and 32-byte CQEs in one ring, so that the few requests with
     * a 32-byte result (a {@code uring_cmd}, a NOP asked for one) do not double every slot. A 32-byte CQE is flagged
     * {@code IORING_CQE_F_32} ({@link Cqe#isBig()}) and takes two slots; the filler entries the kernel posts at the
     * ring's end instead of splitting one ({@code IORING_CQE_F_SKIP}) are released by jring and never handed out.
     * Older kernels refuse the flag with {@code EINVAL}: ask {@link IoUring#capabilities()} first, or fall back to
     * {@link #cqe32()} with {@link #preferFlags(int...)}.
     *
     * @return this builder
     */
    public IoUringBuilder cqeMixed() {
        flags |= Uapi.IORING_SETUP_CQE_MIXED();
        return this;
    }

    /**
     * {@code IORING_SETUP_SQE_MIXED} (Linux 6.19): 64- and 128-byte SQEs in one ring of 64-byte slots; a 128-byte
     * opcode ({@code IORING_OP_NOP128}, {@code IORING_OP_URING_CMD128}) takes two slots, from
     * {@link IoUring#getSqe128()}. Older kernels (6.18 included) refuse the flag with {@code EINVAL}: ask
     * {@link IoUring#capabilities()} first, or fall back to {@link #sqe128()}.
     *
     * @return this builder
     */
    public IoUringBuilder sqeMixed() {
        flags |= Uapi.IORING_SETUP_SQE_MIXED();
        return this;
    }

    /**
     * {@code IORING_SETUP_SINGLE_ISSUER} (Linux 6.0): only one task submits; the kernel can skip locking. That
     * task is the one that set the ring up (or enabled it, with {@link #disabled()}); submissions from any other
     * fail with {@code EEXIST}. In Java, a platform thread: a virtual thread may move between carrier threads.
     *
     * @return this builder
     */
    public IoUringBuilder singleIssuer() {
        flags |= Uapi.IORING_SETUP_SINGLE_ISSUER();
        return this;
    }

    /**
     * {@code IORING_SETUP_DEFER_TASKRUN} (Linux 6.1, requires {@link #singleIssuer()}): completion work runs only
     * when the submitting task waits for completions ({@code io_uring_enter} with {@code GETEVENTS}), so
     * {@link IoUring#peekCqe()} alone will not see completions that need task work: use
     * {@link IoUring#waitCqe()} or {@link IoUring#submitAndWait(int)} from the submitting thread.
     *
     * @return this builder
     */
    public IoUringBuilder deferTaskrun() {
        flags |= Uapi.IORING_SETUP_DEFER_TASKRUN();
        return this;
    }

    /**
     * {@code IORING_SETUP_HYBRID_IOPOLL} (Linux 6.13, with {@link #ioPoll()}): sleep for part of the expected
     * completion time before polling.
     *
     * @return this builder
     */
    public IoUringBuilder hybridIoPoll() {
        flags |= Uapi.IORING_SETUP_HYBRID_IOPOLL();
        return this;
    }

    /**
     * Requires {@code IORING_SETUP_NO_SQARRAY} (Linux 6.6): no SQ index array, the SQ tail indexes the SQEs
     * directly. Setup fails with {@code EINVAL} on older kernels. (By default it is used when available.)
     *
     * @return this builder
     */
    public IoUringBuilder noSqArray() {
        noSqArray = SQARRAY_NONE;
        return this;
    }

    /**
     * Never asks for {@code IORING_SETUP_NO_SQARRAY}: the ring keeps the SQ index array.
     *
     * @return this builder
     */
    public IoUringBuilder useSqArray() {
        noSqArray = SQARRAY_KEEP;
        return this;
    }

    /**
     * {@code IORING_SETUP_NO_MMAP} (Linux 6.5): the SQ and CQ rings and the SQE array live in memory the process
     * allocated (here: two anonymous shared mappings that jring makes before the setup and unmaps when the ring
     * closes), which the kernel pins, instead of memory the kernel allocates and the process maps from the ring fd.
     * If the kernel refuses ({@code EINVAL}: before 6.5; and from 6.5 to 6.12 a region of more than one page that is
     * not one huge page), the ring is set up again with the kernel's memory, as with {@code NO_SQARRAY}:
     * {@link IoUring#flags()} tells which it got.
     *
     * @return this builder
     */
    public IoUringBuilder noMmap() {
        noMmap = true;
        return this;
    }

    /**
     * How long {@link IoUring#close()} waits, after asking the kernel to cancel everything in flight, for those
     * requests to end before it gives up (default 5 seconds). A close that gives up leaves the ring open and throws,
     * because the kernel may still write the requests' buffers; see {@link IoUring#close()}. Zero means: cancel,
     * reap what has already ended, and give up at once if anything is left.
     *
     * @param timeout the longest wait
     * @return this builder
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public IoUringBuilder closeTimeout(Duration timeout) {
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("closeTimeout must not be negative: " + timeout);
        }
        // Capped at about 146 years, so that deadlines computed from System.nanoTime() cannot overflow.
        closeTimeoutNanos = timeout.compareTo(MAX_CLOSE_TIMEOUT) > 0 ? MAX_CLOSE_TIMEOUT.toNanos() : timeout.toNanos();
        return this;
    }

    /**
     * Test hook: the close's {@code IORING_ASYNC_CANCEL_ANY} gets {@code EINVAL} from the kernel, as on kernels
     * before 5.19 (it is sent with a flag combination the kernel refuses).
     */
    IoUringBuilder rejectCancelAny() {
        rejectCancelAny = true;
        return this;
    }

    /**
     * Test hook: {@link IoUring#close()} and {@link IoUring#cancelAndDrain} behave as on kernels before 6.16, whose
     * drained requests are released by CQ sequence and so never after a zero-copy send's notification.
     */
    IoUringBuilder drainByCqSequence() {
        drainByCqSequence = true;
        return this;
    }

    /** Test hook: setup behaves as if the kernel rejected {@code IORING_SETUP_NO_SQARRAY} (before 6.6). */
    IoUringBuilder rejectNoSqArray() {
        rejectNoSqArray = true;
        return this;
    }

    /** Test hook: setup behaves as if the kernel rejected {@code IORING_SETUP_NO_MMAP} (before 6.5). */
    IoUringBuilder rejectNoMmap() {
        rejectNoMmap = true;
        return this;
    }

    /** Test hook: the rings are mapped as if the kernel lacked {@code IORING_FEAT_SINGLE_MMAP}. */
    IoUringBuilder ignoreSingleMmap() {
        ignoreSingleMmap = true;
        return this;
    }

    /** Test hook: the ring behaves as if the kernel lacked {@code IORING_FEAT_EXT_ARG}. */
    IoUringBuilder ignoreExtArg() {
        ignoreExtArg = true;
        return this;
    }

    /**
     * The setup flags collected so far (without {@code NO_SQARRAY} and {@code NO_MMAP}, and without the
     * {@link #preferFlags(int...) preferred} ones, which {@link #build(int)} decides).
     *
     * @return {@code IORING_SETUP_*} bits
     */
    public int setupFlags() {
        return flags;
    }

    /**
     * Sets the ring up: {@code io_uring_setup(entries, params)}, then maps the SQ ring, CQ ring and SQE array; with
     * {@link #preferFlags(int...) preferred flags}, once per choice until the kernel accepts one.
     *
     * @param entries SQ entries (rounded up to a power of two by the kernel; at most 32768 unless {@link #clamp()})
     * @return the open ring
     * @throws ErrnoException if the kernel refuses (for example {@code EINVAL} for an unsupported flag,
     *                        {@code ENOMEM}, {@code EPERM} for SQPOLL without privilege on old kernels)
     */
    public IoUring build(int entries) throws ErrnoException {
        if (entries <= 0) {
            throw new IllegalArgumentException("entries must be positive: " + entries);
        }
        int required = flags;
        try {
            for (int choice : preferred) {
                flags = required | choice;
                try {
                    return IoUring.setup(entries, this);
                } catch (ErrnoException e) {
                    if (e.errno() != EINVAL) {
                        throw e;
                    }
                    // an older kernel, or a combination (SQPOLL with DEFER_TASKRUN) that refuses them: try the next
                }
            }
            flags = required;
            return IoUring.setup(entries, this);
        } finally {
            flags = required;
        }
    }
}
