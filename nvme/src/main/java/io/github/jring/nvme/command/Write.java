package io.github.jring.nvme.command;

import io.github.jring.nvme.pi.PiLayout;
import io.github.jring.nvme.pi.PiTuple;
import io.github.jring.nvme.pi.Prinfo;
import io.github.jring.nvme.NvmeNamespace;
import io.github.jring.nvme.status.NvmeStatusCode;
import java.lang.foreign.MemorySegment;

/**
 * Write (NVM Command Set, opcode 01h): "writes data and metadata, if applicable, to the I/O controller for the
 * logical blocks indicated". The data buffer supplies {@code blocks} times the LBA data size bytes.
 *
 * <pre>
 *   CDW10-11  SLBA          starting LBA
 *   CDW12     bits 15:0     NLB (0-based)
 *             bits 23:20    DTYPE Directive Type (1 Streams, 2 Data Placement)
 *             bits 29:26    PRINFO protection information action and checks
 *             bit  30       FUA   Force Unit Access
 *             bit  31       LR    Limited Retry
 *   CDW13     bits 7:0      DSM   dataset management hints
 *             bits 31:16    DSPEC Directive Specific (the stream id, or the FDP placement handle)
 *   CDW14     bits 31:0     the (expected) initial Reference Tag (CDW3 bits 15:0: bits 47:32)
 *   CDW15     bits 15:0     the (expected) Application Tag; bits 31:16 its mask
 * </pre>
 * On a zoned namespace a Write must start at the zone's write pointer ({@link NvmeStatusCode#ZONE_INVALID_WRITE}
 * otherwise) and fit the zone's writable capacity ({@link NvmeStatusCode#ZONE_IS_FULL}); several writes in flight
 * to one zone are only safe with {@link ZoneAppend}.
 * <p>Read-only handles ({@link NvmeNamespace#openReadOnly}) refuse it before the device sees it: it writes the blocks.
 */
public final class Write extends LbaCommand<Write> {

    /** Opcode 01h. */
    public static final int OPCODE = 0x01;
    /** Directive Type 1: Streams (NVMe 1.3). DSPEC is the stream identifier. */
    public static final int DIRECTIVE_STREAMS = 1;
    /** Directive Type 2: Data Placement (Flexible Data Placement, TP4146, NVMe 2.0c). DSPEC is the placement
     * identifier (reclaim group and placement handle). */
    public static final int DIRECTIVE_DATA_PLACEMENT = 2;

    /**
     * A write of {@code blocks} blocks at {@code slba} from {@code buffer}.
     *
     * @param nsid   the namespace
     * @param slba   first logical block
     * @param blocks number of blocks, 1 to 65536
     * @param buffer native memory of at least {@code blocks} times the LBA size
     */
    public Write(int nsid, long slba, int blocks, MemorySegment buffer) {
        super(OPCODE, nsid, slba, blocks);
        data(buffer);
    }

    /**
     * A write with no buffer yet.
     *
     * @param nsid   the namespace
     * @param slba   first logical block
     * @param blocks number of blocks, 1 to 65536
     */
    public Write(int nsid, long slba, int blocks) {
        super(OPCODE, nsid, slba, blocks);
    }

    /**
     * Force Unit Access (CDW12 bit 30): complete only once the data is on non-volatile media.
     *
     * @param on whether to set it
     * @return this command
     */
    public Write fua(boolean on) {
        setFua(on);
        return this;
    }

    /**
     * Limited Retry (CDW12 bit 31).
     *
     * @param on whether to set it
     * @return this command
     */
    public Write limitedRetry(boolean on) {
        setLimitedRetry(on);
        return this;
    }

    /**
     * Sets the directive: Directive Type (CDW12 bits 23:20) and Directive Specific (CDW13 bits 31:16). For streams
     * ({@link #DIRECTIVE_STREAMS}) the specific value is the stream identifier; for flexible data placement
     * ({@link #DIRECTIVE_DATA_PLACEMENT}) the placement identifier. The directive must be enabled on the namespace
     * (Directive Send), or the device answers {@link NvmeStatusCode#INVALID_FIELD}.
     *
     * @param type     directive type, 0 to 15 (0: none)
     * @param specific directive specific, 0 to 65535
     * @return this command
     */
    public Write directive(int type, int specific) {
        setDirective(type, specific);
        return this;
    }

