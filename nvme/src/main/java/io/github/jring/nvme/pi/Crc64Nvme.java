package io.github.jring.nvme.pi;

import java.lang.foreign.MemorySegment;

/**
 * The 64-bit Guard of protection information: CRC-64/NVME (polynomial AD93D23594C93659h, reflected input and output,
 * initial value and final XOR all ones), defined by the NVM Command Set specification for the 64b Guard format (Linux
 * calls it CRC64-Rocksoft). Its check value over the ASCII bytes {@code 123456789} is AE8B14860A799888h; the
 * specification's own test cases (4 KiB of 00h, of FFh, incrementing and decrementing bytes) are in the tests.
 *
 * <p>Table-driven (the reflected polynomial, one lookup per byte, the bytes read eight at a time) and allocation-free.
 */
public final class Crc64Nvme {

    /** The generator polynomial in the specification's (most significant bit first) form. */
    public static final long POLYNOMIAL = 0xAD93D23594C93659L;
    /** {@link #POLYNOMIAL} bit-reversed: the form a reflected CRC shifts with. */
    public static final long REFLECTED_POLYNOMIAL = Long.reverse(POLYNOMIAL);

    private static final ReflectedCrc CRC = new ReflectedCrc(REFLECTED_POLYNOMIAL, 64);

    private Crc64Nvme() {
    }

    /**
     * The CRC of {@code length} bytes of {@code data} from {@code offset}.
     *
     * @param data   the bytes
     * @param offset where they start
     * @param length how many
     * @return the CRC
     */
    public static long compute(MemorySegment data, long offset, long length) {
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
    public static long update(long crc, MemorySegment data, long offset, long length) {
        return CRC.update(crc, data, offset, length);
    }
}
