package io.github.jring.nvme.data;

import io.github.jring.nvme.command.Identify;
import io.github.jring.nvme.internal.Decode;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import static io.github.jring.nvme.internal.Decode.u32;
import static io.github.jring.nvme.internal.Decode.u64;
import static io.github.jring.nvme.internal.Decode.u8;

/**
 * The NVM Command Set specific Identify Namespace data structure (CNS 05h, CSI 00h, 4096 bytes; NVM Command Set 1.0
 * and later): what the protection information of each LBA format looks like when the controller supports extended
 * LBA formats (Identify Controller CTRATT bit 15, enabled by the host through Host Behavior Support LBAFEE, which
 * Linux sets).
 *
 * <pre>
 *   bytes 7:0    LBSTM  Logical Block Storage Tag Mask
 *   byte  8      PIC    Protection Information Capabilities: bit 0 16b Guard PI Storage Tag Support, bit 1 Storage
 *                       Tag Check Read Support, bit 2 Qualified PIF Support
 *   bytes 267:12 ELBAF  Extended LBA Formats 0 to 63, 4 bytes each
 * </pre>
 *
 * @param lbstm      Logical Block Storage Tag Mask
 * @param pic        Protection Information Capabilities
 * @param extendedFormats the Extended LBA Formats, as many as {@code formats} asked for
 */
public record NvmIdentifyNamespace(long lbstm, int pic, List<ExtendedLbaFormat> extendedFormats) {

    /**
     * Decodes the structure.
     *
     * @param buf     the 4096-byte buffer Identify filled
     * @param formats how many LBA formats the namespace has (Identify Namespace NLBAF + 1), at most 64
     * @return the decoded structure
     */
    public static NvmIdentifyNamespace decode(MemorySegment buf, int formats) {
        Decode.requireSize(buf, Identify.DATA_SIZE, "NVM Command Set Identify Namespace");
        List<ExtendedLbaFormat> list = new ArrayList<>();
        for (int i = 0; i < Math.min(formats, 64); i++) {
            list.add(ExtendedLbaFormat.decode(i, u32(buf, 12 + 4L * i)));
        }
        return new NvmIdentifyNamespace(u64(buf, 0), u8(buf, 8), List.copyOf(list));
    }
}
