package io.github.jring.nvme;

import io.github.jring.nvme.command.Identify;
import io.github.jring.nvme.data.IdentifyNamespace;
import io.github.jring.nvme.data.ZoneDescriptor;
import io.github.jring.nvme.data.ZoneReport;
import io.github.jring.nvme.data.ZoneState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Decoders on data laid out as the specification lays it out, where the logic is more than reading a field (lists,
 * limits, variable-length descriptors), and discovery against a sysfs tree. Field-by-field agreement with a real
 * controller is checked in the VM against nvme-cli (AdminIT, ZonedIT).
 */
class DecodersTest {

    private final Arena arena = Arena.ofConfined();

    @AfterEach
    void close() {
        arena.close();
    }

    private static void descriptor(MemorySegment buf, long off, int state, long cap, long zslba, long wp) {
        buf.set(ValueLayout.JAVA_BYTE, off, (byte) 0x2);
        buf.set(ValueLayout.JAVA_BYTE, off + 1, (byte) (state << 4));
        buf.set(ValueLayout.JAVA_LONG, off + 8, cap);
        buf.set(ValueLayout.JAVA_LONG, off + 16, zslba);
        buf.set(ValueLayout.JAVA_LONG, off + 24, wp);
    }

    @Test
    void zoneReportDecodesWhatFitsWhenMoreZonesMatch() {
        MemorySegment buf = arena.allocate(ZoneReport.bufferSize(2) + 16);   // a partial trailing descriptor
        buf.set(ValueLayout.JAVA_LONG, 0, 16);                                // 16 zones matched
        descriptor(buf, 64, 0x1, 96, 0, 0);
        descriptor(buf, 128, 0xE, 96, 128, -1);
        ZoneReport r = ZoneReport.decode(buf, 0);
        assertEquals(16, r.matchingZones());
        assertEquals(2, r.zones().size());
        assertEquals(ZoneState.EMPTY, r.zones().get(0).state());
        assertEquals(0, r.zones().get(0).written());
        ZoneDescriptor full = r.zones().get(1);
        assertEquals(ZoneState.FULL, full.state());
        assertEquals(96, full.written(), "a Full zone has all its capacity written, whatever its write pointer");
        assertEquals(128, full.zslba());

        buf.set(ValueLayout.JAVA_LONG, 0, 1);                                 // only one matched
        assertEquals(1, ZoneReport.decode(buf, 0).zones().size());
    }

    @Test
    void namespaceDescriptorListYieldsTheCommandSet() {
        MemorySegment buf = arena.allocate(Identify.DATA_SIZE);
        long off = 0;
        buf.set(ValueLayout.JAVA_BYTE, off, (byte) 0x1);                      // EUI64
        buf.set(ValueLayout.JAVA_BYTE, off + 1, (byte) 8);
        off += 4 + 8;
        buf.set(ValueLayout.JAVA_BYTE, off, (byte) 0x2);                      // NGUID
        buf.set(ValueLayout.JAVA_BYTE, off + 1, (byte) 16);
        off += 4 + 16;
        assertEquals(-1, Identify.decodeCommandSet(buf), "no CSI descriptor: a pre-2.0 controller");
        buf.set(ValueLayout.JAVA_BYTE, off, (byte) 0x4);                      // CSI
        buf.set(ValueLayout.JAVA_BYTE, off + 1, (byte) 1);
        buf.set(ValueLayout.JAVA_BYTE, off + 4, (byte) 2);
        assertEquals(Identify.CSI_ZNS, Identify.decodeCommandSet(buf));
    }

    @Test
    void activeNamespaceListStopsAtTheFirstZero() {
        MemorySegment buf = arena.allocate(Identify.DATA_SIZE);
        buf.set(ValueLayout.JAVA_INT, 0, 1);
        buf.set(ValueLayout.JAVA_INT, 4, 7);
        buf.set(ValueLayout.JAVA_INT, 8, 0);
        buf.set(ValueLayout.JAVA_INT, 12, 9);
        assertEquals(List.of(1, 7), java.util.Arrays.stream(Identify.decodeNamespaceList(buf)).boxed().toList());
    }

