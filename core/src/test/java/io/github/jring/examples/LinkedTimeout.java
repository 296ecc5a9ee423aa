package io.github.jring.examples;

import io.github.jring.core.Posix;
import io.github.jring.core.Cqe;
import io.github.jring.core.Errno;
import io.github.jring.core.IoUring;
import io.github.jring.core.KernelTimespec;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;

/**
 * A read that gives up: {@code IORING_OP_READ} on a pipe nobody writes to, linked to an
 * {@code IORING_OP_LINK_TIMEOUT}. When the time runs out the kernel cancels the read ({@code -ECANCELED}) and the
 * timeout completes with {@code -ETIME}.
 */
public final class LinkedTimeout {

    private LinkedTimeout() {
    }

    /**
     * The outcome of the two linked requests.
     *
     * @param readRes    the read's {@code res}
     * @param timeoutRes the link timeout's {@code res}
     * @param elapsed    how long until both had completed
     */
    public record Outcome(int readRes, int timeoutRes, Duration elapsed) {
    }

    /**
     * Reads from an empty pipe with a timeout.
     *
     * @param timeout how long the read may take
     * @return both results
     * @throws IOException if the ring fails
     */
    public static Outcome readWithTimeout(Duration timeout) throws IOException {
        int[] pipe = Posix.pipe(Posix.O_CLOEXEC);
        try (IoUring ring = IoUring.open(4); Arena arena = Arena.ofConfined()) {
            // snippet:link-timeout
            MemorySegment buf = arena.allocate(64);
            MemorySegment ts = KernelTimespec.allocate(arena, timeout); // struct __kernel_timespec

            ring.getSqe().prepRead(pipe[0], buf, -1).userData(1).ioLink(); // IOSQE_IO_LINK: the next one is its timeout
            ring.getSqe().prepLinkTimeout(ts, 0).userData(2);
            long start = System.nanoTime();
            ring.submitAndWait(2);

            int readRes = 0;
            int timeoutRes = 0;
            for (int i = 0; i < 2; i++) {
                Cqe cqe = ring.waitCqe();
                if (cqe.userData() == 1) {
                    readRes = cqe.res();       // -ECANCELED: the timeout fired first
                } else {
                    timeoutRes = cqe.res();    // -ETIME: it fired (-ECANCELED if the read had won)
                }
                ring.cqeSeen(cqe);
            }
            System.out.println("read: " + Errno.describe(readRes) + ", timeout: " + Errno.describe(timeoutRes));
            // end:link-timeout
            return new Outcome(readRes, timeoutRes, Duration.ofNanos(System.nanoTime() - start));
        } finally {
            Posix.close(pipe[0]);
            Posix.close(pipe[1]);
        }
    }

    /**
     * Runs the example.
     *
     * @param args unused
     * @throws IOException if it fails
     */
    public static void main(String[] args) throws IOException {
        System.out.println(readWithTimeout(Duration.ofMillis(100)));
    }
}
