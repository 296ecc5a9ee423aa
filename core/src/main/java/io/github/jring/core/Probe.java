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

    /** The names of the opcodes jring knows, without {@code IORING_OP_}, by opcode (a {@code __u8}). */
    private static final String[] OP_NAMES = new String[256];

    static {
        op("NOP", Uapi.IORING_OP_NOP());
        op("READV", Uapi.IORING_OP_READV());
        op("WRITEV", Uapi.IORING_OP_WRITEV());
        op("FSYNC", Uapi.IORING_OP_FSYNC());
        op("READ_FIXED", Uapi.IORING_OP_READ_FIXED());
        op("WRITE_FIXED", Uapi.IORING_OP_WRITE_FIXED());
        op("POLL_ADD", Uapi.IORING_OP_POLL_ADD());
        op("POLL_REMOVE", Uapi.IORING_OP_POLL_REMOVE());
        op("SYNC_FILE_RANGE", Uapi.IORING_OP_SYNC_FILE_RANGE());
        op("SENDMSG", Uapi.IORING_OP_SENDMSG());
        op("RECVMSG", Uapi.IORING_OP_RECVMSG());
        op("TIMEOUT", Uapi.IORING_OP_TIMEOUT());
        op("TIMEOUT_REMOVE", Uapi.IORING_OP_TIMEOUT_REMOVE());
        op("ACCEPT", Uapi.IORING_OP_ACCEPT());
        op("ASYNC_CANCEL", Uapi.IORING_OP_ASYNC_CANCEL());
        op("LINK_TIMEOUT", Uapi.IORING_OP_LINK_TIMEOUT());
        op("CONNECT", Uapi.IORING_OP_CONNECT());
        op("FALLOCATE", Uapi.IORING_OP_FALLOCATE());
        op("OPENAT", Uapi.IORING_OP_OPENAT());
        op("CLOSE", Uapi.IORING_OP_CLOSE());
        op("FILES_UPDATE", Uapi.IORING_OP_FILES_UPDATE());
        op("STATX", Uapi.IORING_OP_STATX());
        op("READ", Uapi.IORING_OP_READ());
        op("WRITE", Uapi.IORING_OP_WRITE());
        op("FADVISE", Uapi.IORING_OP_FADVISE());
        op("MADVISE", Uapi.IORING_OP_MADVISE());
        op("SEND", Uapi.IORING_OP_SEND());
        op("RECV", Uapi.IORING_OP_RECV());
        op("OPENAT2", Uapi.IORING_OP_OPENAT2());
        op("EPOLL_CTL", Uapi.IORING_OP_EPOLL_CTL());
        op("SPLICE", Uapi.IORING_OP_SPLICE());
        op("PROVIDE_BUFFERS", Uapi.IORING_OP_PROVIDE_BUFFERS());
        op("REMOVE_BUFFERS", Uapi.IORING_OP_REMOVE_BUFFERS());
        op("TEE", Uapi.IORING_OP_TEE());
        op("SHUTDOWN", Uapi.IORING_OP_SHUTDOWN());
        op("RENAMEAT", Uapi.IORING_OP_RENAMEAT());
        op("UNLINKAT", Uapi.IORING_OP_UNLINKAT());
        op("MKDIRAT", Uapi.IORING_OP_MKDIRAT());
        op("SYMLINKAT", Uapi.IORING_OP_SYMLINKAT());
        op("LINKAT", Uapi.IORING_OP_LINKAT());
        op("MSG_RING", Uapi.IORING_OP_MSG_RING());
        op("FSETXATTR", Uapi.IORING_OP_FSETXATTR());
        op("SETXATTR", Uapi.IORING_OP_SETXATTR());
        op("FGETXATTR", Uapi.IORING_OP_FGETXATTR());
        op("GETXATTR", Uapi.IORING_OP_GETXATTR());
        op("SOCKET", Uapi.IORING_OP_SOCKET());
        op("URING_CMD", Uapi.IORING_OP_URING_CMD());
        op("SEND_ZC", Uapi.IORING_OP_SEND_ZC());
        op("SENDMSG_ZC", Uapi.IORING_OP_SENDMSG_ZC());
        op("READ_MULTISHOT", Uapi.IORING_OP_READ_MULTISHOT());
        op("WAITID", Uapi.IORING_OP_WAITID());
        op("FUTEX_WAIT", Uapi.IORING_OP_FUTEX_WAIT());
        op("FUTEX_WAKE", Uapi.IORING_OP_FUTEX_WAKE());
        op("FUTEX_WAITV", Uapi.IORING_OP_FUTEX_WAITV());
        op("FIXED_FD_INSTALL", Uapi.IORING_OP_FIXED_FD_INSTALL());
        op("FTRUNCATE", Uapi.IORING_OP_FTRUNCATE());
        op("BIND", Uapi.IORING_OP_BIND());
        op("LISTEN", Uapi.IORING_OP_LISTEN());
        op("RECV_ZC", Uapi.IORING_OP_RECV_ZC());
        op("EPOLL_WAIT", Uapi.IORING_OP_EPOLL_WAIT());
        op("READV_FIXED", Uapi.IORING_OP_READV_FIXED());
        op("WRITEV_FIXED", Uapi.IORING_OP_WRITEV_FIXED());
        op("PIPE", Uapi.IORING_OP_PIPE());
        op("NOP128", Uapi.IORING_OP_NOP128());
        op("URING_CMD128", Uapi.IORING_OP_URING_CMD128());
    }

    private final int lastOp;
    private final boolean[] supported;

    private static void op(String name, int opcode) {
        OP_NAMES[opcode] = name;
    }

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

    /**
     * The name of an opcode without {@code IORING_OP_}, for messages and reports: {@code "READ"} for
     * {@code IORING_OP_READ}.
     *
     * @param opcode an {@code IORING_OP_*}
     * @return the name, or {@code "op N"} for an opcode newer than jring's bindings (or out of range)
     */
    public static String opcodeName(int opcode) {
        String n = opcode >= 0 && opcode < OP_NAMES.length ? OP_NAMES[opcode] : null;
        return n != null ? n : "op " + opcode;
    }

    @Override
    public String toString() {
        return "Probe[lastOp=" + lastOp + ", supported=" + Arrays.toString(supportedOpcodes()) + ", known to jring="
                + Uapi.IORING_OP_LAST() + "]";
    }
}
