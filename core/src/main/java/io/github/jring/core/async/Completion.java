package io.github.jring.core.async;

import io.github.jring.core.Errno;
import io.github.jring.core.ErrnoException;

/**
 * What the kernel answered for one request: the completion queue entry's fields, copied out of the ring (a
 * {@link io.github.jring.core.Cqe} is only valid until the ring reuses its slot, a {@code Completion} for ever).
 *
 * @param res     the result: non-negative on success (bytes transferred, a count, 0), {@code -errno} on failure; for
 *                {@code uring_cmd} a positive value may be the driver's own status (NVMe: the status field)
 * @param flags   the CQE's {@code IORING_CQE_F_*} flags
 * @param bigCqe0 the first extra 64-bit word of a 32-byte CQE ({@code IORING_SETUP_CQE32}; NVMe passthrough puts the
 *                command's result dword there), 0 on a ring with 16-byte CQEs
 * @param bigCqe1 the second extra word, 0 on a ring with 16-byte CQEs
 */
public record Completion(int res, int flags, long bigCqe0, long bigCqe1) {

    /**
     * Whether {@link #res()} is negative, i.e. a {@code -errno}.
     *
     * @return true for a failed request
     */
    public boolean isError() {
        return res < 0;
    }

    /**
     * The errno's symbolic name, for example {@code "ECANCELED"}, or {@code null} if the request succeeded.
     *
     * @return the name, or {@code null}
     */
    public String errnoName() {
        return res < 0 ? Errno.name(res) : null;
    }

    /**
     * {@link #res()} if it is not negative, else an {@link ErrnoException} naming {@code operation} and the errno.
     *
     * @param operation what the request was, for the message
     * @return the non-negative result
     * @throws ErrnoException if {@code res < 0}
     */
    public int resOrThrow(String operation) throws ErrnoException {
        if (res < 0) {
            throw new ErrnoException(operation, -res);
        }
        return res;
    }
}
