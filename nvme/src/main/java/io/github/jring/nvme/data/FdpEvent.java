package io.github.jring.nvme.data;

import io.github.jring.nvme.internal.Decode;

import java.lang.foreign.MemorySegment;

import static io.github.jring.nvme.internal.Decode.u16;
import static io.github.jring.nvme.internal.Decode.u32;
import static io.github.jring.nvme.internal.Decode.u64;
import static io.github.jring.nvme.internal.Decode.u8;

/**
 * One 64-byte FDP Event of the FDP Events log page (LID 23h), decoded.
 *
 * <pre>
 *   byte  0      TYPE   event type ({@link #RU_NOT_FULLY_WRITTEN} ...)
 *   byte  1      FDPEF  flags: bit 0 PIV (placement identifier valid), bit 1 NSIDV, bit 2 LV (location valid)
 *   bytes 3:2    PID    placement identifier
 *   bytes 11:4   TIMESTAMP (the Timestamp feature's format: bits 47:0 milliseconds)
 *   bytes 15:12  NSID
 *   bytes 31:16  event type specific (Media Reallocated: bytes 19:18 NLBAM, 27:20 LBA)
 *   bytes 33:32  RGID   reclaim group
 *   byte  34     RUHID  reclaim unit handle
 * </pre>
 *
 * @param type        TYPE
 * @param flags       FDPEF
 * @param placementId PID (meaningful when {@link #placementIdValid()})
 * @param timestamp   TIMESTAMP, bits 47:0 (milliseconds)
 * @param nsid        NSID (meaningful when {@link #nsidValid()})
 * @param reclaimGroup RGID (meaningful when {@link #locationValid()})
 * @param reclaimUnitHandle RUHID (meaningful when {@link #locationValid()})
 */
public record FdpEvent(int type, int flags, int placementId, long timestamp, int nsid, int reclaimGroup,
                       int reclaimUnitHandle) {

    /** Size of an event. */
    public static final int SIZE = 64;
    /** Host event 00h: Reclaim Unit Not Fully Written. */
    public static final int RU_NOT_FULLY_WRITTEN = 0x00;
    /** Host event 01h: Reclaim Unit Time Limit Exceeded. */
    public static final int RU_TIME_LIMIT_EXCEEDED = 0x01;
    /** Host event 02h: Controller Level Reset Modified Reclaim Unit Handles. */
    public static final int CONTROLLER_RESET_MODIFIED_RUHS = 0x02;
    /** Host event 03h: Invalid Placement Identifier. */
    public static final int INVALID_PLACEMENT_ID = 0x03;
    /** Controller event 80h: Media Reallocated. */
    public static final int MEDIA_REALLOCATED = 0x80;
    /** Controller event 81h: Implicitly Modified Reclaim Unit Handle. */
    public static final int IMPLICITLY_MODIFIED_RUH = 0x81;

    /**
     * Decodes the event at {@code off}.
     *
     * @param buf the log page
     * @param off the event's offset
     * @return the event
     */
    public static FdpEvent decode(MemorySegment buf, long off) {
        Decode.requireSize(buf, off + SIZE, "FDP event");
        return new FdpEvent(u8(buf, off), u8(buf, off + 1), u16(buf, off + 2), u64(buf, off + 4) & 0xFFFF_FFFF_FFFFL,
                u32(buf, off + 12), u16(buf, off + 32), u8(buf, off + 34));
    }

    /**
     * FDPEF bit 0.
     *
     * @return whether {@link #placementId()} is valid
     */
    public boolean placementIdValid() {
        return (flags & 1) != 0;
    }

    /**
     * FDPEF bit 1.
     *
     * @return whether {@link #nsid()} is valid
     */
    public boolean nsidValid() {
        return (flags & 2) != 0;
    }

    /**
     * FDPEF bit 2.
     *
     * @return whether {@link #reclaimGroup()} and {@link #reclaimUnitHandle()} are valid
     */
    public boolean locationValid() {
        return (flags & 4) != 0;
    }
}
