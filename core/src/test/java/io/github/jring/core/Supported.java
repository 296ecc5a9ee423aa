package io.github.jring.core;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Skips a test, loudly, when the running kernel's probe lacks an opcode: the message names the op and the kernel. */
final class Supported {

    private Supported() {
    }

    /** A JUnit assumption that {@code ring}'s kernel supports {@code opcode}, added in Linux {@code since}. */
    static void assumeOp(IoUring ring, int opcode, String since) throws ErrnoException {
        assumeTrue(ring.probe().supports(opcode), "IORING_OP_" + Probe.opcodeName(opcode) + " (Linux " + since
                + ") is not supported by this kernel, " + Kernel.version() + ": skipped");
    }
}
