package io.github.jring.core;

import io.github.jring.core.internal.JsonText;
import io.github.jring.core.internal.NativeAccess;
import io.github.jring.bindings.Uapi;
import io.github.jring.bindings.io_uring_params;
import io.github.jring.core.internal.Host;
import io.github.jring.core.internal.Syscalls;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Whether io_uring can be used by this process, and if not exactly why and what to do: the answer to "why can't I
 * use io_uring here?". Obtain one with {@link IoUring#availability()}; print {@link #toText()}, or {@link #toJson()}
 * for a machine.
 *
 * <h2>What is checked</h2>
 * <ol>
 * <li>{@code io_uring_setup} of a ring from {@link IoUring#open(int)}, then a NOP round trip ({@code io_uring_enter}) and {@link IoUring#probe()} ({@code io_uring_register}). Any failure makes the
 * ring {@linkplain #usable() unusable}, and the errno is explained with what the process and the kernel say
 * about themselves: {@code ENOSYS} (a kernel without io_uring), {@code EPERM} from a seccomp filter
 * ({@code Seccomp:} in {@code /proc/self/status}) or from the {@code kernel.io_uring_disabled} sysctl (Linux 6.6; with
 * {@code kernel.io_uring_group}), {@code ENOMEM} from {@code RLIMIT_MEMLOCK} (ring memory is charged to it for a
 * process without {@code CAP_IPC_LOCK} before Linux 5.12, and again on recent kernels: 6.18 does). See
 * {@link Cause}.</li>
 * <li>When usable: the {@code IORING_FEAT_*} bits of {@code io_uring_params.features}, each relevant
 * {@code IORING_SETUP_*} flag tried on a tiny ring of its own (with the flags it needs, and read back from
 * {@code io_uring_params.flags}), the opcodes the probe reports, and one {@value #FIXED_BUFFER_BYTES}-byte fixed buffer
 * registered ({@code IORING_REGISTER_BUFFERS}): the kernel charges pinned buffers to {@code RLIMIT_MEMLOCK} on every
 * kernel for a process without {@code CAP_IPC_LOCK}, so a low limit refuses them with {@code ENOMEM} even where rings
 * work. That is reported in {@link #fixedBuffers()}, and does not make io_uring unusable.</li>
 * </ol>
 * Nothing is left open: every ring is closed before this returns.
 *
 * @param usable          whether a ring can be set up, submitted to, and registered with
 * @param cause           why not ({@link Cause#NONE} when usable)
 * @param failedCall      the call that failed ({@code "io_uring_setup"}, {@code "io_uring_enter"},
 *                        {@code "io_uring_register"} or a mapping), or empty when usable
 * @param errno           the errno of that call, positive, or 0 when usable
 * @param reason          what went wrong, in a sentence or two; empty when usable
 * @param fix             what to do about it; empty when usable
 * @param kernelRelease   the kernel release, as {@code uname -r} prints it
 * @param seccompMode     {@code Seccomp:} of {@code /proc/self/status}: 0 none, 1 strict, 2 filter; -1 unknown
 * @param ioUringDisabled {@code /proc/sys/kernel/io_uring_disabled} (0, 1 or 2), or -1 where the kernel has none
 *                        (before 6.6)
 * @param ioUringGroup    {@code /proc/sys/kernel/io_uring_group} (-1: no group), or -1 where absent
 * @param features        {@code io_uring_params.features} ({@code IORING_FEAT_*} bits); 0 when not usable
 * @param featureNames    the names of those bits ({@code "NODROP"}, ...; an unknown bit as {@code "0x..."})
 * @param setupFlags      each setup flag tried, in the order tried; empty when not usable
 * @param lastOp          the highest opcode the kernel knows (the probe's {@code last_op}); -1 when not usable
 * @param opcodes         the names of the opcodes the probe reports as supported ({@code "NOP"}, {@code "READ"},
 *                        ...); empty when not usable
 * @param fixedBuffers    the fixed-buffer registration check; {@code null} when not usable
 * @param nativeAccessLacking jring's modules that this JVM has not granted native access ({@code
 *                        "ALL-UNNAMED (the class path)"} on the class path); empty when all have it. The JVM then
 *                        warns, or with {@code --illegal-native-access=deny} refuses ({@link NativeAccessError})
 */
public record Availability(boolean usable, Cause cause, String failedCall, int errno, String reason, String fix,
                           String kernelRelease, int seccompMode, int ioUringDisabled, int ioUringGroup, int features,
                           List<String> featureNames, List<SetupFlagCheck> setupFlags, int lastOp,
                           List<String> opcodes, FixedBufferCheck fixedBuffers, List<String> nativeAccessLacking) {

    /** The size of the fixed buffer the check registers: 64 KiB, 16 pages of 4 KiB. */
    public static final int FIXED_BUFFER_BYTES = 64 * 1024;

    /** {@code CAP_IPC_LOCK} in {@code <linux/capability.h>}: pinned memory is not charged to RLIMIT_MEMLOCK. */
    private static final int CAP_IPC_LOCK = 14;
    /** {@code CAP_SYS_ADMIN} in {@code <linux/capability.h>}: may use io_uring when io_uring_disabled is 1. */
    private static final int CAP_SYS_ADMIN = 21;
    private static final Path IO_URING_DISABLED = Path.of("/proc/sys/kernel/io_uring_disabled");
    private static final Path IO_URING_GROUP = Path.of("/proc/sys/kernel/io_uring_group");
    private static final int ENOSYS = Uapi.ENOSYS();
    private static final int EPERM = Uapi.EPERM();
    private static final int ENOMEM = Uapi.ENOMEM();
    private static final int EMFILE = Uapi.EMFILE();
    private static final int ENFILE = Uapi.ENFILE();
    /** How often, and how long apart, a flag's setup that failed with ENOMEM is tried again (see trySetup). */
    private static final int ENOMEM_RETRIES = 20;
    private static final long ENOMEM_RETRY_MILLIS = 10;

    /**
     * Why io_uring is not usable.
     */
    public enum Cause {
        /** It is usable. */
        NONE,
        /** {@code ENOSYS}: the kernel has no io_uring (older than 5.1, or built without {@code CONFIG_IO_URING}). */
        KERNEL_WITHOUT_IO_URING,
        /**
         * A seccomp filter refuses the io_uring system calls ({@code EPERM}, or {@code ENOSYS} from a kernel that
         * evidently has io_uring): a container runtime's default profile, typically.
         */
        SECCOMP,
        /** {@code kernel.io_uring_disabled = 2}: io_uring is disabled for every process. */
        SYSCTL_DISABLED,
        /**
         * {@code kernel.io_uring_disabled = 1}: only processes with {@code CAP_SYS_ADMIN} or in the
         * {@code kernel.io_uring_group} group may create rings, and this one is neither.
         */
        SYSCTL_RESTRICTED,
        /** {@code EPERM} with no seccomp filter and no sysctl restriction: a security module, most likely. */
        NOT_PERMITTED,
        /**
         * {@code ENOMEM} at setup for a process without {@code CAP_IPC_LOCK}: the ring's memory is over
         * {@code RLIMIT_MEMLOCK} (charged before Linux 5.12, and again by recent kernels such as 6.18).
         */
        MEMLOCK,
        /** Another errno; {@link Availability#reason()} says which. */
        OTHER
    }

    /**
     * One setup flag tried on a ring of its own.
     *
     * @param flag     the flag's name without {@code IORING_SETUP_} ({@code "DEFER_TASKRUN"})
     * @param tried    every flag passed to {@code io_uring_setup}, with the companions the flag needs
     *                 ({@code "SINGLE_ISSUER|DEFER_TASKRUN"})
     * @param accepted whether the setup succeeded and {@code io_uring_params.flags} came back with the flags set
     * @param errno    the setup's errno when refused, positive; 0 when accepted, and when the setup succeeded but the
     *                 kernel dropped the flag
     */
    public record SetupFlagCheck(String flag, String tried, boolean accepted, int errno) {

        /**
         * The errno's name, for example {@code "EINVAL"}.
         *
         * @return the name, or empty when {@link #errno()} is 0
         */
        public String errnoName() {
            return errno == 0 ? "" : Errno.name(errno);
        }
    }

    /**
     * The registration of one fixed buffer of {@link #bytes()} bytes ({@code IORING_REGISTER_BUFFERS}).
     *
     * @param bytes        the buffer's size
     * @param registered   whether the kernel accepted it
     * @param errno        the errno when refused, positive, else 0
     * @param memlockSoft  the soft {@code RLIMIT_MEMLOCK} in bytes, -1 unlimited
     * @param memlockHard  the hard {@code RLIMIT_MEMLOCK} in bytes, -1 unlimited
     * @param capIpcLock   whether the process has {@code CAP_IPC_LOCK} (nothing is then charged to the limit)
     * @param reason       why it was refused; empty when registered
     * @param fix          what to do; empty when registered
     */
    public record FixedBufferCheck(long bytes, boolean registered, int errno, long memlockSoft, long memlockHard,
                                   boolean capIpcLock, String reason, String fix) {

        /**
         * The errno's name, for example {@code "ENOMEM"}.
         *
         * @return the name, or empty when {@link #errno()} is 0
         */
        public String errnoName() {
            return errno == 0 ? "" : Errno.name(errno);
        }
    }

    /**
     * Checks the record's invariants and copies the lists.
     *
     * @param usable          whether usable
     * @param cause           the cause
     * @param failedCall      the failed call
     * @param errno           its errno
     * @param reason          why not
     * @param fix             what to do
     * @param kernelRelease   the kernel release
     * @param seccompMode     the seccomp mode
     * @param ioUringDisabled the sysctl
     * @param ioUringGroup    the group sysctl
     * @param features        the features word
     * @param featureNames    its names
     * @param setupFlags      the flags tried
     * @param lastOp          the last opcode
     * @param opcodes         the supported opcodes' names
     * @param fixedBuffers    the fixed-buffer check
     * @throws IllegalArgumentException if {@code usable} and {@code cause} disagree
     */
    public Availability {
        Objects.requireNonNull(cause, "cause");
        if (usable != (cause == Cause.NONE)) {
            throw new IllegalArgumentException("usable=" + usable + " with cause " + cause);
        }
        failedCall = Objects.requireNonNullElse(failedCall, "");
        reason = Objects.requireNonNullElse(reason, "");
        fix = Objects.requireNonNullElse(fix, "");
        kernelRelease = Objects.requireNonNullElse(kernelRelease, "unknown");
        featureNames = List.copyOf(featureNames);
        setupFlags = List.copyOf(setupFlags);
        opcodes = List.copyOf(opcodes);
        nativeAccessLacking = List.copyOf(nativeAccessLacking);
    }

    /**
     * The errno's name, for example {@code "EPERM"}.
     *
     * @return the name, or empty when usable
     */
    public String errnoName() {
        return errno == 0 ? "" : Errno.name(errno);
    }

    /**
     * The check of one setup flag.
     *
     * @param flag the flag's name without {@code IORING_SETUP_}, for example {@code "SQE128"}
     * @return the check, or {@code null} if that flag was not tried
     */
    public SetupFlagCheck setupFlag(String flag) {
        for (SetupFlagCheck c : setupFlags) {
            if (c.flag().equals(flag)) {
                return c;
            }
        }
        return null;
    }

    // -------------------------------------------------------------------------------------------------------------
    // The check
    // -------------------------------------------------------------------------------------------------------------

    /** The process facts the verdicts depend on, read once per check. */
    record Facts(String kernelRelease, int seccompMode, int ioUringDisabled, int ioUringGroup, boolean inGroup,
                 boolean capSysAdmin, boolean capIpcLock, Host.Limit memlock) {

        static Facts read() {
            Map<String, String> status = Host.procStatus();
            int disabled = (int) Host.readLong(IO_URING_DISABLED, -1);
            int group = (int) Host.readLong(IO_URING_GROUP, -1);
            long capEff = parseHex(status.get("CapEff"));
            return new Facts(Host.kernelRelease(), (int) parseLong(status.get("Seccomp"), -1), disabled, group,
                    group >= 0 && inGroup(status, group), (capEff & (1L << CAP_SYS_ADMIN)) != 0,
                    (capEff & (1L << CAP_IPC_LOCK)) != 0, Host.memlockLimit());
        }

        /** The kernel's in_group_p: the filesystem gid or a supplementary group. */
        private static boolean inGroup(Map<String, String> status, int gid) {
            String[] gids = status.getOrDefault("Gid", "").split("\\s+");
            if (gids.length == 4 && String.valueOf(gid).equals(gids[3])) {
                return true;
            }
            for (String g : status.getOrDefault("Groups", "").split("\\s+")) {
                if (g.equals(String.valueOf(gid))) {
                    return true;
                }
            }
            return false;
        }

        private static long parseHex(String s) {
            try {
                return s == null ? 0 : Long.parseUnsignedLong(s, 16);
            } catch (NumberFormatException e) {
                return 0;
            }
        }

        private static long parseLong(String s, long otherwise) {
            try {
                return s == null ? otherwise : Long.parseLong(s);
            } catch (NumberFormatException e) {
                return otherwise;
            }
        }
    }

    /** A cause with its explanation. */
    record Verdict(Cause cause, String reason, String fix) {
    }

    /** {@link IoUring#availability()}. */
    static Availability check() {
        Facts facts = Facts.read();
        int features;
        Probe probe;
        FixedBufferCheck buffers;
        try (IoUring ring = IoUring.open(4)) {
            features = ring.features();
            String step = "io_uring_enter";
            try {
                ring.getSqe().prepNop().userData(1);
                ring.submitAndWait(1);
                Cqe cqe = ring.peekCqe();
                if (cqe != null) {
                    ring.cqeSeen(cqe);
                }
                step = "io_uring_register";
                probe = ring.probe();
            } catch (ErrnoException e) {
                return unusable(facts, step, e.errno());
            }
            buffers = fixedBuffers(ring, facts);
        } catch (ErrnoException e) {
            return unusable(facts, e.operation(), e.errno()); // io_uring_setup, or a mapping of its rings
        }
        List<String> ops = new ArrayList<>();
        for (int op : probe.supportedOpcodes()) {
            ops.add(Probe.opcodeName(op));
        }
        return new Availability(true, Cause.NONE, "", 0, "", "", facts.kernelRelease(), facts.seccompMode(),
                facts.ioUringDisabled(), facts.ioUringGroup(), features, featureNames(features), setupFlagChecks(),
                probe.lastOp(), ops, buffers, NativeAccess.lackingModules());
    }

    private static Availability unusable(Facts facts, String call, int errno) {
        Verdict v = diagnose(call, errno, facts);
        return new Availability(false, v.cause(), call, errno, v.reason(), v.fix(), facts.kernelRelease(),
                facts.seccompMode(), facts.ioUringDisabled(), facts.ioUringGroup(), 0, List.of(), List.of(), -1,
                List.of(), null, NativeAccess.lackingModules());
    }

    /**
     * Explains {@code call} failing with {@code errno} given what the process and kernel say: the decision table of
     * this class, kept free of system calls so that every row can be tested.
     */
    static Verdict diagnose(String call, int errno, Facts f) {
        String failed = call + " failed with " + Errno.describe(errno);
        String filter = "a seccomp filter is installed (Seccomp: " + f.seccompMode() + " in /proc/self/status)";
        String allowFix = "run with a seccomp profile that allows io_uring_setup, io_uring_enter and io_uring_register:"
                + " for Docker, docker run --security-opt seccomp=<profile.json> with a copy of the default profile"
                + " that lists the three syscalls as allowed (seccomp=unconfined also works, but drops all filtering);"
                + " on Kubernetes, a Localhost seccompProfile that allows them; elsewhere, whatever installs the filter"
                + " (systemd SystemCallFilter=, a sandbox) must allow them";
        if (errno == ENOSYS) {
            if (f.seccompMode() > 0 && f.ioUringDisabled() >= 0) {
                return new Verdict(Cause.SECCOMP, failed + ": this kernel (" + f.kernelRelease() + ") has io_uring"
                        + " (it has the kernel.io_uring_disabled sysctl), so the ENOSYS comes from " + filter
                        + " that refuses the io_uring system calls", allowFix);
            }
            return new Verdict(Cause.KERNEL_WITHOUT_IO_URING, failed + ": this kernel (" + f.kernelRelease()
                    + ") has no io_uring: it is older than 5.1, or was built without CONFIG_IO_URING"
                    + (f.seccompMode() > 0 ? "; " + filter + ", and a filter can answer ENOSYS too" : ""),
                    "run on a Linux 5.1 or later kernel built with CONFIG_IO_URING=y (jring's NVMe passthrough needs"
                    + " 5.19)" + (f.seccompMode() > 0 ? "; if the kernel has io_uring, the filter refuses it: "
                    + allowFix : ""));
        }
        if (errno == EPERM) {
            String also = f.seccompMode() > 0 ? " (" + filter + " as well)" : "";
            if (f.ioUringDisabled() == 2) {
                return new Verdict(Cause.SYSCTL_DISABLED, failed + ": kernel.io_uring_disabled is 2"
                        + " (/proc/sys/kernel/io_uring_disabled): io_uring is disabled for every process" + also,
                        "as root: sysctl -w kernel.io_uring_disabled=0 (or 1 to allow only CAP_SYS_ADMIN and the group"
                        + " in kernel.io_uring_group), and make it last in /etc/sysctl.d/");
            }
            if (f.ioUringDisabled() == 1 && !f.capSysAdmin() && !f.inGroup()) {
                return new Verdict(Cause.SYSCTL_RESTRICTED, failed + ": kernel.io_uring_disabled is 1"
                        + " (/proc/sys/kernel/io_uring_disabled): only processes with CAP_SYS_ADMIN"
                        + (f.ioUringGroup() >= 0 ? " or in group " + f.ioUringGroup() + " (kernel.io_uring_group)"
                        : " (kernel.io_uring_group is -1: no group is allowed)")
                        + " may create rings, and this process is neither" + also,
                        (f.ioUringGroup() >= 0 ? "add the user to group " + f.ioUringGroup() + ", or as root: "
                        : "as root: sysctl -w kernel.io_uring_group=<gid> and add the user to that group, or ")
                        + "sysctl -w kernel.io_uring_disabled=0 (make it last in /etc/sysctl.d/)");
            }
            if (f.seccompMode() > 0) {
                return new Verdict(Cause.SECCOMP, failed + ": " + filter + " and refuses it; container runtimes'"
                        + " default profiles (Docker's among them) block io_uring_setup, io_uring_enter and"
                        + " io_uring_register", allowFix);
            }
            return new Verdict(Cause.NOT_PERMITTED, failed + " with no seccomp filter and no kernel.io_uring_disabled"
                    + " restriction: a Linux security module (SELinux's io_uring class, AppArmor, ...) is the likely"
                    + " refuser", "look for a denial in the audit log (ausearch -m avc -ts recent, or dmesg) and allow"
                    + " io_uring in that policy");
        }
        if (errno == ENOMEM && call.equals("io_uring_setup") && !f.capIpcLock()) {
            return new Verdict(Cause.MEMLOCK, failed + ": the kernel charges the ring's memory to RLIMIT_MEMLOCK for a"
                    + " process without CAP_IPC_LOCK (kernels before 5.12 did, and recent ones do again: 6.18 does),"
                    + " and the limit is " + limitText(f.memlock()) + " (all of the user's io_uring memory counts"
                    + " together)", memlockFix());
        }
        if (errno == ENOMEM) {
            return new Verdict(Cause.OTHER, failed + " although nothing is charged to RLIMIT_MEMLOCK (the process has"
                    + " CAP_IPC_LOCK): the machine is short of memory", "free memory");
        }
        if (errno == EMFILE || errno == ENFILE) {
            return new Verdict(Cause.OTHER, failed + ": out of file descriptors (a ring is one)",
                    "close descriptors, or raise the limit: ulimit -n, LimitNOFILE= in a systemd unit");
        }
        return new Verdict(Cause.OTHER, failed, "see the " + call + "(2) manual page for what " + Errno.name(errno)
                + " means there");
    }

    private static String memlockFix() {
        return "raise the memlock limit of the process that runs Java: ulimit -l <KiB> (or unlimited) in its shell,"
                + " a memlock line in /etc/security/limits.conf ('<user> - memlock unlimited'), LimitMEMLOCK=infinity"
                + " in its systemd unit, docker run --ulimit memlock=-1:-1; or give it CAP_IPC_LOCK, and nothing is"
                + " charged";
    }

    private static FixedBufferCheck fixedBuffers(IoUring ring, Facts f) {
        Host.Limit l = f.memlock();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(FIXED_BUFFER_BYTES, Syscalls.pageSize());
            try {
                ring.registerBuffers(buf);
                ring.unregisterBuffers();
            } catch (ErrnoException e) {
                String failed = "registering one " + bytesText(FIXED_BUFFER_BYTES) + " fixed buffer"
                        + " (IORING_REGISTER_BUFFERS) failed with " + Errno.describe(e.errno());
                String reason;
                String fix;
                if (e.errno() == ENOMEM && !f.capIpcLock()) {
                    reason = failed + ": the kernel charges pinned buffer pages to RLIMIT_MEMLOCK, which is "
                            + limitText(l) + ", for a process without CAP_IPC_LOCK (all of the user's pinned io_uring"
                            + " memory counts together)";
                    fix = memlockFix();
                } else if (e.errno() == ENOMEM) {
                    reason = failed + " although the process has CAP_IPC_LOCK (nothing is charged to"
                            + " RLIMIT_MEMLOCK): the machine is short of memory";
                    fix = "free memory";
                } else {
                    reason = failed;
                    fix = "see io_uring_register(2) for what " + e.errnoName() + " means for IORING_REGISTER_BUFFERS";
                }
                return new FixedBufferCheck(FIXED_BUFFER_BYTES, false, e.errno(), l.soft(), l.hard(), f.capIpcLock(),
                        reason, fix);
            }
        }
        return new FixedBufferCheck(FIXED_BUFFER_BYTES, true, 0, l.soft(), l.hard(), f.capIpcLock(), "", "");
    }

    /** The flags worth knowing about, each with the companions the kernel requires of it. */
    private static List<SetupFlagCheck> setupFlagChecks() {
        int coop = Uapi.IORING_SETUP_COOP_TASKRUN();
        int single = Uapi.IORING_SETUP_SINGLE_ISSUER();
        int ioPoll = Uapi.IORING_SETUP_IOPOLL();
        int[][] tries = {
            {Uapi.IORING_SETUP_SQPOLL(), 0},
            {ioPoll, 0},
            {Uapi.IORING_SETUP_HYBRID_IOPOLL(), ioPoll},
            {Uapi.IORING_SETUP_SUBMIT_ALL(), 0},
            {coop, 0},
            {Uapi.IORING_SETUP_TASKRUN_FLAG(), coop},             // needs COOP_TASKRUN or DEFER_TASKRUN
            {Uapi.IORING_SETUP_SQE128(), 0},
            {Uapi.IORING_SETUP_CQE32(), 0},
            {single, 0},
            {Uapi.IORING_SETUP_DEFER_TASKRUN(), single},          // needs SINGLE_ISSUER
            {Uapi.IORING_SETUP_NO_MMAP(), 0},                     // with ring memory of our own
            {Uapi.IORING_SETUP_NO_SQARRAY(), 0},
            {Uapi.IORING_SETUP_CQE_MIXED(), 0},
            {Uapi.IORING_SETUP_SQE_MIXED(), 0},
        };
        List<SetupFlagCheck> out = new ArrayList<>(tries.length);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = Syscalls.allocateErrnoState(arena);
            MemorySegment p = arena.allocate(io_uring_params.layout());
            for (int[] t : tries) {
                int flags = t[0] | t[1];
                int res = trySetup(errno, p, flags);
                boolean accepted = res >= 0 && (io_uring_params.flags(p) & flags) == flags;
                out.add(new SetupFlagCheck(IoUring.setupFlagNames(t[0]), IoUring.setupFlagNames(flags), accepted,
                        res < 0 ? -res : 0));
            }
        }
        return out;
    }

    /**
     * Sets up a two-entry ring with {@code flags} and closes it: 0, or {@code -errno}. An {@code ENOMEM} is tried
     * again for a while: the kernel frees a closed ring (and uncharges its memory from RLIMIT_MEMLOCK) in a worker,
     * after {@code close} returns, so under a tight limit the previous try's ring can still be counted.
     */
    private static int trySetup(MemorySegment errno, MemorySegment p, int flags) {
        int res = trySetupOnce(errno, p, flags);
        for (int i = 0; i < ENOMEM_RETRIES && res == -ENOMEM; i++) {
            try {
                Thread.sleep(ENOMEM_RETRY_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            res = trySetupOnce(errno, p, flags);
        }
        return res;
    }

    private static int trySetupOnce(MemorySegment errno, MemorySegment p, int flags) {
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
        int fd = Syscalls.ioUringSetup(errno, 2, p.address());
        if (fd >= 0) {
            Syscalls.close(errno, fd);
        }
        if (memory != null) {
            memory.free(errno); // after the close: the kernel unpins its pages when the ring goes
        }
        return Math.min(fd, 0);
    }

    /** The names of the {@code IORING_FEAT_*} bits in {@code features}. */
    static List<String> featureNames(int features) {
        String[] names = {"SINGLE_MMAP", "NODROP", "SUBMIT_STABLE", "RW_CUR_POS", "CUR_PERSONALITY", "FAST_POLL",
            "POLL_32BITS", "SQPOLL_NONFIXED", "EXT_ARG", "NATIVE_WORKERS", "RSRC_TAGS", "CQE_SKIP", "LINKED_FILE",
            "REG_REG_RING", "RECVSEND_BUNDLE", "MIN_TIMEOUT", "RW_ATTR", "NO_IOWAIT"};
        int[] bits = {Uapi.IORING_FEAT_SINGLE_MMAP(), Uapi.IORING_FEAT_NODROP(), Uapi.IORING_FEAT_SUBMIT_STABLE(),
            Uapi.IORING_FEAT_RW_CUR_POS(), Uapi.IORING_FEAT_CUR_PERSONALITY(), Uapi.IORING_FEAT_FAST_POLL(),
            Uapi.IORING_FEAT_POLL_32BITS(), Uapi.IORING_FEAT_SQPOLL_NONFIXED(), Uapi.IORING_FEAT_EXT_ARG(),
            Uapi.IORING_FEAT_NATIVE_WORKERS(), Uapi.IORING_FEAT_RSRC_TAGS(), Uapi.IORING_FEAT_CQE_SKIP(),
            Uapi.IORING_FEAT_LINKED_FILE(), Uapi.IORING_FEAT_REG_REG_RING(), Uapi.IORING_FEAT_RECVSEND_BUNDLE(),
            Uapi.IORING_FEAT_MIN_TIMEOUT(), Uapi.IORING_FEAT_RW_ATTR(), Uapi.IORING_FEAT_NO_IOWAIT()};
        List<String> out = new ArrayList<>();
        int rest = features;
        for (int i = 0; i < bits.length; i++) {
            if ((features & bits[i]) != 0) {
                out.add(names[i]);
                rest &= ~bits[i];
            }
        }
        for (int bit = 0; bit < 32; bit++) {
            if ((rest & (1 << bit)) != 0) {
                out.add("0x" + Integer.toHexString(1 << bit));
            }
        }
        return out;
    }

    // -------------------------------------------------------------------------------------------------------------
    // Text and JSON
    // -------------------------------------------------------------------------------------------------------------

    /** {@code 65536} as {@code "64 KiB"}; whole units only, else bytes. */
    static String bytesText(long n) {
        if (n >= (1L << 30) && n % (1L << 30) == 0) {
            return (n >> 30) + " GiB";
        }
        if (n >= (1L << 20) && n % (1L << 20) == 0) {
            return (n >> 20) + " MiB";
        }
        if (n >= 1024 && n % 1024 == 0) {
            return (n >> 10) + " KiB";
        }
        return n + " bytes";
    }

    private static String limitText(Host.Limit l) {
        return limitText(l.soft(), l.hard());
    }

    private static String limitText(long soft, long hard) {
        return (soft < 0 ? "unlimited" : bytesText(soft)) + " (soft) / " + (hard < 0 ? "unlimited" : bytesText(hard))
                + " (hard)";
    }

    /**
     * A report for people, several lines, ending with a newline.
     *
     * @return the text
     */
    public String toText() {
        StringBuilder sb = new StringBuilder();
        sb.append("io_uring: ").append(usable ? "usable" : "NOT usable (" + cause + ")").append('\n');
        if (!usable) {
            sb.append("  reason:        ").append(reason).append('\n');
            sb.append("  fix:           ").append(fix).append('\n');
        }
        sb.append("  kernel:        ").append(kernelRelease).append('\n');
        sb.append("  seccomp:       ").append(seccompMode < 0 ? "unknown" : seccompMode == 0 ? "none"
                : seccompMode == 1 ? "strict (1)" : "filter (2)").append('\n');
        sb.append("  sysctl:        kernel.io_uring_disabled=")
                .append(ioUringDisabled < 0 ? "(absent: before 6.6)" : ioUringDisabled)
                .append(ioUringDisabled >= 0 ? ", kernel.io_uring_group=" + ioUringGroup : "").append('\n');
        sb.append("  native access: ").append(nativeAccessLacking.isEmpty() ? "granted to jring"
                : "NOT granted to " + String.join(", ", nativeAccessLacking) + " (the JVM warns; with"
                + " --illegal-native-access=deny it refuses): " + NativeAccess.flagAdvice()).append('\n');
        if (!usable) {
            return sb.toString();
        }
        sb.append("  features:      0x").append(Integer.toHexString(features)).append(' ')
                .append(String.join(" ", featureNames)).append('\n');
        sb.append("  setup flags:  ");
        for (SetupFlagCheck c : setupFlags) {
            sb.append(' ').append(c.flag()).append(c.accepted() ? "" : c.errno() != 0 ? "(" + c.errnoName() + ")"
                    : "(dropped)");
        }
        sb.append("\n                 (a flag in parentheses was refused, with that errno)\n");
        sb.append("  opcodes:       ").append(opcodes.size()).append(" supported, last_op ").append(lastOp)
                .append(": ").append(String.join(" ", opcodes)).append('\n');
        FixedBufferCheck b = fixedBuffers;
        sb.append("  fixed buffers: ").append(b.registered() ? "a " + bytesText(b.bytes()) + " buffer registered"
                : "REFUSED (" + b.errnoName() + ")").append("; RLIMIT_MEMLOCK ")
                .append(limitText(b.memlockSoft(), b.memlockHard())).append(", CAP_IPC_LOCK ")
                .append(b.capIpcLock() ? "yes" : "no").append('\n');
        if (!b.registered()) {
            sb.append("    reason:      ").append(b.reason()).append('\n');
            sb.append("    fix:         ").append(b.fix()).append('\n');
        }
        return sb.toString();
    }

    /**
     * The same as one JSON object (no whitespace between tokens, no trailing newline). Errnos are their names
     * ({@code "EPERM"}) or {@code null}; byte counts and limits are numbers, -1 for unlimited.
     *
     * @return the JSON text
     */
    public String toJson() {
        StringBuilder sb = new StringBuilder(2048);
        sb.append("{\"usable\":").append(usable);
        sb.append(",\"cause\":").append(string(cause.name()));
        sb.append(",\"failedCall\":").append(failedCall.isEmpty() ? "null" : string(failedCall));
        sb.append(",\"errno\":").append(errno == 0 ? "null" : string(errnoName()));
        sb.append(",\"reason\":").append(reason.isEmpty() ? "null" : string(reason));
        sb.append(",\"fix\":").append(fix.isEmpty() ? "null" : string(fix));
        sb.append(",\"kernelRelease\":").append(string(kernelRelease));
        sb.append(",\"seccompMode\":").append(seccompMode);
        sb.append(",\"ioUringDisabled\":").append(ioUringDisabled);
        sb.append(",\"ioUringGroup\":").append(ioUringGroup);
        sb.append(",\"nativeAccessLacking\":");
        strings(sb, nativeAccessLacking);
        sb.append(",\"features\":").append(Integer.toUnsignedLong(features));
        sb.append(",\"featureNames\":");
        strings(sb, featureNames);
        sb.append(",\"setupFlags\":[");
        for (int i = 0; i < setupFlags.size(); i++) {
            SetupFlagCheck c = setupFlags.get(i);
            sb.append(i == 0 ? "" : ",").append("{\"flag\":").append(string(c.flag()))
                    .append(",\"tried\":").append(string(c.tried()))
                    .append(",\"accepted\":").append(c.accepted())
                    .append(",\"errno\":").append(c.errno() == 0 ? "null" : string(c.errnoName())).append('}');
        }
        sb.append("],\"lastOp\":").append(lastOp);
        sb.append(",\"opcodes\":");
        strings(sb, opcodes);
        sb.append(",\"fixedBuffers\":");
        FixedBufferCheck b = fixedBuffers;
        if (b == null) {
            sb.append("null");
        } else {
            sb.append("{\"bytes\":").append(b.bytes())
                    .append(",\"registered\":").append(b.registered())
                    .append(",\"errno\":").append(b.errno() == 0 ? "null" : string(b.errnoName()))
                    .append(",\"memlockSoft\":").append(b.memlockSoft())
                    .append(",\"memlockHard\":").append(b.memlockHard())
                    .append(",\"capIpcLock\":").append(b.capIpcLock())
                    .append(",\"reason\":").append(b.reason().isEmpty() ? "null" : string(b.reason()))
                    .append(",\"fix\":").append(b.fix().isEmpty() ? "null" : string(b.fix())).append('}');
        }
        return sb.append('}').toString();
    }

    private static void strings(StringBuilder sb, List<String> list) {
        sb.append('[');
        for (int i = 0; i < list.size(); i++) {
            sb.append(i == 0 ? "" : ",").append(string(list.get(i)));
        }
        sb.append(']');
    }

    /** A JSON string literal, as {@link JsonText#string} writes it. */
    static String string(String s) {
        return JsonText.string(s);
    }
}
