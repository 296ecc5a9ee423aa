package io.github.jring.nvme;

import io.github.jring.nvme.command.Write;
import io.github.jring.nvme.command.ZoneAction;
import io.github.jring.nvme.command.ZoneAppend;
import io.github.jring.nvme.command.ZoneManagementReceive;
import io.github.jring.nvme.command.ZoneManagementSend;
import io.github.jring.nvme.command.ZoneReportFilter;
import io.github.jring.nvme.data.ZoneDescriptor;
import io.github.jring.nvme.data.ZoneReport;
import io.github.jring.nvme.data.ZoneState;
import io.github.jring.nvme.status.PassthroughOutcome;
import io.github.jring.nvme.status.NvmeStatusCode;
import io.github.jring.nvme.status.NvmeStatusException;
import io.github.jring.vm.GuestTools;
import io.github.jring.core.internal.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The zoned namespace (ns 2 of the VM): Zone Management Send/Receive, Zone Append's returned LBA, zone errors by name,
 * and jring's zone report against {@code nvme zns report-zones -o json}.
 */
class ZonedIT {

    private static NvmeNamespace ns;
    private static NvmeQueue queue;
    private static int lba;
    private static long zoneSize;
    private static int zones;
    private Arena arena;

    @BeforeAll
    static void open() throws IOException {
        GuestTools.requireVm();
        ns = NvmeNamespace.open(GuestTools.NS2_CHAR);
        queue = NvmeQueue.open(ns, 32);
        lba = ns.lbaSize();
        zoneSize = ns.zoneSize();
        zones = (int) (ns.blocks() / zoneSize);
    }

    @AfterAll
    static void close() throws IOException {
        if (queue != null) {
            queue.execute(new ZoneManagementSend(ns.nsid(), 0, ZoneAction.RESET).allZones(true));
            queue.close();
        }
        if (ns != null) {
            ns.close();
        }
    }

    @BeforeEach
    void resetAll() throws IOException {
        arena = Arena.ofConfined();
        queue.execute(new ZoneManagementSend(ns.nsid(), 0, ZoneAction.RESET).allZones(true));
    }

    @AfterEach
    void freeArena() {
        arena.close();
    }

    private static long zone(int i) {
        return i * zoneSize;
    }

    private ZoneReport report(ZoneReportFilter filter) throws IOException {
        MemorySegment buf = arena.allocate(ZoneReport.bufferSize(zones), 4096);
        queue.execute(new ZoneManagementReceive(ns.nsid(), 0, buf).filter(filter));
        return ZoneReport.decode(buf, 0);
    }

    private static String cliState(ZoneState s) {
        return switch (s) {
            case EMPTY -> "EMPTY";
            case IMPLICITLY_OPENED -> "IMP_OPENED";
            case EXPLICITLY_OPENED -> "EXP_OPENED";
            case CLOSED -> "CLOSED";
            case READ_ONLY -> "READONLY";
            case FULL -> "FULL";
            case OFFLINE -> "OFFLINE";
        };
    }

    private void assertReportEqualsNvmeCli(String when) throws IOException {
        ZoneReport mine = report(ZoneReportFilter.ALL);
        List<Map<String, Object>> cli = GuestTools.reportZones(GuestTools.NS2_BLOCK);
        assertEquals(cli.size(), mine.matchingZones(), when + ": number of zones");
        assertEquals(cli.size(), mine.zones().size(), when);
        for (int i = 0; i < cli.size(); i++) {
            Map<String, Object> c = cli.get(i);
            ZoneDescriptor z = mine.zones().get(i);
            String where = when + ", zone " + i;
            assertEquals(Json.longValue(c.get("slba")), z.zslba(), where + " slba");
            // A Full zone's write pointer is undefined; QEMU reports all ones, which nvme-cli prints as a u64.
            assertEquals(new java.math.BigInteger(c.get("wp").toString()),
                    new java.math.BigInteger(Long.toUnsignedString(z.writePointer())), where + " wp");
            assertEquals(Json.longValue(c.get("cap")), z.capacity(), where + " cap");
            assertEquals(c.get("state"), cliState(z.state()), where + " state");
            assertEquals("SEQWRITE_REQ", c.get("type"), where);
            assertEquals(ZoneDescriptor.TYPE_SEQUENTIAL_WRITE_REQUIRED, z.type(), where + " type");
            assertEquals(Json.longValue(c.get("attrs")), z.attributes(), where + " attrs");
        }
    }

    private MemorySegment pattern(int blocks, long seed) {
        MemorySegment s = arena.allocate((long) blocks * lba, 4096);
        Patterns.fill(s, seed);
        return s;
    }

