package io.github.jring.nvme.pi;

import java.lang.foreign.MemorySegment;

/**
 * The 32-bit Guard of protection information: CRC-32C (Castagnoli, polynomial 1EDC6F41h, reflected input and output,
 * initial value and final XOR all ones), which the NVM Command Set specification defines for the 32b Guard format.
 * It is the CRC that {@link java.util.zip.CRC32C} computes (same polynomial, initial value and final XOR; the tests
 * check the two against each other), with the check value E3069283h over the ASCII bytes {@code 123456789}; the
 * specification's own test cases (4 KiB of 00h, of FFh, incrementing and decrementing bytes) are in the tests too.
 *
 * <p>Computed here rather than by {@code java.util.zip.CRC32C} because that class reads arrays and byte buffers: a
 * native segment would need a new {@code ByteBuffer} view per block, and a CRC object per thread, where this reads
 * the segment directly. Table-driven (the reflected polynomial, one lookup per byte, the bytes read eight at a time)
 * and allocation-free.
 */
public final class Crc32c {

    /** The generator polynomial in the specification's (most significant bit first) form. */
    public static final int POLYNOMIAL = 0x1EDC6F41;
    /** {@link #POLYNOMIAL} bit-reversed: the form a reflected CRC shifts with. */
    public static final int REFLECTED_POLYNOMIAL = Integer.reverse(POLYNOMIAL);

    private static final ReflectedCrc CRC = new ReflectedCrc(Integer.toUnsignedLong(REFLECTED_POLYNOMIAL), 32);

    private Crc32c() {
    }

    /**
     * The CRC of {@code length} bytes of {@code data} from {@code offset}.
     *
     * @param data   the bytes
     * @param offset where they start
     * @param length how many
     * @return the CRC
     */
    public static int compute(MemorySegment data, long offset, long length) {
        return update(0, data, offset, length);
    }

    /**
     * Continues a CRC over more bytes: {@code update(compute(a), b)} is the CRC of {@code a} followed by {@code b}
     * (the final XOR is undone first and applied again at the end, as zlib's {@code crc32} chains).
     *
     * @param crc    the CRC so far (0 to start)
     * @param data   the bytes
     * @param offset where they start
     * @param length how many
     * @return the CRC
     */
    public static int update(int crc, MemorySegment data, long offset, long length) {
        return (int) CRC.update(Integer.toUnsignedLong(crc), data, offset, length);
    }
}
