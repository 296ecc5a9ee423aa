package io.github.jring.nvme.data;

import io.github.jring.nvme.command.Identify;
import io.github.jring.nvme.internal.Decode;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import static io.github.jring.nvme.internal.Decode.u16;
import static io.github.jring.nvme.internal.Decode.u32;
import static io.github.jring.nvme.internal.Decode.u64;
import static io.github.jring.nvme.internal.Decode.u8;

/**
 * The Zoned Namespace Command Set specific Identify Namespace data structure (CNS 05h, CSI 02h, 4096 bytes), decoded
 * (NVMe ZNS Command Set 1.1, "I/O Command Set Specific Identify Namespace Data Structure").
 *
 * @param zoc         Zone Operation Characteristics (1:0): bit 0 variable zone capacity, bit 1 zone active excursions
 * @param ozcs        Optional Zoned Command Support (3:2): bit 0 read across zone boundaries
 * @param mar         Maximum Active Resources, 0-based, {@code 0xFFFFFFFF} no limit (7:4)
 * @param mor         Maximum Open Resources, 0-based, {@code 0xFFFFFFFF} no limit (11:8)
 * @param rrl         Reset Recommended Limit, seconds (15:12)
 * @param frl         Finish Recommended Limit, seconds (19:16)
 * @param zoneFormats the LBA Format Extensions (2816 onwards, 16 bytes each): the zone size of each LBA format
 */
public record ZnsIdentifyNamespace(int zoc, int ozcs, int mar, int mor, int rrl, int frl,
                                   List<ZoneFormat> zoneFormats) {

    /**
     * One LBA Format Extension.
     *
     * @param zoneSize             ZSZE: the zone size in logical blocks
     * @param descriptorExtension  ZDES: zone descriptor extension size in units of 64 bytes
     */
    public record ZoneFormat(long zoneSize, int descriptorExtension) {
    }

    /**
     * Decodes the structure. {@code formats} is the namespace's number of LBA formats ({@link IdentifyNamespace#nlbaf()}
     * plus one), which this structure does not repeat.
     *
     * @param buf     the 4096-byte buffer
     * @param formats how many LBA Format Extensions to decode (1 to 64)
     * @return the decoded structure
     */
    public static ZnsIdentifyNamespace decode(MemorySegment buf, int formats) {
        Decode.requireSize(buf, Identify.DATA_SIZE, "ZNS Identify Namespace");
        if (formats < 1 || formats > 64) {
            throw new IllegalArgumentException("formats must be 1..64: " + formats);
        }
        List<ZoneFormat> list = new ArrayList<>();
        for (int i = 0; i < formats; i++) {
            long base = 2816 + 16L * i;
            list.add(new ZoneFormat(u64(buf, base), u8(buf, base + 8)));
        }
        return new ZnsIdentifyNamespace(u16(buf, 0), u16(buf, 2), u32(buf, 4), u32(buf, 8), u32(buf, 12),
                u32(buf, 16), List.copyOf(list));
    }

    /**
     * The zone size in logical blocks for an LBA format.
     *
     * @param formatIndex the namespace's format ({@link IdentifyNamespace#activeFormatIndex()})
     * @return blocks per zone
     */
    public long zoneSize(int formatIndex) {
        return zoneFormats.get(formatIndex).zoneSize();
    }

    /**
     * The maximum number of active zones.
     *
     * @return the limit, or -1 when there is none
     */
    public long maxActiveZones() {
        return mar == -1 ? -1 : Integer.toUnsignedLong(mar) + 1;
    }

    /**
     * The maximum number of open zones.
     *
     * @return the limit, or -1 when there is none
     */
    public long maxOpenZones() {
        return mor == -1 ? -1 : Integer.toUnsignedLong(mor) + 1;
    }

    /**
     * Whether zone capacity may differ between zones (ZOC bit 0).
     *
     * @return the bit
     */
    public boolean variableZoneCapacity() {
        return (zoc & 1) != 0;
    }
}
