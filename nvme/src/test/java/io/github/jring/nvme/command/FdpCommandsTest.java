package io.github.jring.nvme.command;

import io.github.jring.nvme.data.DirectiveParameters;
import io.github.jring.nvme.data.FdpConfiguration;
import io.github.jring.nvme.data.FdpConfigurations;
import io.github.jring.nvme.data.FdpEvent;
import io.github.jring.nvme.data.FdpEvents;
import io.github.jring.nvme.data.FdpStatistics;
import io.github.jring.nvme.data.ReclaimUnitHandleStatus;
import io.github.jring.nvme.data.ReclaimUnitHandleUsage;
import io.github.jring.nvme.data.StreamsParameters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.math.BigInteger;
import java.util.List;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Flexible Data Placement and directive commands: the dwords they set (NVMe Base 2.x / NVM Command Set 1.x field
 * positions), and the decoders on structures laid out byte by byte as the specification lays them out. The same
 * commands against qemu's FDP controller, checked with nvme-cli, are in FdpIT (6.12 flavour).
 */
class FdpCommandsTest {

    private final Arena arena = Arena.ofConfined();

    @AfterEach
    void close() {
        arena.close();
    }

    @Test
    void logPagesNameTheEnduranceGroupInTheLogSpecificIdentifier() {
        GetLogPage c = GetLogPage.fdpConfigurations(1, arena.allocate(512));
        assertEquals(0x20, c.cdw(10) & 0xFF, "LID");
        assertEquals(127, c.cdw(10) >>> 16, "NUMDL: 512 bytes = 128 dwords, 0-based");
        assertEquals(1, c.cdw(11) >>> 16, "LSI = ENDGID");
        assertEquals(0, c.nsid());
        assertEquals(0x21, GetLogPage.reclaimUnitHandleUsage(3, arena.allocate(72)).cdw(10) & 0xFF);
        assertEquals(3, GetLogPage.reclaimUnitHandleUsage(3, arena.allocate(72)).cdw(11) >>> 16);
        assertEquals(0x22, GetLogPage.fdpStatistics(1, arena.allocate(64)).cdw(10) & 0xFF);
        GetLogPage ev = GetLogPage.fdpEvents(1, true, arena.allocate(128));
        assertEquals(0x23, ev.cdw(10) & 0xFF);
        assertEquals(1, (ev.cdw(10) >>> 8) & 0x7F, "LSP bit 0: controller events");
        assertEquals(0, (GetLogPage.fdpEvents(1, false, arena.allocate(128)).cdw(10) >>> 8) & 0x7F);
    }

    @Test
    void ioManagementCommands() {
        IoManagementReceive r = IoManagementReceive.reclaimUnitHandleStatus(1, arena.allocate(16 + 8 * 32));
        assertEquals(0x12, r.opcode());
        assertFalse(r.isAdmin());
        assertEquals(1, r.cdw(10), "MO 01h, MOS 0");
        assertEquals((16 + 8 * 32) / 4 - 1, r.cdw(11), "NUMD, 0-based");
        assertFalse(r.writesMedium());

        MemorySegment pids = arena.allocate(8);
        IoManagementSend s = IoManagementSend.update(1, pids, 3, 0x102, 7);
        assertEquals(0x1D, s.opcode());
        assertEquals(0x0002_0001, s.cdw(10), "MO 01h, MOS = 3 identifiers, 0-based");
        assertEquals(3, pids.get(JAVA_SHORT_UNALIGNED, 0));
        assertEquals(0x102, pids.get(JAVA_SHORT_UNALIGNED, 2));
        assertEquals(7, pids.get(JAVA_SHORT_UNALIGNED, 4));
        assertEquals(0, pids.get(JAVA_SHORT_UNALIGNED, 6), "padding to a dword");
        assertEquals(8, s.requiredDataLength(512));
        assertThrows(IllegalArgumentException.class, () -> IoManagementSend.update(1, pids));
        assertThrows(IllegalArgumentException.class, () -> IoManagementSend.update(1, arena.allocate(4), 1, 2, 3));
        assertThrows(IllegalArgumentException.class, () -> IoManagementSend.update(1, pids, 0x10000));
    }

