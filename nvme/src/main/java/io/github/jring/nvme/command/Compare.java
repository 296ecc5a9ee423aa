package io.github.jring.nvme.command;

import io.github.jring.nvme.NvmeNamespace;
import io.github.jring.nvme.status.NvmeStatusCode;
import java.lang.foreign.MemorySegment;

/**
 * Compare (NVM Command Set, opcode 05h): "reads the logical blocks specified by the command from the medium and
 * compares the data read to a comparison data buffer transferred as part of the command". A mismatch completes with
 * {@link NvmeStatusCode#COMPARE_FAILURE} (Media and Data Integrity Errors, 85h). Support is optional: Identify
 * Controller ONCS bit 0.
 *
 * <pre>
 *   CDW10-11  SLBA; CDW12 bits 15:0 NLB (0-based), bit 30 FUA, bit 31 LR
 * </pre>
 * <p>Read-only handles ({@link NvmeNamespace#openReadOnly}) allow it: it writes nothing.
 */
public final class Compare extends LbaCommand<Compare> {

    /** Opcode 05h. */
    public static final int OPCODE = 0x05;

    /**
     * A compare of {@code blocks} blocks at {@code slba} against {@code expected}.
     *
     * @param nsid     the namespace
     * @param slba     first logical block
     * @param blocks   number of blocks, 1 to 65536
     * @param expected native memory holding the data the blocks should hold
     */
    public Compare(int nsid, long slba, int blocks, MemorySegment expected) {
        super(OPCODE, nsid, slba, blocks);
        data(expected);
    }

    /**
     * Force Unit Access (CDW12 bit 30): compare against non-volatile media.
     *
     * @param on whether to set it
     * @return this command
     */
    public Compare fua(boolean on) {
        setFua(on);
        return this;
    }

    /**
     * Limited Retry (CDW12 bit 31).
     *
     * @param on whether to set it
     * @return this command
     */
    public Compare limitedRetry(boolean on) {
        setLimitedRetry(on);
        return this;
    }

    /**
     * It sends data but only compares it with the medium, so a read-only handle allows it.
     *
     * @return {@code false}
     */
    @Override
    public boolean writesMedium() {
        return false;
    }

    @Override
    public String name() {
        return "Compare";
    }
}
