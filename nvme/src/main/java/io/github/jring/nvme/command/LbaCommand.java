package io.github.jring.nvme.command;

import io.github.jring.nvme.internal.UringCmdWords;
import io.github.jring.nvme.pi.PiLayout;
import io.github.jring.nvme.pi.PiTuple;
import io.github.jring.nvme.pi.Prinfo;

/**
 * An NVM command set command on a range of logical blocks: Starting LBA in command dwords 10-11 (64 bits, CDW10 the
 * low half) and the Number of Logical Blocks in CDW12 bits 15:0, which the specification stores 0-based (0 means one
 * block); this class takes and returns the natural count, 1 to 65536.
 *
 * <p>Subclasses add the fields their command defines in CDW12 bits 31:16, CDW13 and beyond: Force Unit Access (bit
 * 30), Limited Retry (bit 31), directives (bits 23:20 and CDW13 bits 31:16), end-to-end protection (PRINFO in bits
 * 29:26, the tags in CDW14-15) ...
 *
 * @param <C> the concrete command type
 */
public abstract class LbaCommand<C extends LbaCommand<C>> extends NvmeCommand<C> {

    /** Most blocks one command can address: NLB is 16 bits, 0-based. */
    public static final int MAX_BLOCKS = 1 << 16;

    LbaCommand(int opcode, int nsid, long slba, int blocks) {
        super(false, opcode, nsid);
        slba(slba);
        blocks(blocks);
    }

    /**
     * Sets the Starting LBA (CDW10-11).
     *
     * @param slba the first logical block
     * @return this command
     */
    public C slba(long slba) {
        if (slba < 0) {
            throw new IllegalArgumentException("SLBA must be >= 0: " + slba);
        }
        cdw10 = (int) slba;
        cdw11 = (int) (slba >>> 32);
        return self();
    }

    /**
     * The Starting LBA.
     *
     * @return the first logical block
     */
    public long slba() {
        return Integer.toUnsignedLong(cdw10) | ((long) cdw11 << 32);
    }

    /**
     * Sets the number of logical blocks (CDW12 bits 15:0 hold it minus one).
     *
     * @param blocks 1 to 65536
     * @return this command
     */
    public C blocks(int blocks) {
        if (blocks < 1 || blocks > MAX_BLOCKS) {
            throw new IllegalArgumentException("number of blocks must be 1.." + MAX_BLOCKS + ": " + blocks);
        }
        cdw12 = (cdw12 & 0xFFFF_0000) | (blocks - 1);
        return self();
    }

    /**
     * The number of logical blocks.
     *
     * @return 1 to 65536
     */
    public int blocks() {
        return (cdw12 & 0xFFFF) + 1;
    }

    /**
     * Bytes of data: blocks times the LBA data size, for commands that transfer data.
     */
    @Override
    public long requiredDataLength(int lbaDataSize) {
        if (direction() == Direction.NONE) {
            return 0;
        }
        return lbaDataSize <= 0 ? -1 : (long) blocks() * lbaDataSize;
    }

    /**
     * Bytes of separate metadata: blocks times the metadata size, for commands that transfer data.
     */
    @Override
    public long requiredMetadataLength(int metadataSize) {
        if (direction() == Direction.NONE) {
            return 0;
        }
        return metadataSize <= 0 ? -1 : (long) blocks() * metadataSize;
    }

    /**
     * Encodes this command with {@code blocks} blocks from {@code slba} and the {@code dataLength} bytes at
     * {@code dataAddress} as its data, without metadata, and without changing this object: a template that many
     * threads encode at once (see {@code CommandAccess.encodeTransfer}).
     */
    final void encodeTransfer(UringCmdWords dst, long slba, int blocks, long dataAddress, int dataLength) {
        int nlb = (cdw12 & 0xFFFF_0000) | (blocks - 1);
        if (URING_PACKED) {
            dst.words((opcode & 0xFFL) | ((long) nsid << 32), pair(cdw2, cdw3), 0L, dataAddress, pair(0, dataLength),
                    slba, pair(nlb, cdw13), pair(cdw14, cdw15), Integer.toUnsignedLong(timeoutMs));
            return;
        }
        NvmeCommand<?> c = copy();
        c.cdw10 = (int) slba;
        c.cdw11 = (int) (slba >>> 32);
        c.cdw12 = nlb;
        c.dataAddress = dataAddress;
        c.metadataAddress = 0;
        c.encodeUringCmd(dst, dataLength, 0);
    }

    @Override
    public String describe() {
        return name() + " (nsid " + Integer.toUnsignedString(nsid) + ", SLBA " + hex(slba()) + ", " + blocks()
                + (blocks() == 1 ? " block)" : " blocks)");
    }

    // Shared CDW12 flags; each command exposes those its specification defines.

