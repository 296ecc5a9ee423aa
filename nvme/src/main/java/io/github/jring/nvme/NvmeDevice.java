package io.github.jring.nvme;

import io.github.jring.core.ErrnoException;
import io.github.jring.nvme.command.NvmeCommand;
import io.github.jring.nvme.status.NvmeStatusException;

import java.nio.file.Path;

/**
 * An open NVMe device node that passthrough commands can be sent to: a namespace's generic character device
 * {@code /dev/ngXnY} ({@link NvmeNamespace}, I/O commands, and admin commands through the synchronous ioctl) or a
 * controller's {@code /dev/nvmeX} ({@link NvmeController}, admin commands).
 */
public sealed interface NvmeDevice extends AutoCloseable permits NvmeNamespace, NvmeController {

    /**
     * The device node.
     *
     * @return for example {@code /dev/ng0n1}
     */
    Path path();

    /**
     * The open file descriptor; valid until {@link #close()}.
     *
     * @return the fd
     */
    int fd();

    /**
     * Whether the handle is still open: once closed, its fd number may belong to another file, so nothing sends
     * through it (queues and transports made from it refuse commands with an {@link IllegalStateException}).
     *
     * @return {@code false} after {@link #close()}
     */
    boolean isOpen();

    /**
     * The LBA data size used to check buffers against what commands transfer.
     *
     * @return bytes per logical block, or 0 for a controller
     */
    int lbaSize();

    /**
     * Whether this is a controller device (admin commands over {@code IORING_OP_URING_CMD}), rather than a
     * namespace (I/O commands).
     *
     * @return {@code true} for {@code /dev/nvmeX}
     */
    boolean isController();

    /**
     * Sends a command synchronously (ioctl) and waits for it. Thread-safe (serialised on this device); for a
     * contended or allocation-sensitive loop give each thread its own {@link #newIoctl()}.
     *
     * @param command the command
     * @return the completion's Dword 0 and 1
     * @throws NvmeStatusException if the controller completed it with an error status
     * @throws ErrnoException      if the kernel failed it
     */
    long execute(NvmeCommand<?> command) throws NvmeStatusException, ErrnoException;

    /**
     * A new synchronous transport on this device, for one thread. It has its own duplicate of the file descriptor and
     * refuses commands once this handle is closed.
     *
     * @return the transport; close it when done
     * @throws ErrnoException if the file descriptor cannot be duplicated
     */
    NvmeIoctl newIoctl() throws ErrnoException;

    /** Closes the file descriptor. Idempotent. */
    @Override
    void close();
}
