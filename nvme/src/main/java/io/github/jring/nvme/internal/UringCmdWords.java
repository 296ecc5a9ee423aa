package io.github.jring.nvme.internal;

/**
 * Receives a command's {@code struct nvme_uring_cmd} (72 bytes) as nine 64-bit words, each the native-order value of
 * eight consecutive bytes of the struct: a transport that copies the command when it is submitted and writes it into
 * the SQE later keeps these in fields instead of allocating an encoding buffer per command (see
 * {@link CommandAccess#encodeUringCmd(io.github.jring.nvme.command.NvmeCommand, UringCmdWords, int, int)}).
 */
public interface UringCmdWords {

    /** How many words a {@code struct nvme_uring_cmd} is. */
    int COUNT = 9;

    /**
     * The command's nine words, bytes 0-7 first.
     *
     * @param w0 bytes 0-7
     * @param w1 bytes 8-15
     * @param w2 bytes 16-23
     * @param w3 bytes 24-31
     * @param w4 bytes 32-39
     * @param w5 bytes 40-47
     * @param w6 bytes 48-55
     * @param w7 bytes 56-63
     * @param w8 bytes 64-71
     */
    void words(long w0, long w1, long w2, long w3, long w4, long w5, long w6, long w7, long w8);
}
