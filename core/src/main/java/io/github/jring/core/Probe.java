package io.github.jring.core;

import io.github.jring.core.internal.NativeAccess;
import io.github.jring.bindings.Uapi;

import java.util.Arrays;

/**
 * Which {@code IORING_OP_*} opcodes the running kernel supports, from {@code IORING_REGISTER_PROBE} (Linux 5.6).
 * Obtain one with {@link IoUring#probe()}.
 * {@snippet :
 * if (ring.probe().supports(Uapi.IORING_OP_URING_CMD())) { ... }
 * }
 */
public final class Probe {

    static {
        NativeAccess.require(); // first: a JVM that denies native access gets one clear error, not one from the bindings
    }

    private final int lastOp;
    private final boolean[] supported;

    Probe(int lastOp, boolean[] supported) {
        this.lastOp = lastOp;
        this.supported = supported;
    }

    /**
     * Whether the kernel supports {@code opcode}.
     *
     * @param opcode an {@code IORING_OP_*}
     * @return true if the kernel flagged it {@code IO_URING_OP_SUPPORTED}; false for unknown opcodes
     */
    public boolean supports(int opcode) {
        return opcode >= 0 && opcode < supported.length && supported[opcode];
    }

    /**
     * The highest opcode the kernel knows ({@code last_op}; {@code IORING_OP_LAST - 1} of the running kernel).
     *
     * @return the last opcode
     */
    public int lastOp() {
        return lastOp;
    }

    /**
     * The supported opcodes in ascending order.
     *
     * @return a new array
     */
    public int[] supportedOpcodes() {
        int n = 0;
        for (boolean s : supported) {
            n += s ? 1 : 0;
        }
        int[] ops = new int[n];
        for (int op = 0, i = 0; op < supported.length; op++) {
            if (supported[op]) {
                ops[i++] = op;
            }
        }
        return ops;
    }

    @Override
    public String toString() {
        return "Probe[lastOp=" + lastOp + ", supported=" + Arrays.toString(supportedOpcodes()) + ", known to jring="
                + Uapi.IORING_OP_LAST() + "]";
    }
}
