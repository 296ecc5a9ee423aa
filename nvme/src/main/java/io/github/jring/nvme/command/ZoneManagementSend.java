package io.github.jring.nvme.command;

import io.github.jring.nvme.NvmeNamespace;
import io.github.jring.nvme.status.NvmeStatusCode;

/**
 * Zone Management Send (Zoned Namespace Command Set, opcode 79h): performs a {@link ZoneAction} on the zone that
 * starts at SLBA, or with Select All on every zone in a state the action applies to (for example Reset on all Closed,
 * Opened and Full zones). No data for these actions.
 *
 * <pre>
 *   CDW10-11  SLBA  the zone's start LBA (ignored with Select All)
 *   CDW13     bits 7:0 ZSA zone send action, bit 8 Select All
 * </pre>
 * Errors: {@link NvmeStatusCode#INVALID_ZONE_STATE_TRANSITION} when the action does not apply to the zone's state,
 * {@link NvmeStatusCode#INVALID_FIELD} when SLBA is not a zone start, {@link NvmeStatusCode#TOO_MANY_OPEN_ZONES} /
 * {@link NvmeStatusCode#TOO_MANY_ACTIVE_ZONES} when Open would exceed the limits.
 * <p>Read-only handles ({@link NvmeNamespace#openReadOnly}) refuse it before the device sees it: every action changes a zone's state or its descriptor extension (reset also its contents).
 */
public final class ZoneManagementSend extends NvmeCommand<ZoneManagementSend> {

    /** Opcode 79h. */
    public static final int OPCODE = 0x79;

    /**
     * Action {@code action} on the zone starting at {@code zslba}.
     *
     * @param nsid   the zoned namespace
     * @param zslba  the zone's start LBA
     * @param action what to do
     */
    public ZoneManagementSend(int nsid, long zslba, ZoneAction action) {
        super(false, OPCODE, nsid);
        if (zslba < 0) {
            throw new IllegalArgumentException("zone start LBA must be >= 0: " + zslba);
        }
        cdw10 = (int) zslba;
        cdw11 = (int) (zslba >>> 32);
        cdw13 = action.code();
    }

    /**
     * Select All (CDW13 bit 8): apply the action to all zones it applies to; SLBA is ignored.
     *
     * @param on whether to set it
     * @return this command
     */
    public ZoneManagementSend allZones(boolean on) {
        cdw13 = bit(cdw13, 8, on);
        return this;
    }

    /**
     * The zone start LBA.
     *
     * @return the LBA
     */
    public long zslba() {
        return Integer.toUnsignedLong(cdw10) | ((long) cdw11 << 32);
    }

    /**
     * The action.
     *
     * @return the action
     */
    public ZoneAction action() {
        int zsa = cdw13 & 0xFF;
        for (ZoneAction a : ZoneAction.values()) {
            if (a.code() == zsa) {
                return a;
            }
        }
        throw new IllegalStateException("unknown ZSA " + zsa);
    }

    /**
     * Whether Select All is set.
     *
     * @return the bit
     */
    public boolean allZones() {
        return (cdw13 & (1 << 8)) != 0;
    }

    @Override
    public long requiredDataLength(int lbaDataSize) {
        return 0;
    }

    @Override
    public String describe() {
        return "Zone Management Send " + action() + " (nsid " + Integer.toUnsignedString(nsid)
                + (allZones() ? ", all zones)" : ", zone at " + hex(zslba()) + ")");
    }

    @Override
    public String name() {
        return "Zone Management Send";
    }
}
