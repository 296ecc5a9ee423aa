package io.github.jring.nvme.command;

import io.github.jring.nvme.NvmeNamespace;
import io.github.jring.nvme.pi.GuardFormat;
import io.github.jring.nvme.pi.PiLayout;
import io.github.jring.nvme.pi.PiTuple;
import io.github.jring.nvme.pi.Prinfo;
import io.github.jring.nvme.status.NvmeStatusCode;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

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
 *   CDW2-3    LBTU   the destination's Logical Block Tags, upper bits (the space's bits 79:32: CDW3, then CDW2 15:0)
 *   CDW10-11  SDLBA  starting destination LBA
 *   CDW12     bits 7:0   NR      number of source ranges (0-based)
 *             bits 11:8  DESFMT  descriptor format: 0 (32-byte entries) for the 16b Guard format, 1 (40-byte
 *                                entries) for the 32b and 64b Guard formats
 *             bits 15:12 PRINFOR protection information of the source reads
 *             bits 23:20 DTYPE   directive type of the destination write
 *             bit  24    STCW    storage tag check of the write,  bit 25 STCR of the reads
 *             bits 29:26 PRINFOW protection information of the destination write
 *             bit  30    FUA,  bit 31 LR
 *   CDW13     bits 31:16 DSPEC   directive specific
 *   CDW14     LBTL   the destination's Logical Block Tags, bits 31:0 (its initial Reference Tag, with any Storage Tag)
 *   CDW15     bits 15:0 LBAT, bits 31:16 LBATM: the destination's Application Tag and mask
 *   data      NR+1 Source Range Entries, each with the source's expected tags (ELBT: Storage and initial Reference
 *             Tag; ELBAT, ELBATM: Application Tag and mask), checked as PRINFOR says:
 *             format 0, 32 bytes: 15:8 SLBA, 17:16 NLB (0-based), 27:24 ELBT (32 bits), 29:28 ELBAT, 31:30 ELBATM
 *             format 1, 40 bytes: 15:8 SLBA, 17:16 NLB (0-based), 35:26 ELBT (80 bits), 37:36 ELBAT, 39:38 ELBATM
 * </pre>
 * The descriptor format must match the namespace's protection information format (NVM Command Set, Copy Descriptor
 * Formats; a transport that knows the namespace refuses a mismatch before the device does): {@link #formatFor}
 * picks it, {@link #descriptorFormat(int)} sets it, and {@link #sourceRange(PiLayout, MemorySegment, int, long, int,
 * long, long, int, int)} writes the entries of either format. Format 1's 80-bit ELBT is stored most significant byte
 * first (as qemu reads it and libnvme's {@code nvme_init_copy_range_f1} writes it); the other fields are little
 * endian. Formats 2 and 3 (a source namespace per entry) are not offered.
 * <p>Read-only handles ({@link NvmeNamespace#openReadOnly}) refuse it before the device sees it: it writes the destination blocks.
 */
public final class Copy extends NvmeCommand<Copy> {

    /** Opcode 19h. */
    public static final int OPCODE = 0x19;
    /** Bytes per Source Range Entry in descriptor format 0. */
    public static final int SOURCE_RANGE_SIZE = 32;
    /** Bytes per Source Range Entry in descriptor format 1 (the 32b and 64b Guard formats). */
    public static final int SOURCE_RANGE_SIZE_FORMAT_1 = 40;
    /** Descriptor format 0: 32-byte entries, for namespaces whose protection information format is the 16b Guard. */
    public static final int FORMAT_0 = 0;
    /** Descriptor format 1: 40-byte entries, for the 32b and 64b Guard formats. */
    public static final int FORMAT_1 = 1;

    /** Format 1's ELBT is stored most significant byte first, whatever the host's order. */
    private static final ValueLayout.OfShort ELBT_HIGH =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong ELBT_LOW = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    /** Most ranges in one command (NR is 8 bits, 0-based). */
    public static final int MAX_RANGES = 256;

    /**
     * A copy of {@code ranges} source ranges described in {@code rangeBuffer} to {@code sdlba}.
     *
     * @param nsid        the namespace
     * @param sdlba       first destination LBA
     * @param ranges      number of source ranges, 1 to 256
     * @param rangeBuffer native memory of at least {@code ranges * 32} bytes (40 with {@link #FORMAT_1}), filled with
     *                    {@link #sourceRange}
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
     * Sets the Descriptor Format (CDW12 bits 11:8): {@link #FORMAT_0} for a namespace with the 16b Guard format,
     * {@link #FORMAT_1} for the 32b and 64b Guard formats ({@link #formatFor}).
     *
     * @param format 0 or 1
     * @return this command
     * @throws IllegalArgumentException for another value (formats 2 and 3 name a source namespace per entry, which
     *                                  this class does not write; 4 is the memory copy of another command set)
     */
    public Copy descriptorFormat(int format) {
        if (format != FORMAT_0 && format != FORMAT_1) {
            throw new IllegalArgumentException("Copy descriptor format must be 0 (16b Guard) or 1 (32b and 64b"
                    + " Guard): " + format);
        }
        cdw12 = field(cdw12, 8, 4, format, "descriptor format");
        return this;
    }

    /**
     * The Descriptor Format (CDW12 bits 11:8).
     *
     * @return 0 or 1
     */
    public int descriptorFormat() {
        return (cdw12 >>> 8) & 0xF;
    }

    /**
     * The descriptor format a namespace's format takes: 0 for the 16b Guard, 1 for the 32b and 64b Guards (the
     * Extended LBA Format's PIF, whether or not protection is enabled: the controller goes by the format).
     *
     * @param layout the namespace's format ({@code NvmeNamespace.protection()})
     * @return {@link #FORMAT_0} or {@link #FORMAT_1}
     */
    public static int formatFor(PiLayout layout) {
        return layout.format() == GuardFormat.GUARD_16 ? FORMAT_0 : FORMAT_1;
    }

    /**
     * Bytes of one Source Range Entry in {@code format}.
     *
     * @param format 0 or 1
     * @return 32 or 40
     */
    public static int sourceRangeSize(int format) {
        return format == FORMAT_1 ? SOURCE_RANGE_SIZE_FORMAT_1 : SOURCE_RANGE_SIZE;
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
     * The destination's Logical Block Tags for a format with a Storage Tag (or a 32b Guard Reference Tag wider than 48
     * bits): {@code storageTag} in the upper STS bits of the space and {@code referenceTag} (the initial Reference
     * Tag) below, bits 31:00 in CDW14, 63:32 in CDW3 and 79:64 in CDW2 ({@link PiTuple#referenceSpace}). Replaces the
     * Reference Tag {@link #protection} set.
     *
     * @param layout       the namespace's format ({@code NvmeNamespace.protection()})
     * @param storageTag   the Storage Tag, STS bits
     * @param referenceTag the initial Reference Tag, the rest of the space
     * @return this command
     * @throws IllegalArgumentException if a tag does not fit its bits
     */
    public Copy tags(PiLayout layout, long storageTag, long referenceTag) {
        long low = PiTuple.referenceSpace(layout.format(), layout.storageTagBits(), storageTag, referenceTag);
        cdw2 = PiTuple.referenceSpaceHigh(layout.format(), layout.storageTagBits(), storageTag, referenceTag);
        cdw3 = (int) (low >>> 32);
        cdw14 = (int) low;
        return this;
    }

    /**
     * The Storage Tag checks: STCR (CDW12 bit 25) for the source reads, against each entry's expected Storage Tag,
     * and STCW (bit 24) for the destination write, against {@link #tags}'. STCR is reserved unless Identify
     * Controller says the controller supports it (STCRS).
     *
     * @param read  STCR
     * @param write STCW
     * @return this command
     */
    public Copy storageTagChecks(boolean read, boolean write) {
        cdw12 = bit(bit(cdw12, 25, read), 24, write);
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
        checkEntry(index, blocks);
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

    /**
     * Writes Source Range Entry {@code index} in the descriptor format of {@code layout}'s namespace
     * ({@link #formatFor}), zeroing its other fields: format 0 (32 bytes) for the 16b Guard, format 1 (40 bytes) for
     * the 32b and 64b Guards, with the source's expected tags: the Storage Tag in the upper STS bits of the Expected
     * Logical Block Tags and the initial Reference Tag below ({@link PiTuple#referenceSpace}: 32 bits in all for the
     * 16b Guard, 48 for the 64b, 80 for the 32b), the Application Tag and its mask.
     *
     * @param layout       the namespace's format ({@code NvmeNamespace.protection()})
     * @param rangeBuffer  the buffer, {@link #sourceRangeSize} bytes per entry
     * @param index        entry number, from 0
     * @param slba         first source LBA
     * @param blocks       number of blocks, 1 to 65536
     * @param storageTag   the expected Storage Tag (0 where the format has none)
     * @param referenceTag the expected initial Reference Tag
     * @param appTag       the expected Application Tag, 0 to FFFFh
     * @param appMask      its mask, 0 to FFFFh
     * @throws IllegalArgumentException if a value does not fit its field
     */
    public static void sourceRange(PiLayout layout, MemorySegment rangeBuffer, int index, long slba, int blocks,
                                   long storageTag, long referenceTag, int appTag, int appMask) {
        GuardFormat guard = layout.format();
        long low = PiTuple.referenceSpace(guard, layout.storageTagBits(), storageTag, referenceTag);
        int high = PiTuple.referenceSpaceHigh(guard, layout.storageTagBits(), storageTag, referenceTag);
        if (formatFor(layout) == FORMAT_0) {
            sourceRange(rangeBuffer, index, slba, blocks, low, appTag, appMask);
            return;
        }
        checkEntry(index, blocks);
        int tag = field(0, 0, 16, appTag, "application tag");
        int mask = field(0, 0, 16, appMask, "application tag mask");
        long base = (long) index * SOURCE_RANGE_SIZE_FORMAT_1;
        rangeBuffer.asSlice(base, SOURCE_RANGE_SIZE_FORMAT_1).fill((byte) 0);
        rangeBuffer.set(JAVA_LONG, base + 8, slba);
        rangeBuffer.set(JAVA_SHORT, base + 16, (short) (blocks - 1));
        rangeBuffer.set(ELBT_HIGH, base + 26, (short) high); // ELBT bits 79:64, most significant byte first
        rangeBuffer.set(ELBT_LOW, base + 28, low);         // ELBT bits 63:0
        rangeBuffer.set(JAVA_SHORT, base + 36, (short) tag);
        rangeBuffer.set(JAVA_SHORT, base + 38, (short) mask);
    }

    /**
     * The expected Logical Block Tags of format 1 entry {@code index}: bits 63:0 of its 80-bit ELBT.
     *
     * @param rangeBuffer the buffer
     * @param index       entry number, from 0
     * @return the low 64 bits of the expected Storage and Reference Tag space
     */
    public static long format1Tags(MemorySegment rangeBuffer, int index) {
        return rangeBuffer.get(ELBT_LOW, (long) index * SOURCE_RANGE_SIZE_FORMAT_1 + 28);
    }

    private static void checkEntry(int index, int blocks) {
        if (index < 0 || index >= MAX_RANGES) {
            throw new IllegalArgumentException("range index must be 0.." + (MAX_RANGES - 1) + ": " + index);
        }
        if (blocks < 1 || blocks > LbaCommand.MAX_BLOCKS) {
            throw new IllegalArgumentException("blocks must be 1.." + LbaCommand.MAX_BLOCKS + ": " + blocks);
        }
    }

    @Override
    public long requiredDataLength(int lbaDataSize) {
        return (long) ranges() * sourceRangeSize(descriptorFormat());
    }

    @Override
    public String describe() {
        return "Copy (nsid " + Integer.toUnsignedString(nsid) + ", " + ranges() + " ranges to SDLBA "
                + hex(destination()) + (descriptorFormat() == 0 ? ")" : ", descriptor format " + descriptorFormat()
                + ")");
    }

    @Override
    public String name() {
        return "Copy";
    }
}
