package io.github.jring.nvme.command;

import java.lang.foreign.MemorySegment;

import io.github.jring.nvme.status.NvmeStatusCode;

/**
 * Set Features (admin opcode 09h): "specifies the attributes of the Feature indicated". The value goes in CDW11 (and
 * CDW12-15 for some features); the completion's Dword 0 is feature specific (Number of Queues returns the counts
 * allocated).
 *
 * <pre>
 *   CDW10     bits 7:0  FID  Feature Identifier ({@link NvmeFeature})
 *             bit  31   SV   Save: keep the value across power cycles and resets
 *   CDW11-15  feature specific
 * </pre>
 * Errors: {@link NvmeStatusCode#FEATURE_NOT_CHANGEABLE}, {@link NvmeStatusCode#FEATURE_NOT_SAVEABLE},
 * {@link NvmeStatusCode#INVALID_FIELD}.
 */
public final class SetFeatures extends NvmeCommand<SetFeatures> {

    /** Opcode 09h. */
    public static final int OPCODE = 0x09;

    /**
     * Set Features {@code fid} to {@code value} (CDW11).
     *
     * @param fid   the feature ({@link NvmeFeature})
     * @param value CDW11
     */
    public SetFeatures(int fid, int value) {
        super(true, OPCODE, 0);
        cdw10 = field(0, 0, 8, fid, "FID");
        cdw11 = value;
    }

    /**
     * Set Features Flexible Data Placement (FID 1Dh): enables or disables FDP for endurance group {@code endgid} with
     * configuration {@code configIndex} (CDW11 bits 15:0 ENDGID; CDW12 bit 0 FDPE, bits 15:8 FDPCIDX). Allowed only
     * while the endurance group has no namespaces; otherwise the device answers a command sequence error.
     *
     * @param endgid      the endurance group
     * @param enable      FDPE
     * @param configIndex the index in the FDP Configurations log
     * @return the command
     */
    public static SetFeatures fdp(int endgid, boolean enable, int configIndex) {
        SetFeatures c = new SetFeatures(NvmeFeature.FLEXIBLE_DATA_PLACEMENT, field(0, 0, 16, endgid, "ENDGID"));
        c.cdw12 = field(enable ? 1 : 0, 8, 8, configIndex, "FDPCIDX");
        return c;
    }

    /**
     * Set Features FDP Events (FID 1Eh): enables or disables the event types listed in {@code buffer} (one byte per
     * type, {@code types} of them) for placement handle {@code placementHandle} of namespace {@code nsid}.
     *
     * @param nsid            the FDP namespace
     * @param placementHandle the placement handle (CDW11 bits 15:0)
     * @param enable          CDW12 bit 0: enable (or disable) the listed types
     * @param types           NOET (CDW11 bits 23:16), 1 to 255
     * @param buffer          the event types, one byte each, rounded up to a multiple of 4 bytes
     * @return the command
     */
    public static SetFeatures fdpEvents(int nsid, int placementHandle, boolean enable, int types,
                                        MemorySegment buffer) {
        SetFeatures c = new SetFeatures(NvmeFeature.FDP_EVENTS,
                field(field(0, 0, 16, placementHandle, "PHNDL"), 16, 8, types, "NOET"));
        c.nsid = nsid;
        c.cdw12 = enable ? 1 : 0;
        return c.data(buffer);
    }

    /**
     * Save (CDW10 bit 31).
     *
     * @param on whether to set it
     * @return this command
     */
    public SetFeatures save(boolean on) {
        cdw10 = bit(cdw10, 31, on);
        return this;
    }

    /**
     * Feature-specific CDW12.
     *
     * @param value the dword
     * @return this command
     */
    public SetFeatures cdw12(int value) {
        cdw12 = value;
        return this;
    }

    /**
     * The Feature Identifier.
     *
     * @return the FID
     */
    public int fid() {
        return cdw10 & 0xFF;
    }

    /**
     * The value (CDW11).
     *
     * @return the dword
     */
    public int value() {
        return cdw11;
    }

    @Override
    public String describe() {
        return "Set Features (FID " + String.format("%02Xh", fid()) + ", value 0x" + Integer.toHexString(cdw11) + ")";
    }

    @Override
    public String name() {
        return "Set Features";
    }
}
