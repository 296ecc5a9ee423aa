package io.github.jring.examples;

import io.github.jring.core.Posix;
import io.github.jring.core.Availability;
import io.github.jring.core.Cqe;
import io.github.jring.core.ErrnoException;
import io.github.jring.core.IoUring;
import io.github.jring.core.Sqe;
import io.github.jring.core.async.AsyncRing;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/**
 * The shapes of the two core APIs, as the API guide ({@code docs/api-guide.md}) shows them.
 */
public final class ApiTour {

    private ApiTour() {
    }

    /**
     * One request through the raw ring: get an SQE, prepare it, submit, wait, reap.
     *
     * @param ring   a ring
     * @param fd     a readable file
     * @param buffer native memory to read into
     * @return bytes read
     * @throws ErrnoException if the ring or the read fails
     */
    public static int readOnce(IoUring ring, int fd, MemorySegment buffer) throws ErrnoException {
        // snippet:raw
        Sqe sqe = ring.getSqe();                 // the next free slot, or null when the SQ is full
        if (sqe == null) {
            ring.submit();                       // hand the queued entries to the kernel, which frees slots
            sqe = ring.getSqe();
        }
        sqe.prepRead(fd, buffer, 0)              // exactly one prep method: all 64 bytes but user_data
                .userData(42);                   // then the setters: userData, ioLink, fixedFile ...
        ring.submitAndWait(1);                   // submit everything, wait until a CQE is there
        Cqe cqe = ring.waitCqe();                // the completion at the CQ head (here, already there)
        int n = cqe.throwIfError("read");        // res >= 0, or ErrnoException for -errno
        ring.cqeSeen(cqe);                       // done with it: the kernel may reuse the slot
        // end:raw
        return n;
    }

    /**
     * Copies the first 4 KiB of {@code from} to the start of {@code to} through an {@link AsyncRing}: a read future,
     * then a blocking write.
     *
     * @param from a file with at least 4 KiB
     * @param to   a file to create or overwrite
     * @return bytes written
     * @throws IOException if a request fails
     */
    public static int copyBlock(Path from, Path to) throws IOException {
        int in = Posix.open(from, Posix.O_RDONLY, 0);
        int out = Posix.open(to, Posix.O_WRONLY | Posix.O_CREAT | Posix.O_TRUNC, 0644);
        try (Arena arena = Arena.ofShared()) {
            MemorySegment buf = arena.allocate(4096, 4096);
            // snippet:async
            try (AsyncRing ring = AsyncRing.open()) {               // 256 entries, its own completion thread
                CompletableFuture<Integer> read = ring.read(in, buf, 0); // from any thread; never blocks
                int n = read.join();                                 // (or compose: read.thenApply(...))
                return ring.writeBlocking(out, buf.asSlice(0, n), 0);    // parks this thread until done
            }
            // end:async
        } finally {
            Posix.close(in);
            Posix.close(out);
        }
    }

    /**
     * Takes a burst of {@code n} NOPs (at most 4096) on a ring of 64 entries by growing it for the burst, then
     * shrinks it again ({@link IoUring#resizeRings}, Linux 6.13).
     *
     * @param n requests in the burst
     * @return the completions reaped
     * @throws ErrnoException if a resize or the submission fails
     */
    public static int burst(int n) throws ErrnoException {
        int reaped;
        // snippet:resize
        try (IoUring ring = IoUring.builder().singleIssuer().deferTaskrun().build(64)) { // resizable: DEFER_TASKRUN
            ring.resizeRings(4096, 8192);        // a burst is coming; what is queued and unreaped moves along
            for (int i = 0; i < n; i++) {
                ring.getSqe().prepNop().userData(i);
            }
            ring.submitAndWait(n);
            reaped = ring.forEachCqe(cqe -> { });
            ring.resizeRings(64, 128);           // it has passed (EOVERFLOW while more is unreaped than fits)
        }
        // end:resize
        return reaped;
    }

    /**
     * Asks whether io_uring can be used here and prints the report, with the reason and the fix when it cannot.
     *
     * @param out where to print
     * @return whether io_uring is usable
     */
    public static boolean checkAvailability(PrintStream out) {
        // snippet:availability
        Availability a = IoUring.availability();
        if (!a.usable()) {
            out.println(a.cause() + " " + a.errnoName() + ": " + a.reason() + "\nfix: " + a.fix());
        }
        out.print(a.toText());   // or a.toJson(): one JSON object, errnos by name
        // end:availability
        return a.usable();
    }
}
