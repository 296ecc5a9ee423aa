package io.github.jring.nvme.status;

import io.github.jring.nvme.command.NvmeCommand;
import java.io.IOException;

/**
 * The NVMe controller completed a command with an error status: a passthrough completion with {@code res > 0} (or an
 * ioctl returning a positive value).
 *
 * <p>This is the device's answer, distinct from a kernel failure ({@code res < 0}: the command was refused or
 * could not be sent), which is reported as {@link io.github.jring.core.ErrnoException}. Both are {@link IOException}s.
 * The message names the command and the status, for example
 * {@code "Write (nsid 2, SLBA 0x20000, 8 blocks): Zone Is Full (SCT 1h, SC B9h, DNR)"}.
 */
public class NvmeStatusException extends IOException {

    private static final long serialVersionUID = 1L;

    /** The raw status field (see {@link NvmeStatus}). */
    private final int status;
    /** What failed. */
    private final String command;

    /**
     * Creates the exception.
     *
     * @param command a description of the command that failed (see {@link NvmeCommand#describe()})
     * @param status  the status field as the kernel returns it (CQE {@code res} or ioctl return value, {@code > 0})
     */
    public NvmeStatusException(String command, int status) {
        super(command + ": " + new NvmeStatus(status));
        this.status = status;
        this.command = command;
    }

    /**
     * The decoded status.
     *
     * @return the status
     */
    public NvmeStatus status() {
        return new NvmeStatus(status);
    }

    /**
     * The named status code, for matching: {@code if (e.code() == NvmeStatusCode.ZONE_IS_FULL) ...}.
     *
     * @return the code, or {@code null} if the status has no name (vendor specific ...)
     */
    public NvmeStatusCode code() {
        return new NvmeStatus(status).code();
    }

    /**
     * What failed.
     *
     * @return the command's description
     */
    public String command() {
        return command;
    }
}
