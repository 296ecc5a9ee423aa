package io.github.jring.core;

import io.github.jring.bindings.Uapi;

import java.util.Arrays;

/**
 * What a ring may do once enabled: the argument of {@link IoUring#registerRestrictions(Restrictions)}
 * ({@code IORING_REGISTER_RESTRICTIONS}, Linux 5.10), for a ring set up {@link IoUringBuilder#disabled()} and then
 * {@linkplain IoUring#enableRings() enabled}. Afterwards the kernel refuses every SQE opcode not allowed (its request
 * completes with {@code -EACCES}), every SQE whose flags leave the allowed set or lack a required flag (likewise), and
 * every {@code io_uring_register} opcode not allowed ({@code EACCES}). Restrictions cannot be lifted: they are for
 * handing a ring to less trusted code.
 * {@snippet :
 * ring.registerRestrictions(Restrictions.none().allowOps(Uapi.IORING_OP_READ(), Uapi.IORING_OP_NOP()));
 * ring.enableRings();
 * }
 */
public final class Restrictions {

    private int[] ops = new int[0];
    private int[] registerOps = new int[0];
    private int allowedSqeFlags = -1;
    private int requiredSqeFlags = -1;

    private Restrictions() {
    }

    /**
     * Restrictions that allow nothing yet.
     *
     * @return a new instance
     */
    public static Restrictions none() {
        return new Restrictions();
    }

    /**
     * Allows these SQE opcodes ({@code IORING_RESTRICTION_SQE_OP}).
     *
     * @param opcodes {@code IORING_OP_*}
     * @return this
     */
    public Restrictions allowOps(int... opcodes) {
        ops = concat(ops, opcodes);
        return this;
    }

    /**
     * Allows these {@code io_uring_register} opcodes ({@code IORING_RESTRICTION_REGISTER_OP}).
     *
     * @param opcodes {@code IORING_REGISTER_*}
     * @return this
     */
    public Restrictions allowRegisterOps(int... opcodes) {
        registerOps = concat(registerOps, opcodes);
        return this;
    }

    /**
     * The SQE flags ({@code IOSQE_*}) a request may carry ({@code IORING_RESTRICTION_SQE_FLAGS_ALLOWED}); without
     * this call, none.
     *
     * @param flags {@code IOSQE_*} bits
     * @return this
     */
    public Restrictions allowSqeFlags(int flags) {
        allowedSqeFlags = flags;
        return this;
    }

    /**
     * The SQE flags every request must carry ({@code IORING_RESTRICTION_SQE_FLAGS_REQUIRED}).
     *
     * @param flags {@code IOSQE_*} bits
     * @return this
     */
    public Restrictions requireSqeFlags(int flags) {
        requiredSqeFlags = flags;
        return this;
    }

    /** The entries as {@code {IORING_RESTRICTION_*, value}} pairs, in the order the kernel gets them. */
    int[][] entries() {
        int n = ops.length + registerOps.length + (allowedSqeFlags >= 0 ? 1 : 0) + (requiredSqeFlags >= 0 ? 1 : 0);
        int[][] out = new int[n][];
        int i = 0;
        for (int op : ops) {
            out[i++] = new int[] {Uapi.IORING_RESTRICTION_SQE_OP(), op};
        }
        for (int op : registerOps) {
            out[i++] = new int[] {Uapi.IORING_RESTRICTION_REGISTER_OP(), op};
        }
        if (allowedSqeFlags >= 0) {
            out[i++] = new int[] {Uapi.IORING_RESTRICTION_SQE_FLAGS_ALLOWED(), allowedSqeFlags};
        }
        if (requiredSqeFlags >= 0) {
            out[i++] = new int[] {Uapi.IORING_RESTRICTION_SQE_FLAGS_REQUIRED(), requiredSqeFlags};
        }
        return out;
    }

    private static int[] concat(int[] a, int[] b) {
        for (int v : b) {
            if (v < 0 || v > 0xFF) {
                throw new IllegalArgumentException("opcode " + v + " is not a __u8");
            }
        }
        int[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    @Override
    public String toString() {
        return "Restrictions[ops=" + Arrays.toString(ops) + ", registerOps=" + Arrays.toString(registerOps)
                + ", allowedSqeFlags=" + allowedSqeFlags + ", requiredSqeFlags=" + requiredSqeFlags + "]";
    }
}
