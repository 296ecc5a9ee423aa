package io.github.jring.nvme.data;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * One Zone Descriptor of a Report Zones (64 bytes): byte 0 bits 3:0 Zone Type (2h: Sequential Write Required), byte
 * 1 bits 7:4 Zone State, byte 2 Zone Attributes, bytes 15:8 Zone Capacity, 23:16 Zone Start LBA, 31:24 Write
 * Pointer.
 *
 * @param type        Zone Type (2: sequential write required, the only type ZNS 1.0 defines)
 * @param state       Zone State
 * @param attributes  Zone Attributes (bit 0 ZFC finished by controller, bit 1 FZR finish recommended, bit 2 RZR reset
 *                    recommended, bit 7 ZDEV zone descriptor extension valid)
 * @param capacity    Zone Capacity, in logical blocks: how many can be written (may be less than the zone size)
 * @param zslba       Zone Start LBA
 * @param writePointer Write Pointer: the next LBA a write must start at (undefined when Full, Read Only or Offline)
 */
public record ZoneDescriptor(int type, ZoneState state, int attributes, long capacity, long zslba,
                             long writePointer) {

    /** Size of a Zone Descriptor. */
    public static final int SIZE = 64;
    /** Zone Type 2h, Sequential Write Required. */
    public static final int TYPE_SEQUENTIAL_WRITE_REQUIRED = 0x2;

    /**
     * Decodes the descriptor at {@code offset}.
     *
     * @param buf    a report buffer
     * @param offset the descriptor's offset
     * @return the descriptor
     */
    public static ZoneDescriptor decode(MemorySegment buf, long offset) {
        int zt = buf.get(JAVA_BYTE, offset) & 0xF;
        int zs = (buf.get(JAVA_BYTE, offset + 1) >>> 4) & 0xF;
        int za = buf.get(JAVA_BYTE, offset + 2) & 0xFF;
        return new ZoneDescriptor(zt, ZoneState.of(zs), za, buf.get(JAVA_LONG, offset + 8),
                buf.get(JAVA_LONG, offset + 16), buf.get(JAVA_LONG, offset + 24));
    }

    /**
     * Blocks written so far (write pointer minus zone start) for zones with a valid write pointer.
     *
     * @return blocks, or the capacity for a Full zone
     */
    public long written() {
        return switch (state) {
            case FULL -> capacity;
            case READ_ONLY, OFFLINE -> 0;
            default -> writePointer - zslba;
        };
    }
}
