package io.github.jring.nvme.command;

import io.github.jring.nvme.pi.PiType;
import io.github.jring.nvme.status.NvmeStatusCode;

/**
 * Format NVM (admin opcode 80h): "low level format of the NVM media", which chooses a namespace's LBA format, where its
 * metadata goes and its end-to-end protection, and erases it. Everything on the namespace is lost; the namespace's
 * Identify data changes, so reopen an {@code NvmeNamespace} (and let the kernel rescan: Linux does after a Format NVM
 * it passes through) before sending it I/O. Support: Identify Controller OACS bit 1.
 *
 * <pre>
 *   NSID      the namespace (FFFFFFFFh: all namespaces, where FNA allows)
 *   CDW10     bits 3:0   LBAFL  LBA format index, low 4 bits
 *             bit  4     MSET   Metadata Settings: 1 extended (after each block's data), 0 a separate buffer
 *             bits 7:5   PI     Protection Information type, 0 (none) to 3
 *             bit  8     PIL    Protection Information Location: 1 the first bytes of the metadata, 0 the last
 *             bits 11:9  SES    Secure Erase Settings: 0 none, 1 user data erase, 2 cryptographic erase
 *             bits 13:12 LBAFU  LBA format index, upper 2 bits (formats 16 to 63)
 * </pre>
 * Errors: {@link NvmeStatusCode#INVALID_FORMAT} (a format index the namespace does not offer, protection the format's
 * metadata cannot hold or the namespace does not support: Identify Namespace DPC), {@link NvmeStatusCode#INVALID_FIELD}.
 * This class sends Secure Erase Settings 0, no secure erase.
 */
public final class FormatNvm extends NvmeCommand<FormatNvm> {

    /** Opcode 80h. */
    public static final int OPCODE = 0x80;
    /** LBA format indexes go up to 63 (LBAFU:LBAFL). */
    public static final int MAX_FORMAT_INDEX = 63;

    /**
     * Formats namespace {@code nsid} with LBA format {@code lbaFormat}, metadata in a separate buffer and no
     * protection information; change that with {@link #extendedMetadata} and {@link #protection}.
     *
     * @param nsid      the namespace
     * @param lbaFormat the LBA format's index in Identify Namespace, 0 to 63
     */
    public FormatNvm(int nsid, int lbaFormat) {
        super(true, OPCODE, nsid);
        lbaFormat(lbaFormat);
    }

    /**
     * Sets the LBA format index (LBAFL in CDW10 bits 3:0, LBAFU in bits 13:12).
     *
     * @param index 0 to 63
     * @return this command
     */
    public FormatNvm lbaFormat(int index) {
        if (index < 0 || index > MAX_FORMAT_INDEX) {
            throw new IllegalArgumentException("LBA format index must be 0.." + MAX_FORMAT_INDEX + ": " + index);
        }
        cdw10 = field(field(cdw10, 0, 4, index & 0xF, "LBAFL"), 12, 2, index >>> 4, "LBAFU");
        return this;
    }

    /**
     * Metadata Settings (CDW10 bit 4): whether each block's metadata follows its data in the data buffer (an
     * "extended LBA"), rather than a separate metadata buffer.
     *
     * @param on whether to set it
     * @return this command
     */
    public FormatNvm extendedMetadata(boolean on) {
        cdw10 = bit(cdw10, 4, on);
        return this;
    }

    /**
     * End-to-end protection (CDW10 bits 7:5 and bit 8): the type, and whether the tuple is the first bytes of each
     * block's metadata rather than the last. The format's metadata must hold the tuple.
     *
     * @param type  the protection type ({@link PiType#NONE} for none)
     * @param first whether the protection information is the first bytes of the metadata (PIL)
     * @return this command
     */
    public FormatNvm protection(PiType type, boolean first) {
        cdw10 = bit(field(cdw10, 5, 3, type.code(), "PI"), 8, first);
        return this;
    }

    /**
     * The LBA format index.
     *
     * @return 0 to 63
     */
    public int lbaFormat() {
        return (cdw10 & 0xF) | (((cdw10 >>> 12) & 0x3) << 4);
    }

    /**
     * Whether the metadata is extended (MSET).
     *
     * @return the bit
     */
    public boolean extendedMetadata() {
        return (cdw10 & (1 << 4)) != 0;
    }

    /**
     * The protection type.
     *
     * @return the type
     */
    public PiType protectionType() {
        return PiType.of((cdw10 >>> 5) & 0x7);
    }

    /**
     * Whether the protection information is the first bytes of the metadata (PIL).
     *
     * @return the bit
     */
    public boolean protectionFirst() {
        return (cdw10 & (1 << 8)) != 0;
    }

    /**
     * It erases the namespace, so a namespace handle opened read-only refuses it.
     *
     * @return {@code true}
     */
    @Override
    public boolean writesMedium() {
        return true;
    }

    @Override
    public String describe() {
        return "Format NVM (nsid " + Integer.toUnsignedString(nsid) + ", LBA format " + lbaFormat()
                + (extendedMetadata() ? ", extended metadata" : ", separate metadata") + ", PI "
                + protectionType().code() + (protectionFirst() ? " first" : " last") + ")";
    }

    @Override
    public String name() {
        return "Format NVM";
    }
}
