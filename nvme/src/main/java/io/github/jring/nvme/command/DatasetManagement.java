package io.github.jring.nvme.command;

import io.github.jring.nvme.NvmeNamespace;
import io.github.jring.nvme.data.IdentifyNamespace;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Dataset Management (NVM Command Set, opcode 09h): attributes for up to 256 ranges of logical blocks; with the
 * Attribute - Deallocate bit it is NVMe's TRIM/discard: "the NVM subsystem may deallocate all provided ranges". What a
 * read of a deallocated block returns is the namespace's DLFEAT (Identify Namespace byte 33, bits 2:0: 001b all
 * zeroes, 010b all ones, 000b not reported); see {@link IdentifyNamespace#deallocatedReadsZeroes()}. Support is
 * optional: Identify Controller ONCS bit 2.
 *
 * <pre>
 *   CDW10     bits 7:0  NR  number of ranges (0-based)
 *   CDW11     bit 0 IDR integral dataset for read, bit 1 IDW integral dataset for write, bit 2 AD deallocate
 *   data      NR+1 range entries of 16 bytes:
 *             bytes 3:0 context attributes, 7:4 length in logical blocks (1-based), 15:8 starting LBA
 * </pre>
 * Fill the range buffer with {@link #range(MemorySegment, int, long, int)}.
 * <p>Read-only handles ({@link NvmeNamespace#openReadOnly}) refuse it with deallocate set, and allow hints alone.
 */
public final class DatasetManagement extends NvmeCommand<DatasetManagement> {

    /** Opcode 09h. */
    public static final int OPCODE = 0x09;
    /** Bytes per range entry. */
    public static final int RANGE_SIZE = 16;
    /** Most ranges in one command. */
    public static final int MAX_RANGES = 256;

    /**
     * A Dataset Management command over {@code ranges} entries of {@code rangeBuffer}.
     *
     * @param nsid        the namespace
     * @param ranges      number of range entries, 1 to 256
     * @param rangeBuffer native memory of at least {@code ranges * 16} bytes, filled with {@link #range}
     */
    public DatasetManagement(int nsid, int ranges, MemorySegment rangeBuffer) {
        super(false, OPCODE, nsid);
        ranges(ranges);
        data(rangeBuffer);
    }

    /**
     * Sets the number of ranges (CDW10 bits 7:0, 0-based).
     *
     * @param ranges 1 to 256
     * @return this command
     */
    public DatasetManagement ranges(int ranges) {
        if (ranges < 1 || ranges > MAX_RANGES) {
            throw new IllegalArgumentException("ranges must be 1.." + MAX_RANGES + ": " + ranges);
        }
        cdw10 = ranges - 1;
        return this;
    }

    /**
     * The number of ranges.
     *
     * @return 1 to 256
     */
    public int ranges() {
        return (cdw10 & 0xFF) + 1;
    }

    /**
     * Attribute - Deallocate (CDW11 bit 2).
     *
     * @param on whether to set it
     * @return this command
     */
    public DatasetManagement deallocate(boolean on) {
        cdw11 = bit(cdw11, 2, on);
        return this;
    }

    /**
     * Attribute - Integral Dataset for Write (CDW11 bit 1): the ranges will be written as a whole.
     *
     * @param on whether to set it
     * @return this command
     */
    public DatasetManagement integralWrite(boolean on) {
        cdw11 = bit(cdw11, 1, on);
        return this;
    }

    /**
     * Attribute - Integral Dataset for Read (CDW11 bit 0): the ranges will be read as a whole.
     *
     * @param on whether to set it
     * @return this command
     */
    public DatasetManagement integralRead(boolean on) {
        cdw11 = bit(cdw11, 0, on);
        return this;
    }

    /**
     * Writes range entry {@code index} into a range buffer, with no context attributes.
     *
     * @param rangeBuffer the buffer
     * @param index       entry number, from 0
     * @param slba        first logical block of the range
     * @param blocks      its length in logical blocks (a 32-bit count, 1-based)
     */
    public static void range(MemorySegment rangeBuffer, int index, long slba, int blocks) {
        range(rangeBuffer, index, slba, blocks, 0);
    }

    /**
     * Writes range entry {@code index} into a range buffer.
     *
     * @param rangeBuffer       the buffer
     * @param index             entry number, from 0
     * @param slba              first logical block of the range
     * @param blocks            its length in logical blocks (1-based, unsigned 32 bits)
     * @param contextAttributes context attributes (access frequency, latency ... ; 0 for none)
     */
    public static void range(MemorySegment rangeBuffer, int index, long slba, int blocks, int contextAttributes) {
        if (index < 0 || index >= MAX_RANGES) {
            throw new IllegalArgumentException("range index must be 0.." + (MAX_RANGES - 1) + ": " + index);
        }
        long base = (long) index * RANGE_SIZE;
        rangeBuffer.set(JAVA_INT, base, contextAttributes);
        rangeBuffer.set(JAVA_INT, base + 4, blocks);
        rangeBuffer.set(JAVA_LONG, base + 8, slba);
    }

    @Override
    public long requiredDataLength(int lbaDataSize) {
        return (long) ranges() * RANGE_SIZE;
    }

    @Override
    public String describe() {
        return "Dataset Management (nsid " + Integer.toUnsignedString(nsid) + ", " + ranges() + " ranges"
                + ((cdw11 & 4) != 0 ? ", deallocate)" : ")");
    }

    /**
     * With Attribute - Deallocate the blocks' contents may change (a read returns DLFEAT's value), so a read-only
     * handle refuses it; the integral-dataset hints alone change nothing and are allowed.
     *
     * @return whether the deallocate bit is set
     */
    @Override
    public boolean writesMedium() {
        return (cdw11 & 4) != 0;
    }

    @Override
    public String name() {
        return "Dataset Management";
    }
}
