package io.github.jring.nvme.data;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * A decoded Report Zones data buffer: the header's Number of Zones (bytes 7:0) and the descriptors that follow from
 * byte 64.
 *
 * @param matchingZones the header's count: all zones that matched the filter, or with Partial Report only those
 *                      returned
 * @param zones         the descriptors in the buffer, at most what it could hold
 */
public record ZoneReport(long matchingZones, List<ZoneDescriptor> zones) {

    /** Size of the report header. */
    public static final int HEADER_SIZE = 64;

    /**
     * The buffer size that holds the header and {@code zones} descriptors.
     *
     * @param zones number of descriptors
     * @return bytes
     */
    public static long bufferSize(int zones) {
        return HEADER_SIZE + (long) zones * ZoneDescriptor.SIZE;
    }

    /**
     * Decodes a report buffer. The descriptors decoded are the smaller of the header's count and what the buffer
     * holds (zone descriptor extensions of an extended report are skipped by {@code extensionBytes}).
     *
     * @param buf            the buffer a Report Zones filled
     * @param extensionBytes bytes of descriptor extension after each descriptor (0 for a plain report)
     * @return the report
     */
    public static ZoneReport decode(MemorySegment buf, int extensionBytes) {
        long count = buf.get(JAVA_LONG, 0);
        long stride = ZoneDescriptor.SIZE + extensionBytes;
        long fit = (buf.byteSize() - HEADER_SIZE) / stride;
        long n = Math.min(count, fit);
        List<ZoneDescriptor> list = new ArrayList<>((int) n);
        for (long i = 0; i < n; i++) {
            list.add(ZoneDescriptor.decode(buf, HEADER_SIZE + i * stride));
        }
        return new ZoneReport(count, List.copyOf(list));
    }
}
