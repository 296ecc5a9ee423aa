package io.github.jring.nvme;

import io.github.jring.core.internal.Host;
import io.github.jring.core.Posix;
import io.github.jring.core.internal.NativeAccess;
import io.github.jring.core.internal.Unsigned;
import io.github.jring.bindings.Uapi;
import io.github.jring.bindings.io_uring_sqe;
import io.github.jring.core.Cqe;
import io.github.jring.core.CqeHandler;
import io.github.jring.core.ErrnoException;
import io.github.jring.core.IoUring;
import io.github.jring.core.IoUringBuilder;
import io.github.jring.core.Sqe;
import io.github.jring.nvme.command.NvmeCommand;
import io.github.jring.nvme.internal.CommandAccess;
import io.github.jring.nvme.status.PassthroughOutcome;
import io.github.jring.nvme.status.NvmeStatusException;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.Objects;

import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

/**
 * Asynchronous NVMe passthrough: {@code IORING_OP_URING_CMD} on an io_uring ring set up with
 * {@code IORING_SETUP_SQE128 | IORING_SETUP_CQE32} (Linux 5.19), for one device ({@link NvmeNamespace} for I/O
 * commands, {@link NvmeController} for admin commands).
 *
 * <p>Each command becomes one 128-byte SQE: {@code opcode = IORING_OP_URING_CMD}, {@code fd} the device (or its index
 * in the ring's registered files with {@code IOSQE_FIXED_FILE}), {@code cmd_op} {@code NVME_URING_CMD_IO},
 * {@code NVME_URING_CMD_IO_VEC}, {@code NVME_URING_CMD_ADMIN} or {@code NVME_URING_CMD_ADMIN_VEC}, and the 72-byte
 * {@code struct nvme_uring_cmd} written straight into the SQE's command area at offset 48. Its completion is a 32-byte
 * CQE: {@code res} 0, the NVMe status ({@code > 0}) or {@code -errno}, and {@code big_cqe[0]} the NVMe completion's
 * Dword 0-1 (see {@link PassthroughOutcome}).
 *
 * <p>Options ({@link Builder}):
 * <ul>
 *   <li>fixed buffers (Linux 6.1): {@link #prepFixed} sets {@code IORING_URING_CMD_FIXED} and {@code sqe.buf_index};
 *       the command's data must lie inside that registered buffer ({@code ring().registerBuffers(...)}), or the
 *       completion is {@code -EFAULT}. Vectored commands with fixed buffers need Linux 6.16; earlier kernels answer
 *       {@code -EINVAL}, so {@link #prepFixed} refuses them up front. Register one buffer per in-flight command (as
 *       fio does) rather than one large buffer: Linux 6.1 counts the registered buffer's pages from the command's
 *       start to the buffer's end as the request's segments, so a command near the start of a buffer of more pages
 *       than the queue's {@code max_segments} (127 for NVMe over PCIe) is refused with {@code -EINVAL}.</li>
 *   <li>polled completions (Linux 6.1): {@link Builder#ioPoll()} makes an {@code IORING_SETUP_IOPOLL} ring; the driver
 *       then completes passthrough commands on its poll queues, which exist only when the {@code nvme} module has
 *       {@code poll_queues > 0} (see {@link #pollQueuesAvailable(NvmeNamespace)}). Admin commands cannot be polled
 *       ({@code -EOPNOTSUPP}).</li>
 *   <li>registered file: {@link Builder#registerFile()} registers the device fd and sends every command with
 *       {@code IOSQE_FIXED_FILE}, sparing the kernel a file lookup per command.</li>
 * </ul>
 *
 * <p>The hot path ({@link #prep}, {@link #submit}, {@link #reap}) allocates nothing. A queue is not thread-safe: like
 * the ring, one thread submits; reaping may be done by one other thread only if the caller orders it with the
 * submitter. Data buffers must stay alive and untouched until their completion is reaped: the queue keeps a reference
 * to each in-flight command's buffers until then (so memory of an {@code Arena.ofAuto()} is not freed under the
 * device), but cannot stop a caller from closing an arena meanwhile.
 *
 * <p>Every command is checked before an SQE is taken (as by {@link NvmeNamespace#execute}): the queue and its device
 * handle are open, its buffers' arenas are open, an I/O command carries the namespace's NSID, a namespace opened
 * read-only gets nothing that writes the medium, and the buffers hold what it transfers. The queue sends through its
 * own duplicate of the device's fd, so it cannot reach another device that reused a closed fd's number.
 *
 * {@snippet :
 * try (NvmeNamespace ns = NvmeNamespace.open("/dev/ng0n1");
 *      NvmeQueue q = NvmeQueue.open(ns, 64);
 *      Arena arena = Arena.ofConfined()) {
 *     MemorySegment buf = arena.allocate(4096, 4096);
 *     q.execute(new Read(ns.nsid(), 0, 4096 / ns.lbaSize(), buf));   // one command, waits; throws on error
 *     Read r = new Read(ns.nsid(), 0, 8, buf);
 *     for (int i = 0; i < 16; i++) {                  // many in flight: prep, submit, reap
 *         q.prep(r.slba(i * 8L), i);                  // the SQE gets a copy: r can be changed at once
 *     }                                               // (here all 16 read into the same buffer)
 *     q.submit();
 *     q.waitAndReap(16, (userData, res, result) -> { if (res != 0) ... });
 * }
 * }
 */