    /**
     * Writes with the Data Placement directive (Flexible Data Placement): DTYPE 2 and DSPEC {@code placementId}, so
     * the data goes to the reclaim unit that the placement identifier's reclaim unit handle references. Build the
     * identifier with {@link PlacementIds} (with one reclaim group it is the placement handle); check a handle
     * against the namespace's with {@link PlacementIds#requireHandle(int, int)} to fail before the device does.
     *
     * @param placementId the placement identifier, 0 to 65535
     * @return this command
     */
    public Write placement(int placementId) {
        setDirective(DIRECTIVE_DATA_PLACEMENT, placementId);
        return this;
    }

    /**
     * Dataset Management hints (CDW13 bits 7:0).
     *
     * @param dsm the byte
     * @return this command
     */
    public Write datasetHints(int dsm) {
        setDatasetHints(dsm);
        return this;
    }

    /**
     * Whether FUA is set.
     *
     * @return the bit
     */
    public boolean fua() {
        return fuaBit();
    }

    /**
     * Whether Limited Retry is set.
     *
     * @return the bit
     */
    public boolean limitedRetry() {
        return limitedRetryBit();
    }

    /**
     * The Directive Type.
     *
     * @return 0 to 15
     */
    public int directiveType() {
        return (cdw12 >>> 20) & 0xF;
    }

    /**
     * The Directive Specific value.
     *
     * @return 0 to 65535
     */
    public int directiveSpecific() {
        return cdw13 >>> 16;
    }

    /**
     * End-to-end protection for this command: PRINFO (CDW12 bits 29:26, {@link Prinfo}), the initial Reference Tag
     * (CDW14, and CDW3 bits 15:0 for the upper bits of the 64b Guard format's 48-bit space, with any Storage Tag in its
     * upper STS bits: {@link PiTuple#referenceSpace}), the Application Tag and its mask (CDW15 bits 15:0 and 31:16).
     * With PRACT the controller computes and inserts the protection information (when the metadata is just the tuple,
     * the data buffer holds only data); without it the host supplies the tuples in the metadata ({@link
     * PiLayout#generate}) and PRCHK says which fields the controller checks. A transport that knows the namespace
     * refuses protection bits on a namespace formatted without protection information, before the device sees them.
     *
     * @param prinfo       {@link Prinfo#PRACT} and the {@code Prinfo.CHECK_*} bits, 0 to 15
     * @param referenceTag the initial Reference Tag, 0 to 2^48 - 1 (2^32 - 1 for the 16b Guard format)
     * @param appTag       the Application Tag, 0 to FFFFh
     * @param appMask      which Application Tag bits are checked, 0 to FFFFh
     * @return this command
     */
    public Write protection(int prinfo, long referenceTag, int appTag, int appMask) {
        setProtection(prinfo, referenceTag, appTag, appMask);
        return this;
    }

    /**
     * The Logical Block Tags for a format with a Storage Tag (or a 32b Guard Reference Tag wider than 48
     * bits): {@code storageTag} in the upper STS bits of {@code layout}'s Storage and Reference Tag space and
     * {@code referenceTag} below it, bits 31:00 in CDW14, 63:32 in CDW3 and 79:64 in CDW2
     * ({@link PiTuple#referenceSpace}). Call it after {@link #protection}, whose Reference Tag it replaces. On a format
     * without a Storage Tag (STS 0, all that qemu emulates) it carries the Reference Tag as {@link #protection} does.
     *
     * @param layout       the namespace's format ({@code NvmeNamespace.protection()})
     * @param storageTag   the Storage Tag, STS bits
     * @param referenceTag the initial Reference Tag, the rest of the space
     * @return this command
     * @throws IllegalArgumentException if a tag does not fit its bits
     */
    public Write tags(PiLayout layout, long storageTag, long referenceTag) {
        setTags(layout, storageTag, referenceTag);
        return this;
    }

    /**
     * Storage Tag Check (STC, CDW12 bit 24): the controller also checks each block's Storage Tag against the one
     * {@link #tags} gives (under the namespace's Logical Block Storage Tag Mask).
     *
     * @param on whether to set it
     * @return this command
     */
    public Write storageTagCheck(boolean on) {
        setStorageTagCheck(on);
        return this;
    }

    @Override
    public String name() {
        return "Write";
    }
}
