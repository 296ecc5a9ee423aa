package io.github.jring.nvme;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import io.github.jring.bindings.Uapi;
import io.github.jring.core.internal.Json;
import io.github.jring.vm.GuestTools;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Smoke test of the VM itself: the emulated controller is there with the namespaces the harness promises, FFM reaches
 * them, and the oracles in {@link GuestTools} agree with each other and with the kernel.
 */
class NamespaceSmokeIT {

    /** {@code _IO('N', 0x40)}: returns the namespace id of the namespace device the fd is open on. */
    private static final long NVME_IOCTL_ID = 0x4e40;

    private static final Uapi.open OPEN = Uapi.open.makeInvoker();
    private static final Uapi.ioctl IOCTL = Uapi.ioctl.makeInvoker();

    @BeforeAll
    static void vm() {
        GuestTools.requireVm();
    }

    @ParameterizedTest(name = "{0} is namespace {1}")
    @CsvSource({"/dev/ng0n1, 1", "/dev/ng0n2, 2"})
    void nvmeIoctlIdGivesTheNamespaceIdThatNvmeCliAndSysfsGive(String device, long expectedNsid) {
        assertEquals(NVME_IOCTL_ID, Uapi.NVME_IOCTL_ID(), "the generated binding's NVME_IOCTL_ID");
        Path dev = Path.of(device);

        long nsid = nvmeIoctlId(dev);

        assertEquals(expectedNsid, nsid, "NVME_IOCTL_ID on " + dev);
        assertEquals(GuestTools.sysfsNsid(dev), nsid, "sysfs nsid of " + dev);
        String block = "/dev/nvme0n" + expectedNsid;
        Map<String, Object> listed = GuestTools.listNamespaces().stream()
                .filter(d -> block.equals(d.get("DevicePath")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("nvme list does not show " + block));
        assertEquals(nsid, Json.longValue(listed.get("NameSpace")), "nvme list's NameSpace of " + block);
    }

    @Test
    void namespace2IsZonedWith64MiBZonesOf48MiBCapacityAndNamespace1IsNot() {
        assertEquals("host-managed", GuestTools.sysfsQueue(GuestTools.NS2_BLOCK, "zoned"));
        assertEquals("none", GuestTools.sysfsQueue(GuestTools.NS1_BLOCK, "zoned"));

        int lba = GuestTools.lbaSize(GuestTools.NS2_CHAR);
        Map<String, Object> idns = GuestTools.idNs(GuestTools.NS2_CHAR);
        int format = (int) (Json.longValue(idns.get("flbas")) & 0xf);
        long zsze = Json.longValue(Json.at(GuestTools.znsIdNs(GuestTools.NS2_CHAR), "lbafe", format, "zsze"));
        assertEquals(GuestTools.ZONE_SIZE_BYTES, zsze * lba, "zone size from nvme zns id-ns");

        List<Map<String, Object>> zones = GuestTools.reportZones(GuestTools.NS2_BLOCK);
        long nsze = Json.longValue(idns.get("nsze"));
        assertEquals(nsze / zsze, zones.size(), "zones reported vs nsze / zsze");
        Map<String, Object> first = zones.getFirst();
        assertEquals(GuestTools.ZONE_CAPACITY_BYTES, Json.longValue(first.get("cap")) * lba, "zone capacity");
        assertEquals("SEQWRITE_REQ", first.get("type"));
        assertEquals(zsze, Json.longValue(zones.get(1).get("slba")), "second zone starts one zone size in");

        GuestTools.Result onConventional = GuestTools.run("nvme", "zns", "id-ns", GuestTools.NS1_CHAR.toString());
        assertNotEquals(0, onConventional.exitCode(), "zns id-ns on the conventional namespace must fail: "
                + onConventional.describe());
    }

    @Test
    void pollQueuesAreConfiguredSoPolledIoIsReal() {
        int wanted = Integer.parseInt(System.getenv().getOrDefault("JRING_VM_POLL_QUEUES", "1"));
        assertEquals(wanted, GuestTools.pollQueues());
        if (wanted > 0) {
            assertEquals("1", GuestTools.sysfsQueue(GuestTools.NS1_BLOCK, "io_poll"));
        }
    }

    @Test
    void nvmeCliWritesWhatAnODirectReadOfTheBlockDeviceSees() {
        int lba = GuestTools.lbaSize(GuestTools.NS1_BLOCK);
        long slba = 1 << 20; // 512 MiB in with 512-byte LBAs: a range no other test uses
        byte[] data = new byte[8 * lba];
        new Random(42).nextBytes(data);

        GuestTools.nvmeWrite(GuestTools.NS1_CHAR, slba, data);

        assertArrayEquals(data, GuestTools.nvmeRead(GuestTools.NS1_CHAR, slba, 8), "nvme read after nvme write");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(data.length, 4096);
            int fd = OPEN.apply(arena.allocateFrom(GuestTools.NS1_BLOCK.toString()),
                    Uapi.O_RDONLY() | Uapi.O_DIRECT() | Uapi.O_CLOEXEC());
            assertTrue(fd >= 0, "open(" + GuestTools.NS1_BLOCK + ", O_DIRECT) failed");
            try {
                assertEquals(data.length, Uapi.pread(fd, buf, data.length, slba * lba), "pread with O_DIRECT");
            } finally {
                Uapi.close(fd);
            }
            assertArrayEquals(data, buf.toArray(ValueLayout.JAVA_BYTE), "O_DIRECT read of " + GuestTools.NS1_BLOCK);
        }
    }

    @Test
    void fioReadsThroughPassthroughAndReportsIt() {
        GuestTools.FioResult r = GuestTools.fio("--name=smoke", "--filename=" + GuestTools.NS1_CHAR,
                "--ioengine=io_uring_cmd", "--cmd_type=nvme", "--rw=randread", "--bs=4k", "--iodepth=8",
                "--size=64M", "--io_size=4M");
        assertEquals(4L << 20, r.readBytes());
        assertTrue(r.readIops() > 0, "IOPS " + r.readIops());
        assertEquals(0, r.writeBytes());
    }

    private static long nvmeIoctlId(Path dev) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment path = arena.allocateFrom(dev.toString());
            int fd = OPEN.apply(path, Uapi.O_RDONLY() | Uapi.O_CLOEXEC());
            assertTrue(fd >= 0, "open(" + dev + ") failed");
            try {
                int nsid = IOCTL.apply(fd, NVME_IOCTL_ID);
                assertTrue(nsid > 0, "ioctl(NVME_IOCTL_ID) on " + dev + " returned " + nsid);
                return nsid;
            } finally {
                Uapi.close(fd);
            }
        }
    }
}