public final class NvmeQueue implements AutoCloseable {

    static {
        NativeAccess.require(); // first: a JVM that denies native access gets one clear error, not one from the bindings
    }

    /** The commands' encoding and buffers, which are not public API (see CommandAccess). */
    private static final CommandAccess COMMANDS = CommandAccess.get();

    private static final long CMD_IO = Uapi.NVME_URING_CMD_IO();
    private static final long CMD_IO_VEC = Uapi.NVME_URING_CMD_IO_VEC();
    private static final long CMD_ADMIN = Uapi.NVME_URING_CMD_ADMIN();
    private static final long CMD_ADMIN_VEC = Uapi.NVME_URING_CMD_ADMIN_VEC();
    private static final int URING_CMD_FIXED = Uapi.IORING_URING_CMD_FIXED();
    private static final int IOSQE_FIXED_FILE = Uapi.IOSQE_FIXED_FILE();
    private static final int SETUP_SQE128 = Uapi.IORING_SETUP_SQE128();
    private static final int SETUP_CQE32 = Uapi.IORING_SETUP_CQE32();
    private static final int SETUP_IOPOLL = Uapi.IORING_SETUP_IOPOLL();
    private static final int OP_URING_CMD = Uapi.IORING_OP_URING_CMD();
    /** The command area of a 128-byte SQE: 80 bytes, from offset 48 to the end. */
    private static final long SQE128_CMD_SIZE = 128 - io_uring_sqe.cmd$offset();
    /**
     * Whether {@code cmd_op} is the low half of the 64-bit {@code off} union and {@code __pad1} its high half, on a
     * little-endian machine, so that {@code Sqe.prepRw} with {@code off = cmd_op} writes both (checked, as
     * {@code Sqe} checks its own packing). Then {@code fill} writes every byte of a 128-byte entry exactly once
     * instead of zeroing the 80-byte command area ({@code Sqe.prepUringCmd}) and overwriting 72 of its bytes.
     */
    private static final boolean CMD_OP_IN_OFF = io_uring_sqe.cmd_op$offset() == io_uring_sqe.off$offset()
            && io_uring_sqe.__pad1$offset() == io_uring_sqe.off$offset() + 4
            && java.nio.ByteOrder.nativeOrder() == java.nio.ByteOrder.LITTLE_ENDIAN;
    /** user_data of {@link #execute}'s command. */
    private static final long EXECUTE_TAG = 0x6A72696E67455845L;
    /** Vectored + fixed passthrough came in 6.16; looked up once. */
    private static final boolean VECTORED_FIXED = Host.kernelAtLeast(6, 16);
    /**
     * Before 6.5 ("nvme: improved uring polling") the driver polls a passthrough command through its bio, and a
     * command without data has none: on an IOPOLL ring it is never reaped and the caller waits forever. Looked up once.
     */
    private static final boolean POLL_WITHOUT_DATA = Host.kernelAtLeast(6, 5);

    /** High half of the user_data of this queue's SQEs; the low half is the command's slot. */
    private static final long SLOT_TAG = 0x6A726E67L << 32;

    private final IoUring ring;
    private final boolean ownsRing;
    private final NvmeDevice device;
    /** The queue's own duplicate of the device's fd: it reaches this device even if the handle's fd number is reused. */
    private final int ownFd;
    /** What goes in the SQE: {@link #ownFd}, or its registered index. */
    private final int fd;
    private final boolean fixedFile;
    private final int lbaSize;
    private final int metadataSize;
    private final boolean polled;
    private int inFlight;
    private boolean closed;

    // One slot per command in flight: its user_data, and its buffers, referenced until it completes so that
    // memory of an automatic arena (Arena.ofAuto()) is not freed under the device. Slot numbers travel in the SQE's
    // user_data; the caller's user_data is handed back from here.
    private final long[] slotUserData;
    private final MemorySegment[] slotData;
    private final MemorySegment[] slotMetadata;
    private final int[] freeSlots;
    private int freeCount;

    /** Set for the duration of one reap; read by {@link #onCqe}. */
    private NvmeCompletionHandler handler;
    private final CqeHandler consumer = this::onCqe;

    private NvmeQueue(IoUring ring, boolean ownsRing, NvmeDevice device, boolean registerFile) throws ErrnoException {
        if (device instanceof NvmeNamespace ns && ns.isBlockDevice()) {
            throw new IllegalArgumentException("NvmeQueue for " + ns.path() + ": " + Preflight.blockDeviceAdvice(
                    ns.path()) + " (the block device still takes the synchronous ioctl, NvmeNamespace.execute)");
        }
        this.ring = ring;
        this.ownsRing = ownsRing;
        this.device = device;
        if (device instanceof NvmeNamespace ns) {
            this.lbaSize = ns.transferBlockSize();
            this.metadataSize = ns.separateMetadataSize();
        } else {
            this.lbaSize = device.lbaSize();
            this.metadataSize = 0;
        }
        this.polled = (ring.flags() & SETUP_IOPOLL) != 0;
        this.ownFd = Posix.dup(device.fd());
        try {
            if (registerFile) {
                ring.registerFiles(ownFd);
                this.fd = 0;
            } else {
                this.fd = ownFd;
            }
        } catch (ErrnoException | RuntimeException e) {
            Posix.closeQuietly(ownFd);
            throw e;
        }
        this.fixedFile = registerFile;
        int slots = Math.max(1, ring.cqEntries());
        this.slotUserData = new long[slots];
        this.slotData = new MemorySegment[slots];
        this.slotMetadata = new MemorySegment[slots];
        this.freeSlots = new int[slots];
        for (int i = 0; i < slots; i++) {
            freeSlots[i] = slots - 1 - i;
        }
        this.freeCount = slots;
    }

