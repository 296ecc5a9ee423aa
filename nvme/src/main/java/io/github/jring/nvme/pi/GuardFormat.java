package io.github.jring.nvme.pi;

/**
 * The protection information format of an LBA format (the Extended LBA Format's PIF field, NVM Command Set Identify
 * Namespace): how wide the Guard is, and so how large the protection information tuple and its Reference Tag space
 * are. Without extended LBA formats every format is {@link #GUARD_16}.
 *
 * <pre>
 *   GUARD_16  8-byte tuple:  Guard 2 bytes (CRC-16/T10-DIF), Application Tag 2, Reference Tag 4 (32 bits)
 *   GUARD_32  16-byte tuple: Guard 4 bytes (CRC-32C),         Application Tag 2, Storage and Reference Tag 10 (80 bits)
 *   GUARD_64  16-byte tuple: Guard 8 bytes (CRC-64/NVME),     Application Tag 2, Storage and Reference Tag 6 (48 bits)
 * </pre>
 * The tuple's fields are big endian. jring computes all three guards ({@link Crc16T10Dif}, {@link Crc32c},
 * {@link Crc64Nvme}).
 */
public enum GuardFormat {
    /** 16b Guard protection information (PIF 0). */
    GUARD_16(0, 8, 2, 32),
    /** 32b Guard protection information (PIF 1). */
    GUARD_32(1, 16, 4, 80),
    /** 64b Guard protection information (PIF 2). */
    GUARD_64(2, 16, 8, 48);

    private final int pif;
    private final int tupleSize;
    private final int guardSize;
    private final int referenceSpaceBits;

    GuardFormat(int pif, int tupleSize, int guardSize, int referenceSpaceBits) {
        this.pif = pif;
        this.tupleSize = tupleSize;
        this.guardSize = guardSize;
        this.referenceSpaceBits = referenceSpaceBits;
    }

    /**
     * The PIF value.
     *
     * @return 0, 1 or 2
     */
    public int pif() {
        return pif;
    }

    /**
     * Bytes of one protection information tuple.
     *
     * @return 8 or 16
     */
    public int tupleSize() {
        return tupleSize;
    }

    /**
     * Bytes of the Guard field.
     *
     * @return 2, 4 or 8
     */
    public int guardSize() {
        return guardSize;
    }

    /**
     * Bits of the space the Storage Tag and the Reference Tag share (the Storage Tag takes the STS upper bits; see
     * {@link PiTuple#referenceSpace}).
     *
     * @return 32, 80 or 48
     */
    public int referenceSpaceBits() {
        return referenceSpaceBits;
    }

    /**
     * The format of a PIF value.
     *
     * @param pif 0 to 2
     * @return the format
     * @throws IllegalArgumentException for 3 (Qualified PIF, NVMe 2.1) and reserved values
     */
    public static GuardFormat ofPif(int pif) {
        return switch (pif) {
            case 0 -> GUARD_16;
            case 1 -> GUARD_32;
            case 2 -> GUARD_64;
            default -> throw new IllegalArgumentException("protection information format must be 0 to 2: " + pif);
        };
    }
}
