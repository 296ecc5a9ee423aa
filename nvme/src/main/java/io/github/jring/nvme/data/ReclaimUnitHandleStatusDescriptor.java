package io.github.jring.nvme.data;

/**
 * One 32-byte Reclaim Unit Handle Status Descriptor (I/O Management Receive, Reclaim Unit Handle Status), decoded.
 *
 * <pre>
 *   bytes 1:0    PID     placement identifier
 *   bytes 3:2    RUHID   reclaim unit handle identifier
 *   bytes 7:4    EARUTR  estimated active reclaim unit time remaining, seconds (0: not reported)
 *   bytes 15:8   RUAMW   reclaim unit available media writes, in logical blocks
 * </pre>
 *
 * @param placementId                PID
 * @param reclaimUnitHandle          RUHID
 * @param estimatedTimeRemaining     EARUTR, seconds
 * @param availableMediaWrites       RUAMW: logical blocks the reclaim unit the handle references can still take
 */
public record ReclaimUnitHandleStatusDescriptor(int placementId, int reclaimUnitHandle, long estimatedTimeRemaining,
                                                long availableMediaWrites) {

    /** Size of a descriptor. */
    public static final int SIZE = 32;
}
