package io.github.jring.nvme.command;

import io.github.jring.nvme.data.ReclaimUnitHandleStatus;

import java.lang.foreign.MemorySegment;

/**
 * I/O Management Receive (NVM Command Set, I/O opcode 12h), Management Operation 01h Reclaim Unit Handle Status: for
 * each placement handle of a Flexible Data Placement namespace, the reclaim unit handle it maps to and how much the
 * reclaim unit it currently references can still take. Decode it with
 * {@link ReclaimUnitHandleStatus#decode(MemorySegment)}.
 *
 * <pre>
 *   CDW10     bits 7:0   MO    Management Operation (01h Reclaim Unit Handle Status)
 *             bits 31:16 MOS   Management Operation Specific (0 for MO 01h)
 *   CDW11     NUMD  number of dwords to transfer (0-based); set from the buffer's size
 * </pre>
 * On a namespace without FDP the controller answers {@code INVALID_FIELD}.
 */
public final class IoManagementReceive extends NvmeCommand<IoManagementReceive> {

    /** Opcode 12h. */
    public static final int OPCODE = 0x12;
    /** Management Operation 01h: Reclaim Unit Handle Status. */
    public static final int MO_RECLAIM_UNIT_HANDLE_STATUS = 0x01;

    /**
     * An I/O Management Receive with management operation {@code mo} into {@code buffer} (a multiple of 4 bytes).
     *
     * @param nsid   the namespace
     * @param mo     the management operation
     * @param buffer native memory; its size sets NUMD
     */
    public IoManagementReceive(int nsid, int mo, MemorySegment buffer) {
        super(false, OPCODE, nsid);
        cdw10 = field(0, 0, 8, mo, "MO");
        data(buffer);
    }

    /**
     * Reclaim Unit Handle Status (MO 01h): a 16-byte header and 32 bytes per placement handle.
     *
     * @param nsid   the FDP namespace
     * @param buffer at least 16 + 32 x the namespace's placement handles bytes
     * @return the command
     */
    public static IoManagementReceive reclaimUnitHandleStatus(int nsid, MemorySegment buffer) {
        return new IoManagementReceive(nsid, MO_RECLAIM_UNIT_HANDLE_STATUS, buffer);
    }

    /**
     * The Management Operation.
     *
     * @return MO
     */
    public int managementOperation() {
        return cdw10 & 0xFF;
    }

    @Override
    void dataChanged() {
        cdw11 = zeroBasedDwords(dataBytes(), "an I/O Management Receive");
    }

    @Override
    public long requiredDataLength(int lbaDataSize) {
        return dataBytes() == 0 ? 0 : (Integer.toUnsignedLong(cdw11) + 1) * 4;
    }

    @Override
    public boolean writesMedium() {
        return false;
    }

    @Override
    public String describe() {
        return "I/O Management Receive (nsid " + Integer.toUnsignedString(nsid) + ", MO "
                + String.format("%02Xh", managementOperation()) + ")";
    }

    @Override
    public String name() {
        return "I/O Management Receive";
    }
}
