package io.github.jring.nvme.command;

import io.github.jring.nvme.pi.PiLayout;
import io.github.jring.nvme.pi.PiTuple;
import io.github.jring.nvme.pi.Prinfo;
import io.github.jring.nvme.NvmeNamespace;

/**
 * Write Zeroes (NVM Command Set, opcode 08h): "sets a range of logical blocks to zero"; no data is transferred.
 * After it, reads of the blocks return zeroes. Support is optional: Identify Controller ONCS bit 3.
 *
 * <pre>
 *   CDW10-11  SLBA
 *   CDW12     bits 15:0 NLB (0-based), bit 25 DEAC Deallocate, bit 30 FUA, bit 31 LR
 *             bits 29:26 PRINFO; CDW14 the initial Reference Tag; CDW15 the Application Tag and its mask
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

    /**
     * End-to-end protection for this command: PRINFO (CDW12 bits 29:26, {@link Prinfo}), the initial Reference Tag
     * (CDW14, and CDW3 bits 15:0 for the upper bits of the 64b Guard format's 48-bit space, with any Storage Tag in its
     * upper STS bits: {@link PiTuple#referenceSpace}), the Application Tag and its mask (CDW15 bits 15:0 and 31:16).
     * With PRACT the controller writes protection information for the zeroed blocks; without it, the blocks' protection
     * information is left as the specification's zeroes rule says. A transport that knows the namespace refuses
     * protection bits on a namespace formatted without protection information, before the device sees them.
     *
     * @param prinfo       {@link Prinfo#PRACT} and the {@code Prinfo.CHECK_*} bits, 0 to 15
     * @param referenceTag the initial Reference Tag, 0 to 2^48 - 1 (2^32 - 1 for the 16b Guard format)
     * @param appTag       the Application Tag, 0 to FFFFh
     * @param appMask      which Application Tag bits are checked, 0 to FFFFh
     * @return this command
     */
    public WriteZeroes protection(int prinfo, long referenceTag, int appTag, int appMask) {
        setProtection(prinfo, referenceTag, appTag, appMask);
        return this;
    }

    /**
     * The Logical Block Tags for a format with a Storage Tag (or a 32b Guard Reference Tag wider than 48
     * bits): {@code storageTag} in the upper STS bits of {@code layout}'s Storage and Reference Tag space and
     * {@code referenceTag} below it, bits 31:00 in CDW14, 63:32 in CDW3 and 79:64 in CDW2
     * ({@link PiTuple#referenceSpace}). Call it after {@link #protection}, whose Reference Tag it replaces. On a format
     * without a Storage Tag (STS 0, all that qemu emulates) it carries the Reference Tag as {@link #protection} does.
     *
     * @param layout       the namespace's format ({@code NvmeNamespace.protection()})
     * @param storageTag   the Storage Tag, STS bits
     * @param referenceTag the initial Reference Tag, the rest of the space
     * @return this command
     * @throws IllegalArgumentException if a tag does not fit its bits
     */
    public WriteZeroes tags(PiLayout layout, long storageTag, long referenceTag) {
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
    public WriteZeroes storageTagCheck(boolean on) {
        setStorageTagCheck(on);
        return this;
    }

    @Override
    public String name() {
        return "Write Zeroes";
    }
}
