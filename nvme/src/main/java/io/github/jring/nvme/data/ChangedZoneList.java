package io.github.jring.nvme.data;

import io.github.jring.nvme.internal.Decode;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import static io.github.jring.nvme.internal.Decode.u16;
import static io.github.jring.nvme.internal.Decode.u64;

/**
 * The Changed Zone List log page (LID BFh, Zoned Namespace Command Set, 4096 bytes): zones whose Zone Descriptor the
 * controller changed on its own (Zone Descriptor Changed asynchronous event).
 *
 * @param overflow whether more than 511 zones changed (Number of Zone Identifiers {@code FFFFh}): re-read all zones
 * @param zoneIds  the start LBAs of the changed zones
 */
public record ChangedZoneList(boolean overflow, List<Long> zoneIds) {

    /** Size of the log page. */
    public static final int SIZE = 4096;

    /**
     * Decodes the log page: bytes 1:0 Number of Zone Identifiers, then from byte 8 8-byte zone identifiers.
     *
     * @param buf at least 4096 bytes
     * @return the decoded page
     */
    public static ChangedZoneList decode(MemorySegment buf) {
        Decode.requireSize(buf, SIZE, "Changed Zone List log");
        int n = u16(buf, 0);
        if (n == 0xFFFF) {
            return new ChangedZoneList(true, List.of());
        }
        List<Long> ids = new ArrayList<>(n);
        for (int i = 0; i < Math.min(n, 511); i++) {
            ids.add(u64(buf, 8 + 8L * i));
        }
        return new ChangedZoneList(false, List.copyOf(ids));
    }
}
