package io.github.jring.nvme;

import io.github.jring.core.internal.Json;
import io.github.jring.nvme.command.DirectiveReceive;
import io.github.jring.nvme.command.GetFeatures;
import io.github.jring.nvme.command.GetLogPage;
import io.github.jring.nvme.command.IoManagementReceive;
import io.github.jring.nvme.command.IoManagementSend;
import io.github.jring.nvme.command.PlacementIds;
import io.github.jring.nvme.command.Write;
import io.github.jring.nvme.data.DirectiveParameters;
import io.github.jring.nvme.data.FdpConfiguration;
import io.github.jring.nvme.data.FdpConfigurations;
import io.github.jring.nvme.data.FdpStatistics;
import io.github.jring.nvme.data.ReclaimUnitHandleStatus;
import io.github.jring.nvme.data.ReclaimUnitHandleStatusDescriptor;
import io.github.jring.nvme.data.ReclaimUnitHandleUsage;
import io.github.jring.nvme.status.NvmeStatusCode;
import io.github.jring.nvme.status.NvmeStatusException;
import io.github.jring.vm.Flavour612;
import io.github.jring.vm.GuestTools;
import io.github.jring.vm.RequiresFlavour;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Flexible Data Placement on qemu 10's FDP controller (6.12 flavour, {@code /dev/nvme1}: one reclaim group, 8 reclaim
 * unit handles of 16 MiB reclaim units; {@code ng1n1} has placement handles 0-7, {@code ng1n2} handles 0 and 1 on
 * reclaim unit handles 2 and 5): the log pages, I/O Management Receive/Send and writes with the Data Placement
 * directive, each checked against {@code nvme fdp ...} (nvme-cli 2.4: configs, usage, stats, events, status, update,
 * set-events).
 */
@RequiresFlavour(value = Flavour612.NAME, devices = {Flavour612.FDP_NS_CHAR, Flavour612.FDP_SUBSET_NS_CHAR})
class FdpIT {

    private static final int ENDGID = 1;
    private static NvmeController ctrl;
    private static NvmeNamespace ns;
    private static NvmeNamespace subset;

    @BeforeAll
    static void open() throws IOException {
        GuestTools.requireVm();
        ctrl = NvmeController.open(Flavour612.FDP_CONTROLLER);
        ns = NvmeNamespace.open(Flavour612.FDP_NS_CHAR);
        subset = NvmeNamespace.open(Flavour612.FDP_SUBSET_NS_CHAR);
    }

