package io.github.jring.nvme.pi;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

/**
 * A reflected CRC of up to 64 bits with initial value and final XOR all ones, the shape of both Guard CRCs
 * ({@link Crc32c}, {@link Crc64Nvme}): table-driven (one lookup per byte, the bytes read eight at a time), computed in
 * a {@code long} whatever the width (a reflected CRC shifts right, so a narrower one never sets the bits above its
 * width), allocation-free.
 */
final class ReflectedCrc {
    private final long[] table = new long[256];
    private final long mask;

    /** @param reflectedPolynomial the polynomial bit-reversed within {@code width} bits */
    ReflectedCrc(long reflectedPolynomial, int width) {
        this.mask = width == 64 ? -1L : (1L << width) - 1;
        for (int i = 0; i < 256; i++) {
            long crc = i;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ reflectedPolynomial : crc >>> 1;
            }
            table[i] = crc;
        }
    }

    /** Continues {@code crc} (0 to start) over {@code length} bytes of {@code data} from {@code offset}. */
    long update(long crc, MemorySegment data, long offset, long length) {
        long[] t = table;
        long c = ~crc & mask;
        long end = offset + length;
        long i = offset;
        for (; i + 8 <= end; i += 8) {
            long w = data.get(JAVA_LONG_UNALIGNED, i);
            if (ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN) {
                w = Long.reverseBytes(w); // the first byte in the lowest position, the order a reflected CRC takes
            }
            for (int shift = 0; shift < 64; shift += 8) {
                c = t[(int) (c ^ (w >>> shift)) & 0xFF] ^ (c >>> 8);
            }
        }
        for (; i < end; i++) {
            c = t[(int) (c ^ data.get(JAVA_BYTE, i)) & 0xFF] ^ (c >>> 8);
        }
        return ~c & mask;
    }
}
