package io.github.jring.bench.engine;

import io.github.jring.core.Sqe;
import io.github.jring.nvme.command.LbaCommand;
import io.github.jring.nvme.NvmeQueue;
import io.github.jring.nvme.command.Read;
import io.github.jring.nvme.command.Write;

import java.lang.foreign.MemorySegment;

/**
 * How {@code async-pt} fills an SQE, apart from its job so that host tests can check it without an NVMe device: each
 * slot has one {@link Read} and one {@link Write} on the slot's buffer, made once; an I/O sets the command's starting
 * LBA and hands it to {@link NvmeQueue#prepare} (or {@link NvmeQueue#prepareFixed} with the slot's registered buffer
 * for {@code --fixedbufs}), which checks it (arenas alive, data length) and writes the {@code IORING_OP_URING_CMD}
 * SQE with its {@code struct nvme_uring_cmd}. Allocates nothing per I/O.
 */
final class PassthroughSlots {
    private final int sqeFd;
    private final boolean fixedFile;
    private final boolean fixedBufs;
    private final int lbaSize;
    private final int lbaShift;
    private final Read[] reads;
    private final Write[] writes;
    /** End-to-end protection, from {@link #protection}: off unless set. */
    private boolean pi;
    private int prinfo;
    private int appTag;
    private int appMask;
    private long referenceMask;

    /**
     * @param nsid      the namespace's id, which every command carries
     * @param lbaSize   the namespace's LBA size, a power of two; {@code bs} is a multiple of it
     * @param bs        bytes per I/O
     * @param buffers   one buffer of at least {@code bs} bytes per slot (registered in this order with --fixedbufs)
     * @param sqeFd     the namespace's fd, or its index among the ring's registered files when {@code fixedFile}
     * @param fixedFile {@code IOSQE_FIXED_FILE} (--registerfiles)
     * @param fixedBufs {@code IORING_URING_CMD_FIXED} with the slot's buffer index (--fixedbufs)
     */
    PassthroughSlots(int nsid, int lbaSize, int bs, MemorySegment[] buffers, int sqeFd, boolean fixedFile,
                     boolean fixedBufs) {
        this.sqeFd = sqeFd;
        this.fixedFile = fixedFile;
        this.fixedBufs = fixedBufs;
        this.lbaSize = lbaSize;
        this.lbaShift = Integer.numberOfTrailingZeros(lbaSize);
        int blocks = bs / lbaSize;
        this.reads = new Read[buffers.length];
        this.writes = new Write[buffers.length];
        for (int i = 0; i < buffers.length; i++) {
            reads[i] = new Read(nsid, 0, blocks, buffers[i]);
            writes[i] = new Write(nsid, 0, blocks, buffers[i]);
        }
    }

    /** Flexible Data Placement: the placement identifiers writes cycle through (fio's roundrobin), or null. */
    private int[] placementIds;
    private int nextPlacement;

    /** Gives every write the Data Placement directive with the next of {@code placementIds}, round robin. */
    void placement(int[] placementIds) {
        this.placementIds = placementIds.clone();
    }

    /**
     * Gives every command end-to-end protection: {@code prinfo}, the Application Tag and mask, and per I/O a Reference
     * Tag that is the starting LBA under {@code referenceMask} (as fio sets it); with {@code metadata} (one buffer per
     * slot, or null) as each slot's separate metadata buffer.
     */
    void protection(int prinfo, int appTag, int appMask, long referenceMask, MemorySegment[] metadata) {
        this.pi = true;
        this.prinfo = prinfo;
        this.appTag = appTag;
        this.appMask = appMask;
        this.referenceMask = referenceMask;
        if (metadata != null) {
            for (int i = 0; i < reads.length; i++) {
                reads[i].metadata(metadata[i]);
                writes[i].metadata(metadata[i]);
            }
        }
    }

    /** Writes the SQE for one I/O of slot {@code slot} at byte {@code offset} (a multiple of the LBA size). */
    void prepare(Sqe sqe, int slot, boolean isRead, long offset) {
        if (!isRead && placementIds != null) {
            writes[slot].placement(placementIds[nextPlacement]);
            nextPlacement = nextPlacement + 1 == placementIds.length ? 0 : nextPlacement + 1;
        }
        long slba = offset >>> lbaShift;
        LbaCommand<?> cmd;
        if (pi) {
            cmd = isRead ? reads[slot].slba(slba).protection(prinfo, slba & referenceMask, appTag, appMask)
                    : writes[slot].slba(slba).protection(prinfo, slba & referenceMask, appTag, appMask);
        } else {
            cmd = isRead ? reads[slot].slba(slba) : writes[slot].slba(slba);
        }
        if (fixedBufs) {
            NvmeQueue.prepareFixed(sqe, sqeFd, fixedFile, cmd, slot, lbaSize);
        } else {
            NvmeQueue.prepare(sqe, sqeFd, fixedFile, cmd, lbaSize);
        }
    }
}
