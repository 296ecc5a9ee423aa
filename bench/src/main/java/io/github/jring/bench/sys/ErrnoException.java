package io.github.jring.bench.sys;

import java.io.IOException;

/**
 * A failed libc call: names the call, the errno constant and its message, e.g.
 * {@code pread(/dev/nvme0n1, 4096 bytes at 8192): EINVAL (Invalid argument)}.
 */
public final class ErrnoException extends IOException {
    private static final long serialVersionUID = 1L;

    private final int errno;

    public ErrnoException(String call, int errno) {
        this(call, errno, null);
    }

    public ErrnoException(String call, int errno, String hint) {
        super(call + ": " + Errno.name(errno) + " (" + Errno.message(errno) + ")" + (hint == null ? "" : "; " + hint));
        this.errno = errno;
    }

    /** The positive errno value. */
    public int errno() {
        return errno;
    }

    /** The errno constant's name, e.g. {@code "EINVAL"}. */
    public String errnoName() {
        return Errno.name(errno);
    }
}
