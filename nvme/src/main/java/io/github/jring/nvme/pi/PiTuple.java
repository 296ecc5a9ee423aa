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
 * For the 64b Guard the Storage Tag takes the upper STS bits of the 48-bit space and the Reference Tag the rest
 * ({@link #referenceSpace}). For the 32b Guard these helpers read and write the low 64 bits of its 80-bit space (the
 * two upper bytes written as zero). Allocation-free.
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
                metadata.set(U16, offset + 6, (short) 0);
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
     * Combines a Storage Tag and a Reference Tag into the space they share: the Storage Tag in the upper
     * {@code storageTagBits} bits of the format's space, the Reference Tag in the rest.
     *
     * @param format         the tuple's format ({@link GuardFormat#GUARD_16} has no Storage Tag)
     * @param storageTagBits STS, the Storage Tag's size in bits (0 when the format has none)
     * @param storageTag     the Storage Tag
     * @param referenceTag   the Reference Tag
     * @return the combined value
     * @throws IllegalArgumentException if either does not fit
     */
    public static long referenceSpace(GuardFormat format, int storageTagBits, long storageTag, long referenceTag) {
        int space = Math.min(format.referenceSpaceBits(), 64);
        if (storageTagBits < 0 || storageTagBits > space || (format == GuardFormat.GUARD_16 && storageTagBits != 0)) {
            throw new IllegalArgumentException("a " + format + " tuple has no " + storageTagBits + "-bit Storage Tag");
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
        return storageTagBits == 0 ? referenceTag : (storageTag << refBits) | referenceTag;
    }
}
