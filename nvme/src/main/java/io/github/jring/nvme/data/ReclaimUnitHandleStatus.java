package io.github.jring.nvme.data;

import io.github.jring.nvme.internal.Decode;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import static io.github.jring.nvme.internal.Decode.u16;
import static io.github.jring.nvme.internal.Decode.u32;
import static io.github.jring.nvme.internal.Decode.u64;

/**
 * Reclaim Unit Handle Status (I/O Management Receive, Management Operation 01h) of a Flexible Data Placement
 * namespace, decoded: bytes 15:14 NRUHSD (the number of descriptors), then 32-byte
 * {@link ReclaimUnitHandleStatusDescriptor}s from byte 16, one per placement handle, in placement handle order.
 *
 * @param count       NRUHSD: the namespace's placement handles
 * @param descriptors the descriptors the buffer holds (at most {@code count}); index = placement handle
 */
public record ReclaimUnitHandleStatus(int count, List<ReclaimUnitHandleStatusDescriptor> descriptors) {

    /** Size of the header. */
    public static final int HEADER_SIZE = 16;

    /**
     * Decodes the structure.
     *
     * @param buf at least the 16-byte header
     * @return the decoded structure
     */
    public static ReclaimUnitHandleStatus decode(MemorySegment buf) {
        Decode.requireSize(buf, HEADER_SIZE, "Reclaim Unit Handle Status");
        int n = u16(buf, 14);
        List<ReclaimUnitHandleStatusDescriptor> d = new ArrayList<>(n);
        for (int i = 0; i < n && HEADER_SIZE + (long) ReclaimUnitHandleStatusDescriptor.SIZE * (i + 1)
                <= buf.byteSize(); i++) {
            long off = HEADER_SIZE + (long) ReclaimUnitHandleStatusDescriptor.SIZE * i;
            d.add(new ReclaimUnitHandleStatusDescriptor(u16(buf, off), u16(buf, off + 2),
                    Integer.toUnsignedLong(u32(buf, off + 4)), u64(buf, off + 8)));
        }
        return new ReclaimUnitHandleStatus(n, List.copyOf(d));
    }
}
