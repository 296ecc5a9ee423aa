package io.github.jring.nvme.pi;

import java.lang.foreign.MemorySegment;

/**
 * Where protection information sits in the buffers of a namespace's format, and the host's side of it for
 * {@code PRACT = 0}: computing the tuples before a write ({@link #generate}) and checking them after a read
 * ({@link #verify}), as the controller does. Each block's metadata is {@code metadataSize} bytes, either after the
 * block's data in the data buffer ({@code extended}, FLBAS bit 4) or in a separate metadata buffer; the tuple is its
 * first bytes ({@code first}, DPS bit 3) or its last. The Guard covers the block's data and, when the tuple is last,
 * the metadata bytes before it.
 *
 * <p>Get a namespace's layout from {@code NvmeNamespace.protection()}, or build one for a format. Methods allocate
 * nothing.
 *
 * @param type           the protection type ({@link PiType#NONE}: none)
 * @param format         the tuple's format
 * @param first          whether the tuple is the first bytes of the metadata (else the last)
 * @param lbaSize        data bytes per block
 * @param metadataSize   metadata bytes per block
 * @param extended       whether the metadata follows each block's data in the data buffer
 * @param storageTagBits STS: Storage Tag bits in the tuple's reference space (0 when none)
 */
public record PiLayout(PiType type, GuardFormat format, boolean first, int lbaSize, int metadataSize, boolean extended,
                       int storageTagBits) {

    /** The result of {@link #verify} when every block passed. */
    public static final long VERIFIED = -1;

    /**
     * Checks the layout.
     *
     * @throws IllegalArgumentException if protection is enabled and the metadata cannot hold a tuple
     */
    public PiLayout {
        if (type != PiType.NONE && metadataSize < format.tupleSize()) {
            throw new IllegalArgumentException(metadataSize + " bytes of metadata cannot hold a " + format.tupleSize()
                    + "-byte protection information tuple");
        }
    }

    /**
     * Whether protection information is enabled.
     *
     * @return {@code type() != NONE}
     */
    public boolean enabled() {
        return type != PiType.NONE;
    }

    /**
     * Bytes of one tuple.
     *
     * @return 8 or 16
     */
    public int tupleSize() {
        return format.tupleSize();
    }

    /**
     * The tuple's offset within a block's metadata.
     *
     * @return 0 when first, else {@code metadataSize - tupleSize}
     */
    public int tupleOffset() {
        return first ? 0 : metadataSize - format.tupleSize();
    }

    /**
     * Whether a command with {@code prinfo} moves no metadata: PRACT set, and the metadata is nothing but the tuple,
     * which the controller inserts or strips.
     *
     * @param prinfo the command's PRINFO
     * @return {@code true} when only the data crosses the bus
     */
    public boolean movesNoMetadata(int prinfo) {
        return enabled() && Prinfo.pract(prinfo) && metadataSize == format.tupleSize();
    }

    /**
     * Bytes per block in the data buffer of a command with {@code prinfo}.
     *
     * @param prinfo the command's PRINFO
     * @return the LBA size, plus the metadata size when extended and metadata moves
     */
    public int dataBytesPerBlock(int prinfo) {
        return extended && !movesNoMetadata(prinfo) ? lbaSize + metadataSize : lbaSize;
    }

    /**
     * Bytes per block in the separate metadata buffer of a command with {@code prinfo}.
     *
     * @param prinfo the command's PRINFO
     * @return the metadata size, or 0 when extended or when no metadata moves
     */
    public int metadataBytesPerBlock(int prinfo) {
        return extended || movesNoMetadata(prinfo) ? 0 : metadataSize;
    }

    /**
     * Bits of the Reference Tag: the format's reference space less the Storage Tag.
     *
     * @return {@code 32 - STS} for the 16b Guard, {@code 80 - STS} (at most 64) for the 32b Guard, {@code 48 - STS}
     *         for the 64b Guard
     */
    public int referenceTagBits() {
        return Math.min(format.referenceSpaceBits() - storageTagBits, 64);
    }

    /**
     * The Guard of block {@code block}: the CRC of its data, continued over the metadata bytes before the tuple when
     * the tuple is last.
     *
     * @param data     the data buffer (with the metadata when extended)
     * @param metadata the separate metadata buffer, or {@code null} when extended
     * @param block    the block's index in the buffers
     * @return the Guard (16, 32 or 64 bits, unsigned)
     */
    public long guard(MemorySegment data, MemorySegment metadata, int block) {
        long dataAt = (long) block * (extended ? lbaSize + metadataSize : lbaSize);
        MemorySegment meta = extended ? data : metadata;
        long metaAt = extended ? dataAt + lbaSize : (long) block * metadataSize;
        int covered = tupleOffset();
        return switch (format) {
            case GUARD_16 -> {
                int crc = Crc16T10Dif.compute(data, dataAt, lbaSize);
                yield covered == 0 ? crc : Crc16T10Dif.update(crc, meta, metaAt, covered);
            }
            case GUARD_64 -> {
                long crc = Crc64Nvme.compute(data, dataAt, lbaSize);
                yield covered == 0 ? crc : Crc64Nvme.update(crc, meta, metaAt, covered);
            }
            case GUARD_32 -> {
                int crc = Crc32c.compute(data, dataAt, lbaSize);
                yield Integer.toUnsignedLong(covered == 0 ? crc : Crc32c.update(crc, meta, metaAt, covered));
            }
        };
    }

    /**
     * Fills in the tuples of {@code blocks} blocks for a write with {@code PRACT = 0}: each block's Guard, the
     * Application Tag, and the Reference Tag (from {@code referenceTag}, one more per block for Types 1 and 2).
     *
     * @param data         the data buffer (with room for the metadata when extended)
     * @param metadata     the separate metadata buffer, or {@code null} when extended
     * @param blocks       how many blocks
     * @param referenceTag the first block's Reference Tag (for Type 1, the SLBA's low bits)
     * @param appTag       the Application Tag, 0 to FFFFh
     */
    public void generate(MemorySegment data, MemorySegment metadata, int blocks, long referenceTag, int appTag) {
        generate(data, metadata, blocks, 0, referenceTag, appTag);
    }

    /**
     * As {@link #generate(MemorySegment, MemorySegment, int, long, int)}, with a Storage Tag in the upper
     * {@link #storageTagBits()} bits of each tuple's reference space.
     *
     * @param data         the data buffer (with room for the metadata when extended)
     * @param metadata     the separate metadata buffer, or {@code null} when extended
     * @param blocks       how many blocks
     * @param storageTag   the Storage Tag (0 when the format has none)
     * @param referenceTag the first block's Reference Tag
     * @param appTag       the Application Tag, 0 to FFFFh
     */
    public void generate(MemorySegment data, MemorySegment metadata, int blocks, long storageTag, long referenceTag,
                         int appTag) {
        requireEnabled();
        PiTuple.checkTags(format, storageTagBits, storageTag, referenceTag & referenceMask());
        MemorySegment meta = extended ? data : metadata;
        for (int i = 0; i < blocks; i++) {
            long guard = guard(data, metadata, i);
            long reference = expectedReference(referenceTag, i);
            PiTuple.put(format, meta, tupleAt(i), guard, appTag,
                    PiTuple.referenceSpaceHigh(format, storageTagBits, storageTag, reference),
                    PiTuple.referenceSpace(format, storageTagBits, storageTag, reference));
        }
    }

    /**
     * Checks the tuples of {@code blocks} blocks after a read with {@code PRACT = 0}, as the controller would with the
     * same PRCHK bits: the Guard against the data, the Application Tag under {@code appMask}, the Reference Tag
     * against {@code referenceTag} (one more per block for Types 1 and 2). Blocks whose tags say "do not check"
     * (Application Tag FFFFh; in Type 3 with a Reference Tag of all ones) are skipped.
     *
     * @param data         the data buffer (with the metadata when extended)
     * @param metadata     the separate metadata buffer, or {@code null} when extended
     * @param blocks       how many blocks
     * @param referenceTag the first block's expected Reference Tag
     * @param appTag       the expected Application Tag
     * @param appMask      which Application Tag bits to compare
     * @param prinfo       which checks ({@link Prinfo}'s CHECK bits; PRACT is ignored)
     * @return {@link #VERIFIED}, or the first failure: {@code block << 4 | check} ({@link #failedBlock},
     *         {@link #failedCheck})
     */
    public long verify(MemorySegment data, MemorySegment metadata, int blocks, long referenceTag, int appTag,
                       int appMask, int prinfo) {
        requireEnabled();
        MemorySegment meta = extended ? data : metadata;
        long refMask = referenceMask();
        for (int i = 0; i < blocks; i++) {
            long at = tupleAt(i);
            int tag = PiTuple.applicationTag(format, meta, at);
            long ref = PiTuple.reference(format, meta, at) & refMask;
            if (tag == 0xFFFF && (type != PiType.TYPE_3 || ref == refMask)) {
                continue; // the escape values: this block is not checked
            }
            if ((prinfo & Prinfo.CHECK_GUARD) != 0 && PiTuple.guard(format, meta, at) != guard(data, metadata, i)) {
                return ((long) i << 4) | Prinfo.CHECK_GUARD;
            }
            if ((prinfo & Prinfo.CHECK_APPLICATION_TAG) != 0 && ((tag ^ appTag) & appMask) != 0) {
                return ((long) i << 4) | Prinfo.CHECK_APPLICATION_TAG;
            }
            if ((prinfo & Prinfo.CHECK_REFERENCE_TAG) != 0 && type != PiType.TYPE_3
                    && ref != expectedReference(referenceTag, i)) {
                return ((long) i << 4) | Prinfo.CHECK_REFERENCE_TAG;
            }
        }
        return VERIFIED;
    }

    /**
     * The block of a {@link #verify} failure.
     *
     * @param result what {@link #verify} returned, not {@link #VERIFIED}
     * @return the block's index in the buffers
     */
    public static int failedBlock(long result) {
        return (int) (result >>> 4);
    }

    /**
     * The check of a {@link #verify} failure.
     *
     * @param result what {@link #verify} returned, not {@link #VERIFIED}
     * @return {@link Prinfo#CHECK_GUARD}, {@link Prinfo#CHECK_APPLICATION_TAG} or {@link Prinfo#CHECK_REFERENCE_TAG}
     */
    public static int failedCheck(long result) {
        return (int) (result & 0xF);
    }

    /**
     * The offset of block {@code block}'s tuple: in the data buffer when extended, else in the metadata buffer.
     *
     * @param block the block's index in the buffers
     * @return bytes
     */
    public long tupleAt(int block) {
        return extended ? (long) block * (lbaSize + metadataSize) + lbaSize + tupleOffset()
                : (long) block * metadataSize + tupleOffset();
    }

    private long expectedReference(long first, int block) {
        return (type.incrementsReferenceTag() ? first + block : first) & referenceMask();
    }

    private long referenceMask() {
        int bits = referenceTagBits();
        return bits >= 64 ? -1L : (1L << bits) - 1;
    }

    private void requireEnabled() {
        if (!enabled()) {
            throw new IllegalStateException("this format has no protection information");
        }
    }
}
