package io.github.jring.examples;

import io.github.jring.nvme.NvmeCompletionHandler;
import io.github.jring.nvme.NvmeNamespace;
import io.github.jring.nvme.NvmeQueue;
import io.github.jring.nvme.status.PassthroughOutcome;
import io.github.jring.nvme.command.ZoneAction;
import io.github.jring.nvme.command.ZoneAppend;
import io.github.jring.nvme.command.ZoneManagementSend;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Arrays;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * Zone Append on a zoned (ZNS) namespace: many writes to one zone in flight at once, the device choosing where each
 * lands and telling the host in the completion ({@code big_cqe[0]} of the 32-byte CQE). A plain Write to a zone must
 * start exactly at the write pointer, so only one can be in flight per zone; appends lift that limit.
 */
public final class ZoneAppendRecords {

    private ZoneAppendRecords() {
    }

    /**
     * Empties zone {@code zone} and appends {@code records} one-block records to it, all in flight together.
     *
     * @param device  a zoned namespace's generic device, for example {@code /dev/ng0n2}
     * @param zone    the zone's index
     * @param records how many records (at most 64 here)
     * @return {@code lba[i]}: where record {@code i} was written
     * @throws IOException if a command fails
     */
    public static long[] append(Path device, int zone, int records) throws IOException {
        // snippet:zone-append
        try (NvmeNamespace ns = NvmeNamespace.open(device);
             NvmeQueue queue = NvmeQueue.open(ns, 64);
             Arena arena = Arena.ofConfined()) {
            int lba = ns.lbaSize();
            long zslba = zone * ns.zoneSize();                       // zone start LBA
            queue.execute(new ZoneManagementSend(ns.nsid(), zslba, ZoneAction.RESET)); // empty, write pointer at start

            MemorySegment data = arena.allocate((long) records * lba, 4096);
            ZoneAppend append = new ZoneAppend(ns.nsid(), zslba, 1, data);
            for (int i = 0; i < records; i++) {
                data.set(JAVA_INT, (long) i * lba, i);                // record i carries its number
                queue.prep(append.data(data, (long) i * lba, lba), i); // the SQE gets a copy: reuse the object
            }
            queue.submit();                                          // all of them in one io_uring_enter

            long[] landedAt = new long[records];
            int[] status = new int[records];
            NvmeCompletionHandler onCompletion = (userData, res, result) -> {
                status[(int) userData] = res;
                landedAt[(int) userData] = result;                   // the LBA the device wrote (CQE dwords 0-1)
            };
            queue.waitAndReap(records, onCompletion);
            for (int i = 0; i < records; i++) {
                PassthroughOutcome.check(status[i], "Zone Append of record " + i);
            }
            return landedAt;
        }
        // end:zone-append
    }

    /**
     * Runs the example on the last zone.
     *
     * @param args the zoned device (default {@code /dev/ng0n2})
     * @throws IOException if it fails
     */
    public static void main(String[] args) throws IOException {
        Path device = Path.of(args.length > 0 ? args[0] : "/dev/ng0n2");
        int lastZone;
        try (NvmeNamespace ns = NvmeNamespace.open(device)) {
            lastZone = (int) (ns.blocks() / ns.zoneSize()) - 1;
        }
        System.out.println("records landed at LBAs " + Arrays.toString(append(device, lastZone, 8)));
    }
}
