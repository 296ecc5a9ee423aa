package io.github.jring.nvme.data;

import io.github.jring.nvme.pi.GuardFormat;

/**
 * An Extended LBA Format (NVM Command Set Identify Namespace, bytes 12 onwards, 4 bytes each, one per LBA format):
 * bits 6:0 STS Storage Tag Size, bits 8:7 PIF Protection Information Format, bits 12:9 QPIF Qualified Protection
 * Information Format (NVMe 2.1, when PIF is 3).
 *
 * @param index          the LBA format it extends
 * @param storageTagBits STS: bits of the Storage Tag in the protection information's reference space
 * @param pif            PIF: 0 16b Guard, 1 32b Guard, 2 64b Guard, 3 qualified (see {@code qpif})
 * @param qpif           QPIF, meaningful when {@code pif} is 3
 */
public record ExtendedLbaFormat(int index, int storageTagBits, int pif, int qpif) {

    /**
     * Decodes one Extended LBA Format dword.
     *
     * @param index the LBA format's index
     * @param dword the dword
     * @return the record
     */
    public static ExtendedLbaFormat decode(int index, int dword) {
        return new ExtendedLbaFormat(index, dword & 0x7F, (dword >>> 7) & 0x3, (dword >>> 9) & 0xF);
    }

    /**
     * The guard format: PIF, or QPIF where PIF says "qualified".
     *
     * @return the format
     * @throws IllegalArgumentException for a reserved value
     */
    public GuardFormat guardFormat() {
        return GuardFormat.ofPif(pif == 3 ? qpif : pif);
    }
}