    @Test
    void featuresAndPlacement() {
        GetFeatures g = GetFeatures.fdp(1);
        assertEquals(0x1D, g.cdw(10) & 0xFF);
        assertEquals(1, g.cdw(11));
        SetFeatures s = SetFeatures.fdp(2, true, 3);
        assertEquals(0x1D, s.cdw(10) & 0xFF);
        assertEquals(2, s.cdw(11));
        assertEquals(0x0301, s.cdw(12), "FDPE bit 0, FDPCIDX bits 15:8");
        GetFeatures e = GetFeatures.fdpEvents(1, 5, 6, arena.allocate(12));
        assertEquals(0x1E, e.cdw(10) & 0xFF);
        assertEquals(0x0006_0005, e.cdw(11), "PHNDL bits 15:0, NOET bits 23:16");
        assertEquals(1, e.nsid());
        SetFeatures se = SetFeatures.fdpEvents(1, 2, true, 1, arena.allocate(4));
        assertEquals(0x0001_0002, se.cdw(11));
        assertEquals(1, se.cdw(12));

        Write w = new Write(1, 0, 8).placement(5);
        assertEquals(2, (w.cdw(12) >>> 20) & 0xF, "DTYPE 2: data placement");
        assertEquals(5, w.cdw(13) >>> 16, "DSPEC = the placement identifier");
    }

    @Test
    void directiveCommands() {
        DirectiveReceive r = DirectiveReceive.identify(1, arena.allocate(4096));
        assertEquals(0x1A, r.opcode());
        assertTrue(r.isAdmin());
        assertEquals(1023, r.cdw(10), "NUMD 0-based");
        assertEquals(0x0001, r.cdw(11), "DOPER 01h, DTYPE 00h");
        assertEquals(0x0101, DirectiveReceive.streamsParameters(1, arena.allocate(32)).cdw(11));
        DirectiveSend en = DirectiveSend.enable(1, DirectiveReceive.DTYPE_STREAMS, true);
        assertEquals(0x19, en.opcode());
        assertEquals(0x0001, en.cdw(11));
        assertEquals(0x0101, en.cdw(12), "ENDIR bit 0, TDTYPE bits 15:8");
        assertEquals(0x0000, DirectiveSend.enable(1, DirectiveReceive.DTYPE_IDENTIFY, false).cdw(12));
        assertEquals(0x0007_0101, DirectiveSend.releaseStream(1, 7).cdw(11), "DSPEC = stream, DTYPE 1, DOPER 1");
        assertEquals(0x0102, DirectiveSend.releaseStreamResources(1).cdw(11));
    }

