package io.github.jring.examples;

import io.github.jring.core.ErrnoException;
import io.github.jring.nvme.data.IdentifyController;
import io.github.jring.nvme.data.IdentifyNamespace;
import io.github.jring.nvme.NvmeNamespace;
import io.github.jring.nvme.NvmeQueue;
import io.github.jring.nvme.command.Read;
import io.github.jring.nvme.status.NvmeStatusCode;
import io.github.jring.vm.GuestTools;
import io.github.jring.core.internal.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Runs every NVMe example of the cookbook ({@code docs/cookbook.md}, {@code docs/getting-started.md}) inside the
 * jring VM against its emulated controller, and checks each result with nvme-cli, which shares no code with jring.
 * Uses LBAs from {@link #BASE} on namespace 1 and the last zone of namespace 2.
 */
class ExamplesIT {

    /** 512 MiB into namespace 1 with 512-byte blocks: away from the other IT classes' ranges. */
    private static final long BASE = 1L << 20;

    private static int lba;

    @BeforeAll
    static void vm() {
        GuestTools.requireVm();
        lba = GuestTools.lbaSize(GuestTools.NS1_CHAR);
    }

    private static byte[] random(int bytes, long seed) {
        byte[] b = new byte[bytes];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void firstPassthroughRead() throws Exception {
        byte[] written = random(8 * lba, 1);
        GuestTools.nvmeWrite(GuestTools.NS1_CHAR, BASE, written);
        assertArrayEquals(written, FirstPassthroughRead.read(GuestTools.NS1_CHAR, BASE, 8));
        FirstPassthroughRead.main(new String[] {GuestTools.NS1_CHAR.toString()});
    }

    @Test
    void queueDepthReads() throws Exception {
        int commands = 16;
        int blocksPer = 65536 / lba;
        long slba = BASE + 1024;
        byte[] written = random(commands * 65536, 2);
        for (int i = 0; i < commands; i += 4) { // one nvme-cli write per 256 KiB: within the controller's MDTS
            GuestTools.nvmeWrite(GuestTools.NS1_CHAR, slba + (long) i * blocksPer,
                    Arrays.copyOfRange(written, i * 65536, (i + 4) * 65536));
        }
        try (NvmeNamespace ns = NvmeNamespace.open(GuestTools.NS1_CHAR); Arena arena = Arena.ofConfined()) {
            MemorySegment into = arena.allocate(written.length, 4096);
            assertEquals(commands, QueueDepthReads.read(ns, slba, commands, blocksPer, 4, into)); // refills 12 times
            assertArrayEquals(written, into.toArray(JAVA_BYTE));
        }
        QueueDepthReads.main(new String[] {GuestTools.NS1_CHAR.toString()});
    }

    /**
     * What the queue depth example works around, and {@code docs/nvme-passthrough.md} describes: on the 6.1 guest
     * kernel a fixed-buffer passthrough command fails with EINVAL when the registered buffer has more pages from the
     * command's start to its end than the queue's max_segments (127 here), whatever the command's own size.
     */
    @Test
    void fixedBufferLongerThanMaxSegmentsOn61() throws Exception {
        assumeTrue(System.getProperty("os.version").startsWith("6.1."), "documents the 6.1 guest kernel's behaviour");
        int maxSegments = Integer.parseInt(GuestTools.sysfsQueue(GuestTools.NS1_CHAR, "max_segments").strip());
        try (NvmeNamespace ns = NvmeNamespace.open(GuestTools.NS1_CHAR); Arena arena = Arena.ofConfined();
             NvmeQueue q = NvmeQueue.open(ns, 4)) {
            MemorySegment buf = arena.allocate((maxSegments + 1) * 4096L, 4096);
            q.ring().registerBuffers(buf);
            Read read = new Read(ns.nsid(), BASE, 4096 / lba);
            ErrnoException e = assertThrows(ErrnoException.class, () -> q.executeFixed(read.data(buf, 0, 4096), 0));
            assertEquals("EINVAL", e.errnoName(), "maxSegments + 1 pages from the start");
            q.executeFixed(read.data(buf, 4096, 4096), 0);          // maxSegments pages from there: accepted
        }
    }

    @Test
    void identify() throws Exception {
        IdentifyController c = IdentifyDevice.controller(GuestTools.CONTROLLER);
        Map<String, Object> cli = GuestTools.idCtrl();
        assertEquals(String.valueOf(cli.get("sn")).strip(), c.serial().strip());
        assertEquals(String.valueOf(cli.get("mn")).strip(), c.model().strip());
        assertEquals(Json.longValue(cli.get("mdts")), c.mdts());

        IdentifyNamespace n = IdentifyDevice.namespace(GuestTools.NS1_CHAR);
        Map<String, Object> ns = GuestTools.idNs(GuestTools.NS1_CHAR);
        assertEquals(Json.longValue(ns.get("nsze")), n.nsze());
        assertEquals(lba, n.lbaSize());
        IdentifyDevice.main(new String[] {GuestTools.CONTROLLER.toString(), GuestTools.NS1_CHAR.toString()});
    }

    @Test
    void zoneAppend() throws Exception {
        int records = 16;
        long zoneBlocks = GuestTools.ZONE_SIZE_BYTES / GuestTools.lbaSize(GuestTools.NS2_CHAR);
        List<Map<String, Object>> zones = GuestTools.reportZones(GuestTools.NS2_CHAR);
        int zone = zones.size() - 1;
        long zslba = zone * zoneBlocks;

        long[] at = ZoneAppendRecords.append(GuestTools.NS2_CHAR, zone, records);
        long[] sorted = at.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < records; i++) {
            assertEquals(zslba + i, sorted[i], "the appends fill the zone from its start, each block once");
        }
        int zlba = GuestTools.lbaSize(GuestTools.NS2_CHAR);
        ByteBuffer readBack = ByteBuffer.wrap(GuestTools.nvmeRead(GuestTools.NS2_CHAR, zslba, records))
                .order(ByteOrder.nativeOrder());
        for (int i = 0; i < records; i++) {
            assertEquals(i, readBack.getInt((int) (at[i] - zslba) * zlba),
                    "record " + i + " is where its completion said, LBA " + at[i]);
        }
        Map<String, Object> z = GuestTools.reportZones(GuestTools.NS2_CHAR).get(zone);
        assertEquals(zslba + records, Json.longValue(z.get("wp")), "the write pointer moved past the records");

        ZoneAppendRecords.main(new String[] {GuestTools.NS2_CHAR.toString()}); // resets the last zone first
        GuestTools.run("nvme", "zns", "reset-zone", GuestTools.NS2_CHAR.toString(), "--start-lba=" + zslba)
                .checkSuccess();
    }

    @Test
    void statusAndErrors() throws Exception {
        StatusAndErrors.Failures f = StatusAndErrors.provoke(GuestTools.NS1_CHAR);
        assertEquals(NvmeStatusCode.LBA_OUT_OF_RANGE, f.pastTheEnd());
        assertTrue(f.dnr(), "QEMU sets Do Not Retry on LBA Out of Range");
        assertTrue(f.message().contains("LBA Out of Range"), f.message());
        assertEquals("EFAULT", f.kernelErrno());
        StatusAndErrors.main(new String[] {GuestTools.NS1_CHAR.toString()});
    }

    @Test
    void asyncPassthroughFromVirtualThreads() throws Exception {
        int threads = 32;
        long slba = BASE + 4096;
        byte[] written = random(threads * 8 * lba, 3);
        GuestTools.nvmeWrite(GuestTools.NS1_CHAR, slba, written);
        assertArrayEquals(written, AsyncPassthrough.read(GuestTools.NS1_CHAR, slba, threads));
        AsyncPassthrough.main(new String[] {GuestTools.NS1_CHAR.toString()});
    }
}