    /**
     * A queue with its own ring of {@code entries} entries for {@code device}.
     *
     * @param device  a namespace (I/O commands) or a controller (admin commands)
     * @param entries SQ size (the CQ is twice that)
     * @return the queue
     * @throws ErrnoException if the ring cannot be set up (kernel older than 5.19 for SQE128/CQE32 ...)
     */
    public static NvmeQueue open(NvmeDevice device, int entries) throws ErrnoException {
        return builder(device).entries(entries).build();
    }

    /**
     * Options for a queue with its own ring.
     *
     * @param device a namespace (I/O commands) or a controller (admin commands)
     * @return a builder
     */
    public static Builder builder(NvmeDevice device) {
        return new Builder(device);
    }

    /**
     * A queue on an existing ring, which must have been set up with {@code SQE128 | CQE32}; the ring is not closed with
     * the queue. The queue's reaping ({@link #reap}, {@link #waitAndReap}, {@link #execute}) takes every completion
     * on the ring as its own; a ring that also carries other operations should instead be filled with the static
     * {@link #prepare} and reaped by its owner.
     *
     * @param ring   the ring
     * @param device the target
     * @return the queue
     * @throws IllegalArgumentException if the ring lacks SQE128 or CQE32, or {@code device} is a block device
     * @throws ErrnoException           if the device's fd cannot be duplicated
     */
    public static NvmeQueue on(IoUring ring, NvmeDevice device) throws ErrnoException {
        if ((ring.flags() & SETUP_SQE128) == 0 || (ring.flags() & SETUP_CQE32) == 0) {
            throw new IllegalArgumentException("NVMe passthrough needs a ring set up with IORING_SETUP_SQE128 and "
                    + "IORING_SETUP_CQE32 (IoUring.builder().sqe128().cqe32()); this one has flags "
                    + IoUring.setupFlagNames(ring.flags()));
        }
        return new NvmeQueue(ring, false, device, false);
    }

    /** What {@link Builder#ioPoll(IfNoPollQueues)} does when the driver has no poll queues for the namespace. */
    public enum IfNoPollQueues {
        /** Refuse to build the queue ({@link IllegalStateException}): the default. */
        REFUSE,
        /** Build it, and log a warning ({@link System.Logger}) that completions will come by interrupt. */
        WARN
    }

    /** Options for {@link #builder(NvmeDevice)}. */
    public static final class Builder {
        private final NvmeDevice device;
        private int entries = 64;
        private boolean ioPoll;
        private IfNoPollQueues ifNoPollQueues = IfNoPollQueues.REFUSE;
        private boolean registerFile;
        private int extraFlags;

        private Builder(NvmeDevice device) {
            this.device = Objects.requireNonNull(device, "device");
        }

        /**
         * SQ entries (default 64); the CQ gets twice as many.
         *
         * @param entries a power of two up to 32768 (the kernel rounds up)
         * @return this builder
         */
        public Builder entries(int entries) {
            if (entries < 1) {
                throw new IllegalArgumentException("entries must be >= 1: " + entries);
            }
            this.entries = entries;
            return this;
        }

        /**
         * {@code IORING_SETUP_IOPOLL}: completions are polled for instead of interrupt-driven (passthrough: Linux 6.1,
         * and the driver needs poll queues). Without poll queues Linux accepts the ring and silently completes its
         * commands by interrupt, so {@link #build()} refuses it then: {@code ioPoll(IfNoPollQueues.REFUSE)}.
         *
         * @return this builder
         */
        public Builder ioPoll() {
            return ioPoll(IfNoPollQueues.REFUSE);
        }

        /**
         * {@code IORING_SETUP_IOPOLL}, saying what to do when the {@code nvme} driver has no poll queues for the
         * namespace ({@code /sys/block/nvmeXnY/queue/io_poll} is 0, or, where that cannot be read,
         * {@code /sys/module/nvme/parameters/poll_queues} is 0): refuse, or build and warn. Where neither can be read
         * the queue is built without a word.
         *
         * @param ifNoPollQueues refuse or warn
         * @return this builder
         */
        public Builder ioPoll(IfNoPollQueues ifNoPollQueues) {
            this.ioPoll = true;
            this.ifNoPollQueues = Objects.requireNonNull(ifNoPollQueues, "ifNoPollQueues");
            return this;
        }

        /**
         * Registers the device's fd with the ring and sends commands with {@code IOSQE_FIXED_FILE}.
         *
         * @return this builder
         */
        public Builder registerFile() {
            this.registerFile = true;
            return this;
        }

