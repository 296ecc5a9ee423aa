package io.github.jring.nvme.data;

/**
 * An LBA Format of a namespace (Identify Namespace bytes 128 onwards, 4 bytes each): bits 15:0 MS Metadata Size,
 * 23:16 LBADS LBA Data Size as a power of two, 25:24 RP Relative Performance.
 *
 * @param index               the format's number (what FLBAS selects)
 * @param metadataSize        metadata bytes per block (0 when none)
 * @param dataSizeShift       LBADS: the data size is {@code 1 << dataSizeShift} (9 for 512 bytes, 12 for 4 KiB)
 * @param relativePerformance RP: 0 best, 1 better, 2 good, 3 degraded
 */
public record LbaFormat(int index, int metadataSize, int dataSizeShift, int relativePerformance) {

    /**
     * The LBA data size in bytes.
     *
     * @return {@code 1 << LBADS}
     */
    public int dataSize() {
        return 1 << dataSizeShift;
    }
}
