package io.github.jring.nvme.pi;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

/**
 * The 16-bit Guard of protection information: CRC-16/T10-DIF (polynomial 8BB7h, initial value 0, not reflected, no
 * final XOR), the CRC of the T10 End-to-end Data Protection proposal that the NVM Command Set specification adopts for
 * the 16b Guard format. Its check value over the ASCII bytes {@code 123456789} is D0DBh.
 *
 * <p>Table-driven, one table lookup per byte (the bytes read eight at a time), and allocation-free: it reads native or
 * heap segments directly.
 */
public final class Crc16T10Dif {

    /** The generator polynomial, x^16 + x^15 + x^11 + x^9 + x^8 + x^7 + x^5 + x^4 + x^2 + x + 1. */
    public static final int POLYNOMIAL = 0x8BB7;

    private static final int[] TABLE = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int crc = i << 8;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ POLYNOMIAL : crc << 1;
            }
            TABLE[i] = crc & 0xFFFF;
        }
    }

    private Crc16T10Dif() {
    }

    /**
     * The CRC of {@code length} bytes of {@code data} from {@code offset}.
     *
     * @param data   the bytes
     * @param offset where they start
     * @param length how many
     * @return the CRC, 0 to FFFFh
     */
    public static int compute(MemorySegment data, long offset, long length) {
        return update(0, data, offset, length);
    }

    /**
     * Continues a CRC over more bytes: {@code update(compute(a), b)} is the CRC of {@code a} followed by {@code b}
     * (how the Guard covers a block's data and then the metadata bytes before a protection information tuple that
     * sits at the end of the metadata).
     *
     * @param crc    the CRC so far (0 to start)
     * @param data   the bytes
     * @param offset where they start
     * @param length how many
     * @return the CRC, 0 to FFFFh
     */
    public static int update(int crc, MemorySegment data, long offset, long length) {
        int c = crc & 0xFFFF;
        long end = offset + length;
        long i = offset;
        for (; i + 8 <= end; i += 8) {
            long w = data.get(JAVA_LONG_UNALIGNED, i);
            if (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
                w = Long.reverseBytes(w); // the first byte in the highest position, the order the CRC takes them
            }
            for (int shift = 56; shift >= 0; shift -= 8) {
                c = ((c << 8) ^ TABLE[((c >>> 8) ^ (int) (w >>> shift)) & 0xFF]) & 0xFFFF;
            }
        }
        for (; i < end; i++) {
            c = ((c << 8) ^ TABLE[((c >>> 8) ^ data.get(JAVA_BYTE, i)) & 0xFF]) & 0xFFFF;
        }
        return c;
    }
}
