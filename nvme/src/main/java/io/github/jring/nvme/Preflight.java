package io.github.jring.nvme;

import io.github.jring.core.internal.Host;
import io.github.jring.bindings.Uapi;
import io.github.jring.core.ErrnoException;
import io.github.jring.nvme.command.Copy;
import io.github.jring.nvme.command.LbaCommand;
import io.github.jring.nvme.command.NvmeCommand;
import io.github.jring.nvme.internal.CommandAccess;
import io.github.jring.nvme.pi.PiLayout;
import io.github.jring.nvme.pi.Prinfo;

import java.lang.foreign.MemorySegment;

/**
 * What every transport checks before the kernel sees a command, so that a mistake is a named Java error instead of
 * the device writing into freed memory, a write through a read-only handle, or a bare {@code EINVAL}: the buffers'
 * arenas are open, an I/O command carries the namespace's NSID, a read-only handle sends nothing that writes the
 * medium, and the buffers hold what the command transfers. Also turns the kernel's errnos into advice where the
 * cause is known. Allocates only when it throws.
 */
final class Preflight {

    /** The commands' encoding and buffers, which are not public API (see CommandAccess). */
    private static final CommandAccess COMMANDS = CommandAccess.get();

    private static final int EACCES = Uapi.EACCES();
    private static final int EPERM = Uapi.EPERM();
    private static final int EOPNOTSUPP = Uapi.EOPNOTSUPP();
    private static final int ENOTTY = Uapi.ENOTTY();

    private Preflight() {
    }

    /**
     * Checks {@code command} for {@code device}, and says what to send as {@code data_len}. A plain Read or Write
     * without metadata takes one branch per check (the namespace's checks only where there is a namespace); the
     * messages are built out of line, so that this stays small enough for the JIT to inline into each transport.
     *
     * @param command    the command
     * @param device     the target, or {@code null} when only a file descriptor is known
     * @param blockBytes bytes per block of the data buffer (the LBA data size, plus the metadata when it is
     *                   interleaved), 0 when unknown
     * @param metaBytes  bytes per block of a separate metadata buffer, 0 when none or unknown
     * @return {@code data_len} as sent ({@code wireDataLength} for {@code blockBytes}), from the same computation as
     *         the check
     */
    static int check(NvmeCommand<?> command, NvmeDevice device, int blockBytes, int metaBytes) {
        checkAlive(command);
        if (device instanceof NvmeNamespace ns) {
            if (!command.isAdmin()) {
                if (command.nsid() != ns.nsid()) {
                    throw wrongNsid(command, ns);
                }
                checkProtection(command, ns, metaBytes);
            }
            if (!ns.isWritable() && command.writesMedium()) {
                throw readOnly(command, ns);
            }
        }
        int dataLen = COMMANDS.checkedWireDataLength(command, blockBytes);
        command.checkMetadataLength(metaBytes);
        return dataLen;
    }

    private static IllegalArgumentException wrongNsid(NvmeCommand<?> command, NvmeNamespace ns) {
        // The driver compares them and answers EINVAL without saying why (Linux: nvme_validate_passthru_nsid).
        return new IllegalArgumentException(command.describe() + " carries nsid "
                + Integer.toUnsignedString(command.nsid()) + ", but " + ns.path() + " is namespace " + ns.nsid()
                + ": an I/O command sent to a namespace's device must carry that namespace's id (the kernel"
                + " would answer EINVAL)");
    }

    private static IllegalStateException readOnly(NvmeCommand<?> command, NvmeNamespace ns) {
        // Root passes the driver's own permission check whatever the open mode, so the handle must say no.
        return new IllegalStateException(command.describe() + " writes the medium, and " + ns.path()
                + " was opened read-only (NvmeNamespace.openReadOnly): refused before the device saw it. Open"
                + " the namespace with NvmeNamespace.open to write.");
    }

