package io.github.jring.nvme;

import io.github.jring.core.internal.Host;
import io.github.jring.bindings.Uapi;
import io.github.jring.core.ErrnoException;
import io.github.jring.nvme.command.NvmeCommand;
import io.github.jring.nvme.internal.CommandAccess;

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
     * Checks {@code command} for {@code device}.
     *
     * @param command    the command
     * @param device     the target, or {@code null} when only a file descriptor is known
     * @param blockBytes bytes per block of the data buffer (the LBA data size, plus the metadata when it is
     *                   interleaved), 0 when unknown
     * @param metaBytes  bytes per block of a separate metadata buffer, 0 when none or unknown
     */
    static void check(NvmeCommand<?> command, NvmeDevice device, int blockBytes, int metaBytes) {
        checkAlive(command);
        if (device instanceof NvmeNamespace ns && !command.isAdmin()) {
            if (command.nsid() != ns.nsid()) {
                // The driver compares them and answers EINVAL without saying why (Linux: nvme_validate_passthru_nsid).
                throw new IllegalArgumentException(command.describe() + " carries nsid "
                        + Integer.toUnsignedString(command.nsid()) + ", but " + ns.path() + " is namespace " + ns.nsid()
                        + ": an I/O command sent to a namespace's device must carry that namespace's id (the kernel"
                        + " would answer EINVAL)");
            }
        }
        if (device instanceof NvmeNamespace ns && !ns.isWritable() && command.writesMedium()) {
            // Root passes the driver's own permission check whatever the open mode, so the handle must say no.
            throw new IllegalStateException(command.describe() + " writes the medium, and " + ns.path()
                    + " was opened read-only (NvmeNamespace.openReadOnly): refused before the device saw it. Open"
                    + " the namespace with NvmeNamespace.open to write.");
        }
        command.checkDataLength(blockBytes);
        command.checkMetadataLength(metaBytes);
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