        /**
         * More {@code IORING_SETUP_*} flags (for example {@code SINGLE_ISSUER}, {@code DEFER_TASKRUN},
         * {@code COOP_TASKRUN}); SQE128 and CQE32 are always set.
         *
         * @param setupFlags the flags
         * @return this builder
         */
        public Builder setupFlags(int setupFlags) {
            this.extraFlags = setupFlags;
            return this;
        }

        /**
         * Sets up the ring and the queue.
         *
         * @return the queue
         * @throws ErrnoException           if the ring cannot be set up or the file registered
         * @throws IllegalStateException    with {@link #ioPoll()} when the driver has no poll queues
         * @throws IllegalArgumentException if the device is a namespace's block device
         */
        public NvmeQueue build() throws ErrnoException {
            if (ioPoll && device instanceof NvmeNamespace ns && pollQueueState(ns) == 0) {
                String msg = "IOPOLL queue for " + ns.path() + ": the nvme driver has no poll queues for it ("
                        + pollEvidence(ns) + "), so Linux would accept the ring and complete every command by"
                        + " interrupt. Load the driver with poll queues (nvme.poll_queues=N on the kernel command"
                        + " line, or modprobe nvme poll_queues=N; then reset the controller)";
                if (ifNoPollQueues == IfNoPollQueues.REFUSE) {
                    throw new IllegalStateException(msg + ", or build with ioPoll(IfNoPollQueues.WARN) to go on"
                            + " without polling");
                }
                System.getLogger(NvmeQueue.class.getName()).log(System.Logger.Level.WARNING, msg
                        + ". Going on as asked (ioPoll(IfNoPollQueues.WARN)): this queue is not polled");
            }
            IoUringBuilder b = IoUring.builder().flags(extraFlags).sqe128().cqe32();
            if (ioPoll) {
                b.ioPoll();
            }
            IoUring ring = b.build(entries);
            try {
                return new NvmeQueue(ring, true, device, registerFile);
            } catch (ErrnoException | RuntimeException e) {
                ring.close();
                throw e;
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Preparing commands (static, for callers with their own ring)
    // ---------------------------------------------------------------------------------------------------------------

    /**
     * Fills an SQE of an SQE128 ring with {@code command} as an {@code IORING_OP_URING_CMD}: the {@code cmd_op} for
     * its kind (I/O or admin, vectored or not) and the 72-byte {@code struct nvme_uring_cmd} in the command area.
     * {@code user_data} and flags are left to the caller (set them after this). Allocates nothing. If it throws, it
     * has written nothing: the SQE is still the caller's to fill (an SQE taken from the ring must be filled, with a
     * NOP if need be, since it will be submitted). With only an fd it checks the buffers (open arenas, sizes) but
     * cannot tell the namespace's NSID or whether the handle is read-only, nor keep the buffers referenced while the
     * command is in flight: that is the caller's part (an {@link NvmeQueue} does all of it).
     *
     * @param sqe      an entry from {@link IoUring#getSqe()} of an SQE128 ring
     * @param fd       the device's fd, or its registered index when {@code fixedFile}
     * @param fixedFile whether {@code fd} is a registered file index ({@code IOSQE_FIXED_FILE})
     * @param command  the command (copied: it may be changed once this returns)
     * @param lbaSize  the namespace's LBA size for the buffer check, 0 to skip it
     * @throws IllegalArgumentException if the SQE is not 128 bytes or the buffer is too small
     */
    public static void prepare(Sqe sqe, int fd, boolean fixedFile, NvmeCommand<?> command, int lbaSize) {
        int dataLen = checkFdOnly(sqe, command, lbaSize);
        fill(sqe, fd, fixedFile, command, dataLen, COMMANDS.wireMetadataLength(command, 0));
    }

    /**
     * Everything that can be refused with only an fd, before anything is written to the SQE: its size and
     * {@link Preflight#check} without a device (the NSID and read-only checks need the namespace). Returns
     * {@code data_len} as sent.
     */
    private static int checkFdOnly(Sqe sqe, NvmeCommand<?> command, int lbaSize) {
        if (sqe.cmdCapacity() < NvmeCommand.URING_CMD_SIZE) {
            throw notSqe128(sqe);
        }
        return Preflight.check(command, null, lbaSize, 0);
    }

    private static IllegalArgumentException notSqe128(Sqe sqe) {
        return new IllegalArgumentException("NVMe passthrough needs 128-byte SQEs (IORING_SETUP_SQE128): the "
                + "command area is " + sqe.cmdCapacity() + " bytes, struct nvme_uring_cmd is "
                + NvmeCommand.URING_CMD_SIZE);
    }

    /** Writes a checked {@code command} with the lengths its checks decided ({@link Preflight#check}). */
    private static void fill(Sqe sqe, int fd, boolean fixedFile, NvmeCommand<?> command, int dataLen,
                             int metadataLen) {
        MemorySegment area = startUringCmd(sqe, fd, cmdOp(command));
        // Only what the command transfers (Preflight.check's data_len, wireMetadataLength): a larger buffer sent
        // whole could pass MDTS and hide the real status.
        COMMANDS.encodeUringCmd(command, area, dataLen, metadataLen);
        if (fixedFile) {
            sqe.fixedFile();
        }
    }

    /**
     * {@link #fill} with the data in registered buffer {@code bufIndex}: the entry's flags, {@code uring_cmd_flags}
     * and {@code buf_index} go into the header's own stores. A method of its own, so that the plain path stays as
     * short as it was (with one shared method taking the index, the plain SQE took about 1 ns more in
     * {@code UringCmdPrepBenchmark}, docs/benchmarks.md).
     */
    private static void fillFixed(Sqe sqe, int fd, boolean fixedFile, NvmeCommand<?> command, int dataLen,
                                  int metadataLen, int bufIndex) {
        MemorySegment area = startUringCmd(sqe, fixedFile ? IOSQE_FIXED_FILE : 0, fd, cmdOp(command),
                URING_CMD_FIXED, bufIndex);
        COMMANDS.encodeUringCmd(command, area, dataLen, metadataLen);
    }

    /** The {@code cmd_op} of a passthrough command: {@code NVME_URING_CMD_IO}, {@code _ADMIN}, or their vectored forms. */
    static long cmdOp(NvmeCommand<?> command) {
        return command.isAdmin() ? (command.isVectored() ? CMD_ADMIN_VEC : CMD_ADMIN)
                : (command.isVectored() ? CMD_IO_VEC : CMD_IO);
    }

    /**
     * Writes everything of a passthrough SQE but its {@code struct nvme_uring_cmd}, which the caller writes into the
     * returned command area next. On a 128-byte entry (when {@code cmd_op} is the low half of the {@code off} union,
     * checked) each byte is written once: {@code prepRw} the first 64 (opcode, fd, {@code cmd_op} and {@code __pad1 = 0}
     * through {@code off}, zeros elsewhere but user_data) and the area's last 8 bytes zeroed, instead of
     * {@code prepUringCmd} zeroing the whole 80-byte area before the command overwrites 72 of its bytes.
     */
    static MemorySegment startUringCmd(Sqe sqe, int fd, long cmdOp) {
        MemorySegment area = sqe.cmd();
        if (CMD_OP_IN_OFF && area.byteSize() == SQE128_CMD_SIZE) {
            sqe.prepRw(OP_URING_CMD, fd, 0L, 0, cmdOp);
            area.set(JAVA_LONG_UNALIGNED, NvmeCommand.URING_CMD_SIZE, 0L);
        } else {
            sqe.prepUringCmd(cmdOp, fd);
        }
        return area;
    }

    /**
     * {@link #startUringCmd(Sqe, int, long)} with the entry's {@code IOSQE_*} flags, {@code uring_cmd_flags} and
     * {@code buf_index} written in the same stores ({@link Sqe#prepRwFull}), for a registered file or buffer.
     */
    static MemorySegment startUringCmd(Sqe sqe, int iosqeFlags, int fd, long cmdOp, int uringCmdFlags, int bufIndex) {
        MemorySegment area = sqe.cmd();
        if (CMD_OP_IN_OFF && area.byteSize() == SQE128_CMD_SIZE) {
            sqe.prepRwFull(OP_URING_CMD, iosqeFlags, fd, 0L, 0, uringCmdFlags, cmdOp, bufIndex);
            area.set(JAVA_LONG_UNALIGNED, NvmeCommand.URING_CMD_SIZE, 0L);
        } else {
            sqe.prepUringCmd(cmdOp, fd).flags(iosqeFlags).opFlags(uringCmdFlags).bufIndex(bufIndex);
        }
        return area;
    }

    /**
     * As {@link #prepare}, with the data in registered buffer {@code bufIndex} ({@code IORING_URING_CMD_FIXED}, Linux
     * 6.1): the command's data range must lie inside that buffer.
     *
     * <p>Register one buffer per command slot rather than one large buffer that commands share: Linux 6.1 hands the
     * block layer every page from the command's data to the end of the registered buffer, and answers {@code EINVAL}
     * when they are more than the queue's segment limit ({@code max_segments}; in the VM a 4 KiB write at the start
     * of an 8 MiB registered buffer fails, the same write near its end succeeds; docs/nvme-passthrough.md).
     *
     * @param sqe       an entry of an SQE128 ring
     * @param fd        the device's fd, or its registered index when {@code fixedFile}
     * @param fixedFile whether {@code fd} is a registered file index
     * @param command   the command
     * @param bufIndex  the registered buffer's index
     * @param lbaSize   the namespace's LBA size for the buffer check, 0 to skip it
     * @throws UnsupportedOperationException for a vectored command on a kernel before 6.16
     */
    public static void prepareFixed(Sqe sqe, int fd, boolean fixedFile, NvmeCommand<?> command, int bufIndex,
                                    int lbaSize) {
        checkFixed(command);
        int dataLen = checkFdOnly(sqe, command, lbaSize);
        Unsigned.checkU16(bufIndex, "registered buffer index");
        fillFixed(sqe, fd, fixedFile, command, dataLen, COMMANDS.wireMetadataLength(command, 0), bufIndex);
    }

    private static void checkFixed(NvmeCommand<?> command) {
        if (!VECTORED_FIXED && command.isVectored()) {    // the constant first: from 6.16 on, nothing to test
            throw new UnsupportedOperationException(command.describe() + ": vectored passthrough with fixed buffers "
                    + "(NVME_URING_CMD_IO_VEC with IORING_URING_CMD_FIXED) needs Linux 6.16 or later; this kernel is "
                    + Host.kernelRelease() + " and would answer EINVAL. Use a plain buffer, or a vectored command "
                    + "without fixed buffers.");
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Hot path
    // ---------------------------------------------------------------------------------------------------------------

    /**
     * Queues {@code command} (not yet submitted). The SQE receives a copy: {@code command} may be changed and reused
     * at once. Allocates nothing.
     *
     * @param command  the command; I/O commands on a namespace queue, admin commands on a controller queue
     * @param userData returned with the completion
     * @return {@code false} when the SQ is full, or as many commands are in flight as the CQ has entries
     *         ({@link #submit()}, reap, and retry)
     * @throws IllegalArgumentException if the buffer is too small for the command, the command kind does not match
     *                                  the device, or an I/O command's NSID is not the namespace's
     * @throws IllegalStateException    if the queue or its device handle is closed, a buffer's arena is closed, or
     *                                  the command writes the medium of a namespace opened read-only
     */
    public boolean prep(NvmeCommand<?> command, long userData) {
        int metaBytes = Preflight.metadataBlockBytes(command, device, metadataSize);
        int dataLen = checkUsable(command, metaBytes); // before taking an SQE: a refused command leaves none behind
        if (freeCount == 0) {
            return false;
        }
        Sqe sqe = ring.getSqe();
        if (sqe == null) {
            return false;
        }
        fill(sqe, fd, fixedFile, command, dataLen, COMMANDS.wireMetadataLength(command, metaBytes));
        sqe.userData(take(command, userData));
        return true;
    }

    /**
     * Every check of a command for this queue, with {@code metaBytes} its separate metadata's bytes per block
     * ({@link Preflight#metadataBlockBytes}); returns {@code data_len} as sent.
     */
    private int checkUsable(NvmeCommand<?> command, int metaBytes) {
        requireOpen();
        checkKind(command);
        int dataLen = Preflight.check(command, device, Preflight.dataBlockBytes(command, device, lbaSize,
                metadataSize), metaBytes);
        if (polled && !POLL_WITHOUT_DATA && COMMANDS.data(command) == null) {
            throw unpolledWithoutData(command);
        }
        return dataLen;
    }

    private static IllegalStateException unpolledWithoutData(NvmeCommand<?> command) {
        return new IllegalStateException(command.describe() + " has no data, and on an IOPOLL ring Linux before 6.5"
                + " never completes such a passthrough command (it polls through the request's bio, which a"
                + " command without data does not have); this kernel is " + Host.kernelRelease() + ". Send it"
                + " on a queue without ioPoll, or synchronously (NvmeNamespace.execute)");
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException(this + " is closed");
        }
        if (!device.isOpen()) {
            // The queue's own fd still reaches the right device, but a closed handle means the caller is done with
            // it: say so rather than go on.
            throw new IllegalStateException(this + ": its " + (device.isController() ? "controller " : "namespace ")
                    + describeDevice() + " was closed; close the queue before its device handle");
        }
    }

    private String describeDevice() {
        return device instanceof NvmeNamespace ns ? ns.path() + " (nsid " + ns.nsid() + ")" : device.path().toString();
    }

    /** Takes a free slot for a command being queued: returns the SQE's user_data. */
    private long take(NvmeCommand<?> command, long userData) {
        int slot = freeSlots[--freeCount];
        slotUserData[slot] = userData;
        slotData[slot] = COMMANDS.data(command);
        slotMetadata[slot] = COMMANDS.metadata(command);
        inFlight++;
        return SLOT_TAG | slot;
    }

    /** The slot of a completion's user_data, or -1 when it is not one of this queue's commands. */
    private int slotOf(long sqeUserData) {
        if ((sqeUserData & 0xFFFF_FFFF_0000_0000L) != SLOT_TAG) {
            return -1;
        }
        long slot = sqeUserData & 0xFFFF_FFFFL;
        return slot < slotUserData.length ? (int) slot : -1;
    }

    /** Frees a completed command's slot (dropping its buffers' references) and returns the caller's user_data. */
    private long release(int slot) {
        long userData = slotUserData[slot];
        slotData[slot] = null;
        slotMetadata[slot] = null;
        freeSlots[freeCount++] = slot;
        inFlight--;
        return userData;
    }

    /**
     * Queues {@code command} with its data in registered buffer {@code bufIndex} (see {@link #prepareFixed}).
     *
     * @param command  the command; its data range must lie inside the registered buffer
     * @param bufIndex the registered buffer's index
     * @param userData returned with the completion
     * @return {@code false} when the SQ is full
     * @throws UnsupportedOperationException for a vectored command on a kernel before 6.16
     */
    public boolean prepFixed(NvmeCommand<?> command, int bufIndex, long userData) {
        Unsigned.checkU16(bufIndex, "registered buffer index"); // before an SQE is taken: none is left half written
        int metaBytes = Preflight.metadataBlockBytes(command, device, metadataSize);
        int dataLen = checkUsable(command, metaBytes);
        checkFixed(command);
        if (freeCount == 0) {
            return false;
        }
        Sqe sqe = ring.getSqe();
        if (sqe == null) {
            return false;
        }
        fillFixed(sqe, fd, fixedFile, command, dataLen, COMMANDS.wireMetadataLength(command, metaBytes), bufIndex);
        sqe.userData(take(command, userData));
        return true;
    }

    private void checkKind(NvmeCommand<?> command) {
        if (command.isAdmin() != device.isController()) {
            throw new IllegalArgumentException(command.describe() + (command.isAdmin()
                    ? ": admin commands over io_uring go to the controller device (" + controllerHint()
                    + "), not to a namespace; or send it synchronously with NvmeNamespace.execute"
                    : ": I/O commands go to a namespace device (/dev/ngXnY), not to the controller " + device.path()));
        }
    }

    private String controllerHint() {
        return device instanceof NvmeNamespace ns && ns.controllerPath() != null ? ns.controllerPath().toString()
                : "/dev/nvmeX";
    }

    /**
     * Submits the queued commands (one {@code io_uring_enter}).
     *
     * @return how many were submitted
     * @throws ErrnoException if {@code io_uring_enter} fails
     */
    public int submit() throws ErrnoException {
        requireNotClosed();
        return ring.submit();
    }

    /**
     * Submits the queued commands and waits for {@code waitNr} completions, in one {@code io_uring_enter} (on an IOPOLL
     * ring, this is where completions are polled for; there it returns as soon as one completion is in the CQ, since
     * the kernel polls only while the CQ is empty: see {@link io.github.jring.core.IoUring#submitAndWait(int)}).
     *
     * @param waitNr completions to wait for
     * @return how many were submitted
     * @throws ErrnoException if {@code io_uring_enter} fails
     */
    public int submitAndWait(int waitNr) throws ErrnoException {
        requireNotClosed();
        return ring.submitAndWait(waitNr);
    }

    /**
     * Hands every completion in the CQ to {@code handler}, without waiting (on an IOPOLL ring it polls once if the CQ
     * is empty). Allocates nothing.
     *
     * @param handler receives each completion
     * @return how many were reaped
     * @throws ErrnoException if polling/flushing fails
     */
    public int reap(NvmeCompletionHandler handler) throws ErrnoException {
        requireNotClosed();
        this.handler = handler;
        try {
            return ring.forEachCqe(consumer);
        } finally {
            this.handler = null;
        }
    }

    /**
     * Waits until at least {@code minComplete} completions have been reaped, handing each to {@code handler}, and also
     * hands over any others already there.
     *
     * @param minComplete completions to wait for (at most {@link #inFlight()})
     * @param handler     receives each completion
     * @return how many were reaped
     * @throws ErrnoException if {@code io_uring_enter} fails
     */
    public int waitAndReap(int minComplete, NvmeCompletionHandler handler) throws ErrnoException {
        if (minComplete > inFlight) {
            throw new IllegalArgumentException("waiting for " + minComplete + " completions with only " + inFlight
                    + " commands in flight would never return");
        }
        int n = 0;
        while (true) {
            n += reap(handler);
            if (n >= minComplete) {
                return n;
            }
            if (ring.sqReady() > 0) {
                ring.submitAndWait(1);
            } else {
                ring.waitCqe();
            }
        }
    }

    private void onCqe(Cqe cqe) {
        long userData = cqe.userData();
        int slot = slotOf(userData);
        handler.complete(slot < 0 ? userData : release(slot), cqe.res(), cqe.bigCqe0());
    }

    /** A closed queue's ring says "io_uring (fd N) is closed"; this names the queue and its device instead. */
    private void requireNotClosed() {
        if (closed) {
            throw new IllegalStateException(this + " is closed");
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // One command at a time
    // ---------------------------------------------------------------------------------------------------------------

    /**
     * Sends one command and waits for it. The queue must have nothing else in flight.
     *
     * @param command the command
     * @return the completion's Dword 0-1 ({@code big_cqe[0]})
     * @throws NvmeStatusException if the controller completed it with an error status
     * @throws ErrnoException      if the kernel failed it
     */
    public long execute(NvmeCommand<?> command) throws NvmeStatusException, ErrnoException {
        requireIdle();
        if (!prep(command, EXECUTE_TAG)) {
            throw new IllegalStateException("SQ full with nothing in flight");
        }
        return awaitOne(command);
    }

    /**
     * Sends one command with its data in registered buffer {@code bufIndex} and waits for it.
     *
     * @param command  the command
     * @param bufIndex the registered buffer
     * @return the completion's Dword 0-1
     * @throws NvmeStatusException if the controller completed it with an error status
     * @throws ErrnoException      if the kernel failed it
     */
    public long executeFixed(NvmeCommand<?> command, int bufIndex) throws NvmeStatusException, ErrnoException {
        requireIdle();
        if (!prepFixed(command, bufIndex, EXECUTE_TAG)) {
            throw new IllegalStateException("SQ full with nothing in flight");
        }
        return awaitOne(command);
    }

    private long awaitOne(NvmeCommand<?> command) throws NvmeStatusException, ErrnoException {
        try {
            ring.submitAndWait(1);
        } catch (ErrnoException e) {
            // Not consumed by the kernel: no completion will come. (A consumed entry always completes.)
            if (ring.sqReady() > 0) {
                for (int i = 0; i < slotUserData.length; i++) {
                    if (slotUserData[i] == EXECUTE_TAG && !isFree(i)) {
                        release(i);
                    }
                }
            }
            throw e;
        }
        Cqe c = ring.waitCqe();
        long sqeUserData = c.userData();
        int res = c.res();
        long result = c.bigCqe0();
        ring.cqeSeen(c);
        int slot = slotOf(sqeUserData);
        long userData = slot < 0 ? sqeUserData : release(slot);
        if (userData != EXECUTE_TAG) {
            throw new IllegalStateException("execute got the completion of another operation (user_data " + userData
                    + ", res " + res + "): something else submits on this ring");
        }
        if (res != 0) {
            if (res > 0) {
                throw new NvmeStatusException(command.describe(), res);
            }
            throw Preflight.failure("URING_CMD " + command.describe() + " on " + describeDevice(), -res, command,
                    device);
        }
        return result;
    }

    private boolean isFree(int slot) {
        for (int i = 0; i < freeCount; i++) {
            if (freeSlots[i] == slot) {
                return true;
            }
        }
        return false;
    }

    private void requireIdle() {
        if (inFlight != 0) {
            throw new IllegalStateException("execute needs an idle queue; " + inFlight + " commands are in flight");
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Accessors
    // ---------------------------------------------------------------------------------------------------------------

    /**
     * The ring, for registering buffers ({@code ring().registerBuffers(...)}) and for other operations.
     *
     * @return the ring
     */
    public IoUring ring() {
        return ring;
    }

    /**
     * The device commands go to.
     *
     * @return the device
     */
    public NvmeDevice device() {
        return device;
    }

    /**
     * Commands prepared and not yet reaped.
     *
     * @return the count
     */
    public int inFlight() {
        return inFlight;
    }

    /**
     * Whether the ring is an IOPOLL ring.
     *
     * @return {@code true} with {@link Builder#ioPoll()}
     */
    public boolean isPolled() {
        return polled;
    }

    /**
     * Whether the device fd is registered with the ring.
     *
     * @return {@code true} with {@link Builder#registerFile()}
     */
    public boolean usesRegisteredFile() {
        return fixedFile;
    }

    /**
     * Whether the NVMe driver has poll queues for this namespace, so that commands on an IOPOLL ring are really
     * completed by polling: {@code /sys/block/nvmeXnY/queue/io_poll} is 1 (the {@code nvme} module's
     * {@code poll_queues} parameter is above 0). Without them Linux still accepts IOPOLL passthrough, but completes it
     * by interrupt.
     *
     * @param ns the namespace
     * @return whether polled I/O is available
     */
    public static boolean pollQueuesAvailable(NvmeNamespace ns) {
        return pollQueueState(ns) == 1;
    }

    /** 1: poll queues, 0: none, -1: cannot be told (no sysfs). */
    static int pollQueueState(NvmeNamespace ns) {
        try {
            return java.nio.file.Files.readString(ioPollFile(ns)).trim().equals("1") ? 1 : 0;
        } catch (IOException | RuntimeException e) {
            try {
                return Integer.parseInt(java.nio.file.Files.readString(POLL_QUEUES).trim()) > 0 ? 1 : 0;
            } catch (IOException | RuntimeException e2) {
                return -1;
            }
        }
    }

    private static final java.nio.file.Path POLL_QUEUES = java.nio.file.Path.of("/sys/module/nvme/parameters/"
            + "poll_queues");

    private static java.nio.file.Path ioPollFile(NvmeNamespace ns) {
        String name = ns.path().getFileName().toString();
        String disk = name.startsWith("ng") ? "nvme" + name.substring(2) : name; // ngXnY belongs to disk nvmeXnY
        return java.nio.file.Path.of("/sys/block", disk, "queue", "io_poll");
    }

    private static String pollEvidence(NvmeNamespace ns) {
        java.nio.file.Path p = ioPollFile(ns);
        return java.nio.file.Files.isReadable(p) ? p + " is 0" : POLL_QUEUES + " is 0";
    }

    /**
     * Closes the ring if the queue set it up: {@link IoUring#close()} waits (up to its close timeout) until the
     * kernel has finished every command still in flight (passthrough commands cannot be cancelled; they end when the
     * device answers), so their buffers may be freed afterwards. If a command outlives the timeout it throws
     * {@link IllegalStateException} and the ring stays open.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (ownsRing) {
            ring.close();                       // throws, leaving the queue open, if a command outlives the wait
        }
        closed = true;
        java.util.Arrays.fill(slotData, null);
        java.util.Arrays.fill(slotMetadata, null);
        Posix.closeQuietly(ownFd);
    }

    @Override
    public String toString() {
        return "NvmeQueue[" + describeDevice() + (closed ? ", closed" : "") + (polled ? ", IOPOLL" : "") + (fixedFile ? ", registered file" : "")
                + ", " + inFlight + " in flight]";
    }
}
