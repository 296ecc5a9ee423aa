package io.github.jring.nvme.command;

import io.github.jring.nvme.status.NvmeStatusCode;

/**
 * Verify (NVM Command Set, opcode 0Ch): "requests that the controller verify the integrity of the stored
 * information" for the blocks, as a read would (including end-to-end protection checks), without transferring data
 * to the host. An unreadable block completes with {@link NvmeStatusCode#UNRECOVERED_READ_ERROR}. Support is
 * optional: Identify Controller ONCS bit 7.
 *
 * <pre>
 *   CDW10-11  SLBA; CDW12 bits 15:0 NLB (0-based), bit 30 FUA, bit 31 LR
 * </pre>
 */
public final class Verify extends LbaCommand<Verify> {

    /** Opcode 0Ch. */
    public static final int OPCODE = 0x0C;

    /**
     * Verifies {@code blocks} blocks from {@code slba}.
     *
     * @param nsid   the namespace
     * @param slba   first logical block
     * @param blocks number of blocks, 1 to 65536
     */
    public Verify(int nsid, long slba, int blocks) {
        super(OPCODE, nsid, slba, blocks);
    }

    /**
     * Force Unit Access (CDW12 bit 30): verify the non-volatile media.
     *
     * @param on whether to set it
     * @return this command
     */
    public Verify fua(boolean on) {
        setFua(on);
        return this;
    }

    /**
     * Limited Retry (CDW12 bit 31).
     *
     * @param on whether to set it
     * @return this command
     */
    public Verify limitedRetry(boolean on) {
        setLimitedRetry(on);
        return this;
    }

    @Override
    public String name() {
        return "Verify";
    }
}