    /**
     * What jring can tell of end-to-end protection before the device sees it: protection bits on a namespace
     * formatted without protection information, a Reference Tag wider than the format's, and a separate metadata
     * buffer where the format keeps none apart from the data (the kernel would map it, and the device ignore it or
     * fail the command with a bare status).
     */
    private static void checkProtection(NvmeCommand<?> command, NvmeNamespace ns, int metaBytes) {
        int prinfo = command.prinfo();
        PiLayout pi = ns.protection();
        if (command instanceof Copy copy && copy.descriptorFormat() != Copy.formatFor(pi)) {
            // The controller answers Invalid Namespace or Format (qemu: Invalid Format), naming neither.
            throw new IllegalArgumentException(command.describe() + " uses Source Range Entries descriptor format "
                    + copy.descriptorFormat() + ", but " + ns.path() + "'s format has " + pi.format()
                    + " protection information, which takes format " + Copy.formatFor(pi) + " ("
                    + Copy.sourceRangeSize(Copy.formatFor(pi)) + "-byte entries: Copy.descriptorFormat(Copy.formatFor("
                    + "ns.protection())) and Copy.sourceRange(layout, ...)); refused before the device saw it");
        }
        if (prinfo != 0) {
            if (!pi.enabled()) {
                throw new IllegalArgumentException(command.describe() + " carries end-to-end protection bits (PRINFO "
                        + Prinfo.describe(prinfo) + "), but " + ns.path() + " is formatted without protection"
                        + " information (Identify Namespace DPS is 0): refused before the device saw it. Format the"
                        + " namespace with a protection type (FormatNvm.protection), or send the command without them");
            }
            if (command instanceof LbaCommand<?> lba && pi.format().referenceSpaceBits() < 64
                    && (lba.referenceTag() >>> pi.format().referenceSpaceBits()) != 0) {
                throw new IllegalArgumentException(command.describe() + ": Reference Tag 0x"
                        + Long.toHexString(lba.referenceTag()) + " does not fit the " + pi.format().referenceSpaceBits()
                        + " bits of " + ns.path() + "'s " + pi.format() + " protection information");
            }
        }
        if (metaBytes == 0 && COMMANDS.metadata(command) != null && command.direction() != NvmeCommand.Direction.NONE) {
            String why = pi.movesNoMetadata(prinfo) ? "with PRACT the controller inserts or strips the "
                    + pi.tupleSize() + "-byte tuple that is all of each block's metadata, so no metadata moves"
                    : ns.metadataSize() == 0 ? "its format has no metadata"
                    : "its format keeps the " + ns.metadataSize() + " metadata bytes of each block after the block's"
                    + " data (extended LBA): they go in the data buffer";
            throw new IllegalArgumentException(command.describe() + " has a separate metadata buffer, but on "
                    + ns.path() + " " + why + "; refused before the device saw it");
        }
    }

    /**
     * Bytes per block of {@code command}'s data buffer on {@code device}: {@code blockBytes}, less the protection
     * information tuple that the controller inserts or strips when the command sets PRACT and an extended format's
     * metadata is nothing but the tuple. Allocates nothing.
     *
     * @param command    the command
     * @param device     the target, or {@code null}
     * @param blockBytes the data bytes per block without PRACT (the LBA size, plus the metadata when extended)
     * @param metaBytes  bytes per block of a separate metadata buffer (0 when extended or none)
     * @return the bytes per block to check and send
     */
    static int dataBlockBytes(NvmeCommand<?> command, NvmeDevice device, int blockBytes, int metaBytes) {
        if (metaBytes == 0 && device instanceof NvmeNamespace ns && ns.practStripBytes() != 0
                && Prinfo.pract(command.prinfo())) {
            return blockBytes - ns.practStripBytes();
        }
        return blockBytes;
    }

