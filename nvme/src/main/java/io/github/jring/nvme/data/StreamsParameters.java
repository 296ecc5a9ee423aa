package io.github.jring.nvme.data;

import io.github.jring.nvme.internal.Decode;

import java.lang.foreign.MemorySegment;

import static io.github.jring.nvme.internal.Decode.u16;
import static io.github.jring.nvme.internal.Decode.u32;
import static io.github.jring.nvme.internal.Decode.u8;

/**
 * The Streams directive's Return Parameters (Directive Receive, DTYPE 01h, DOPER 01h; 32 bytes), decoded.
 *
 * <pre>
 *   bytes 1:0    MSL   max streams limit
 *   bytes 3:2    NSSA  NVM subsystem streams available
 *   bytes 5:4    NSSO  NVM subsystem streams open
 *   byte  6      NSSC  bit 0: NVM subsystem stream capability
 *   bytes 19:16  SWS   stream write size, logical blocks
 *   bytes 21:20  SGS   stream granularity size, in SWS units
 *   bytes 23:22  NSA   namespace streams allocated
 *   bytes 25:24  NSO   namespace streams open
 * </pre>
 *
 * @param maxStreamsLimit     MSL
 * @param subsystemAvailable  NSSA
 * @param subsystemOpen       NSSO
 * @param subsystemCapability NSSC
 * @param writeSize           SWS, logical blocks
 * @param granularity         SGS, SWS units
 * @param allocated           NSA
 * @param open                NSO
 */
public record StreamsParameters(int maxStreamsLimit, int subsystemAvailable, int subsystemOpen,
                                int subsystemCapability, long writeSize, int granularity, int allocated, int open) {

    /** Size of the structure. */
    public static final int SIZE = 32;

    /**
     * Decodes the structure.
     *
     * @param buf at least 32 bytes
     * @return the decoded structure
     */
    public static StreamsParameters decode(MemorySegment buf) {
        Decode.requireSize(buf, SIZE, "Streams directive parameters");
        return new StreamsParameters(u16(buf, 0), u16(buf, 2), u16(buf, 4), u8(buf, 6),
                Integer.toUnsignedLong(u32(buf, 16)), u16(buf, 20), u16(buf, 22), u16(buf, 24));
    }
}