    @Test
    void placementIdentifiers() {
        assertArrayEquals(new int[] {0, 2, 3, 4}, PlacementIds.parse("0,2-4"));
        assertArrayEquals(new int[] {7}, PlacementIds.parse(" 7 "));
        assertThrows(IllegalArgumentException.class, () -> PlacementIds.parse(""));
        assertThrows(IllegalArgumentException.class, () -> PlacementIds.parse("4-2"));
        assertThrows(IllegalArgumentException.class, () -> PlacementIds.parse("a"));
        assertThrows(IllegalArgumentException.class, () -> PlacementIds.parse("65536"));
        assertEquals(5, PlacementIds.of(0, 5, 0));
        assertEquals(0x8005, PlacementIds.of(1, 5, 1), "RGIF 1: the reclaim group in bit 15");
        assertEquals(0x3005, PlacementIds.of(3, 5, 4), "RGIF 4: bits 15:12");
        assertEquals(3, PlacementIds.reclaimGroup(0x3005, 4));
        assertEquals(5, PlacementIds.placementHandle(0x3005, 4));
        assertThrows(IllegalArgumentException.class, () -> PlacementIds.of(2, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> PlacementIds.of(0, 0x8000, 1));
        assertEquals(1, PlacementIds.requireHandle(1, 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PlacementIds.requireHandle(2, 2));
        assertTrue(e.getMessage().contains("0 to 1"), e.getMessage());
    }

    @Test
    void fdpConfigurationsLog() {
        MemorySegment b = arena.allocate(16 + 64 + 4 * 3);
        b.set(JAVA_SHORT_UNALIGNED, 0, (short) 0);          // NUMFDPC: 1 configuration
        b.set(JAVA_BYTE, 2, (byte) 0);                      // VER
        b.set(JAVA_INT_UNALIGNED, 4, 16 + 64 + 12);         // SZE
        long d = 16;
        b.set(JAVA_SHORT_UNALIGNED, d, (short) (64 + 12)); // DSZE
        b.set(JAVA_BYTE, d + 2, (byte) 0x91);               // valid, volatile write cache, RGIF 1
        b.set(JAVA_INT_UNALIGNED, d + 4, 2);                // NRG
        b.set(JAVA_SHORT_UNALIGNED, d + 8, (short) 3);      // NRUH
        b.set(JAVA_SHORT_UNALIGNED, d + 10, (short) 127);   // MAXPIDS, 0-based
        b.set(JAVA_INT_UNALIGNED, d + 12, 4);               // NNSS
        b.set(JAVA_LONG_UNALIGNED, d + 16, 96L << 20);      // RUNS
        b.set(JAVA_INT_UNALIGNED, d + 24, 60);              // ERUTL
        b.set(JAVA_BYTE, d + 64, (byte) 1);
        b.set(JAVA_BYTE, d + 68, (byte) 2);
        b.set(JAVA_BYTE, d + 72, (byte) 1);
        FdpConfigurations log = FdpConfigurations.decode(b);
        assertEquals(92, log.size());
        FdpConfiguration c = log.configurations().getFirst();
        assertEquals(List.of(c), log.configurations());
        assertTrue(c.valid());
        assertTrue(c.volatileWriteCache());
        assertEquals(1, c.reclaimGroupIdFormat());
        assertEquals(2, c.reclaimGroups());
        assertEquals(3, c.reclaimUnitHandles());
        assertEquals(128, c.maxPlacementIds());
        assertEquals(4, c.namespacesSupported());
        assertEquals(96L << 20, c.reclaimUnitSize());
        assertEquals(60, c.estimatedTimeLimit());
        assertEquals(List.of(1, 2, 1), c.handleTypes());
        // A buffer cut short of the descriptor decodes the header and no descriptor, rather than failing.
        assertEquals(List.of(), FdpConfigurations.decode(b.asSlice(0, 40)).configurations());
    }

    @Test
    void usageStatisticsEventsAndStatus() {
        MemorySegment u = arena.allocate(8 + 8 * 3);
        u.set(JAVA_SHORT_UNALIGNED, 0, (short) 3);
        u.set(JAVA_BYTE, 8, (byte) 1);
        u.set(JAVA_BYTE, 16, (byte) 2);
        assertEquals(List.of(1, 2, 0), ReclaimUnitHandleUsage.decode(u).attributes());

        MemorySegment s = arena.allocate(64);
        s.set(JAVA_LONG_UNALIGNED, 0, 4096);
        s.set(JAVA_LONG_UNALIGNED, 16, -1L);
        s.set(JAVA_LONG_UNALIGNED, 24, 1);
        s.set(JAVA_LONG_UNALIGNED, 32, 7);
        FdpStatistics st = FdpStatistics.decode(s);
        assertEquals(BigInteger.valueOf(4096), st.hostBytesWritten());
        assertEquals(BigInteger.ONE.shiftLeft(65).subtract(BigInteger.ONE), st.mediaBytesWritten(), "128 bits");
        assertEquals(BigInteger.valueOf(7), st.mediaBytesErased());

        MemorySegment e = arena.allocate(64 + 64);
        e.set(JAVA_INT_UNALIGNED, 0, 1);
        e.set(JAVA_BYTE, 64, (byte) 0x03);                  // Invalid Placement Identifier
        e.set(JAVA_BYTE, 65, (byte) 0x07);                  // PIV, NSIDV, LV
        e.set(JAVA_SHORT_UNALIGNED, 66, (short) 9);
        e.set(JAVA_LONG_UNALIGNED, 68, 0xABCD_0000_1234_5678L);
        e.set(JAVA_INT_UNALIGNED, 76, 2);
        e.set(JAVA_SHORT_UNALIGNED, 96, (short) 1);
        e.set(JAVA_BYTE, 98, (byte) 6);
        FdpEvents events = FdpEvents.decode(e);
        assertEquals(1, events.count());
        FdpEvent ev = events.events().getFirst();
        assertEquals(FdpEvent.INVALID_PLACEMENT_ID, ev.type());
        assertTrue(ev.placementIdValid() && ev.nsidValid() && ev.locationValid());
        assertEquals(9, ev.placementId());
        assertEquals(0x1234_5678L, ev.timestamp(), "bits 47:0 only");
        assertEquals(2, ev.nsid());
        assertEquals(1, ev.reclaimGroup());
        assertEquals(6, ev.reclaimUnitHandle());

        MemorySegment r = arena.allocate(16 + 2 * 32);
        r.set(JAVA_SHORT_UNALIGNED, 14, (short) 2);
        r.set(JAVA_SHORT_UNALIGNED, 16 + 32, (short) 1);
        r.set(JAVA_SHORT_UNALIGNED, 16 + 32 + 2, (short) 5);
        r.set(JAVA_INT_UNALIGNED, 16 + 32 + 4, 30);
        r.set(JAVA_LONG_UNALIGNED, 16 + 32 + 8, 32768);
        ReclaimUnitHandleStatus rs = ReclaimUnitHandleStatus.decode(r);
        assertEquals(2, rs.count());
        assertEquals(5, rs.descriptors().get(1).reclaimUnitHandle());
        assertEquals(1, rs.descriptors().get(1).placementId());
        assertEquals(30, rs.descriptors().get(1).estimatedTimeRemaining());
        assertEquals(32768, rs.descriptors().get(1).availableMediaWrites());
    }

    @Test
    void directiveStructures() {
        MemorySegment p = arena.allocate(4096);
        p.set(JAVA_BYTE, 0, (byte) 0b101);                  // supported: identify, data placement
        p.set(JAVA_BYTE, 32, (byte) 0b101);
        DirectiveParameters d = DirectiveParameters.decode(p);
        assertTrue(d.supports(DirectiveReceive.DTYPE_IDENTIFY));
        assertFalse(d.supports(DirectiveReceive.DTYPE_STREAMS));
        assertTrue(d.isEnabled(DirectiveReceive.DTYPE_DATA_PLACEMENT));

        MemorySegment s = arena.allocate(32);
        s.set(JAVA_SHORT_UNALIGNED, 0, (short) 16);
        s.set(JAVA_SHORT_UNALIGNED, 2, (short) 8);
        s.set(JAVA_BYTE, 6, (byte) 1);
        s.set(JAVA_INT_UNALIGNED, 16, 64);
        s.set(JAVA_SHORT_UNALIGNED, 20, (short) 4);
        s.set(JAVA_SHORT_UNALIGNED, 22, (short) 2);
        s.set(JAVA_SHORT_UNALIGNED, 24, (short) 1);
        assertEquals(new StreamsParameters(16, 8, 0, 1, 64, 4, 2, 1), StreamsParameters.decode(s));
    }
}
