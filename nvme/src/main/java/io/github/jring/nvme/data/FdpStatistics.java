package io.github.jring.nvme.data;

import io.github.jring.nvme.internal.Decode;

import java.lang.foreign.MemorySegment;
import java.math.BigInteger;

import static io.github.jring.nvme.internal.Decode.u64;

/**
 * The FDP Statistics log page (LID 22h, 64 bytes) of an endurance group, decoded: three 128-bit byte counters.
 *
 * @param hostBytesWritten  HBMW (bytes 15:0): bytes with metadata written by the host
 * @param mediaBytesWritten MBMW (bytes 31:16): bytes with metadata written to the media (host writes plus the
 *                          controller's own, e.g. garbage collection)
 * @param mediaBytesErased  MBE (bytes 47:32): bytes erased on the media
 */
public record FdpStatistics(BigInteger hostBytesWritten, BigInteger mediaBytesWritten, BigInteger mediaBytesErased) {

    /** Size of the log page. */
    public static final int SIZE = 64;

    /**
     * Decodes the log page.
     *
     * @param buf at least 64 bytes
     * @return the decoded page
     */
    public static FdpStatistics decode(MemorySegment buf) {
        Decode.requireSize(buf, SIZE, "FDP Statistics log");
        return new FdpStatistics(u128(buf, 0), u128(buf, 16), u128(buf, 32));
    }

    private static BigInteger u128(MemorySegment buf, long off) {
        BigInteger low = new BigInteger(Long.toUnsignedString(u64(buf, off)));
        long high = u64(buf, off + 8);
        return high == 0 ? low : new BigInteger(Long.toUnsignedString(high)).shiftLeft(64).or(low);
    }
}
