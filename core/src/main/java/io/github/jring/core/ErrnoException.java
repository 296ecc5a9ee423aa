package io.github.jring.core;

import java.io.IOException;

/**
 * A system call or an io_uring operation failed with a Linux {@code errno}.
 *
 * <p>jring reports kernel failures with this one checked type: a failed {@code io_uring_setup},
 * {@code io_uring_enter} or {@code io_uring_register} (the syscall returned {@code -1} and {@code errno}), and a
 * completion whose {@code res} is negative ({@code res == -errno}, see {@link Cqe#throwIfError()}). It is an
 * {@link IOException} because these are I/O failures the caller is expected to handle, as with {@code java.nio}.
 * Misuse that jring can detect before the kernel sees it (a closed ring, a buffer too small for the length, a
 * {@code uring_cmd} payload too long for the SQE) is reported with {@link IllegalArgumentException} or
 * {@link IllegalStateException} instead.
 *
 * <p>The message names the operation, the errno's symbolic name and glibc's description, for example
 * {@code "io_uring_setup: EINVAL (Invalid argument)"}.
 */
public class ErrnoException extends IOException {

    private static final long serialVersionUID = 1L;

    /** The errno, positive. */
    private final int errno;
    /** What failed: a syscall name, or a description of the operation. */
    private final String operation;

    /**
     * Creates an exception for {@code operation} failing with {@code errno}.
     *
     * @param operation what failed, for example {@code "io_uring_enter"} or {@code "read (user_data 7)"}
     * @param errno     the errno; its sign is ignored, so a CQE's negative {@code res} may be passed as is
     */
    public ErrnoException(String operation, int errno) {
        super(operation + ": " + Errno.describe(errno));
        this.errno = Math.abs(errno);
        this.operation = operation;
    }

    /**
     * Creates an exception for {@code operation} failing with {@code errno}, with extra detail in the message.
     *
     * @param operation what failed
     * @param errno     the errno; its sign is ignored
     * @param detail    extra context appended to the message (for example which setup flags were asked for)
     */
    public ErrnoException(String operation, int errno, String detail) {
        super(operation + ": " + Errno.describe(errno) + (detail == null || detail.isEmpty() ? "" : "; " + detail));
        this.errno = Math.abs(errno);
        this.operation = operation;
    }

    /**
     * The errno, as a positive number ({@code ENOENT} is 2).
     *
     * @return the errno
     */
    public int errno() {
        return errno;
    }

    /**
     * The errno's symbolic name, for example {@code "ECANCELED"}.
     *
     * @return the name, see {@link Errno#name(int)}
     */
    public String errnoName() {
        return Errno.name(errno);
    }

    /**
     * What failed: the system call's name or a description of the operation.
     *
     * @return the operation
     */
    public String operation() {
        return operation;
    }
}
