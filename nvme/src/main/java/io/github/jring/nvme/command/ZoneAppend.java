package io.github.jring.nvme.command;

import io.github.jring.nvme.NvmeNamespace;
import io.github.jring.nvme.status.NvmeStatusCode;
import java.lang.foreign.MemorySegment;

/**
 * Zone Append (Zoned Namespace Command Set, opcode 7Dh): writes data "to the zone indicated by the ZSLBA field" at
 * the position the controller chooses, its write pointer, and "returns the LBA of the first logical block written in
 * Dword 0 and Dword 1 of the completion queue entry". Linux returns that 64-bit LBA as the result: {@code big_cqe[0]}
 * of the {@code IORING_OP_URING_CMD} completion, {@code result} of {@code NVME_IOCTL_IO64_CMD}. Several appends to one
 * zone may be in flight at once; each learns where it landed.
 *
 * <pre>
 *   CDW10-11  ZSLBA   the lowest LBA of the zone (not the write pointer)
 *   CDW12     bits 15:0 NLB (0-based), bit 25 PIREMAP, bit 30 FUA, bit 31 LR
 * </pre>
 * Errors: {@link NvmeStatusCode#ZONE_IS_FULL} when the data does not fit the zone's remaining capacity;
 * {@link NvmeStatusCode#INVALID_FIELD} when ZSLBA is not the lowest LBA of a zone (the ZNS specification's answer,
 * and what the controller sends: not {@link NvmeStatusCode#ZONE_BOUNDARY_ERROR}, which is for an access that crosses
 * a zone boundary) and when the size exceeds the Zone Append Size Limit (ZASL, Identify ZNS Controller).
 * <p>Read-only handles ({@link NvmeNamespace#openReadOnly}) refuse it before the device sees it: it writes the zone.
 */
public final class ZoneAppend extends LbaCommand<ZoneAppend> {

    /** Opcode 7Dh. */
    public static final int OPCODE = 0x7D;

    /**
     * Appends {@code blocks} blocks from {@code buffer} to the zone starting at {@code zslba}.
     *
     * @param nsid   the zoned namespace
     * @param zslba  the zone's start LBA
     * @param blocks number of blocks, 1 to 65536 (and within ZASL)
     * @param buffer native memory of at least {@code blocks} times the LBA size
     */
    public ZoneAppend(int nsid, long zslba, int blocks, MemorySegment buffer) {
        super(OPCODE, nsid, zslba, blocks);
        data(buffer);
    }

    /**
     * Force Unit Access (CDW12 bit 30).
     *
     * @param on whether to set it
     * @return this command
     */
    public ZoneAppend fua(boolean on) {
        setFua(on);
        return this;
    }

    /**
     * Limited Retry (CDW12 bit 31).
     *
     * @param on whether to set it
     * @return this command
     */
    public ZoneAppend limitedRetry(boolean on) {
        setLimitedRetry(on);
        return this;
    }

    @Override
    public String name() {
        return "Zone Append";
    }
}
