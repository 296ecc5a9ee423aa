package io.github.jring.nvme.data;

import io.github.jring.nvme.command.Identify;
import io.github.jring.nvme.internal.Decode;
import java.lang.foreign.MemorySegment;

import static io.github.jring.nvme.internal.Decode.u8;

/**
 * The Zoned Namespace Command Set specific Identify Controller data structure (CNS 06h, CSI 02h), decoded.
 *
 * @param zasl Zone Append Size Limit (byte 0): the largest Zone Append as a power of two in units of the minimum
 *             memory page size; 0 means the controller's MDTS applies
 */
public record ZnsIdentifyController(int zasl) {

    /**
     * Decodes the structure.
     *
     * @param buf the 4096-byte buffer
     * @return the decoded structure
     */
    public static ZnsIdentifyController decode(MemorySegment buf) {
        Decode.requireSize(buf, Identify.DATA_SIZE, "ZNS Identify Controller");
        return new ZnsIdentifyController(u8(buf, 0));
    }

    /**
     * The largest Zone Append in bytes.
     *
     * @param minPageSize the controller's minimum memory page size (4096 on nearly all)
     * @param mdtsBytes   the controller's maximum data transfer size in bytes, used when ZASL is 0
     * @return bytes
     */
    public long maxAppendBytes(int minPageSize, long mdtsBytes) {
        return zasl == 0 ? mdtsBytes : (long) minPageSize << zasl;
    }
}
