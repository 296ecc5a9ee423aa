package io.github.jring.nvme;

import io.github.jring.bindings.nvme_passthru_cmd64;
import io.github.jring.core.Posix;
import io.github.jring.core.internal.NativeAccess;
import io.github.jring.bindings.Uapi;
import io.github.jring.core.ErrnoException;
import io.github.jring.nvme.command.NvmeCommand;
import io.github.jring.nvme.internal.CommandAccess;
import io.github.jring.nvme.status.NvmeStatusException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The synchronous passthrough transport: {@code ioctl(fd, NVME_IOCTL_IO64_CMD | NVME_IOCTL_IO64_CMD_VEC |
 * NVME_IOCTL_ADMIN64_CMD, struct nvme_passthru_cmd64 *)}. The calling thread blocks until the command completes; the
 * ioctl returns 0 (and the completion's Dword 0-1 in {@code result}), the NVMe status ({@code > 0}), or -1 with
 * {@code errno}. This is the "sync passthrough" of benchmarks: one command per system call, queue depth 1 per thread.
 *
 * <p>Admin commands may be sent on a namespace's {@code /dev/ngXnY} as well as on the controller's {@code /dev/nvmeX}
 * (the driver forwards the admin ioctls to the controller). There is no vectored admin ioctl.
 *
 * <p>One instance holds one 80-byte command area and one errno area, reused for every call: {@link #execute} allocates
 * nothing. It is therefore not thread-safe; give each thread its own (they are cheap), for example with
 * {@link NvmeDevice#newIoctl()}, which gives it its own duplicate of the device's file descriptor (so it never
 * reaches another device that reused a closed fd's number) and refuses commands once the device handle is closed.
 *
 * <p>Before the ioctl every command is checked ({@code Preflight}): its buffers' arenas must be open, an I/O command
 * must carry the namespace's NSID, a namespace opened read-only refuses commands that write the medium, and the
 * buffers must hold what the command transfers; only that many bytes are sent as {@code data_len} and
 * {@code metadata_len}. The data and metadata segments are also passed to the downcall, so FFM keeps their arenas
 * alive until the ioctl returns (and, as for any segment, a confined arena's buffer may only be used by its owner
 * thread).
 */
public final class NvmeIoctl implements AutoCloseable {

    static {
        NativeAccess.require(); // first: a JVM that denies native access gets one clear error, not one from the bindings
    }

    /** The commands' encoding and buffers, which are not public API (see CommandAccess). */
    private static final CommandAccess COMMANDS = CommandAccess.get();

    private static final long IO64 = Uapi.NVME_IOCTL_IO64_CMD();
    private static final long IO64_VEC = Uapi.NVME_IOCTL_IO64_CMD_VEC();
    private static final long ADMIN64 = Uapi.NVME_IOCTL_ADMIN64_CMD();
    private static final long RESULT = nvme_passthru_cmd64.result$offset();

    private final int fd;
    private final boolean ownsFd;
    /** The handle this transport belongs to, checked before every command; {@code null} for a bare fd. */
    private final NvmeDevice owner;
    private final int lbaSize;
    private final int metadataSize;
    private final Arena arena;
    private final MemorySegment cmd;
    private final MemorySegment errno;
    private long result;
    private volatile boolean closed;

    /**
     * A transport for the device open as {@code fd}. With a bare fd it cannot tell the namespace's NSID or whether it
     * is read-only; {@link NvmeDevice#newIoctl()} gives one that checks both.
     *
     * @param fd      an open {@code /dev/ngXnY} or {@code /dev/nvmeX} (not owned)
     * @param lbaSize the namespace's LBA data size, so buffers are checked against what a command transfers and only
     *                that is sent; 0 when unknown (no check for LBA commands, the buffer's whole size is sent)
     */
    public NvmeIoctl(int fd, int lbaSize) {
        this(null, fd, false, lbaSize, 0);
    }

    /**
     * A transport for {@code owner}'s device through {@code fd}, which it closes with itself when {@code ownsFd}.
     * Every command is checked against the owner (open, its NSID, read-only).
     */
    NvmeIoctl(NvmeDevice owner, int fd, boolean ownsFd, int lbaSize, int metadataSize) {
        if (fd < 0) {
            throw new IllegalArgumentException("not a file descriptor: " + fd);
        }
        this.owner = owner;
        this.fd = fd;
        this.ownsFd = ownsFd;
        this.lbaSize = lbaSize;
        this.metadataSize = metadataSize;
        this.arena = Arena.ofShared();
        this.cmd = arena.allocate(NvmeCommand.PASSTHRU64_SIZE, 8);
        this.errno = Posix.allocateErrnoState(arena);
    }

    /**
     * Sends {@code command} and waits for it.
     *
     * @param command the command; its data buffer must be large enough for what it transfers
     * @return the completion's Dword 0 (low 32 bits) and Dword 1 (high 32 bits): the feature value of Get Features, the
     *         LBA written by Zone Append ...
     * @throws NvmeStatusException      if the controller completed it with an error status
     * @throws ErrnoException           if the kernel failed it
     * @throws IllegalArgumentException if the data buffer is too small, or a vectored admin command
     */
    public long execute(NvmeCommand<?> command) throws NvmeStatusException, ErrnoException {
        int res = submit(command);
        if (res != 0) {
            if (res > 0) {
                throw new NvmeStatusException(command.describe(), res);
            }
            throw Preflight.failure(operation(command), -res, command, owner);
        }
        return result;
    }

    /**
     * Sends {@code command} and waits for it, returning the raw outcome instead of throwing: for loops that count
     * errors rather than stop. The result dwords are then in {@link #result()}.
     *
     * @param command the command
     * @return 0 on success, the NVMe status ({@code > 0}), or {@code -errno}
     * @throws IllegalStateException    if this transport or its device is closed, a buffer's arena is closed, or the
     *                                  command writes the medium of a namespace opened read-only
     * @throws IllegalArgumentException if the data buffer is too small, or the NSID is not the namespace's
     */
    public int submit(NvmeCommand<?> command) {
        if (closed) {
            throw new IllegalStateException(this + " is closed");
        }
        if (owner != null && !owner.isOpen()) {
            // Its fd number may already belong to another device: never send it anything.
            throw new IllegalStateException(this + ": its device " + owner.path() + " was closed; no command is"
                    + " sent through a closed handle");
        }
        int blockBytes = Preflight.dataBlockBytes(command, owner, lbaSize, metadataSize);
        int metaBytes = Preflight.metadataBlockBytes(command, owner, metadataSize);
        Preflight.check(command, owner, blockBytes, metaBytes);
        long request;
        if (command.isAdmin()) {
            if (command.isVectored()) {
                throw new IllegalArgumentException(command.describe() + ": there is no vectored admin ioctl");
            }
            request = ADMIN64;
        } else {
            request = command.isVectored() ? IO64_VEC : IO64;
        }
        // Only what the command transfers: a larger buffer sent whole could pass MDTS and hide the real status.
        COMMANDS.encodePassthru64(command, cmd, COMMANDS.wireDataLength(command, blockBytes),
                COMMANDS.wireMetadataLength(command, metaBytes));
        int res = Posix.ioctl(errno, fd, request, cmd.address(), Preflight.pin(COMMANDS.data(command)),
                Preflight.pin(COMMANDS.metadata(command)));
        result = res == 0 ? cmd.get(JAVA_LONG, RESULT) : 0;
        return res;
    }

    /**
     * The result dwords of the last successful {@link #submit}.
     *
     * @return Dword 0 in the low half, Dword 1 in the high half
     */
    public long result() {
        return result;
    }

    private static String operation(NvmeCommand<?> command) {
        return (command.isAdmin() ? "NVME_IOCTL_ADMIN64_CMD " : command.isVectored() ? "NVME_IOCTL_IO64_CMD_VEC "
                : "NVME_IOCTL_IO64_CMD ") + command.describe();
    }

    /**
     * Frees the command area, and closes the file descriptor if this transport has its own (one from
     * {@link NvmeDevice#newIoctl()}); one given to {@link #NvmeIoctl(int, int)} stays open. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            arena.close();
            if (ownsFd) {
                Posix.closeQuietly(fd);
            }
        }
    }

    @Override
    public String toString() {
        return "NvmeIoctl[" + (owner == null ? "fd " + fd : owner.path() + (owner instanceof NvmeNamespace ns
                ? " (nsid " + ns.nsid() + ")" : "")) + "]";
    }
}
