package io.github.jring.nvme.command;

import io.github.jring.nvme.pi.PiLayout;
import io.github.jring.nvme.pi.PiTuple;
import io.github.jring.nvme.pi.Prinfo;
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
 *             bits 29:26 PRINFO; CDW14 the initial Reference Tag; CDW15 the Application Tag and its mask
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

    /**
     * End-to-end protection for this command: PRINFO (CDW12 bits 29:26, {@link Prinfo}), the expected initial Reference
     * Tag (CDW14, and CDW3 bits 15:0 for the upper bits of the 64b Guard format's 48-bit space, with any Storage Tag in
     * its upper STS bits: {@link PiTuple#referenceSpace}), the expected Application Tag and its mask (CDW15 bits 15:0
     * and 31:16). The controller checks the stored protection information as for a read. A transport that knows the
     * namespace refuses protection bits on a namespace formatted without protection information, before the device sees
     * them.
     *
     * @param prinfo       {@link Prinfo#PRACT} and the {@code Prinfo.CHECK_*} bits, 0 to 15
     * @param referenceTag the expected initial Reference Tag, 0 to 2^48 - 1 (2^32 - 1 for the 16b Guard format)
     * @param appTag       the expected Application Tag, 0 to FFFFh
     * @param appMask      which Application Tag bits are checked, 0 to FFFFh
     * @return this command
     */
    public Compare protection(int prinfo, long referenceTag, int appTag, int appMask) {
        setProtection(prinfo, referenceTag, appTag, appMask);
        return this;
    }

    /**
     * The expected Logical Block Tags for a format with a Storage Tag (or a 32b Guard Reference Tag wider than 48
     * bits): {@code storageTag} in the upper STS bits of {@code layout}'s Storage and Reference Tag space and
     * {@code referenceTag} below it, bits 31:00 in CDW14, 63:32 in CDW3 and 79:64 in CDW2
     * ({@link PiTuple#referenceSpace}). Call it after {@link #protection}, whose Reference Tag it replaces. On a format
     * without a Storage Tag (STS 0, all that qemu emulates) it carries the Reference Tag as {@link #protection} does.
     *
     * @param layout       the namespace's format ({@code NvmeNamespace.protection()})
     * @param storageTag   the Storage Tag, STS bits
     * @param referenceTag the expected initial Reference Tag, the rest of the space
     * @return this command
     * @throws IllegalArgumentException if a tag does not fit its bits
     */
    public Compare tags(PiLayout layout, long storageTag, long referenceTag) {
        setTags(layout, storageTag, referenceTag);
        return this;
    }

    /**
     * Storage Tag Check (STC, CDW12 bit 24): the controller also checks each block's Storage Tag against the one
     * {@link #tags} gives (under the namespace's Logical Block Storage Tag Mask).
     *
     * @param on whether to set it
     * @return this command
     */
    public Compare storageTagCheck(boolean on) {
        setStorageTagCheck(on);
        return this;
    }

    @Override
    public String name() {
        return "Compare";
    }
}
