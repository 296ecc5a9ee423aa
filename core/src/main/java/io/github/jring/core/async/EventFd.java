package io.github.jring.core.async;

import io.github.jring.core.ErrnoException;
import io.github.jring.core.Posix;

/**
 * The eventfd that wakes an {@link AsyncRing}'s completion thread when it sleeps in {@code io_uring_enter}: the ring
 * keeps an {@code IORING_OP_READ} of it in flight, and a submitter calls {@link #signal(int)}, which completes that
 * read. The calls are {@link Posix}'s.
 */
final class EventFd {

    private EventFd() {
    }

    /**
     * {@code eventfd(0, flags)}.
     *
     * @param flags {@code EFD_*}
     * @return the new fd
     * @throws ErrnoException if the kernel refuses
     */
    static int create(int flags) throws ErrnoException {
        return Posix.eventfd(0, flags);
    }

    /**
     * Adds 1 to the eventfd's counter: one short system call that does not block (the counter is read back to 0 by
     * every wakeup, far from its 2^64-2 limit). Allocates nothing.
     *
     * @param fd the eventfd
     * @return 0, or -1 on failure (never expected)
     */
    static int signal(int fd) {
        try {
            Posix.eventfdWrite(fd, 1L);
            return 0;
        } catch (ErrnoException e) {
            return -1;
        }
    }

    /**
     * {@code close(fd)}, ignoring errors.
     *
     * @param fd the eventfd
     */
    static void close(int fd) {
        try {
            Posix.close(fd);
        } catch (ErrnoException ignored) {
            // the descriptor is released whatever close reports
        }
    }
}