    @AfterAll
    static void close() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {subset, ns, ctrl}) {
            if (c != null) {
                c.close();
            }
        }
    }

    private static ReclaimUnitHandleStatus status(NvmeNamespace n) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(4096, 4096);
            n.execute(IoManagementReceive.reclaimUnitHandleStatus(n.nsid(), buf));
            return ReclaimUnitHandleStatus.decode(buf);
        }
    }

    private static FdpStatistics statistics() throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(FdpStatistics.SIZE, 4096);
            ctrl.execute(GetLogPage.fdpStatistics(ENDGID, buf));
            return FdpStatistics.decode(buf);
        }
    }

    private static List<Map<String, Object>> cliStatus(String dev) {
        return Json.array(Json.at(GuestTools.nvmeJson("fdp", "status", dev), "ruhss")).stream()
                .map(Json::object).toList();
    }

    private static long number(Object o) {
        return o instanceof Number n ? n.longValue() : Long.parseLong(o.toString());
    }

    @Test
    void configurationsLogMatchesNvmeCli() throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(4096, 4096);
            ctrl.execute(GetLogPage.fdpConfigurations(ENDGID, buf));
            FdpConfigurations log = FdpConfigurations.decode(buf);
            assertEquals(1, log.configurations().size());
            FdpConfiguration c = log.configurations().getFirst();
            Map<String, Object> cli = Json.object(Json.array(Json.at(
                    GuestTools.nvmeJson("fdp", "configs", Flavour612.FDP_CONTROLLER, "-e", "1"), "configs")).getFirst());
            assertEquals(number(cli.get("fdpa")), c.attributes());
            assertEquals(number(cli.get("nrg")), c.reclaimGroups());
            assertEquals(number(cli.get("nruh")), c.reclaimUnitHandles());
            assertEquals(number(cli.get("nnss")), c.namespacesSupported());
            assertEquals(number(cli.get("runs")), c.reclaimUnitSize());
            assertEquals(number(cli.get("erutl")), c.estimatedTimeLimit());
            // What the flavour configures: fdp.nrg=1, fdp.nruh=8, fdp.runs=16M.
            assertTrue(c.valid());
            assertEquals(0, c.reclaimGroupIdFormat(), "one reclaim group: placement identifier = placement handle");
            assertEquals(8, c.reclaimUnitHandles());
            assertEquals(16L << 20, c.reclaimUnitSize());
            assertEquals(8, c.handleTypes().size());
        }
    }

    @Test
    void usageLogAndFeatureMatchNvmeCli() throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(8 + 8 * 8, 4096);
            ctrl.execute(GetLogPage.reclaimUnitHandleUsage(ENDGID, buf));
            ReclaimUnitHandleUsage usage = ReclaimUnitHandleUsage.decode(buf);
            List<Long> cli = Json.array(Json.at(GuestTools.nvmeJson("fdp", "usage", Flavour612.FDP_CONTROLLER, "-e",
                    "1"), "ruhus")).stream().map(o -> number(Json.object(o).get("ruha"))).toList();
            assertEquals(cli, usage.attributes().stream().map(Integer::longValue).toList());
            assertEquals(8, usage.attributes().size());
        }
        long fdp = ctrl.execute(GetFeatures.fdp(ENDGID));
        assertEquals(1, fdp & 1, "FDPE: FDP is enabled on the endurance group");
    }

    @Test
    void statusListsEachPlacementHandleAsNvmeCliDoes() throws IOException {
        ReclaimUnitHandleStatus s = status(ns);
        assertEquals(8, s.count());
        List<Map<String, Object>> cli = cliStatus(Flavour612.FDP_NS_CHAR);
        for (int ph = 0; ph < 8; ph++) {
            ReclaimUnitHandleStatusDescriptor d = s.descriptors().get(ph);
            assertEquals(ph, d.placementId());
            assertEquals(ph, d.reclaimUnitHandle());
            assertEquals(number(cli.get(ph).get("ruhid")), d.reclaimUnitHandle());
            assertEquals(number(cli.get(ph).get("ruamw")), d.availableMediaWrites());
        }
        ReclaimUnitHandleStatus sub = status(subset);
        assertEquals(2, sub.count());
        assertEquals(List.of(2, 5), sub.descriptors().stream().map(ReclaimUnitHandleStatusDescriptor::reclaimUnitHandle)
                .toList(), "fdp.ruhs=2;5");
    }

    @Test
    void writesToEachPlacementHandleMoveOnlyThatHandleAndTheStatistics() throws IOException {
        int lba = ns.lbaSize();
        int blocks = 16;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment data = a.allocate((long) blocks * lba, 4096);
            data.fill((byte) 0x5A);
            for (int ph = 0; ph < 8; ph++) {
                ReclaimUnitHandleStatus before = status(ns);
                FdpStatistics statsBefore = statistics();
                ns.execute(new Write(ns.nsid(), 4096L * ph, blocks, data).placement(ph));
                ReclaimUnitHandleStatus after = status(ns);
                FdpStatistics statsAfter = statistics();
                for (int h = 0; h < 8; h++) {
                    long expect = before.descriptors().get(h).availableMediaWrites() - (h == ph ? blocks : 0);
                    assertEquals(expect, after.descriptors().get(h).availableMediaWrites(),
                            "RUAMW of placement handle " + h + " after " + blocks + " blocks through handle " + ph);
                }
                BigInteger bytes = BigInteger.valueOf((long) blocks * lba);
                assertEquals(statsBefore.hostBytesWritten().add(bytes), statsAfter.hostBytesWritten(), "HBMW");
                assertEquals(statsBefore.mediaBytesWritten().add(bytes), statsAfter.mediaBytesWritten(), "MBMW");
            }
        }
        // nvme-cli reads the same counters.
        List<Map<String, Object>> cli = cliStatus(Flavour612.FDP_NS_CHAR);
        ReclaimUnitHandleStatus now = status(ns);
        for (int h = 0; h < 8; h++) {
            assertEquals(number(cli.get(h).get("ruamw")), now.descriptors().get(h).availableMediaWrites());
        }
        Map<String, Object> stats = Json.object(GuestTools.nvmeJson("fdp", "stats", Flavour612.FDP_CONTROLLER, "-e",
                "1"));
        FdpStatistics mine = statistics();
        assertEquals(new BigInteger(stats.get("hbmw").toString()), mine.hostBytesWritten());
        assertEquals(new BigInteger(stats.get("mbmw").toString()), mine.mediaBytesWritten());
    }

    @Test
    void reclaimUnitHandleUpdateStartsAFreshReclaimUnit() throws IOException {
        int lba = ns.lbaSize();
        long full = (16L << 20) / lba;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment data = a.allocate(8L * lba, 4096);
            ns.execute(new Write(ns.nsid(), 100_000, 8, data).placement(3));
            assertTrue(status(ns).descriptors().get(3).availableMediaWrites() < full);
            ns.execute(IoManagementSend.update(ns.nsid(), a.allocate(4), 3));
            assertEquals(full, status(ns).descriptors().get(3).availableMediaWrites(),
                    "after Reclaim Unit Handle Update the handle references an empty reclaim unit");
        }
    }

    @Test
    void aPlacementHandleTheNamespaceLacksIsRefusedBeforeTheDevice() throws IOException {
        int handles = status(subset).count();
        assertEquals(2, handles);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PlacementIds.requireHandle(2, handles));
        assertTrue(e.getMessage().contains("placement handle 2"), e.getMessage());
        assertEquals(1, PlacementIds.requireHandle(1, handles));
    }

    @Test
    void directiveIdentifyShowsDataPlacementAndStreamsIsInvalid() throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(DirectiveParameters.SIZE, 4096);
            ctrl.execute(DirectiveReceive.identify(1, buf));
            DirectiveParameters p = DirectiveParameters.decode(buf);
            assertTrue(p.supports(DirectiveReceive.DTYPE_IDENTIFY));
            assertTrue(p.isEnabled(DirectiveReceive.DTYPE_IDENTIFY));
            assertFalse(p.supports(DirectiveReceive.DTYPE_STREAMS), "qemu has no streams (nvme dir-receive says so)");
            String cli = GuestTools.run("nvme", "dir-receive", Flavour612.FDP_CONTROLLER, "-n", "1", "-D", "0", "-O",
                    "1", "-H").checkSuccess().stdout();
            assertTrue(cli.contains("Stream Directive    : not supported"), cli);
            assertTrue(p.supports(DirectiveReceive.DTYPE_DATA_PLACEMENT), "supported: " + p);
            assertTrue(p.isEnabled(DirectiveReceive.DTYPE_DATA_PLACEMENT), "enabled: " + p);

            NvmeStatusException ex = assertThrows(NvmeStatusException.class,
                    () -> ctrl.execute(DirectiveReceive.streamsParameters(1, a.allocate(32, 4096))));
            assertEquals(NvmeStatusCode.INVALID_FIELD, ex.code());
        }
    }
}