    /** CDW12 bit 30, Force Unit Access. */
    void setFua(boolean on) {
        cdw12 = bit(cdw12, 30, on);
    }

    /** CDW12 bit 31, Limited Retry. */
    void setLimitedRetry(boolean on) {
        cdw12 = bit(cdw12, 31, on);
    }

    /** CDW12 bits 23:20 Directive Type and CDW13 bits 31:16 Directive Specific. */
    void setDirective(int type, int specific) {
        cdw12 = field(cdw12, 20, 4, type, "directive type");
        cdw13 = field(cdw13, 16, 16, specific, "directive specific");
    }

    /**
     * End-to-end protection: PRINFO in CDW12 bits 29:26; the initial Reference Tag in CDW14 (bits 31:0) and CDW3
     * bits 15:0 (bits 47:32, used by the 64b Guard format's 48-bit space); the Application Tag in CDW15 bits 15:0 and
     * its mask in CDW15 bits 31:16. The same fields in Read, Write, Compare, Verify, Write Zeroes (and Zone Append).
     */
    void setProtection(int prinfo, long referenceTag, int appTag, int appMask) {
        Prinfo.check(prinfo);
        if (referenceTag < 0 || referenceTag >>> 48 != 0) {
            throw new IllegalArgumentException("the initial Reference Tag (with any Storage Tag) is at most 48 bits: 0x"
                    + Long.toHexString(referenceTag));
        }
        int tag = field(0, 0, 16, appTag, "application tag");
        int mask = field(0, 0, 16, appMask, "application tag mask");
        cdw12 = field(cdw12, 26, 4, prinfo, "PRINFO");
        cdw14 = (int) referenceTag;
        cdw3 = (cdw3 & 0xFFFF_0000) | (int) (referenceTag >>> 32);
        cdw15 = tag | (mask << 16);
    }

    /**
     * The Logical Block Tags: the Storage and Reference Tag space of {@code layout}'s format with {@code storageTag}
     * in its upper STS bits and {@code referenceTag} below ({@link PiTuple#referenceSpace}), bits 31:00 in CDW14 (the
     * Lower field), bits 63:32 in CDW3 and bits 79:64 in CDW2 bits 15:00 (the Upper field, CDW2-3 bits 47:00). That
     * is where Linux (the 64b Guard's bits 47:32 in CDW3), qemu and libnvme's {@code nvme_init_var_size_tags} put
     * them. Replaces the Reference Tag {@link #setProtection} set; keeps PRINFO and the Application Tag.
     */
    void setTags(PiLayout layout, long storageTag, long referenceTag) {
        long low = PiTuple.referenceSpace(layout.format(), layout.storageTagBits(), storageTag, referenceTag);
        int high = PiTuple.referenceSpaceHigh(layout.format(), layout.storageTagBits(), storageTag, referenceTag);
        cdw14 = (int) low;
        cdw3 = (int) (low >>> 32);
        cdw2 = high;
    }

    /** CDW12 bit 24, Storage Tag Check (STC): the controller checks the Storage Tag as well. */
    void setStorageTagCheck(boolean on) {
        cdw12 = bit(cdw12, 24, on);
    }

    /**
     * Whether the Storage Tag Check bit (CDW12 bit 24) is set.
     *
     * @return the bit
     */
    public final boolean storageTagCheck() {
        return (cdw12 & (1 << 24)) != 0;
    }

    /**
     * The Protection Information field (CDW12 bits 29:26): {@link Prinfo#PRACT} and the PRCHK bits.
     *
     * @return 0 to 15
     */
    @Override
    public final int prinfo() {
        return (cdw12 >>> 26) & 0xF;
    }

    /**
     * The initial (or, for reads, expected initial) Reference Tag: CDW14, with CDW3 bits 15:0 as bits 47:32.
     *
     * @return 0 to 2^48 - 1
     */
    public final long referenceTag() {
        return Integer.toUnsignedLong(cdw14) | ((long) (cdw3 & 0xFFFF) << 32);
    }

    /**
     * The (expected) Application Tag, CDW15 bits 15:0.
     *
     * @return 0 to FFFFh
     */
    public final int applicationTag() {
        return cdw15 & 0xFFFF;
    }

    /**
     * The Application Tag Mask, CDW15 bits 31:16: which Application Tag bits are checked.
     *
     * @return 0 to FFFFh
     */
    public final int applicationTagMask() {
        return cdw15 >>> 16;
    }

    /** CDW13 bits 7:0, Dataset Management hints. */
    void setDatasetHints(int dsm) {
        cdw13 = field(cdw13, 0, 8, dsm, "dataset management hints");
    }

    /** Current FUA bit. */
    boolean fuaBit() {
        return (cdw12 & (1 << 30)) != 0;
    }

    /** Current LR bit. */
    boolean limitedRetryBit() {
        return (cdw12 & (1 << 31)) != 0;
    }
}