    @Test
    void activeLbaFormatUsesTheUpperFlbasBitsOnlyWithMoreThanSixteenFormats() {
        MemorySegment buf = arena.allocate(Identify.DATA_SIZE);
        buf.set(ValueLayout.JAVA_LONG, 0, 1000);                               // NSZE
        buf.set(ValueLayout.JAVA_BYTE, 25, (byte) 17);                        // NLBAF: 18 formats
        buf.set(ValueLayout.JAVA_BYTE, 26, (byte) ((1 << 5) | 0x1 | (1 << 4)));  // index 0x11, extended metadata
        buf.set(ValueLayout.JAVA_INT, 128 + 4 * 17, (12 << 16) | 8);          // format 17: 4 KiB + 8 B
        IdentifyNamespace id = IdentifyNamespace.decode(buf);
        assertEquals(17, id.activeFormatIndex());
        assertEquals(4096, id.lbaSize());
        assertEquals(8, id.activeFormat().metadataSize());
        assertTrue(id.extendedMetadata());
        assertEquals(4096000, id.sizeBytes());
        buf.set(ValueLayout.JAVA_BYTE, 25, (byte) 3);                         // 4 formats: bits 6:5 are reserved
        buf.set(ValueLayout.JAVA_INT, 128 + 4, (9 << 16));
        assertEquals(1, IdentifyNamespace.decode(buf).activeFormatIndex());
    }

    @Test
    void discoveryReadsSysfs(@TempDir Path root) throws IOException {
        Path sys = root.resolve("sys");
        Path dev = root.resolve("dev");
        Path ctrlDir = Files.createDirectories(sys.resolve("devices/pci0000:00/nvme/nvme3"));
        Files.writeString(Files.createDirectories(sys.resolve("class/nvme/nvme3")).resolve("model"), "Fast SSD   \n");
        for (String ng : new String[] {"ng3n10", "ng3n2"}) {
            Path d = Files.createDirectories(ctrlDir.resolve(ng));
            Files.createDirectories(sys.resolve("class/nvme-generic"));
            Files.createSymbolicLink(sys.resolve("class/nvme-generic").resolve(ng), d);
            Files.createSymbolicLink(d.resolve("device"), ctrlDir);
        }
        Path block = Files.createDirectories(sys.resolve("block/nvme3n2/queue"));
        Files.writeString(block.getParent().resolve("nsid"), "2\n");
        Files.writeString(block.getParent().resolve("size"), "2097152\n");
        Files.writeString(block.resolve("logical_block_size"), "4096\n");
        Files.writeString(block.resolve("zoned"), "host-managed\n");

        List<NamespaceInfo> list = NvmeNamespaces.list(sys, dev);
        assertEquals(2, list.size());
        NamespaceInfo n2 = list.get(0);                                       // n2 before n10: numeric order
        assertEquals(dev.resolve("ng3n2"), n2.charDevice());
        assertEquals(dev.resolve("nvme3n2"), n2.blockDevice());
        assertEquals(dev.resolve("nvme3"), n2.controller());
        assertEquals(2, n2.nsid());
        assertEquals(4096, n2.lbaSize());
        assertEquals(2097152L * 512, n2.sizeBytes());
        assertEquals(262144, n2.blocks());
        assertTrue(n2.zoned());
        assertEquals("Fast SSD", n2.model());
        NamespaceInfo n10 = list.get(1);                                      // no block device: facts unknown
        assertEquals(dev.resolve("ng3n10"), n10.charDevice());
        assertNull(n10.blockDevice());
        assertEquals(-1, n10.nsid());
        assertEquals(-1, n10.blocks());
        assertFalse(n10.zoned());
        assertEquals(List.of(), NvmeNamespaces.list(root.resolve("nowhere"), dev));
    }
}
