package io.github.jring.nvme.command;

import io.github.jring.nvme.pi.PiLayout;
import io.github.jring.nvme.pi.PiTuple;
import io.github.jring.nvme.pi.Prinfo;
import io.github.jring.nvme.status.NvmeStatusCode;
import java.lang.foreign.MemorySegment;

/**
 * Read (NVM Command Set, opcode 02h): "reads data and metadata, if applicable, from the I/O controller for the LBAs
 * indicated". The data buffer receives {@code blocks} times the LBA data size bytes.
 *
 * <pre>
 *   CDW10-11  SLBA          starting LBA
 *   CDW12     bits 15:0     NLB (0-based)
 *             bits 29:26    PRINFO protection information action and checks
 *             bit  30       FUA  Force Unit Access
 *             bit  31       LR   Limited Retry
 *   CDW13     bits 7:0      DSM  dataset management hints (access frequency, latency, sequential, incompressible)
 *   CDW14     bits 31:0     the (expected) initial Reference Tag (CDW3 bits 15:0: bits 47:32)
 *   CDW15     bits 15:0     the (expected) Application Tag; bits 31:16 its mask
 * </pre>
 * Errors the device reports include {@link NvmeStatusCode#LBA_OUT_OF_RANGE},
 * {@link NvmeStatusCode#UNRECOVERED_READ_ERROR} and, on a zoned namespace, {@link NvmeStatusCode#ZONE_IS_OFFLINE}.
 * Passthrough Read is allowed to unprivileged users with read access to {@code /dev/ngXnY} from Linux 6.2.
 */
public final class Read extends LbaCommand<Read> {

    /** Opcode 02h. */
    public static final int OPCODE = 0x02;

    /**
     * A read of {@code blocks} blocks from {@code slba} into {@code buffer}.
     *
     * @param nsid   the namespace
     * @param slba   first logical block
     * @param blocks number of blocks, 1 to 65536
     * @param buffer native memory of at least {@code blocks} times the LBA size
     */
    public Read(int nsid, long slba, int blocks, MemorySegment buffer) {
        super(OPCODE, nsid, slba, blocks);
        data(buffer);
    }

    /**
     * A read with no buffer yet: set one with {@link #data(MemorySegment)} before sending it.
     *
     * @param nsid   the namespace
     * @param slba   first logical block
     * @param blocks number of blocks, 1 to 65536
     */
    public Read(int nsid, long slba, int blocks) {
        super(OPCODE, nsid, slba, blocks);
    }

    /**
     * Force Unit Access (CDW12 bit 30): read from non-volatile media, not from a volatile write cache.
     *
     * @param on whether to set it
     * @return this command
     */
    public Read fua(boolean on) {
        setFua(on);
        return this;
    }

    /**
     * Limited Retry (CDW12 bit 31): apply limited retry efforts; when clear, all error recovery.
     *
     * @param on whether to set it
     * @return this command
     */
    public Read limitedRetry(boolean on) {
        setLimitedRetry(on);
        return this;
    }

    /**
     * Dataset Management hints (CDW13 bits 7:0): bits 3:0 access frequency, 5:4 access latency, 6 sequential request,
     * 7 incompressible.
     *
     * @param dsm the byte
     * @return this command
     */
    public Read datasetHints(int dsm) {
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
     * End-to-end protection for this command: PRINFO (CDW12 bits 29:26, {@link Prinfo}), the expected initial Reference
     * Tag (CDW14, and CDW3 bits 15:0 for the upper bits of the 64b Guard format's 48-bit space, with any Storage Tag in
     * its upper STS bits: {@link PiTuple#referenceSpace}), the expected Application Tag and its mask (CDW15 bits 15:0
     * and 31:16). With PRACT the controller checks and strips the protection information (when the metadata is just the
     * tuple, the data buffer holds only data); without it the tuples arrive in the metadata for the host to check
     * ({@link PiLayout#verify}). A transport that knows the namespace refuses protection bits on a namespace formatted
     * without protection information, before the device sees them.
     *
     * @param prinfo       {@link Prinfo#PRACT} and the {@code Prinfo.CHECK_*} bits, 0 to 15
     * @param referenceTag the expected initial Reference Tag, 0 to 2^48 - 1 (2^32 - 1 for the 16b Guard format)
     * @param appTag       the expected Application Tag, 0 to FFFFh
     * @param appMask      which Application Tag bits are checked, 0 to FFFFh
     * @return this command
     */
    public Read protection(int prinfo, long referenceTag, int appTag, int appMask) {
        setProtection(prinfo, referenceTag, appTag, appMask);
        return this;
    }

    /**
     * The expected Logical Block Tags for a format with a Storage Tag (or a 32b Guard Reference Tag wider than 48
     * bits): {@code storageTag} in the upper STS bits of {@code layout}'s Storage and Reference Tag space and
     * {@code referenceTag} below it, bits 31:00 in CDW14, 63:32 in CDW3 and 79:64 in CDW2
     * ({@link PiTuple#referenceSpace}). Call it after {@link #protection}, whose Reference Tag it replaces. On a format
     * without a Storage Tag (STS 0, all that qemu emulates) it carries the Reference Tag as {@link #protection} does.
     *
     * @param layout       the namespace's format ({@code NvmeNamespace.protection()})
     * @param storageTag   the Storage Tag, STS bits
     * @param referenceTag the expected initial Reference Tag, the rest of the space
     * @return this command
     * @throws IllegalArgumentException if a tag does not fit its bits
     */
    public Read tags(PiLayout layout, long storageTag, long referenceTag) {
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
    public Read storageTagCheck(boolean on) {
        setStorageTagCheck(on);
        return this;
    }

    @Override
    public String name() {
        return "Read";
    }
}
