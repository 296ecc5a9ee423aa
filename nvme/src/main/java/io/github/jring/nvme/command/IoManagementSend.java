package io.github.jring.nvme.command;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

/**
 * I/O Management Send (NVM Command Set, I/O opcode 1Dh), Management Operation 01h Reclaim Unit Handle Update: for each
 * placement identifier listed, the controller makes its reclaim unit handle reference a new, empty reclaim unit (the
 * next writes through that handle start a fresh unit).
 *
 * <pre>
 *   CDW10     bits 7:0   MO    Management Operation (01h Reclaim Unit Handle Update)
 *             bits 31:16 MOS   for MO 01h: number of placement identifiers in the data (0-based)
 *   data      the placement identifiers, 16 bits each (little-endian)
 * </pre>
 * A placement identifier the namespace does not have: {@code INVALID_FIELD} from the device; {@link #update} refuses
 * an empty list or more than 65536 identifiers before.
 */
public final class IoManagementSend extends NvmeCommand<IoManagementSend> {

    /** Opcode 1Dh. */
    public static final int OPCODE = 0x1D;
    /** Management Operation 01h: Reclaim Unit Handle Update. */
    public static final int MO_RECLAIM_UNIT_HANDLE_UPDATE = 0x01;

    /**
     * An I/O Management Send with management operation {@code mo} and management-operation-specific {@code mos}.
     *
     * @param nsid the namespace
     * @param mo   the management operation
     * @param mos  CDW10 bits 31:16
     */
    public IoManagementSend(int nsid, int mo, int mos) {
        super(false, OPCODE, nsid);
        cdw10 = field(field(0, 0, 8, mo, "MO"), 16, 16, mos, "MOS");
    }

    /**
     * Reclaim Unit Handle Update for {@code placementIds}, written into {@code buffer} (2 bytes each, padded to a
     * multiple of 4 bytes; the buffer must hold them).
     *
     * @param nsid         the FDP namespace
     * @param buffer       native memory, at least 2 x the identifiers (rounded up to 4) bytes
     * @param placementIds the placement identifiers ({@link PlacementIds})
     * @return the command
     */
    public static IoManagementSend update(int nsid, MemorySegment buffer, int... placementIds) {
        if (placementIds.length == 0 || placementIds.length > 65536) {
            throw new IllegalArgumentException("Reclaim Unit Handle Update takes 1 to 65536 placement identifiers: "
                    + placementIds.length);
        }
        long bytes = (placementIds.length * 2L + 3) & ~3L;
        if (buffer.byteSize() < bytes) {
            throw new IllegalArgumentException(placementIds.length + " placement identifiers need " + bytes
                    + " bytes; the buffer has " + buffer.byteSize());
        }
        buffer.asSlice(0, bytes).fill((byte) 0);
        for (int i = 0; i < placementIds.length; i++) {
            int pid = placementIds[i];
            if (pid < 0 || pid > 0xFFFF) {
                throw new IllegalArgumentException("a placement identifier is 16 bits: " + pid);
            }
            buffer.set(JAVA_SHORT_UNALIGNED, 2L * i, (short) pid);
        }
        return new IoManagementSend(nsid, MO_RECLAIM_UNIT_HANDLE_UPDATE, placementIds.length - 1)
                .data(buffer, 0, (int) bytes);
    }

    /**
     * The Management Operation.
     *
     * @return MO
     */
    public int managementOperation() {
        return cdw10 & 0xFF;
    }

    /**
     * The Management Operation Specific field.
     *
     * @return MOS
     */
    public int managementOperationSpecific() {
        return cdw10 >>> 16;
    }

    @Override
    public long requiredDataLength(int lbaDataSize) {
        return dataBytes();
    }

    @Override
    public boolean writesMedium() {
        return false;
    }

    @Override
    public String describe() {
        return "I/O Management Send (nsid " + Integer.toUnsignedString(nsid) + ", MO "
                + String.format("%02Xh", managementOperation()) + ", MOS " + managementOperationSpecific() + ")";
    }

    @Override
    public String name() {
        return "I/O Management Send";
    }
}
