package io.github.jring.nvme.command;

import io.github.jring.bindings.iovec;
import io.github.jring.bindings.nvme_passthru_cmd64;
import io.github.jring.bindings.nvme_uring_cmd;
import io.github.jring.nvme.NvmeIoctl;
import io.github.jring.nvme.NvmeNamespace;
import io.github.jring.nvme.NvmeQueue;
import io.github.jring.nvme.internal.CommandAccess;
import io.github.jring.nvme.internal.UringCmdWords;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * One NVMe command: the fields of a 64-byte NVMe submission queue entry that the host chooses (opcode, namespace,
 * command dwords 2-3 and 10-15), plus where its data and metadata are in memory and a timeout, exactly what Linux's
 * passthrough interfaces take.
 *
 * <p>Typed subclasses ({@link Read}, {@link Write}, {@link Identify}, {@link ZoneAppend} ...) set the dwords from
 * named parameters, following tokio-uring's builders: required arguments in the constructor, optional ones as chained
 * setters. The same object can be sent by any transport: {@link NvmeQueue} ({@code IORING_OP_URING_CMD}, copies it
 * into the SQE with {@link #encodeUringCmd(MemorySegment)}), {@link NvmeIoctl} (the synchronous
 * {@code NVME_IOCTL_IO64_CMD}/{@code NVME_IOCTL_ADMIN64_CMD}, via {@link #encodePassthru64(MemorySegment)}). A
 * command is copied when it is submitted, so the object can be changed and reused for the next command at once; the
 * data buffer it points to must stay alive (and untouched) until the command completes. Every transport refuses a
 * command whose data or metadata buffer belongs to an arena that is already closed, and sends as {@code data_len}
 * and {@code metadata_len} what the command transfers ({@link #requiredDataLength}, {@link #requiredMetadataLength})
 * rather than the buffers' sizes.
 *
 * <p>Commands are mutable and not thread-safe. Setters that change the LBA range ({@code slba}, {@code blocks}) let
 * a hot loop reuse one object per in-flight slot instead of allocating per command.
 *
 * <p>What Linux does with the fields: the command identifier and the data pointer (PRP/SGL) are the driver's; the
 * {@code flags} byte (fused operation, PSDT) must be 0 or the kernel answers {@code -EINVAL}; the namespace id of an
 * I/O command sent on {@code /dev/ngXnY} must be that namespace's, or {@code -EINVAL}; {@code timeout_ms} 0 means
 * the driver's default ({@code nvme_core.io_timeout}, 30 s; {@code admin_timeout}, 60 s).
 *
 * @param <C> the concrete command type, so chained setters keep it
 */
public abstract class NvmeCommand<C extends NvmeCommand<C>> implements Cloneable {

    // struct nvme_uring_cmd (72 bytes), written into the SQE's command area.
    private static final long U_OPCODE = nvme_uring_cmd.opcode$offset();
    private static final long U_FLAGS = nvme_uring_cmd.flags$offset();
    private static final long U_RSVD1 = nvme_uring_cmd.rsvd1$offset();
    private static final long U_NSID = nvme_uring_cmd.nsid$offset();
    private static final long U_CDW2 = nvme_uring_cmd.cdw2$offset();
    private static final long U_CDW3 = nvme_uring_cmd.cdw3$offset();
    private static final long U_METADATA = nvme_uring_cmd.metadata$offset();
    private static final long U_ADDR = nvme_uring_cmd.addr$offset();
    private static final long U_METADATA_LEN = nvme_uring_cmd.metadata_len$offset();
    private static final long U_DATA_LEN = nvme_uring_cmd.data_len$offset();
    private static final long U_CDW10 = nvme_uring_cmd.cdw10$offset();
    private static final long U_TIMEOUT = nvme_uring_cmd.timeout_ms$offset();
    private static final long U_RSVD2 = nvme_uring_cmd.rsvd2$offset();
    /** Size of struct nvme_uring_cmd. */
    public static final int URING_CMD_SIZE = (int) nvme_uring_cmd.layout().byteSize();
    /**
     * Whether the generated layout is the UAPI header's (opcode, flags, rsvd1 and nsid in the first 8 bytes, then
     * pairs of 32-bit fields at 8-byte boundaries, 72 bytes in all) on a little-endian machine, so that
     * {@link #encodeUringCmd(MemorySegment, int, int)} can write nine 64-bit words instead of eighteen fields, as
     * {@code Sqe.prepRw} does for the SQE. Always true for {@code struct nvme_uring_cmd}; checked rather than assumed.
     */
    static final boolean URING_PACKED = U_OPCODE == 0 && U_FLAGS == 1 && U_RSVD1 == 2 && U_NSID == 4
            && U_CDW2 == 8 && U_CDW3 == 12 && U_METADATA == 16 && U_ADDR == 24 && U_METADATA_LEN == 32
            && U_DATA_LEN == 36 && U_CDW10 == 40 && U_TIMEOUT == 64 && U_RSVD2 == 68 && URING_CMD_SIZE == 72
            && java.nio.ByteOrder.nativeOrder() == java.nio.ByteOrder.LITTLE_ENDIAN;

    // struct nvme_passthru_cmd64 (80 bytes), the ioctl argument.
    private static final long P_OPCODE = nvme_passthru_cmd64.opcode$offset();
    private static final long P_FLAGS = nvme_passthru_cmd64.flags$offset();
    private static final long P_RSVD1 = nvme_passthru_cmd64.rsvd1$offset();
    private static final long P_NSID = nvme_passthru_cmd64.nsid$offset();
    private static final long P_CDW2 = nvme_passthru_cmd64.cdw2$offset();
    private static final long P_CDW3 = nvme_passthru_cmd64.cdw3$offset();
    private static final long P_METADATA = nvme_passthru_cmd64.metadata$offset();
    private static final long P_ADDR = nvme_passthru_cmd64.addr$offset();
    private static final long P_METADATA_LEN = nvme_passthru_cmd64.metadata_len$offset();
    private static final long P_DATA_LEN = nvme_passthru_cmd64.data_len$offset();
    private static final long P_CDW10 = nvme_passthru_cmd64.cdw10$offset();
    private static final long P_TIMEOUT = nvme_passthru_cmd64.timeout_ms$offset();
    private static final long P_RSVD2 = nvme_passthru_cmd64.rsvd2$offset();
    private static final long P_RESULT = nvme_passthru_cmd64.result$offset();
    /** Size of struct nvme_passthru_cmd64. */
    public static final int PASSTHRU64_SIZE = (int) nvme_passthru_cmd64.layout().byteSize();

    /** Size of an NVMe submission queue entry. */
    public static final int SUBMISSION_ENTRY_SIZE = 64;

    private static final long IOV_BASE = iovec.iov_base$offset();
    private static final long IOV_LEN = iovec.iov_len$offset();
    private static final long IOV_SIZE = iovec.layout().byteSize();

    /** The broadcast namespace id (all namespaces / not namespace specific), {@code FFFFFFFFh}. */
    public static final int NSID_ALL = 0xFFFFFFFF;

    /** Data transfer direction, from opcode bits 1:0 (NVMe Base 2.0, "Opcodes for Data Transfer"). */
    public enum Direction {
        /** 00b: no data. */
        NONE,
        /** 01b: host to controller (a write). */
        HOST_TO_CONTROLLER,
        /** 10b: controller to host (a read). */
        CONTROLLER_TO_HOST,
        /** 11b: both directions. */
        BIDIRECTIONAL
    }

    /** {@link Direction#values()} clones its array on every call; this one is shared. */
    private static final Direction[] DIRECTIONS = Direction.values();

    static {
        CommandAccess.install(new CommandAccess() {
            @Override
            public MemorySegment data(NvmeCommand<?> command) {
                return command.data;
            }

            @Override
            public MemorySegment metadata(NvmeCommand<?> command) {
                return command.metadata;
            }

            @Override
            public int wireDataLength(NvmeCommand<?> command, int lbaDataSize) {
                return command.wireDataLength(lbaDataSize);
            }

            @Override
            public int checkedWireDataLength(NvmeCommand<?> command, int lbaDataSize) {
                return command.checkedWireDataLength(lbaDataSize);
            }

            @Override
            public int wireMetadataLength(NvmeCommand<?> command, int metadataSize) {
                return command.wireMetadataLength(metadataSize);
            }

            @Override
            public void encodeUringCmd(NvmeCommand<?> command, MemorySegment dst, int dataLen, int metadataLen) {
                command.encodeUringCmd(dst, dataLen, metadataLen);
            }

            @Override
            public void encodeUringCmd(NvmeCommand<?> command, UringCmdWords dst, int dataLen, int metadataLen) {
                command.encodeUringCmd(dst, dataLen, metadataLen);
            }

            @Override
            public void encodeTransfer(LbaCommand<?> template, UringCmdWords dst, long slba, int blocks,
                                       long dataAddress, int dataLen) {
                template.encodeTransfer(dst, slba, blocks, dataAddress, dataLen);
            }

            @Override
            public NvmeCommand<?> asSent(NvmeCommand<?> command, MemorySegment uringCmd) {
                return command.asSent(uringCmd);
            }

            @Override
            public void encodePassthru64(NvmeCommand<?> command, MemorySegment dst, int dataLen, int metadataLen) {
                command.encodePassthru64(dst, dataLen, metadataLen);
            }
        });
    }

    final boolean admin;
    final int opcode;
    int nsid;
    int cdw2;
    int cdw3;
    int cdw10;
    int cdw11;
    int cdw12;
    int cdw13;
    int cdw14;
    int cdw15;
    int timeoutMs;
    /** Data: address and length in bytes; for a vectored command the iovec array and the number of entries. */
    long dataAddress;
    int dataLength;
    boolean vectored;
    /** Total bytes of a vectored command's iovecs. */
    long vectoredBytes;
    /** Kept so the memory stays reachable while the command refers to it. */
    MemorySegment data;
    long metadataAddress;
    int metadataLength;
    MemorySegment metadata;

    NvmeCommand(boolean admin, int opcode, int nsid) {
        if (opcode < 0 || opcode > 0xFF) {
            throw new IllegalArgumentException("opcode must be 0..255: " + opcode);
        }
        this.admin = admin;
        this.opcode = opcode;
        this.nsid = nsid;
    }

    @SuppressWarnings("unchecked")
    final C self() {
        return (C) this;
    }

    /**
     * The command's name, for example {@code "Read"} or {@code "Identify"}.
     *
     * @return the name
     */
    public abstract String name();

    /**
     * The number of data bytes this command transfers when the namespace's blocks hold {@code lbaDataSize} bytes, if
     * the command says: used to refuse a buffer too small before the device writes past it.
     *
     * @param lbaDataSize the namespace's LBA data size (see {@link NvmeNamespace#lbaSize()}), or 0 when unknown
     * @return bytes, or -1 when it cannot be told (unknown LBA size, a raw command)
     */
    public long requiredDataLength(int lbaDataSize) {
        return direction() == Direction.NONE ? 0 : -1;
    }

    /**
     * The number of separate metadata bytes this command transfers when each block has {@code metadataSize} bytes
     * of metadata kept apart from the data (Identify Namespace FLBAS bit 4 clear): what is sent as
     * {@code metadata_len}, whatever the metadata buffer's size.
     *
     * @param metadataSize metadata bytes per block, 0 when none or unknown
     * @return bytes, or -1 when it cannot be told
     */
    public long requiredMetadataLength(int metadataSize) {
        return -1;
    }

    /**
     * The end-to-end protection bits this command carries (PRINFO: PRACT and the PRCHK bits, see
     * {@code io.github.jring.nvme.pi.Prinfo}), so that a transport can refuse them on a namespace without protection
     * information and size the buffers when the controller inserts or strips it. For Copy, its PRINFOR and PRINFOW
     * together.
     *
     * @return 0 to 15; 0 for commands without the field
     */
    public int prinfo() {
        return 0;
    }

    /**
     * Whether this command changes the medium (the logical blocks' contents or the zones' states), so that a
     * namespace opened read-only ({@link NvmeNamespace#openReadOnly}) refuses it before the device sees it: root passes
     * the driver's own check whatever the open mode. By default this is the kernel's rule for unprivileged users,
     * opcode bit 0 (data to the controller); the commands override it where they know better ({@link Compare}
     * sends data but writes nothing, {@link WriteZeroes} sends none but writes).
     *
     * @return {@code true} if a read-only handle must refuse it
     */
    public boolean writesMedium() {
        return !admin && (opcode & 1) != 0;
    }

    /**
     * A description for messages: the name and the parameters that matter, for example
     * {@code "Read (nsid 1, SLBA 0x800, 8 blocks)"}. Allocates; meant for the error path.
     *
     * @return the description
     */
    public String describe() {
        return name() + " (" + (admin ? "admin, " : "") + "nsid " + Integer.toUnsignedString(nsid) + ")";
    }

    @Override
    public String toString() {
        return describe();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Common setters
    // ---------------------------------------------------------------------------------------------------------------

    /**
     * Sets the namespace identifier (command dword 1).
     *
     * @param nsid the namespace, 1-based; {@link #NSID_ALL} for all, 0 when not used
     * @return this command
     */
    public C nsid(int nsid) {
        this.nsid = nsid;
        return self();
    }

    /**
     * Sets the timeout the kernel gives this command, in milliseconds ({@code timeout_ms}); 0, the default, is the
     * driver's ({@code nvme_core.io_timeout} or {@code admin_timeout}). On expiry the driver aborts the command and
     * resets the controller if the abort does not complete it.
     *
     * @param timeoutMs milliseconds, 0 for the default
     * @return this command
     */
    public C timeoutMs(int timeoutMs) {
        if (timeoutMs < 0) {
            throw new IllegalArgumentException("timeoutMs must be >= 0: " + timeoutMs);
        }
        this.timeoutMs = timeoutMs;
        return self();
    }

    /**
     * Sets the data buffer to the whole of {@code buffer}.
     *
     * @param buffer native memory, alive until the command completes
     * @return this command
     * @throws IllegalArgumentException if the segment is not native or longer than 4 GiB - 1
     */
    public C data(MemorySegment buffer) {
        Objects.requireNonNull(buffer, "buffer");
        return data(buffer, 0, checkedLength(buffer.byteSize()));
    }

    /**
     * Sets the data buffer to {@code length} bytes of {@code buffer} from {@code offset}, without slicing (so a hot
     * loop allocates nothing).
     *
     * @param buffer native memory, alive until the command completes
     * @param offset byte offset in {@code buffer}
     * @param length bytes
     * @return this command
     * @throws IndexOutOfBoundsException if the range is outside {@code buffer}
     * @throws IllegalArgumentException  if the segment is not native
     */
    public C data(MemorySegment buffer, long offset, int length) {
        if (!buffer.isNative()) {
            throw new IllegalArgumentException("NVMe data must be in native memory (Arena-allocated), not a heap segment");
        }
        Objects.checkFromIndexSize(offset, Integer.toUnsignedLong(length), buffer.byteSize());
        this.data = buffer;
        this.dataAddress = buffer.address() + offset;
        this.dataLength = length;
        this.vectored = false;
        this.vectoredBytes = 0;
        dataChanged();
        return self();
    }

    /**
     * Sets a vectored data buffer: {@code count} {@code struct iovec}s at {@code iovecs}. The command is then sent as
     * {@code NVME_URING_CMD_IO_VEC} / {@code NVME_IOCTL_IO64_CMD_VEC} (Linux 5.19 for uring_cmd), where {@code addr}
     * is the iovec array and {@code data_len} the number of entries. The iovecs are read now (for the total length)
     * and again by the kernel at submission, and must not change in between.
     *
     * @param iovecs native array of {@code struct iovec}, alive until the command completes
     * @param count  number of entries, at least 1
     * @return this command
     */
    public C dataVectored(MemorySegment iovecs, int count) {
        if (!iovecs.isNative()) {
            throw new IllegalArgumentException("iovec array must be in native memory");
        }
        if (count < 1 || count * IOV_SIZE > iovecs.byteSize()) {
            throw new IllegalArgumentException("iovec count " + count + " does not fit an array of "
                    + iovecs.byteSize() + " bytes (" + IOV_SIZE + " per entry)");
        }
        long total = 0;
        for (int i = 0; i < count; i++) {
            long len = iovecs.get(JAVA_LONG, i * IOV_SIZE + IOV_LEN);
            if (len < 0 || iovecs.get(JAVA_LONG, i * IOV_SIZE + IOV_BASE) == 0 && len != 0) {
                throw new IllegalArgumentException("iovec " + i + " is not valid (base 0 or negative length)");
            }
            total += len;
        }
        this.data = iovecs;
        this.dataAddress = iovecs.address();
        this.dataLength = count;
        this.vectored = true;
        this.vectoredBytes = total;
        dataChanged();
        return self();
    }

    /**
     * Removes the data buffer.
     *
     * @return this command
     */
    public C noData() {
        this.data = null;
        this.dataAddress = 0;
        this.dataLength = 0;
        this.vectored = false;
        this.vectoredBytes = 0;
        dataChanged();
        return self();
    }

    /**
     * Sets a separate metadata buffer (the namespace's format must have metadata that is not interleaved with the
     * data, Identify Namespace FLBAS bit 4 clear; its size is the metadata size times the number of blocks).
     *
     * @param buffer native memory, alive until the command completes; {@code null} for none
     * @return this command
     */
    public C metadata(MemorySegment buffer) {
        if (buffer == null) {
            this.metadata = null;
            this.metadataAddress = 0;
            this.metadataLength = 0;
            return self();
        }
        if (!buffer.isNative()) {
            throw new IllegalArgumentException("NVMe metadata must be in native memory");
        }
        this.metadata = buffer;
        this.metadataAddress = buffer.address();
        this.metadataLength = checkedLength(buffer.byteSize());
        return self();
    }

    /** Called when the data buffer changes, for commands whose dwords encode its size. */
    void dataChanged() {
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Getters
    // ---------------------------------------------------------------------------------------------------------------

    /**
     * Whether this is an admin command (sent on the admin queue: {@code NVME_URING_CMD_ADMIN},
     * {@code NVME_IOCTL_ADMIN64_CMD}) rather than an I/O command.
     *
     * @return {@code true} for admin commands
     */
    public boolean isAdmin() {
        return admin;
    }

    /**
     * The opcode (command dword 0 bits 7:0).
     *
     * @return 0 to 255
     */
    public int opcode() {
        return opcode;
    }

    /**
     * The data direction the opcode implies (bits 1:0); Linux maps the buffer for a write when bit 0 is set.
     *
     * @return the direction
     */
    public Direction direction() {
        return DIRECTIONS[opcode & 3];
    }

    /**
     * The namespace identifier.
     *
     * @return the NSID
     */
    public int nsid() {
        return nsid;
    }

    /**
     * A command dword: 2, 3 or 10 to 15.
     *
     * @param index the dword's number
     * @return its value
     */
    public int cdw(int index) {
        return switch (index) {
            case 2 -> cdw2;
            case 3 -> cdw3;
            case 10 -> cdw10;
            case 11 -> cdw11;
            case 12 -> cdw12;
            case 13 -> cdw13;
            case 14 -> cdw14;
            case 15 -> cdw15;
            default -> throw new IllegalArgumentException("not a host-settable command dword: " + index);
        };
    }

    /**
     * The data buffer's address (the iovec array's, when vectored), 0 when none.
     *
     * @return the address
     */
    public long dataAddress() {
        return dataAddress;
    }

    /**
     * The data length in bytes; for a vectored command, the number of iovecs.
     *
     * @return {@code data_len}
     */
    public int dataLength() {
        return dataLength;
    }

    /**
     * The number of data bytes the buffer provides: the length, or the iovecs' total when vectored.
     *
     * @return bytes
     */
    public long dataBytes() {
        return vectored ? vectoredBytes : Integer.toUnsignedLong(dataLength);
    }

    /**
     * Whether the data buffer is an iovec array.
     *
     * @return {@code true} after {@link #dataVectored(MemorySegment, int)}
     */
    public boolean isVectored() {
        return vectored;
    }

    /**
     * The metadata buffer's address, 0 when none.
     *
     * @return the address
     */
    public long metadataAddress() {
        return metadataAddress;
    }

    /**
     * The metadata length in bytes.
     *
     * @return bytes
     */
    public int metadataLength() {
        return metadataLength;
    }

    /**
     * The timeout in milliseconds, 0 for the driver's default.
     *
     * @return milliseconds
     */
    public int timeoutMs() {
        return timeoutMs;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Checks and encodings
    // ---------------------------------------------------------------------------------------------------------------

    /**
     * Checks that the data buffer is large enough for what the command will transfer, before the device writes past
     * its end or reads beyond it. A larger plain buffer is fine (only what the command transfers is sent as
     * {@code data_len}); a vectored command's iovecs must total exactly what it transfers, since the kernel maps them
     * all.
     *
     * @param lbaDataSize the namespace's LBA data size, or 0 when unknown
     * @throws IllegalArgumentException if the buffer is too small
     */
    public final void checkDataLength(int lbaDataSize) {
        checkedWireDataLength(lbaDataSize);
    }

    /**
     * {@link #checkDataLength}, returning {@link #wireDataLength}: one {@link #requiredDataLength} for both, on the
     * path of every command a transport sends. The messages are built out of line, so that this stays small enough
     * for the JIT to inline.
     */
    final int checkedWireDataLength(int lbaDataSize) {
        long need = requiredDataLength(lbaDataSize);
        if (need <= 0) {
            return dataLength;
        }
        long have = dataBytes();
        if (have < need || vectored && have != need) {
            throw dataLengthMismatch(need, have);
        }
        return vectored || data == null ? dataLength : (int) need;
    }

    private IllegalArgumentException dataLengthMismatch(long need, long have) {
        if (have < need) {
            return new IllegalArgumentException(describe() + " transfers " + need + " bytes but its data buffer has "
                    + have + (data == null ? " (no buffer set)" : ""));
        }
        return new IllegalArgumentException(describe() + " transfers " + need + " bytes but its iovecs total "
                + have + ": the kernel maps every iovec, so they must add up to exactly what is transferred");
    }

    /**
     * Checks that a separate metadata buffer, if set, holds what the command transfers.
     *
     * @param metadataSize metadata bytes per block, 0 when none or unknown
     * @throws IllegalArgumentException if it is too small
     */
    public final void checkMetadataLength(int metadataSize) {
        if (metadata == null) {
            return; // nothing to check, and no virtual call on the hot path of commands without metadata
        }
        long need = requiredMetadataLength(metadataSize);
        if (need > 0 && Integer.toUnsignedLong(metadataLength) < need) {
            throw new IllegalArgumentException(describe() + " transfers " + need + " bytes of metadata but its metadata"
                    + " buffer has " + Integer.toUnsignedLong(metadataLength));
        }
    }

    /** {@code data_len} as sent: what the command transfers when that is known, else what was set. */
    final int wireDataLength(int lbaDataSize) {
        if (vectored || data == null) {
            return dataLength;
        }
        long need = requiredDataLength(lbaDataSize);
        return need > 0 ? (int) need : dataLength;
    }

    /** {@code metadata_len} as sent: what the command transfers when that is known, else the buffer's size. */
    final int wireMetadataLength(int metadataSize) {
        if (metadata == null) {
            return metadataLength;
        }
        long need = requiredMetadataLength(metadataSize);
        return need > 0 ? (int) need : metadataLength;
    }

    /**
     * Writes this command as a {@code struct nvme_uring_cmd} (72 bytes) at the start of {@code dst}: the payload of
     * an {@code IORING_OP_URING_CMD} SQE's command area ({@code sqe->cmd}, offset 48 of a 128-byte SQE). Every byte
     * of the 72 is written, reserved ones as 0. Allocates nothing.
     *
     * @param dst at least {@link #URING_CMD_SIZE} bytes
     */
    public final void encodeUringCmd(MemorySegment dst) {
        encodeUringCmd(dst, dataLength, metadataLength);
    }

    /** As {@link #encodeUringCmd(MemorySegment)}, with the lengths the transport decided to send. */
    final void encodeUringCmd(MemorySegment dst, int dataLen, int metadataLen) {
        if (URING_PACKED) {
            // The hot path of every passthrough SQE: nine whole words, two 32-bit fields (or opcode, flags = 0,
            // rsvd1 = 0 and nsid) in each, low address in the low half.
            dst.set(JAVA_LONG_UNALIGNED, 0, (opcode & 0xFFL) | ((long) nsid << 32));
            dst.set(JAVA_LONG_UNALIGNED, 8, pair(cdw2, cdw3));
            dst.set(JAVA_LONG_UNALIGNED, 16, metadataAddress);
            dst.set(JAVA_LONG_UNALIGNED, 24, dataAddress);
            dst.set(JAVA_LONG_UNALIGNED, 32, pair(metadataLen, dataLen));
            dst.set(JAVA_LONG_UNALIGNED, 40, pair(cdw10, cdw11));
            dst.set(JAVA_LONG_UNALIGNED, 48, pair(cdw12, cdw13));
            dst.set(JAVA_LONG_UNALIGNED, 56, pair(cdw14, cdw15));
            dst.set(JAVA_LONG_UNALIGNED, 64, Integer.toUnsignedLong(timeoutMs)); // timeout_ms | rsvd2 = 0
            return;
        }
        encodeUringCmdFieldByField(dst, dataLen, metadataLen);
    }

    /** Two 32-bit fields as one little-endian 64-bit word: {@code low} at the lower address. */
    static long pair(int low, int high) {
        return Integer.toUnsignedLong(low) | ((long) high << 32);
    }

    /**
     * As {@link #encodeUringCmd(MemorySegment, int, int)}, as nine words handed to {@code dst}: the same stores'
     * values, with no memory in between. Allocates only where the layout is not the packed one.
     */
    final void encodeUringCmd(UringCmdWords dst, int dataLen, int metadataLen) {
        if (URING_PACKED) {
            dst.words((opcode & 0xFFL) | ((long) nsid << 32), pair(cdw2, cdw3), metadataAddress, dataAddress,
                    pair(metadataLen, dataLen), pair(cdw10, cdw11), pair(cdw12, cdw13), pair(cdw14, cdw15),
                    Integer.toUnsignedLong(timeoutMs));
            return;
        }
        long[] image = new long[UringCmdWords.COUNT];
        encodeUringCmdFieldByField(MemorySegment.ofArray(image), dataLen, metadataLen);
        dst.words(image[0], image[1], image[2], image[3], image[4], image[5], image[6], image[7], image[8]);
    }

    /**
     * A copy whose NSID, command dwords and timeout are those in {@code uringCmd}, the encoding of this command (or
     * of a template it was the copy of): what was sent, for messages, though this object may have changed since.
     */
    final NvmeCommand<?> asSent(MemorySegment uringCmd) {
        NvmeCommand<?> c = copy();
        c.nsid = uringCmd.get(JAVA_INT, U_NSID);
        c.cdw2 = uringCmd.get(JAVA_INT, U_CDW2);
        c.cdw3 = uringCmd.get(JAVA_INT, U_CDW3);
        c.cdw10 = uringCmd.get(JAVA_INT, U_CDW10);
        c.cdw11 = uringCmd.get(JAVA_INT, U_CDW10 + 4);
        c.cdw12 = uringCmd.get(JAVA_INT, U_CDW10 + 8);
        c.cdw13 = uringCmd.get(JAVA_INT, U_CDW10 + 12);
        c.cdw14 = uringCmd.get(JAVA_INT, U_CDW10 + 16);
        c.cdw15 = uringCmd.get(JAVA_INT, U_CDW10 + 20);
        c.timeoutMs = uringCmd.get(JAVA_INT, U_TIMEOUT);
        return c;
    }

    /** A field-for-field copy (buffers shared), for {@link #asSent} and the unpacked-layout fallbacks. */
    final NvmeCommand<?> copy() {
        try {
            return (NvmeCommand<?>) super.clone();
        } catch (CloneNotSupportedException e) {
            throw new AssertionError(e); // Cloneable
        }
    }

    /**
     * {@link #encodeUringCmd(MemorySegment, int, int)} for a layout that is not the UAPI's packed one (and, in the
     * tests, the reference the packed stores are compared with).
     */
    final void encodeUringCmdFieldByField(MemorySegment dst, int dataLen, int metadataLen) {
        dst.set(JAVA_BYTE, U_OPCODE, (byte) opcode);
        dst.set(JAVA_BYTE, U_FLAGS, (byte) 0);
        dst.set(JAVA_SHORT, U_RSVD1, (short) 0);
        dst.set(JAVA_INT, U_NSID, nsid);
        dst.set(JAVA_INT, U_CDW2, cdw2);
        dst.set(JAVA_INT, U_CDW3, cdw3);
        dst.set(JAVA_LONG, U_METADATA, metadataAddress);
        dst.set(JAVA_LONG, U_ADDR, dataAddress);
        dst.set(JAVA_INT, U_METADATA_LEN, metadataLen);
        dst.set(JAVA_INT, U_DATA_LEN, dataLen);
        dst.set(JAVA_INT, U_CDW10, cdw10);
        dst.set(JAVA_INT, U_CDW10 + 4, cdw11);
        dst.set(JAVA_INT, U_CDW10 + 8, cdw12);
        dst.set(JAVA_INT, U_CDW10 + 12, cdw13);
        dst.set(JAVA_INT, U_CDW10 + 16, cdw14);
        dst.set(JAVA_INT, U_CDW10 + 20, cdw15);
        dst.set(JAVA_INT, U_TIMEOUT, timeoutMs);
        dst.set(JAVA_INT, U_RSVD2, 0);
    }

    /**
     * Writes this command as a {@code struct nvme_passthru_cmd64} (80 bytes, the argument of
     * {@code NVME_IOCTL_IO64_CMD}, {@code NVME_IOCTL_IO64_CMD_VEC} and {@code NVME_IOCTL_ADMIN64_CMD}), with
     * {@code result} zeroed. For a vectored command {@code data_len} is the union's {@code vec_cnt}.
     *
     * @param dst at least {@link #PASSTHRU64_SIZE} bytes
     */
    public final void encodePassthru64(MemorySegment dst) {
        encodePassthru64(dst, dataLength, metadataLength);
    }

    /** As {@link #encodePassthru64(MemorySegment)}, with the lengths the transport decided to send. */
    final void encodePassthru64(MemorySegment dst, int dataLen, int metadataLen) {
        dst.set(JAVA_BYTE, P_OPCODE, (byte) opcode);
        dst.set(JAVA_BYTE, P_FLAGS, (byte) 0);
        dst.set(JAVA_SHORT, P_RSVD1, (short) 0);
        dst.set(JAVA_INT, P_NSID, nsid);
        dst.set(JAVA_INT, P_CDW2, cdw2);
        dst.set(JAVA_INT, P_CDW3, cdw3);
        dst.set(JAVA_LONG, P_METADATA, metadataAddress);
        dst.set(JAVA_LONG, P_ADDR, dataAddress);
        dst.set(JAVA_INT, P_METADATA_LEN, metadataLen);
        dst.set(JAVA_INT, P_DATA_LEN, dataLen);
        dst.set(JAVA_INT, P_CDW10, cdw10);
        dst.set(JAVA_INT, P_CDW10 + 4, cdw11);
        dst.set(JAVA_INT, P_CDW10 + 8, cdw12);
        dst.set(JAVA_INT, P_CDW10 + 12, cdw13);
        dst.set(JAVA_INT, P_CDW10 + 16, cdw14);
        dst.set(JAVA_INT, P_CDW10 + 20, cdw15);
        dst.set(JAVA_INT, P_TIMEOUT, timeoutMs);
        dst.set(JAVA_INT, P_RSVD2, 0);
        dst.set(JAVA_LONG, P_RESULT, 0L);
    }

    /**
     * Writes this command as the 64-byte NVMe submission queue entry the specification defines (NVMe Base 2.0,
     * "Common Command Format"), little endian: CDW0 (opcode, FUSE/PSDT 0, the given command identifier), NSID, CDW2,
     * CDW3, MPTR (the metadata address), DPTR as PRP1 = the data address and PRP2 = 0, CDW10 to CDW15. This is what
     * the controller receives once the driver has put in its own command identifier and DMA addresses, and is
     * meant for logging and for tools that speak to a controller directly; Linux's interfaces take
     * {@link #encodeUringCmd} and {@link #encodePassthru64}.
     *
     * @param dst       at least 64 bytes
     * @param commandId the command identifier (CDW0 bits 31:16)
     */
    public final void encodeSubmissionEntry(MemorySegment dst, short commandId) {
        dst.set(JAVA_INT, 0, (opcode & 0xFF) | ((commandId & 0xFFFF) << 16));
        dst.set(JAVA_INT, 4, nsid);
        dst.set(JAVA_INT, 8, cdw2);
        dst.set(JAVA_INT, 12, cdw3);
        dst.set(JAVA_LONG, 16, metadataAddress);
        dst.set(JAVA_LONG, 24, dataAddress);
        dst.set(JAVA_LONG, 32, 0L);
        dst.set(JAVA_INT, 40, cdw10);
        dst.set(JAVA_INT, 44, cdw11);
        dst.set(JAVA_INT, 48, cdw12);
        dst.set(JAVA_INT, 52, cdw13);
        dst.set(JAVA_INT, 56, cdw14);
        dst.set(JAVA_INT, 60, cdw15);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Helpers for subclasses
    // ---------------------------------------------------------------------------------------------------------------

    /**
     * The 0's based dword count (NUMD) of a data buffer of {@code bytes}, 0 for no buffer: what Directive Send and
     * Receive (CDW10) and I/O Management Receive (CDW11) carry.
     *
     * @throws IllegalArgumentException naming {@code what} if {@code bytes} is not a multiple of 4
     */
    static int zeroBasedDwords(long bytes, String what) {
        if (bytes == 0) {
            return 0;
        }
        if (bytes % 4 != 0) {
            throw new IllegalArgumentException(what + " buffer must be a multiple of 4 bytes: " + bytes);
        }
        return (int) (bytes / 4 - 1);
    }

    static int checkedLength(long bytes) {
        if (bytes > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("NVMe passthrough lengths are 32-bit: " + bytes + " bytes");
        }
        return (int) bytes;
    }

    /** Sets or clears {@code bit} of {@code value}. */
    static int bit(int value, int bit, boolean on) {
        return on ? value | (1 << bit) : value & ~(1 << bit);
    }

    /** Replaces bits {@code [shift, shift + width)} of {@code value} with {@code field}, which must fit. */
    static int field(int value, int shift, int width, int field, String name) {
        int mask = (int) ((1L << width) - 1);
        if ((field & ~mask) != 0) {
            throw new IllegalArgumentException(name + " must fit " + width + " bits: " + field);
        }
        return (value & ~(mask << shift)) | (field << shift);
    }

    static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }
}
