package io.github.jring.nvme.data;

import io.github.jring.nvme.internal.Decode;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import static io.github.jring.nvme.internal.Decode.u16;
import static io.github.jring.nvme.internal.Decode.u8;

/**
 * The Reclaim Unit Handle Usage log page (LID 21h) of an endurance group, decoded: who uses each reclaim unit handle.
 *
 * <pre>
 *   bytes 1:0   NRUH  number of reclaim unit handles
 *   bytes 7:2   reserved; then one 8-byte descriptor per handle: byte 0 RUHA (reclaim unit handle attributes)
 * </pre>
 *
 * @param attributes RUHA of each reclaim unit handle, index = reclaim unit handle identifier:
 *                   {@link #UNUSED}, {@link #HOST_SPECIFIED} or {@link #CONTROLLER_SPECIFIED}
 */
public record ReclaimUnitHandleUsage(List<Integer> attributes) {

    /** RUHA 0: the handle is not used by any namespace. */
    public static final int UNUSED = 0;
    /** RUHA 1: host specified, a namespace's placement handle references it. */
    public static final int HOST_SPECIFIED = 1;
    /** RUHA 2: controller specified (the controller writes through it when the host gives no placement). */
    public static final int CONTROLLER_SPECIFIED = 2;

    /**
     * Decodes the log page: as many descriptors as NRUH says and the buffer holds.
     *
     * @param buf at least the 8-byte header
     * @return the decoded page
     */
    public static ReclaimUnitHandleUsage decode(MemorySegment buf) {
        Decode.requireSize(buf, 8, "Reclaim Unit Handle Usage log");
        int n = u16(buf, 0);
        List<Integer> ruha = new ArrayList<>(n);
        for (int i = 0; i < n && 8 + 8L * i + 8 <= buf.byteSize(); i++) {
            ruha.add(u8(buf, 8 + 8L * i));
        }
        return new ReclaimUnitHandleUsage(List.copyOf(ruha));
    }
}
