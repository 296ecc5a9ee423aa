package io.github.jring.nvme.command;

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
