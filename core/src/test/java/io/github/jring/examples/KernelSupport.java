package io.github.jring.examples;

import io.github.jring.bindings.Uapi;
import io.github.jring.core.ErrnoException;
import io.github.jring.core.IoUring;
import io.github.jring.core.Probe;

import java.io.IOException;

/**
 * What the running kernel offers: ask it rather than parse its version. {@code IORING_REGISTER_PROBE} lists the
 * opcodes; a ring set up with the flags you want reads back what was accepted.
 */
public final class KernelSupport {

    private KernelSupport() {
    }

    /**
     * What NVMe passthrough needs from the ring, as the running kernel answers.
     *
     * @param uringCmd whether {@code IORING_OP_URING_CMD} is supported (5.19)
     * @param bigRing  whether a ring with 128-byte SQEs and 32-byte CQEs can be set up (5.19)
     * @param opcodes  how many opcodes the kernel supports
     */
    public record Answer(boolean uringCmd, boolean bigRing, int opcodes) {
    }

    /**
     * Asks the kernel.
     *
     * @return its answers
     * @throws IOException if no ring at all can be set up (io_uring disabled: {@code EPERM}/{@code ENOSYS})
     */
    public static Answer ask() throws IOException {
        // snippet:probe
        try (IoUring ring = IoUring.open(4)) {
            Probe probe = ring.probe();                          // IORING_REGISTER_PROBE (5.6)
            boolean uringCmd = probe.supports(Uapi.IORING_OP_URING_CMD());
            boolean bigRing;
            try (IoUring big = IoUring.builder().sqe128().cqe32().build(4)) {
                bigRing = big.sqeSize() == 128 && big.cqeSize() == 32; // sizes follow the flags read back
            } catch (ErrnoException e) {
                bigRing = false;                                 // EINVAL: flags this kernel does not know
            }
            return new Answer(uringCmd, bigRing, probe.supportedOpcodes().length);
        }
        // end:probe
    }

    /**
     * Runs the example.
     *
     * @param args unused
     * @throws IOException if it fails
     */
    public static void main(String[] args) throws IOException {
        System.out.println(ask());
    }
}