    @Test
    void zoneReportEqualsNvmeCliAfterAppendsWritesStateChangesAndResets() throws IOException {
        assertReportEqualsNvmeCli("after reset all");
        ZoneReport empty = report(ZoneReportFilter.ALL);
        for (ZoneDescriptor z : empty.zones()) {
            assertEquals(ZoneState.EMPTY, z.state());
            assertEquals(z.zslba(), z.writePointer());
        }
        assertEquals(GuestTools.ZONE_CAPACITY_BYTES / lba, empty.zones().getFirst().capacity());

        queue.execute(new ZoneAppend(ns.nsid(), zone(0), 8, pattern(8, 1)));
        queue.execute(new ZoneAppend(ns.nsid(), zone(0), 4, pattern(4, 2)));
        ns.execute(new Write(ns.nsid(), zone(1), 16, pattern(16, 3)));                  // at the write pointer
        queue.execute(new ZoneManagementSend(ns.nsid(), zone(2), ZoneAction.OPEN));
        queue.execute(new ZoneAppend(ns.nsid(), zone(3), 8, pattern(8, 4)));
        queue.execute(new ZoneManagementSend(ns.nsid(), zone(3), ZoneAction.CLOSE));
        queue.execute(new ZoneManagementSend(ns.nsid(), zone(4), ZoneAction.FINISH));
        assertReportEqualsNvmeCli("after appends, a write, open, close and finish");

        List<ZoneDescriptor> z = report(ZoneReportFilter.ALL).zones();
        assertEquals(ZoneState.IMPLICITLY_OPENED, z.get(0).state());
        assertEquals(zone(0) + 12, z.get(0).writePointer());
        assertEquals(12, z.get(0).written());
        assertEquals(zone(1) + 16, z.get(1).writePointer());
        assertEquals(ZoneState.EXPLICITLY_OPENED, z.get(2).state());
        assertEquals(ZoneState.CLOSED, z.get(3).state());
        assertEquals(zone(3) + 8, z.get(3).writePointer());
        assertEquals(ZoneState.FULL, z.get(4).state());

        queue.execute(new ZoneManagementSend(ns.nsid(), zone(0), ZoneAction.RESET));
        queue.execute(new ZoneManagementSend(ns.nsid(), zone(4), ZoneAction.RESET));
        assertReportEqualsNvmeCli("after resetting zones 0 and 4");
        z = report(ZoneReportFilter.ALL).zones();
        assertEquals(ZoneState.EMPTY, z.get(0).state());
        assertEquals(zone(0), z.get(0).writePointer());
        assertEquals(ZoneState.EMPTY, z.get(4).state());
    }

    @Test
    void zoneAppendReturnsTheLbaItWroteAt() throws IOException {
        MemorySegment a = pattern(8, 10);
        MemorySegment b = pattern(8, 11);
        long first = ns.execute(new ZoneAppend(ns.nsid(), zone(5), 8, a));     // ioctl: result field
        long second = queue.execute(new ZoneAppend(ns.nsid(), zone(5), 8, b)); // uring_cmd: big_cqe[0]
        assertEquals(zone(5), first);
        assertEquals(zone(5) + 8, second);
        MemorySegment in = arena.allocate(16L * lba, 4096);
        ns.read(zone(5), in);
        Patterns.assertSame(a, in.asSlice(0, 8L * lba), "first append");
        Patterns.assertSame(b, in.asSlice(8L * lba, 8L * lba), "second append");
    }

    @Test
    void concurrentAppendsToOneZoneEachLearnWhereTheyLanded() throws IOException {
        int n = 16;
        int blocks = 4;
        MemorySegment[] data = new MemorySegment[n];
        for (int i = 0; i < n; i++) {
            data[i] = pattern(blocks, 100 + i);
            assertTrue(queue.prep(new ZoneAppend(ns.nsid(), zone(6), blocks, data[i]), i));
        }
        queue.submit();
        long[] landed = new long[n];
        int[] res = new int[n];
        assertEquals(n, queue.waitAndReap(n, (userData, r, result) -> {
            res[(int) userData] = r;
            landed[(int) userData] = result;
        }));
        Set<Long> distinct = new HashSet<>();
        MemorySegment in = arena.allocate((long) blocks * lba, 4096);
        for (int i = 0; i < n; i++) {
            assertEquals(0, res[i], "append " + i + ": " + PassthroughOutcome.describe(res[i]));
            long at = landed[i];
            assertTrue(at >= zone(6) && at < zone(6) + (long) n * blocks && (at - zone(6)) % blocks == 0,
                    "append " + i + " landed at " + at);
            assertTrue(distinct.add(at), "two appends reported LBA " + at);
            ns.read(at, in);
            Patterns.assertSame(data[i], in, "the data at the LBA append " + i + " reported");
        }
        assertEquals(zone(6) + (long) n * blocks, report(ZoneReportFilter.ALL).zones().get(6).writePointer());
    }

