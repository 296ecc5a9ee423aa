package io.github.jring.nvme.command;

import io.github.jring.nvme.status.NvmeStatusCode;

import java.lang.foreign.MemorySegment;

/**
 * Get Features (admin opcode 0Ah): "retrieves the attributes of the Feature specified". The value is returned in the
 * completion's Dword 0, which is the passthrough result ({@code big_cqe[0]}, ioctl {@code result}); a few features
 * also return a data structure in the buffer.
 *
 * <pre>
 *   CDW10     bits 7:0  FID  Feature Identifier ({@link NvmeFeature})
 *             bits 10:8 SEL  Select: 0 current, 1 default, 2 saved, 3 supported capabilities
 *   CDW11     feature specific
 *   CDW14     bits 6:0  UUID index
 * </pre>
 * An unsupported feature completes with {@link NvmeStatusCode#INVALID_FIELD}.
 */
public final class GetFeatures extends NvmeCommand<GetFeatures> {

    /** Opcode 0Ah. */
    public static final int OPCODE = 0x0A;
    /** SEL 0: current value. */
    public static final int SELECT_CURRENT = 0;
    /** SEL 1: default value. */
    public static final int SELECT_DEFAULT = 1;
    /** SEL 2: saved value. */
    public static final int SELECT_SAVED = 2;
    /** SEL 3: supported capabilities (bit 0 saveable, 1 namespace specific, 2 changeable). */
    public static final int SELECT_SUPPORTED_CAPABILITIES = 3;

    /**
     * Get Features for {@code fid}, current value, not namespace specific.
     *
     * @param fid the feature ({@link NvmeFeature})
     */
    public GetFeatures(int fid) {
        super(true, OPCODE, 0);
        cdw10 = field(0, 0, 8, fid, "FID");
    }

    /**
     * Get Features Flexible Data Placement (FID 1Dh) of endurance group {@code endgid} (CDW11 bits 15:0). The
     * result: bit 0 FDPE (FDP enabled), bits 15:8 FDPCIDX (the FDP configuration in use).
     *
     * @param endgid the endurance group
     * @return the command
     */
    public static GetFeatures fdp(int endgid) {
        GetFeatures c = new GetFeatures(NvmeFeature.FLEXIBLE_DATA_PLACEMENT);
        c.cdw11 = field(0, 0, 16, endgid, "ENDGID");
        return c;
    }

    /**
     * Get Features FDP Events (FID 1Eh): the event types of placement handle {@code placementHandle} in namespace
     * {@code nsid} and whether each is enabled, 2 bytes per type (type, then bit 0 of the attributes: enabled) in
     * {@code buffer}; the result is the number of descriptors returned.
     *
     * @param nsid            the FDP namespace
     * @param placementHandle the placement handle (CDW11 bits 15:0)
     * @param types           how many descriptors to ask for, NOET (CDW11 bits 23:16), 1 to 255
     * @param buffer          2 x {@code types} bytes, rounded up to a multiple of 4
     * @return the command
     */
    public static GetFeatures fdpEvents(int nsid, int placementHandle, int types, MemorySegment buffer) {
        GetFeatures c = new GetFeatures(NvmeFeature.FDP_EVENTS);
        c.nsid = nsid;
        c.cdw11 = field(field(0, 0, 16, placementHandle, "PHNDL"), 16, 8, types, "NOET");
        return c.data(buffer);
    }

    /**
     * Select (CDW10 bits 10:8): which value to return.
     *
     * @param sel {@link #SELECT_CURRENT} ...
     * @return this command
     */
    public GetFeatures select(int sel) {
        cdw10 = field(cdw10, 8, 3, sel, "SEL");
        return this;
    }

    /**
     * Feature-specific CDW11 (for example the interrupt vector for Interrupt Vector Configuration).
     *
     * @param value the dword
     * @return this command
     */
    public GetFeatures cdw11(int value) {
        cdw11 = value;
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

    @Override
    public String describe() {
        return "Get Features (FID " + String.format("%02Xh", fid()) + ", SEL " + ((cdw10 >>> 8) & 7) + ")";
    }

    @Override
    public String name() {
        return "Get Features";
    }
}
