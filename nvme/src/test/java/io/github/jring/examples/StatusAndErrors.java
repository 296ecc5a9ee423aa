package io.github.jring.examples;

import io.github.jring.core.ErrnoException;
import io.github.jring.nvme.NvmeNamespace;
import io.github.jring.nvme.NvmeQueue;
import io.github.jring.nvme.status.NvmeStatusCode;
import io.github.jring.nvme.status.NvmeStatusException;
import io.github.jring.nvme.command.Read;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * The two ways a passthrough command fails. The device answers with an NVMe status ({@code res > 0} in the CQE):
 * {@link NvmeStatusException}, here LBA Out of Range. Or the kernel refuses the command before the device sees it
 * ({@code res < 0}, an errno): {@link ErrnoException}, here {@code EFAULT} for a registered buffer that does not
 * exist. (Mistakes jring can see itself, such as a namespace id that is not the device's, are refused before the
 * kernel sees them, as Java exceptions that name the cause.)
 */
public final class StatusAndErrors {

    private StatusAndErrors() {
    }

    /**
     * What each failure looked like.
     *
     * @param pastTheEnd   the status of a read one block past the end
     * @param dnr          whether the device said "do not retry"
     * @param message      the exception's message
     * @param kernelErrno  the errno name of a read from a registered buffer that does not exist
     */
    public record Failures(NvmeStatusCode pastTheEnd, boolean dnr, String message, String kernelErrno) {
    }

    /**
     * Sends two bad reads.
     *
     * @param device a namespace's generic device
     * @return what came back
     * @throws IOException if the device cannot be opened, or a command unexpectedly succeeds
     */
    public static Failures provoke(Path device) throws IOException {
        try (NvmeNamespace ns = NvmeNamespace.open(device);
             NvmeQueue queue = NvmeQueue.open(ns, 4);
             Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(ns.lbaSize(), 4096);
            // snippet:status
            NvmeStatusCode code;
            boolean dnr;
            String message;
            try {
                queue.execute(new Read(ns.nsid(), ns.blocks(), 1, buf));   // one block past the last one
                throw new IllegalStateException("the device read past its end");
            } catch (NvmeStatusException e) {     // the controller's answer: CQE res > 0
                code = e.code();                  // NvmeStatusCode.LBA_OUT_OF_RANGE (SCT 0h, SC 80h)
                dnr = e.status().dnr();           // Do Not Retry: it would fail again
                message = e.getMessage();         // "Read (nsid 1, SLBA 0x200000, 1 block): LBA Out of Range ..."
            }

            String errno;
            try {
                queue.executeFixed(new Read(ns.nsid(), 0, 1, buf), 0);  // registered buffer 0: none registered
                throw new IllegalStateException("the kernel accepted a registered buffer that does not exist");
            } catch (ErrnoException e) {          // the kernel's answer: CQE res < 0
                errno = e.errnoName();            // "EFAULT"
            }
            // What jring can tell is refused before the kernel sees it, naming the cause:
            // new Read(ns.nsid() + 1, ...) is an IllegalArgumentException ("... carries nsid 2, but /dev/ng0n1 is
            // namespace 1 ..."), a buffer of a closed arena an IllegalStateException.
            // end:status
            return new Failures(code, dnr, message, errno);
        }
    }

    /**
     * Runs the example.
     *
     * @param args the device (default {@code /dev/ng0n1})
     * @throws IOException if it fails
     */
    public static void main(String[] args) throws IOException {
        System.out.println(provoke(Path.of(args.length > 0 ? args[0] : "/dev/ng0n1")));
    }
}
