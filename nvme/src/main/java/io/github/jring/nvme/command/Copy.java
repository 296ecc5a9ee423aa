package io.github.jring.nvme.command;

import io.github.jring.nvme.NvmeNamespace;
import io.github.jring.nvme.pi.Prinfo;
import io.github.jring.nvme.status.NvmeStatusCode;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * Copy (NVM Command Set, opcode 19h, NVMe 2.0): "copies user data from one or more source LBA ranges to a single
 * consecutive destination LBA range" inside the namespace, without the data passing through the host. Support is
 * optional: Identify Controller ONCS bit 8, with the source range formats in OCFS; limits per namespace in MSSRL
 * (blocks per range), MCL (blocks in all) and MSRC (ranges, 0-based). Exceeding them completes with
 * {@link NvmeStatusCode#COMMAND_SIZE_LIMIT_EXCEEDED}.
 *
 * <pre>
 *   CDW10-11  SDLBA  starting destination LBA
 *   CDW12     bits 7:0   NR      number of source ranges (0-based)
 *             bits 11:8  DESFMT  descriptor format (0: 32-byte Source Range Entries, 16-bit references)
 *             bits 15:12 PRINFOR protection information of the source reads
 *             bits 23:20 DTYPE   directive type of the destination write
 *             bit  24    STCW    storage tag check of the write
 *             bits 29:26 PRINFOW protection information of the destination write
 *             bit  30    FUA,  bit 31 LR
 *   CDW13     bits 31:16 DSPEC   directive specific
 *   CDW14     ILBRT  the destination's initial Reference Tag (CDW3 bits 15:0: bits 47:32)
 *   CDW15     bits 15:0 LBAT, bits 31:16 LBATM: the destination's Application Tag and mask
 *   data      NR+1 Source Range Entries (format 0, 32 bytes, for the 16b Guard format):
 *             bytes 15:8 SLBA, bytes 17:16 NLB (0-based), bytes 27:24 EILBRT, 29:28 ELBAT, 31:30 ELBATM
 *             (the source's expected initial Reference Tag, Application Tag and mask)
 * </pre>
 * Fill the entries with {@link #sourceRange(MemorySegment, int, long, int)}.
 * <p>Read-only handles ({@link NvmeNamespace#openReadOnly}) refuse it before the device sees it: it writes the destination blocks.
 */
public final class Copy extends NvmeCommand<Copy> {

    /** Opcode 19h. */
    public static final int OPCODE = 0x19;
    /** Bytes per Source Range Entry in descriptor format 0. */
    public static final int SOURCE_RANGE_SIZE = 32;
    /** Most ranges in one command (NR is 8 bits, 0-based). */
    public static final int MAX_RANGES = 256;

    /**
     * A copy of {@code ranges} source ranges described in {@code rangeBuffer} to {@code sdlba}.
     *
     * @param nsid        the namespace
     * @param sdlba       first destination LBA
     * @param ranges      number of source ranges, 1 to 256
     * @param rangeBuffer native memory of at least {@code ranges * 32} bytes, filled with {@link #sourceRange}
     */
    public Copy(int nsid, long sdlba, int ranges, MemorySegment rangeBuffer) {
        super(false, OPCODE, nsid);
        destination(sdlba);
        ranges(ranges);
        data(rangeBuffer);
    }

    /**
     * Sets the starting destination LBA (CDW10-11).
     *
     * @param sdlba the LBA
     * @return this command
     */
    public Copy destination(long sdlba) {
        if (sdlba < 0) {
            throw new IllegalArgumentException("SDLBA must be >= 0: " + sdlba);
        }
        cdw10 = (int) sdlba;
        cdw11 = (int) (sdlba >>> 32);
        return this;
    }

    /**
     * The starting destination LBA.
     *
     * @return the LBA
     */
    public long destination() {
        return Integer.toUnsignedLong(cdw10) | ((long) cdw11 << 32);
    }

    /**
     * Sets the number of source ranges (CDW12 bits 7:0, 0-based).
     *
     * @param ranges 1 to 256
     * @return this command
     */
    public Copy ranges(int ranges) {
        if (ranges < 1 || ranges > MAX_RANGES) {
            throw new IllegalArgumentException("ranges must be 1.." + MAX_RANGES + ": " + ranges);
        }
        cdw12 = (cdw12 & ~0xFF) | (ranges - 1);
        return this;
    }

    /**
     * The number of source ranges.
     *
     * @return 1 to 256
     */
    public int ranges() {
        return (cdw12 & 0xFF) + 1;
    }

    /**
     * Force Unit Access (CDW12 bit 30) for the destination write.
     *
     * @param on whether to set it
     * @return this command
     */
    public Copy fua(boolean on) {
        cdw12 = bit(cdw12, 30, on);
        return this;
    }

    /**
     * Limited Retry (CDW12 bit 31).
     *
     * @param on whether to set it
     * @return this command
     */
    public Copy limitedRetry(boolean on) {
        cdw12 = bit(cdw12, 31, on);
        return this;
    }

    /**
     * The directive of the destination write: type (CDW12 bits 23:20) and specific (CDW13 bits 31:16), as for
     * {@link Write#directive(int, int)}.
     *
     * @param type     directive type, 0 to 15
     * @param specific directive specific, 0 to 65535
     * @return this command
     */
    public Copy directive(int type, int specific) {
        cdw12 = field(cdw12, 20, 4, type, "directive type");
        cdw13 = field(cdw13, 16, 16, specific, "directive specific");
        return this;
    }

    /**
     * End-to-end protection of the copy: PRINFOR for reading the source ranges (CDW12 bits 15:12; each range's
     * expected tags are in its entry, {@link #sourceRange(MemorySegment, int, long, int, long, int, int)}), PRINFOW
     * for writing the destination (CDW12 bits 29:26), with the destination's initial Reference Tag (CDW14, CDW3 bits
     * 15:0 for bits 47:32), Application Tag and mask (CDW15).
     *
     * @param prinfoRead   the source reads' {@link Prinfo} bits, 0 to 15
     * @param prinfoWrite  the destination write's {@link Prinfo} bits, 0 to 15
     * @param referenceTag the destination's initial Reference Tag, 0 to 2^48 - 1
     * @param appTag       the destination's Application Tag, 0 to FFFFh
     * @param appMask      its mask, 0 to FFFFh
     * @return this command
     */
    public Copy protection(int prinfoRead, int prinfoWrite, long referenceTag, int appTag, int appMask) {
        Prinfo.check(prinfoRead);
        Prinfo.check(prinfoWrite);
        if (referenceTag < 0 || referenceTag >>> 48 != 0) {
            throw new IllegalArgumentException("the initial Reference Tag is at most 48 bits: 0x"
                    + Long.toHexString(referenceTag));
        }
        int tag = field(0, 0, 16, appTag, "application tag");
        int mask = field(0, 0, 16, appMask, "application tag mask");
        cdw12 = field(field(cdw12, 12, 4, prinfoRead, "PRINFOR"), 26, 4, prinfoWrite, "PRINFOW");
        cdw14 = (int) referenceTag;
        cdw3 = (cdw3 & 0xFFFF_0000) | (int) (referenceTag >>> 32);
        cdw15 = tag | (mask << 16);
        return this;
    }

    /**
     * PRINFOR (the source reads' protection bits, CDW12 bits 15:12).
     *
     * @return 0 to 15
     */
    public int prinfoRead() {
        return (cdw12 >>> 12) & 0xF;
    }

    /**
     * PRINFOW (the destination write's protection bits, CDW12 bits 29:26).
     *
     * @return 0 to 15
     */
    public int prinfoWrite() {
        return (cdw12 >>> 26) & 0xF;
    }

    /**
     * PRINFOR and PRINFOW together: any protection bit the copy carries.
     *
     * @return 0 to 15
     */
    @Override
    public int prinfo() {
        return prinfoRead() | prinfoWrite();
    }

    /**
     * Writes Source Range Entry {@code index} (descriptor format 0) into a range buffer, zeroing its other fields.
     *
     * @param rangeBuffer the buffer
     * @param index       entry number, from 0
     * @param slba        first source LBA
     * @param blocks      number of blocks, 1 to 65536
     */
    public static void sourceRange(MemorySegment rangeBuffer, int index, long slba, int blocks) {
        if (index < 0 || index >= MAX_RANGES) {
            throw new IllegalArgumentException("range index must be 0.." + (MAX_RANGES - 1) + ": " + index);
        }
        if (blocks < 1 || blocks > LbaCommand.MAX_BLOCKS) {
            throw new IllegalArgumentException("blocks must be 1.." + LbaCommand.MAX_BLOCKS + ": " + blocks);
        }
        long base = (long) index * SOURCE_RANGE_SIZE;
        rangeBuffer.asSlice(base, SOURCE_RANGE_SIZE).fill((byte) 0);
        rangeBuffer.set(JAVA_LONG, base + 8, slba);
        rangeBuffer.set(JAVA_SHORT, base + 16, (short) (blocks - 1));
    }

    /**
     * Writes Source Range Entry {@code index} (descriptor format 0) with the source's expected protection tags: the
     * initial Reference Tag (bytes 27:24), the Application Tag (29:28) and its mask (31:30), checked as PRINFOR says.
     *
     * @param rangeBuffer  the buffer
     * @param index        entry number, from 0
     * @param slba         first source LBA
     * @param blocks       number of blocks, 1 to 65536
     * @param referenceTag the expected initial Reference Tag, 32 bits
     * @param appTag       the expected Application Tag, 0 to FFFFh
     * @param appMask      its mask, 0 to FFFFh
     */
    public static void sourceRange(MemorySegment rangeBuffer, int index, long slba, int blocks, long referenceTag,
                                   int appTag, int appMask) {
        if (referenceTag < 0 || referenceTag >>> 32 != 0) {
            throw new IllegalArgumentException("a format 0 Source Range Entry's Reference Tag is 32 bits: 0x"
                    + Long.toHexString(referenceTag));
        }
        sourceRange(rangeBuffer, index, slba, blocks);
        long base = (long) index * SOURCE_RANGE_SIZE;
        rangeBuffer.set(JAVA_INT, base + 24, (int) referenceTag);
        rangeBuffer.set(JAVA_SHORT, base + 28, (short) field(0, 0, 16, appTag, "application tag"));
        rangeBuffer.set(JAVA_SHORT, base + 30, (short) field(0, 0, 16, appMask, "application tag mask"));
    }

    @Override
    public long requiredDataLength(int lbaDataSize) {
        return (long) ranges() * SOURCE_RANGE_SIZE;
    }

    @Override
    public String describe() {
        return "Copy (nsid " + Integer.toUnsignedString(nsid) + ", " + ranges() + " ranges to SDLBA "
                + hex(destination()) + ")";
    }

    @Override
    public String name() {
        return "Copy";
    }
}
