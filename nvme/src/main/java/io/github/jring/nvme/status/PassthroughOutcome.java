package io.github.jring.nvme.status;

import io.github.jring.core.ErrnoException;
import io.github.jring.nvme.command.NvmeCommand;

/**
 * Interprets the result of an NVMe passthrough command as Linux returns it, the same for both transports: the CQE
 * {@code res} of an {@code IORING_OP_URING_CMD}, and the return value of the {@code NVME_IOCTL_*64_CMD} ioctl (with
 * {@code -errno} for its {@code -1}).
 * <ul>
 *   <li>{@code 0}: the command completed successfully; the completion's Dword 0 (and Dword 1) is the result
 *       ({@code big_cqe[0]}, or the ioctl struct's {@code result}).</li>
 *   <li>{@code > 0}: the controller completed it with an error: the NVMe status field (see {@link NvmeStatus}),
 *       thrown as {@link NvmeStatusException}.</li>
 *   <li>{@code < 0}: the kernel failed it, {@code -errno} ({@code -EINVAL} for a bad field such as a wrong NSID or
 *       non-zero flags, {@code -EINTR} when the command was cancelled or timed out, {@code -ENOTTY} for an admin command
 *       on a namespace device ...), thrown as {@link ErrnoException}.</li>
 * </ul>
 */
public final class PassthroughOutcome {

    private PassthroughOutcome() {
    }

    /**
     * Throws if {@code res} is not success.
     *
     * @param res     the CQE {@code res} or ioctl return value
     * @param command the command it belongs to, for the message (not retained)
     * @throws NvmeStatusException when {@code res > 0}
     * @throws ErrnoException      when {@code res < 0}
     */
    public static void check(int res, NvmeCommand<?> command) throws NvmeStatusException, ErrnoException {
        if (res != 0) {
            fail(res, command.describe());
        }
    }

    /**
     * Throws if {@code res} is not success, naming the operation by text (for completions reaped without their
     * command object at hand).
     *
     * @param res       the CQE {@code res} or ioctl return value
     * @param operation what it was, for the message
     * @throws NvmeStatusException when {@code res > 0}
     * @throws ErrnoException      when {@code res < 0}
     */
    public static void check(int res, String operation) throws NvmeStatusException, ErrnoException {
        if (res != 0) {
            fail(res, operation);
        }
    }

    private static void fail(int res, String operation) throws NvmeStatusException, ErrnoException {
        if (res > 0) {
            throw new NvmeStatusException(operation, res);
        }
        throw new ErrnoException(operation, -res);
    }

    /**
     * The exception for a failed result.
     *
     * @param res       a non-zero result
     * @param operation what failed
     * @return an {@link NvmeStatusException} ({@code res > 0}) or an {@link ErrnoException} ({@code res < 0})
     */
    public static java.io.IOException exception(int res, String operation) {
        if (res > 0) {
            return new NvmeStatusException(operation, res);
        }
        if (res < 0) {
            return new ErrnoException(operation, -res);
        }
        throw new IllegalArgumentException("result 0 is success, not an error");
    }

    /**
     * Whether {@code res} is an NVMe status (the device answered with an error).
     *
     * @param res the result
     * @return {@code res > 0}
     */
    public static boolean isNvmeStatus(int res) {
        return res > 0;
    }

    /**
     * Whether {@code res} is a kernel errno.
     *
     * @param res the result
     * @return {@code res < 0}
     */
    public static boolean isErrno(int res) {
        return res < 0;
    }

    /**
     * A one-line description of a result: {@code "success"}, the status ({@code "LBA Out of Range (SCT 0h, SC 80h,
     * DNR)"}) or the errno ({@code "EINVAL (Invalid argument)"}).
     *
     * @param res the result
     * @return the description
     */
    public static String describe(int res) {
        if (res == 0) {
            return "success";
        }
        return res > 0 ? new NvmeStatus(res).toString() : io.github.jring.core.Errno.describe(-res);
    }
}
