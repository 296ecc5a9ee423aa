package io.github.jring.nvme.command;

import io.github.jring.nvme.data.ZoneReport;
import java.lang.foreign.MemorySegment;

/**
 * Zone Management Receive (Zoned Namespace Command Set, opcode 7Ah) with Zone Receive Action Report Zones: returns a
 * 64-byte header (the number of zones matched) followed by 64-byte Zone Descriptors for the zones from the one
 * containing SLBA onwards, as many as fit the buffer. Decode it with {@link ZoneReport#decode(MemorySegment, int)}.
 *
 * <pre>
 *   CDW10-11  SLBA  the report starts at the zone containing it
 *   CDW12     NUMD  number of dwords to transfer (0-based); set from the buffer's size
 *   CDW13     bits 7:0  ZRA  00h Report Zones, 01h Extended Report Zones
 *             bits 15:8 ZRAS Reporting Options: which zones ({@link ZoneReportFilter})
 *             bit 16    Partial Report: the header counts only the zones returned, not all that matched
 * </pre>
 */
public final class ZoneManagementReceive extends NvmeCommand<ZoneManagementReceive> {

    /** Opcode 7Ah. */
    public static final int OPCODE = 0x7A;

    /**
     * A Report Zones from the zone containing {@code slba}, into {@code buffer} (whose size, a multiple of 4 bytes,
     * sets NUMD; 64 bytes of header plus 64 per zone).
     *
     * @param nsid   the zoned namespace
     * @param slba   an LBA in the first zone to report
     * @param buffer native memory
     */
    public ZoneManagementReceive(int nsid, long slba, MemorySegment buffer) {
        super(false, OPCODE, nsid);
        slba(slba);
        data(buffer);
    }

    /**
     * Sets the start LBA (CDW10-11).
     *
     * @param slba an LBA in the first zone to report
     * @return this command
     */
    public ZoneManagementReceive slba(long slba) {
        if (slba < 0) {
            throw new IllegalArgumentException("SLBA must be >= 0: " + slba);
        }
        cdw10 = (int) slba;
        cdw11 = (int) (slba >>> 32);
        return this;
    }

    /**
     * The start LBA.
     *
     * @return the LBA
     */
    public long slba() {
        return Integer.toUnsignedLong(cdw10) | ((long) cdw11 << 32);
    }

    /**
     * Reporting Options (CDW13 bits 15:8): which zones to list.
     *
     * @param filter the filter
     * @return this command
     */
    public ZoneManagementReceive filter(ZoneReportFilter filter) {
        cdw13 = field(cdw13, 8, 8, filter.code(), "ZRAS");
        return this;
    }

    /**
     * Partial Report (CDW13 bit 16): the header's zone count is that of the descriptors returned rather than of all
     * zones that match.
     *
     * @param on whether to set it
     * @return this command
     */
    public ZoneManagementReceive partial(boolean on) {
        cdw13 = bit(cdw13, 16, on);
        return this;
    }

    /**
     * Extended Report Zones (ZRA 01h): each descriptor is followed by the zone's descriptor extension (Identify ZNS
     * Namespace LBAFE ZDES times 64 bytes). Only when the namespace has zone descriptor extensions.
     *
     * @param on whether to ask for it
     * @return this command
     */
    public ZoneManagementReceive extended(boolean on) {
        cdw13 = field(cdw13, 0, 8, on ? 1 : 0, "ZRA");
        return this;
    }

    @Override
    void dataChanged() {
        long bytes = dataBytes();
        if (bytes == 0) {
            cdw12 = 0;
            return;
        }
        if (bytes % 4 != 0 || bytes < 64) {
            throw new IllegalArgumentException("a zone report buffer must be a multiple of 4 bytes and at least 64 (the"
                    + " header): " + bytes);
        }
        cdw12 = (int) (bytes / 4 - 1);
    }

    @Override
    public long requiredDataLength(int lbaDataSize) {
        return (Integer.toUnsignedLong(cdw12) + 1) * 4;
    }

    @Override
    public String describe() {
        return "Zone Management Receive (nsid " + Integer.toUnsignedString(nsid) + ", from " + hex(slba()) + ")";
    }

    @Override
    public String name() {
        return "Zone Management Receive";
    }
}
