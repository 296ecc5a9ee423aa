package io.github.jring.nvme.data;

import java.util.List;

/**
 * One FDP Configuration Descriptor of the FDP Configurations log page (LID 20h), decoded.
 *
 * <pre>
 *   bytes 1:0    DSZE    descriptor size, its reclaim unit handle descriptors included
 *   byte  2      FDPA    FDP attributes: bit 7 valid, bit 4 FDP volatile write cache, bits 3:0 RGIF
 *   byte  3      VSS     vendor specific size (bytes after the handle descriptors)
 *   bytes 7:4    NRG     number of reclaim groups
 *   bytes 9:8    NRUH    number of reclaim unit handles
 *   bytes 11:10  MAXPIDS maximum placement identifiers per namespace (0-based)
 *   bytes 15:12  NNSS    number of namespaces supported
 *   bytes 23:16  RUNS    reclaim unit nominal size, bytes
 *   bytes 27:24  ERUTL   estimated reclaim unit time limit, seconds (0: not reported)
 *   bytes 63:28  reserved; then NRUH 4-byte descriptors: byte 0 RUHT (1 initially isolated, 2 persistently isolated)
 * </pre>
 *
 * @param descriptorSize      DSZE
 * @param attributes          FDPA
 * @param vendorSpecificSize  VSS
 * @param reclaimGroups       NRG
 * @param reclaimUnitHandles  NRUH
 * @param maxPlacementIds     MAXPIDS plus one (the spec's field is 0-based)
 * @param namespacesSupported NNSS
 * @param reclaimUnitSize     RUNS, bytes
 * @param estimatedTimeLimit  ERUTL, seconds
 * @param handleTypes         RUHT of each reclaim unit handle, in order
 */
public record FdpConfiguration(int descriptorSize, int attributes, int vendorSpecificSize, long reclaimGroups,
                               int reclaimUnitHandles, int maxPlacementIds, long namespacesSupported,
                               long reclaimUnitSize, long estimatedTimeLimit, List<Integer> handleTypes) {

    /** RUHT 1: Initially Isolated. */
    public static final int RUHT_INITIALLY_ISOLATED = 1;
    /** RUHT 2: Persistently Isolated. */
    public static final int RUHT_PERSISTENTLY_ISOLATED = 2;

    /**
     * FDPA bit 7: the configuration is valid.
     *
     * @return whether it is
     */
    public boolean valid() {
        return (attributes & 0x80) != 0;
    }

    /**
     * FDPA bit 4: FDP volatile write cache present.
     *
     * @return whether it is
     */
    public boolean volatileWriteCache() {
        return (attributes & 0x10) != 0;
    }

    /**
     * FDPA bits 3:0: the Reclaim Group Identifier Format, how many high bits of a placement identifier name the
     * reclaim group ({@link io.github.jring.nvme.command.PlacementIds}).
     *
     * @return RGIF
     */
    public int reclaimGroupIdFormat() {
        return attributes & 0xF;
    }
}