    /**
     * Bytes per block of {@code command}'s separate metadata buffer on {@code device}: {@code metaBytes}, or 0 when
     * the command sets PRACT and the metadata is nothing but the tuple (then no metadata crosses the bus).
     *
     * @param command   the command
     * @param device    the target, or {@code null}
     * @param metaBytes bytes per block of a separate metadata buffer without PRACT
     * @return the bytes per block to check and send
     */
    static int metadataBlockBytes(NvmeCommand<?> command, NvmeDevice device, int metaBytes) {
        if (metaBytes != 0 && device instanceof NvmeNamespace ns && ns.practStripBytes() != 0
                && Prinfo.pract(command.prinfo())) {
            return 0;
        }
        return metaBytes;
    }

    /** The buffers' arenas must be open: a closed arena's memory is freed, and may already belong to something else. */
    static void checkAlive(NvmeCommand<?> command) {
        MemorySegment data = COMMANDS.data(command);
        if (data != null && !data.scope().isAlive()) {
            throw closed(command, command.isVectored() ? "data buffer (the iovec array)" : "data buffer");
        }
        MemorySegment metadata = COMMANDS.metadata(command);
        if (metadata != null && !metadata.scope().isAlive()) {
            throw closed(command, "metadata buffer");
        }
    }

    private static IllegalStateException closed(NvmeCommand<?> command, String which) {
        String effect = switch (command.direction()) {
            case CONTROLLER_TO_HOST -> "the device would write into freed memory";
            case HOST_TO_CONTROLLER -> "the device would read freed memory";
            default -> "the device would use freed memory";
        };
        return new IllegalStateException(command.describe() + ": " + which + " belongs to a closed arena (" + effect
                + "); keep the arena open until the command has completed");
    }

    /** The segment to hand a downcall so that FFM keeps its arena alive for the call, or NULL. */
    static MemorySegment pin(MemorySegment segment) {
        return segment == null ? MemorySegment.NULL : segment;
    }

    /**
     * The error for a command the kernel failed with {@code errno}, with advice where the errno has a known cause.
     *
     * @param operation the transport and the command
     * @param errno     the errno
     * @param command   the command
     * @param device    the target, or {@code null}
     * @return the exception
     */
    static ErrnoException failure(String operation, int errno, NvmeCommand<?> command, NvmeDevice device) {
        String advice = advice(errno, command, device);
        return advice == null ? new ErrnoException(operation, errno) : new ErrnoException(operation, errno, advice);
    }

    private static String advice(int errno, NvmeCommand<?> command, NvmeDevice device) {
        if (errno == EACCES || errno == EPERM) {
            boolean at62 = Host.kernelAtLeast(6, 2);
            return "the kernel refused the passthrough command to this user. This kernel is " + Host.kernelRelease()
                    + (at62 ? "; from Linux 6.2 a user without CAP_SYS_ADMIN may send only I/O reads (writes when the"
                    + " device is open for writing), Identify and a few log pages, on a node whose file mode grants"
                    + " them access; other admin and vendor-specific commands need root"
                    : ", where every passthrough command needs CAP_SYS_ADMIN (root); unprivileged passthrough of I/O"
                    + " reads, writes on a device open for writing, and Identify came in Linux 6.2, and even then"
                    + " only with read (or write) permission on the /dev/ngXnY node");
        }
        if (errno == EOPNOTSUPP && device != null) {
            if (device instanceof NvmeNamespace ns && ns.isBlockDevice()) {
                return blockDeviceAdvice(ns.path());
            }
            if (command.isAdmin()) {
                return "admin commands over io_uring cannot be polled (IOPOLL) and need the controller device";
            }
        }
        if (errno == ENOTTY && device != null && command.isAdmin() && !device.isController()) {
            return "admin commands over io_uring go to the controller device /dev/nvmeX, not to a namespace";
        }
        return null;
    }

    /** Says to use the generic char device instead of a namespace's block device. */
    static String blockDeviceAdvice(java.nio.file.Path block) {
        String name = block.getFileName().toString();
        String generic = name.startsWith("nvme") ? "/dev/ng" + name.substring(4) : "/dev/ngXnY";
        return block + " is the namespace's block device, which has no io_uring passthrough (URING_CMD answers"
                + " EOPNOTSUPP there): use its generic char device " + generic;
    }
}
