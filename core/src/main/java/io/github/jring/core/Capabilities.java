package io.github.jring.core;

import io.github.jring.bindings.Uapi;
import io.github.jring.bindings.io_uring_params;
import io.github.jring.bindings.io_uring_restriction;
import io.github.jring.core.internal.Syscalls;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * What the running kernel's io_uring has, found by asking it, never by its version number: the
 * {@code IORING_OP_*} opcodes ({@code IORING_REGISTER_PROBE}, 5.6), the {@code IORING_SETUP_*} flags (each tried on
 * a two-entry ring of its own, with the companions the kernel requires of it; {@code EINVAL} means the kernel lacks
 * it), the {@code IORING_REGISTER_*} opcodes, and the {@code IORING_FEAT_*} bits of {@code io_uring_params.features}.
 * Obtain the record with {@link IoUring#capabilities()} (probed once per JVM, about 25 ring setups); decide with it what
 * to use and what to fall back from, and print {@link #toText()} where a person needs to know.
 *
 * <p><b>Register opcodes</b> are probed on a ring set up {@code IORING_SETUP_R_DISABLED} and restricted
 * ({@code IORING_REGISTER_RESTRICTIONS}, 5.10) to allow only {@code IORING_REGISTER_PROBE}: on such a ring every
 * opcode the kernel knows is refused with {@code EACCES} before its arguments are looked at, and every opcode past the
 * kernel's {@code IORING_REGISTER_LAST} with {@code EINVAL}. Kernels number the register opcodes without gaps, so the
 * first {@code EINVAL} is the kernel's {@code IORING_REGISTER_LAST}, {@link #registerOpLimit()}. Before 5.10 (no
 * restrictions) it is unknown (-1) and only {@code IORING_REGISTER_PROBE} is taken as present, when the probe worked.
 *
 * <p><b>Not probed</b>: {@code IORING_SETUP_REGISTERED_FD_ONLY} (its ring has no fd to close, only an index in the
 * prober's registered-ring table) is reported as the kernel reports {@code IORING_SETUP_NO_MMAP}, which it requires
 * and which came with it in 6.5; {@code IORING_SETUP_SQ_AFF} is tried with CPU 0.
 */
public final class Capabilities {

    /** The flags probed, each with the flags it needs beside it (the kernel refuses it alone with EINVAL). */
    private static final int[][] SETUP_TRIES = {
        {Uapi.IORING_SETUP_IOPOLL(), 0},
        {Uapi.IORING_SETUP_SQPOLL(), 0},
        {Uapi.IORING_SETUP_SQ_AFF(), Uapi.IORING_SETUP_SQPOLL()},
        {Uapi.IORING_SETUP_CQSIZE(), 0},
        {Uapi.IORING_SETUP_CLAMP(), 0},
        {Uapi.IORING_SETUP_ATTACH_WQ(), 0},
        {Uapi.IORING_SETUP_R_DISABLED(), 0},
        {Uapi.IORING_SETUP_SUBMIT_ALL(), 0},
        {Uapi.IORING_SETUP_COOP_TASKRUN(), 0},
        {Uapi.IORING_SETUP_TASKRUN_FLAG(), Uapi.IORING_SETUP_COOP_TASKRUN()},
        {Uapi.IORING_SETUP_SQE128(), 0},
        {Uapi.IORING_SETUP_CQE32(), 0},
        {Uapi.IORING_SETUP_SINGLE_ISSUER(), 0},
        {Uapi.IORING_SETUP_DEFER_TASKRUN(), Uapi.IORING_SETUP_SINGLE_ISSUER()},
        {Uapi.IORING_SETUP_NO_MMAP(), 0},
        {Uapi.IORING_SETUP_NO_SQARRAY(), 0},
        {Uapi.IORING_SETUP_HYBRID_IOPOLL(), Uapi.IORING_SETUP_IOPOLL()},
        {Uapi.IORING_SETUP_CQE_MIXED(), 0},
        {Uapi.IORING_SETUP_SQE_MIXED(), 0},
        {Uapi.IORING_SETUP_SQ_REWIND(), Uapi.IORING_SETUP_NO_SQARRAY()},
    };

    /** The register opcodes' names without {@code IORING_}, by opcode. */
    private static final String[] REGISTER_NAMES = new String[64];

    static {
        reg("REGISTER_BUFFERS", Uapi.IORING_REGISTER_BUFFERS());
        reg("UNREGISTER_BUFFERS", Uapi.IORING_UNREGISTER_BUFFERS());
        reg("REGISTER_FILES", Uapi.IORING_REGISTER_FILES());
        reg("UNREGISTER_FILES", Uapi.IORING_UNREGISTER_FILES());
        reg("REGISTER_EVENTFD", Uapi.IORING_REGISTER_EVENTFD());
        reg("UNREGISTER_EVENTFD", Uapi.IORING_UNREGISTER_EVENTFD());
        reg("REGISTER_FILES_UPDATE", Uapi.IORING_REGISTER_FILES_UPDATE());
        reg("REGISTER_EVENTFD_ASYNC", Uapi.IORING_REGISTER_EVENTFD_ASYNC());
        reg("REGISTER_PROBE", Uapi.IORING_REGISTER_PROBE());
        reg("REGISTER_PERSONALITY", Uapi.IORING_REGISTER_PERSONALITY());
        reg("UNREGISTER_PERSONALITY", Uapi.IORING_UNREGISTER_PERSONALITY());
        reg("REGISTER_RESTRICTIONS", Uapi.IORING_REGISTER_RESTRICTIONS());
        reg("REGISTER_ENABLE_RINGS", Uapi.IORING_REGISTER_ENABLE_RINGS());
        reg("REGISTER_FILES2", Uapi.IORING_REGISTER_FILES2());
        reg("REGISTER_FILES_UPDATE2", Uapi.IORING_REGISTER_FILES_UPDATE2());
        reg("REGISTER_BUFFERS2", Uapi.IORING_REGISTER_BUFFERS2());
        reg("REGISTER_BUFFERS_UPDATE", Uapi.IORING_REGISTER_BUFFERS_UPDATE());
        reg("REGISTER_IOWQ_AFF", Uapi.IORING_REGISTER_IOWQ_AFF());
        reg("UNREGISTER_IOWQ_AFF", Uapi.IORING_UNREGISTER_IOWQ_AFF());
        reg("REGISTER_IOWQ_MAX_WORKERS", Uapi.IORING_REGISTER_IOWQ_MAX_WORKERS());
        reg("REGISTER_RING_FDS", Uapi.IORING_REGISTER_RING_FDS());
        reg("UNREGISTER_RING_FDS", Uapi.IORING_UNREGISTER_RING_FDS());
        reg("REGISTER_PBUF_RING", Uapi.IORING_REGISTER_PBUF_RING());
        reg("UNREGISTER_PBUF_RING", Uapi.IORING_UNREGISTER_PBUF_RING());
        reg("REGISTER_SYNC_CANCEL", Uapi.IORING_REGISTER_SYNC_CANCEL());
        reg("REGISTER_FILE_ALLOC_RANGE", Uapi.IORING_REGISTER_FILE_ALLOC_RANGE());
        reg("REGISTER_PBUF_STATUS", Uapi.IORING_REGISTER_PBUF_STATUS());
        reg("REGISTER_NAPI", Uapi.IORING_REGISTER_NAPI());
        reg("UNREGISTER_NAPI", Uapi.IORING_UNREGISTER_NAPI());
        reg("REGISTER_CLOCK", Uapi.IORING_REGISTER_CLOCK());
        reg("REGISTER_CLONE_BUFFERS", Uapi.IORING_REGISTER_CLONE_BUFFERS());
        reg("REGISTER_SEND_MSG_RING", Uapi.IORING_REGISTER_SEND_MSG_RING());
        reg("REGISTER_ZCRX_IFQ", Uapi.IORING_REGISTER_ZCRX_IFQ());
        reg("REGISTER_RESIZE_RINGS", Uapi.IORING_REGISTER_RESIZE_RINGS());
        reg("REGISTER_MEM_REGION", Uapi.IORING_REGISTER_MEM_REGION());
        reg("REGISTER_QUERY", Uapi.IORING_REGISTER_QUERY());
        reg("REGISTER_ZCRX_CTRL", Uapi.IORING_REGISTER_ZCRX_CTRL());
        reg("REGISTER_BPF_FILTER", Uapi.IORING_REGISTER_BPF_FILTER());
    }

    private static void reg(String name, int opcode) {
        REGISTER_NAMES[opcode] = name;
    }

    private static final class Holder {
        static final Capabilities RUNNING_KERNEL = probeRunningKernel();
    }

    private final String kernelRelease;
    private final int features;
    private final Probe opcodes;
    private final int setupFlags;
    private final int[] setupFlagErrno;
    private final int registerOpLimit;

    Capabilities(String kernelRelease, int features, Probe opcodes, int setupFlags, int[] setupFlagErrno,
                 int registerOpLimit) {
        this.kernelRelease = kernelRelease;
        this.features = features;
        this.opcodes = opcodes;
        this.setupFlags = setupFlags;
        this.setupFlagErrno = setupFlagErrno;
        this.registerOpLimit = registerOpLimit;
    }

    /** {@link IoUring#capabilities()}: probed on first use, then the same record. */
    static Capabilities ofRunningKernel() {
        return Holder.RUNNING_KERNEL;
    }

    private static Capabilities probeRunningKernel() {
        String release = System.getProperty("os.version");
        try (IoUring ring = IoUring.open(2)) {
            Probe probe = ring.probe();
            int[] errnos = new int[32];
            int accepted = 0;
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment errno = Syscalls.allocateErrnoState(arena);
                MemorySegment p = arena.allocate(io_uring_params.layout());
                for (int[] t : SETUP_TRIES) {
                    int res = trySetup(errno, p, t[0] | t[1], ring.fd());
                    int bit = Integer.numberOfTrailingZeros(t[0]);
                    errnos[bit] = res < 0 ? -res : 0;
                    if (res == 0) {
                        accepted |= t[0];
                    }
                }
                if ((accepted & Uapi.IORING_SETUP_NO_MMAP()) != 0) {
                    accepted |= Uapi.IORING_SETUP_REGISTERED_FD_ONLY();
                }
                int limit = (accepted & Uapi.IORING_SETUP_R_DISABLED()) != 0 ? registerOpLimit(arena, errno) : -1;
                return new Capabilities(release, ring.features(), probe, accepted, errnos, limit);
            }
        } catch (ErrnoException e) {
            throw new IllegalStateException("io_uring is not usable on kernel " + release + " (" + e.getMessage()
                    + "): IoUring.availability() says why", e);
        }
    }

    /**
     * Sets up a two-entry ring with {@code flags} and closes it: 0 when the kernel accepted the flags (and read them
     * back), else {@code -errno} ({@code -EINVAL} also when it set up the ring but dropped one of them).
     */
    private static int trySetup(MemorySegment errno, MemorySegment p, int flags, int wqFd) {
        RingMemory memory = null;
        p.fill((byte) 0);
        if ((flags & Uapi.IORING_SETUP_NO_MMAP()) != 0) {
            try {
                memory = RingMemory.allocate(errno, 2, flags, 0);
            } catch (ErrnoException e) {
                return -e.errno();
            }
            memory.describe(p);
        }
        io_uring_params.flags(p, flags);
        io_uring_params.cq_entries(p, 8);  // CQSIZE: at least the SQ's entries
        io_uring_params.wq_fd(p, wqFd);    // ATTACH_WQ: the prober's own ring
        io_uring_params.sq_thread_cpu(p, 0);
        int fd = Syscalls.ioUringSetup(errno, 2, p.address());
        int res = fd < 0 ? fd : (io_uring_params.flags(p) & flags) == flags ? 0 : -Uapi.EINVAL();
        if (fd >= 0) {
            Syscalls.close(errno, fd);
        }
        if (memory != null) {
            memory.free(errno); // after the close: the kernel unpins its pages when the ring goes
        }
        return res;
    }

    /** The kernel's {@code IORING_REGISTER_LAST}, from a restricted ring (see the class comment), or -1. */
    private static int registerOpLimit(Arena arena, MemorySegment errno) {
        MemorySegment p = arena.allocate(io_uring_params.layout());
        io_uring_params.flags(p, Uapi.IORING_SETUP_R_DISABLED());
        int fd = Syscalls.ioUringSetup(errno, 2, p.address());
        if (fd < 0) {
            return -1;
        }
        try {
            MemorySegment r = arena.allocate(io_uring_restriction.layout());
            io_uring_restriction.opcode(r, (short) Uapi.IORING_RESTRICTION_REGISTER_OP());
            io_uring_restriction.register_op(r, (byte) Uapi.IORING_REGISTER_PROBE());
            if (Syscalls.ioUringRegister(fd, Uapi.IORING_REGISTER_RESTRICTIONS(), r.address(), 1) < 0
                    || Syscalls.ioUringRegister(fd, Uapi.IORING_REGISTER_ENABLE_RINGS(), 0L, 0) < 0) {
                return -1;
            }
            int eacces = -Uapi.EACCES();
            for (int op = 0; op < REGISTER_NAMES.length + 64; op++) {
                if (op == Uapi.IORING_REGISTER_PROBE()) {
                    continue; // allowed, so it would run: it is there (the probe itself used it)
                }
                int res = Syscalls.ioUringRegister(fd, op, 0L, 0);
                if (res != eacces) {
                    return op;
                }
            }
            return -1;
        } finally {
            Syscalls.close(errno, fd);
        }
    }

    /**
     * The kernel release ({@code uname -r}) the record was probed on.
     *
     * @return the release, e.g. {@code "6.1.0-56-amd64"}
     */
    public String kernelRelease() {
        return kernelRelease;
    }

    /**
     * The {@code IORING_FEAT_*} bits of a plain ring's {@code io_uring_params.features}.
     *
     * @return the features word
     */
    public int features() {
        return features;
    }

    /**
     * Whether the kernel reports every bit of {@code feature}.
     *
     * @param feature {@code IORING_FEAT_*} bits
     * @return true if all are present
     */
    public boolean hasFeature(int feature) {
        return (features & feature) == feature;
    }

    /**
     * The opcode probe.
     *
     * @return the kernel's {@code IORING_REGISTER_PROBE} answer
     */
    public Probe opcodes() {
        return opcodes;
    }

    /**
     * Whether the kernel supports {@code opcode}.
     *
     * @param opcode an {@code IORING_OP_*}
     * @return true if the probe flags it supported
     */
    public boolean hasOp(int opcode) {
        return opcodes.supports(opcode);
    }

    /**
     * The {@code IORING_SETUP_*} flags the kernel accepted, each tried on its own (with its companions).
     *
     * @return the accepted flags
     */
    public int setupFlags() {
        return setupFlags;
    }

    /**
     * Whether the kernel accepted every flag of {@code flags} (each tried on its own: a combination the kernel
     * refuses, such as {@code SQPOLL|IOPOLL} on some file types, is not covered).
     *
     * @param flags {@code IORING_SETUP_*} bits
     * @return true if each was accepted
     */
    public boolean hasSetupFlag(int flags) {
        return (setupFlags & flags) == flags;
    }

    /**
     * The errno with which the kernel refused a setup flag.
     *
     * @param flag one {@code IORING_SETUP_*} bit
     * @return the errno (positive), or 0 when accepted or never tried
     */
    public int setupFlagErrno(int flag) {
        return flag == 0 ? 0 : setupFlagErrno[Integer.numberOfTrailingZeros(flag)];
    }

    /**
     * The kernel's {@code IORING_REGISTER_LAST}: every register opcode below it is known to the kernel.
     *
     * @return the limit, or -1 where it could not be probed (before 5.10)
     */
    public int registerOpLimit() {
        return registerOpLimit;
    }

    /**
     * Whether the kernel knows the register opcode {@code opcode}.
     *
     * @param opcode an {@code IORING_REGISTER_*} (or {@code IORING_UNREGISTER_*})
     * @return true if known; before 5.10 only for {@code IORING_REGISTER_PROBE}
     */
    public boolean hasRegisterOp(int opcode) {
        if (registerOpLimit < 0) {
            return opcode == Uapi.IORING_REGISTER_PROBE();
        }
        return opcode >= 0 && opcode < registerOpLimit;
    }

    /**
     * The name of a register opcode without {@code IORING_}: {@code "REGISTER_PROBE"}.
     *
     * @param opcode an {@code IORING_REGISTER_*}
     * @return the name, or {@code "register op N"} for one newer than jring's bindings
     */
    public static String registerOpName(int opcode) {
        String n = opcode >= 0 && opcode < REGISTER_NAMES.length ? REGISTER_NAMES[opcode] : null;
        return n != null ? n : "register op " + opcode;
    }

    /**
     * The record as text for a log or a test's output: one line per kind, each listing what is there and what
     * jring's bindings know that is not.
     *
     * @return several lines
     */
    public String toText() {
        List<String> opsHave = new ArrayList<>();
        List<String> opsLack = new ArrayList<>();
        for (int op = 0; op < Uapi.IORING_OP_LAST(); op++) {
            (hasOp(op) ? opsHave : opsLack).add(Probe.opcodeName(op));
        }
        List<String> flagsLack = new ArrayList<>();
        for (int[] t : SETUP_TRIES) {
            if (!hasSetupFlag(t[0])) {
                flagsLack.add(IoUring.setupFlagNames(t[0]) + " (" + Errno.name(setupFlagErrno(t[0])) + ")");
            }
        }
        List<String> regLack = new ArrayList<>();
        for (int op = 0; op < Uapi.IORING_REGISTER_LAST(); op++) {
            if (!hasRegisterOp(op)) {
                regLack.add(registerOpName(op));
            }
        }
        return "io_uring capabilities of kernel " + kernelRelease + "\n"
                + "  opcodes: " + opsHave.size() + " of " + Uapi.IORING_OP_LAST() + " known to jring (last_op "
                + opcodes.lastOp() + "); lacking: " + (opsLack.isEmpty() ? "none" : String.join(" ", opsLack)) + "\n"
                + "  setup flags: " + IoUring.setupFlagNames(setupFlags) + "; lacking: "
                + (flagsLack.isEmpty() ? "none" : String.join(" ", flagsLack)) + "\n"
                + "  register opcodes: below " + registerOpLimit + " of " + Uapi.IORING_REGISTER_LAST()
                + " known to jring; lacking: " + (regLack.isEmpty() ? "none" : String.join(" ", regLack)) + "\n"
                + "  features: 0x" + Integer.toHexString(features) + " "
                + String.join(" ", Availability.featureNames(features));
    }

    @Override
    public String toString() {
        return "Capabilities[kernel=" + kernelRelease + ", lastOp=" + opcodes.lastOp() + ", setupFlags="
                + IoUring.setupFlagNames(setupFlags) + ", registerOpLimit=" + registerOpLimit + ", features=0x"
                + Integer.toHexString(features) + "]";
    }
}
