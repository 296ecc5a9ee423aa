package io.github.jring.nvme.command;

import io.github.jring.nvme.NvmeNamespace;
import io.github.jring.nvme.status.NvmeStatusCode;

/**
 * Write Uncorrectable (NVM Command Set, opcode 04h): "marks a range of logical blocks as invalid". Later reads of
 * those blocks fail with {@link NvmeStatusCode#UNRECOVERED_READ_ERROR} until they are written again. No data is
 * transferred. Support is optional: Identify Controller ONCS bit 1.
 *
 * <pre>
 *   CDW10-11  SLBA; CDW12 bits 15:0 NLB (0-based)
 * </pre>
 * <p>Read-only handles ({@link NvmeNamespace#openReadOnly}) refuse it: it changes the blocks' contents.
 */
public final class WriteUncorrectable extends LbaCommand<WriteUncorrectable> {

    /** Opcode 04h. */
    public static final int OPCODE = 0x04;

    /**
     * Marks {@code blocks} blocks from {@code slba} uncorrectable.
     *
     * @param nsid   the namespace
     * @param slba   first logical block
     * @param blocks number of blocks, 1 to 65536
     */
    public WriteUncorrectable(int nsid, long slba, int blocks) {
        super(OPCODE, nsid, slba, blocks);
    }

    /**
     * It marks blocks invalid without sending data, so a read-only handle refuses it.
     *
     * @return {@code true}
     */
    @Override
    public boolean writesMedium() {
        return true;
    }

    @Override
    public String name() {
        return "Write Uncorrectable";
    }
}
