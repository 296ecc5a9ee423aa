package io.github.jring.nvme.command;

import io.github.jring.nvme.NvmeNamespace;

/**
 * Write Zeroes (NVM Command Set, opcode 08h): "sets a range of logical blocks to zero"; no data is transferred.
 * After it, reads of the blocks return zeroes. Support is optional: Identify Controller ONCS bit 3.
 *
 * <pre>
 *   CDW10-11  SLBA
 *   CDW12     bits 15:0 NLB (0-based), bit 25 DEAC Deallocate, bit 30 FUA, bit 31 LR
 * </pre>
 * With DEAC the host asks the controller to also deallocate the blocks (Identify Namespace DLFEAT bit 3 says
 * whether it honours that).
 * <p>Read-only handles ({@link NvmeNamespace#openReadOnly}) refuse it: it changes the blocks' contents.
 */
public final class WriteZeroes extends LbaCommand<WriteZeroes> {

    /** Opcode 08h. */
    public static final int OPCODE = 0x08;

    /**
     * Zeroes {@code blocks} blocks from {@code slba}.
     *
     * @param nsid   the namespace
     * @param slba   first logical block
     * @param blocks number of blocks, 1 to 65536
     */
    public WriteZeroes(int nsid, long slba, int blocks) {
        super(OPCODE, nsid, slba, blocks);
    }

    /**
     * Deallocate (CDW12 bit 25): the controller may deallocate the blocks instead of writing zeroes.
     *
     * @param on whether to set it
     * @return this command
     */
    public WriteZeroes deallocate(boolean on) {
        cdw12 = bit(cdw12, 25, on);
        return this;
    }

    /**
     * Force Unit Access (CDW12 bit 30).
     *
     * @param on whether to set it
     * @return this command
     */
    public WriteZeroes fua(boolean on) {
        setFua(on);
        return this;
    }

    /**
     * Limited Retry (CDW12 bit 31).
     *
     * @param on whether to set it
     * @return this command
     */
    public WriteZeroes limitedRetry(boolean on) {
        setLimitedRetry(on);
        return this;
    }

    /**
     * It sets blocks to zero without sending data, so a read-only handle refuses it.
     *
     * @return {@code true}
     */
    @Override
    public boolean writesMedium() {
        return true;
    }

    @Override
    public String name() {
        return "Write Zeroes";
    }
}
