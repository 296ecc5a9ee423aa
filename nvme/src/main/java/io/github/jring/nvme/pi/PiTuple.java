package io.github.jring.nvme.pi;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Reads and writes one protection information tuple in metadata memory (a separate metadata buffer, or the metadata
 * after each block's data in an extended-LBA buffer). Unlike the rest of NVMe's data structures the tuple is big
 * endian, as in T10 DIF:
 *
 * <pre>
 *   16b Guard (8 bytes):   0-1 Guard | 2-3 Application Tag | 4-7 Reference Tag
 *   64b Guard (16 bytes):  0-7 Guard | 8-9 Application Tag | 10-15 Storage and Reference Tag (48 bits)
 *   32b Guard (16 bytes):  0-3 Guard | 4-5 Application Tag | 6-15 Storage and Reference Tag (80 bits)
 * </pre>
 * The Storage Tag takes the upper STS bits of the format's space and the Reference Tag the rest
 * ({@link #referenceSpace}, {@link #referenceSpaceHigh}). The 32b Guard's space is 80 bits: these helpers take it as
 * its low 64 bits (bytes 8-15) and its upper 16 (bytes 6-7, {@link #referenceHigh}). Allocation-free.
 */
public final class PiTuple {

    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private PiTuple() {
    }

    /**
     * Writes a tuple at {@code offset}.
     *
     * @param format    the tuple's format
     * @param metadata  the memory
     * @param offset    where the tuple starts
     * @param guard     the Guard (its low 16, 32 or 64 bits)
     * @param appTag    the Application Tag, 0 to FFFFh
     * @param reference the Storage and Reference Tag space (a 32-bit Reference Tag for the 16b Guard)
     */
    public static void put(GuardFormat format, MemorySegment metadata, long offset, long guard, int appTag,
                           long reference) {
        put(format, metadata, offset, guard, appTag, 0, reference);
    }

    /**
     * Writes a tuple at {@code offset}, with the upper 16 bits of the 32b Guard's 80-bit Storage and Reference Tag
     * space.
     *
     * @param format        the tuple's format
     * @param metadata      the memory
     * @param offset        where the tuple starts
     * @param guard         the Guard (its low 16, 32 or 64 bits)
     * @param appTag        the Application Tag, 0 to FFFFh
     * @param referenceHigh bits 79:64 of the 32b Guard's space (ignored by the other formats, which have none)
     * @param reference     the low 64 bits of the space (a 32-bit Reference Tag for the 16b Guard)
     */
    public static void put(GuardFormat format, MemorySegment metadata, long offset, long guard, int appTag,
                           int referenceHigh, long reference) {
        switch (format) {
            case GUARD_16 -> {
                metadata.set(U16, offset, (short) guard);
                metadata.set(U16, offset + 2, (short) appTag);
                metadata.set(U32, offset + 4, (int) reference);
            }
            case GUARD_64 -> {
                metadata.set(U64, offset, guard);
                metadata.set(U16, offset + 8, (short) appTag);
                metadata.set(U16, offset + 10, (short) (reference >>> 32));
                metadata.set(U32, offset + 12, (int) reference);
            }
            case GUARD_32 -> {
                metadata.set(U32, offset, (int) guard);
                metadata.set(U16, offset + 4, (short) appTag);
                metadata.set(U16, offset + 6, (short) referenceHigh);
                metadata.set(U64, offset + 8, reference);
            }
        }
    }

    /**
     * The Guard of the tuple at {@code offset}.
     *
     * @param format   the tuple's format
     * @param metadata the memory
     * @param offset   where the tuple starts
     * @return the Guard, unsigned in the low 16, 32 or 64 bits
     */
    public static long guard(GuardFormat format, MemorySegment metadata, long offset) {
        return switch (format) {
            case GUARD_16 -> Short.toUnsignedLong(metadata.get(U16, offset));
            case GUARD_32 -> Integer.toUnsignedLong(metadata.get(U32, offset));
            case GUARD_64 -> metadata.get(U64, offset);
        };
    }

    /**
     * The Application Tag of the tuple at {@code offset}.
     *
     * @param format   the tuple's format
     * @param metadata the memory
     * @param offset   where the tuple starts
     * @return 0 to FFFFh
     */
    public static int applicationTag(GuardFormat format, MemorySegment metadata, long offset) {
        return Short.toUnsignedInt(metadata.get(U16, offset + format.guardSize()));
    }

    /**
     * The Storage and Reference Tag space of the tuple at {@code offset}: the 32-bit Reference Tag for the 16b Guard,
     * the 48-bit space for the 64b Guard, the low 64 bits of the 80-bit space for the 32b Guard.
     *
     * @param format   the tuple's format
     * @param metadata the memory
     * @param offset   where the tuple starts
     * @return the value, unsigned
     */
    public static long reference(GuardFormat format, MemorySegment metadata, long offset) {
        return switch (format) {
            case GUARD_16 -> Integer.toUnsignedLong(metadata.get(U32, offset + 4));
            case GUARD_64 -> (Short.toUnsignedLong(metadata.get(U16, offset + 10)) << 32)
                    | Integer.toUnsignedLong(metadata.get(U32, offset + 12));
            case GUARD_32 -> metadata.get(U64, offset + 8);
        };
    }

    /**
     * The upper 16 bits (79:64) of the 32b Guard's Storage and Reference Tag space, bytes 6-7 of its tuple.
     *
     * @param format   the tuple's format
     * @param metadata the memory
     * @param offset   where the tuple starts
     * @return 0 to FFFFh; 0 for the other formats, whose spaces fit 64 bits
     */
    public static int referenceHigh(GuardFormat format, MemorySegment metadata, long offset) {
        return format == GuardFormat.GUARD_32 ? Short.toUnsignedInt(metadata.get(U16, offset + 6)) : 0;
    }

    /**
     * Combines a Storage Tag and a Reference Tag into the space they share, its low 64 bits: the Storage Tag in the
     * upper {@code storageTagBits} bits of the format's space (32, 48 or 80 bits), the Reference Tag in the rest. The
     * same value goes in a tuple's reference field, in a command's Logical Block Tags (CDW14, then CDW3, then CDW2
     * bits 15:00 for the 32b Guard's upper bits) and in a Copy Source Range entry's Expected Logical Block Tags.
     *
     * <p>The sizes the NVM Command Set allows (Extended LBA Format STS): 0 to 32 for the 16b Guard, 16 to 64 for the
     * 32b Guard (whose Reference Tag is then 64 to 16 bits), 0 to 48 for the 64b Guard.
     *
     * @param format         the tuple's format
     * @param storageTagBits STS, the Storage Tag's size in bits (0 when the format has none)
     * @param storageTag     the Storage Tag
     * @param referenceTag   the Reference Tag
     * @return bits 63:0 of the space
     * @throws IllegalArgumentException if STS is outside the format's range or either tag does not fit its bits
     */
    public static long referenceSpace(GuardFormat format, int storageTagBits, long storageTag, long referenceTag) {
        int refBits = checkTags(format, storageTagBits, storageTag, referenceTag);
        if (refBits >= 64 || storageTagBits == 0) {
            return referenceTag; // for the 32b Guard with a 16-bit Storage Tag, the tag is all in the upper bits
        }
        return (storageTag << refBits) | referenceTag;
    }

    /**
     * Bits 79:64 of the space {@link #referenceSpace} combines: the upper bits of the 32b Guard's Storage Tag.
     *
     * @param format         the tuple's format
     * @param storageTagBits STS
     * @param storageTag     the Storage Tag
     * @param referenceTag   the Reference Tag
     * @return 0 to FFFFh; 0 for the 16b and 64b Guards
     * @throws IllegalArgumentException as {@link #referenceSpace} does
     */
    public static int referenceSpaceHigh(GuardFormat format, int storageTagBits, long storageTag, long referenceTag) {
        checkTags(format, storageTagBits, storageTag, referenceTag);
        return format == GuardFormat.GUARD_32 ? (int) (storageTag >>> (storageTagBits - 16)) & 0xFFFF : 0;
    }

    /**
     * Checks STS and both tags against {@code format}.
     *
     * @return the Reference Tag's bits
     */
    static int checkTags(GuardFormat format, int storageTagBits, long storageTag, long referenceTag) {
        int space = format.referenceSpaceBits();
        int min = format == GuardFormat.GUARD_32 ? 16 : 0;
        int max = format == GuardFormat.GUARD_32 ? 64 : space;
        if (storageTagBits < min || storageTagBits > max) {
            throw new IllegalArgumentException("a " + format + " tuple's Storage Tag is " + min + " to " + max
                    + " bits, not " + storageTagBits);
        }
        int refBits = space - storageTagBits;
        if (refBits < 64 && (referenceTag >>> refBits) != 0) {
            throw new IllegalArgumentException("Reference Tag 0x" + Long.toHexString(referenceTag) + " does not fit "
                    + refBits + " bits");
        }
        if (storageTagBits < 64 && (storageTag >>> storageTagBits) != 0) {
            throw new IllegalArgumentException("Storage Tag 0x" + Long.toHexString(storageTag) + " does not fit "
                    + storageTagBits + " bits");
        }
        return refBits;
    }
}
