package io.github.jring.core;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The tests' view of the running kernel's {@link Capabilities}: each {@code assume*} skips the calling test, loudly
 * (the reason goes to the report, and {@link SkipReporter} prints it), when the kernel lacks what the test needs. The
 * record itself is printed once, on first use, so that every run's output shows what the kernel had.
 */
final class Caps {

    static final Capabilities KERNEL;

    static {
        KERNEL = IoUring.capabilities();
        System.out.println("[jring capabilities] " + KERNEL.toText().replace("\n", "\n[jring capabilities] "));
    }

    private Caps() {
    }

    static void assumeOp(int opcode) {
        assume(KERNEL.hasOp(opcode), "IORING_OP_" + Probe.opcodeName(opcode) + " (the probe's last_op is "
                + KERNEL.opcodes().lastOp() + ")");
    }

    static void assumeSetupFlag(int flags) {
        assume(KERNEL.hasSetupFlag(flags), "IORING_SETUP_" + IoUring.setupFlagNames(flags & ~KERNEL.setupFlags())
                + " (io_uring_setup answered " + Errno.name(KERNEL.setupFlagErrno(
                        Integer.lowestOneBit(flags & ~KERNEL.setupFlags()))) + ")");
    }

    static void assumeRegisterOp(int opcode) {
        assume(KERNEL.hasRegisterOp(opcode), "IORING_" + Capabilities.registerOpName(opcode)
                + " (the kernel's IORING_REGISTER_LAST is " + KERNEL.registerOpLimit() + ")");
    }

    static void assumeFeature(int feature) {
        assume(KERNEL.hasFeature(feature), "IORING_FEAT_" + String.join("|",
                Availability.featureNames(feature & ~KERNEL.features())));
    }

    /** Skips unless {@code present}; the message names what is missing and the kernel. */
    static void assume(boolean present, String what) {
        // SkipReporter prints the message on the test output as well.
        assumeTrue(present, () -> "SKIPPED: kernel " + KERNEL.kernelRelease() + " lacks " + what);
    }

    static boolean hostIs618() {
        return KERNEL.kernelRelease().startsWith("6.18.");
    }
}