    @Test
    void zoneErrorsAreNamedAndTheQueueGoesOn() throws IOException {
        MemorySegment data = pattern(8, 20);
        queue.execute(new ZoneManagementSend(ns.nsid(), zone(7), ZoneAction.FINISH));
        NvmeStatusException full = assertThrows(NvmeStatusException.class,
                () -> queue.execute(new ZoneAppend(ns.nsid(), zone(7), 8, data)));
        assertEquals(NvmeStatusCode.ZONE_IS_FULL, full.code(), full.getMessage());
        assertTrue(full.getMessage().contains("Zone Is Full"), full.getMessage());
        NvmeStatusException fullWrite = assertThrows(NvmeStatusException.class,
                () -> ns.execute(new Write(ns.nsid(), zone(7), 8, data)));
        assertEquals(NvmeStatusCode.ZONE_IS_FULL, fullWrite.code(), fullWrite.getMessage());

        queue.execute(new ZoneAppend(ns.nsid(), zone(8), 8, data));
        NvmeStatusException notAtWp = assertThrows(NvmeStatusException.class,
                () -> queue.execute(new Write(ns.nsid(), zone(8) + 64, 8, data)));
        assertEquals(NvmeStatusCode.ZONE_INVALID_WRITE, notAtWp.code(), notAtWp.getMessage());

        NvmeStatusException transition = assertThrows(NvmeStatusException.class,
                () -> queue.execute(new ZoneManagementSend(ns.nsid(), zone(9), ZoneAction.CLOSE)));
        assertEquals(NvmeStatusCode.INVALID_ZONE_STATE_TRANSITION, transition.code(), transition.getMessage());

        // Still usable: a write at the write pointer goes in.
        queue.execute(new Write(ns.nsid(), zone(8) + 8, 8, data));
        assertEquals(zone(8) + 16, report(ZoneReportFilter.ALL).zones().get(8).writePointer());
    }

    @Test
    void filtersAndPartialReports() throws IOException {
        MemorySegment data = pattern(4, 30);
        queue.execute(new ZoneAppend(ns.nsid(), zone(10), 4, data));
        queue.execute(new ZoneAppend(ns.nsid(), zone(11), 4, data));
        queue.execute(new ZoneManagementSend(ns.nsid(), zone(12), ZoneAction.FINISH));
        queue.execute(new ZoneManagementSend(ns.nsid(), zone(13), ZoneAction.FINISH));
        queue.execute(new ZoneManagementSend(ns.nsid(), zone(14), ZoneAction.FINISH));

        ZoneReport full = report(ZoneReportFilter.FULL);
        assertEquals(3, full.matchingZones());
        assertEquals(List.of(zone(12), zone(13), zone(14)), full.zones().stream().map(ZoneDescriptor::zslba).toList());
        ZoneReport open = report(ZoneReportFilter.IMPLICITLY_OPENED);
        assertEquals(List.of(zone(10), zone(11)), open.zones().stream().map(ZoneDescriptor::zslba).toList());
        ZoneReport empty = report(ZoneReportFilter.EMPTY);
        assertEquals(zones - 5, empty.matchingZones());
        assertTrue(empty.zones().stream().allMatch(d -> d.state() == ZoneState.EMPTY));

        // A buffer for two descriptors: without Partial Report the header counts every match, with it only those
        // returned. The report starts at the zone that holds SLBA.
        MemorySegment two = arena.allocate(ZoneReport.bufferSize(2), 4096);
        queue.execute(new ZoneManagementReceive(ns.nsid(), zone(3) + 17, two));
        ZoneReport all = ZoneReport.decode(two, 0);
        assertEquals(zones - 3, all.matchingZones());
        assertEquals(List.of(zone(3), zone(4)), all.zones().stream().map(ZoneDescriptor::zslba).toList());
        two.fill((byte) 0);
        queue.execute(new ZoneManagementReceive(ns.nsid(), zone(3), two).partial(true));
        ZoneReport partial = ZoneReport.decode(two, 0);
        assertEquals(2, partial.matchingZones());
        assertEquals(2, partial.zones().size());

        // The handle's convenience method is the same command.
        assertEquals(full, ns.reportZones(0, zones, ZoneReportFilter.FULL));
    }
}
