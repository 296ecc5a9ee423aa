package io.github.jring.nvme;

import io.github.jring.core.ErrnoException;
import io.github.jring.nvme.command.GetFeatures;
import io.github.jring.nvme.command.GetLogPage;
import io.github.jring.nvme.command.Identify;
import io.github.jring.nvme.command.NvmeFeature;
import io.github.jring.nvme.command.Read;
import io.github.jring.nvme.command.SetFeatures;
import io.github.jring.nvme.data.ChangedZoneList;
import io.github.jring.nvme.internal.Decode;
import io.github.jring.nvme.data.ErrorLogEntry;
import io.github.jring.nvme.data.FirmwareSlotLog;
import io.github.jring.nvme.data.IdentifyController;
import io.github.jring.nvme.data.IdentifyNamespace;
import io.github.jring.nvme.data.LbaFormat;
import io.github.jring.nvme.data.SmartLog;
import io.github.jring.nvme.data.ZnsIdentifyController;
import io.github.jring.nvme.data.ZnsIdentifyNamespace;
import io.github.jring.nvme.status.PassthroughOutcome;
import io.github.jring.nvme.status.NvmeStatus;
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
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Admin commands through both transports (the ioctl on the namespace and the controller, {@code URING_CMD} on the
 * controller), decoded, against nvme-cli's JSON for the same structures.
 */
class AdminIT {

    private static NvmeController ctrl;
    private static NvmeNamespace ns1;
    private static NvmeNamespace ns2;
    private static NvmeQueue admin;
    private Arena arena;
    private MemorySegment buf;

    @BeforeAll
    static void open() throws IOException {
        GuestTools.requireVm();
        ctrl = NvmeController.open(GuestTools.CONTROLLER);
        ns1 = NvmeNamespace.open(GuestTools.NS1_CHAR);
        ns2 = NvmeNamespace.open(GuestTools.NS2_CHAR);
        admin = NvmeQueue.open(ctrl, 8);
    }

    @AfterAll
    static void close() {
        for (AutoCloseable c : new AutoCloseable[] {admin, ns2, ns1, ctrl}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // closing test fixtures
            }
        }
    }

    @BeforeEach
    void arena() {
        arena = Arena.ofConfined();
        buf = arena.allocate(4096, 4096);
    }

    @AfterEach
    void freeArena() {
        arena.close();
    }

    private static long num(Map<String, Object> json, String key) {
        Object v = json.get(key);
        assertNotNull(v, "nvme-cli JSON has no " + key + ": " + json.keySet());
        return Json.longValue(v);
    }

    @Test
    void identifyControllerMatchesNvmeIdCtrl() throws IOException {
        admin.execute(Identify.controller().data(buf));          // URING_CMD on /dev/nvme0
        IdentifyController id = IdentifyController.decode(buf);
        Map<String, Object> j = GuestTools.idCtrl();
        assertEquals(num(j, "vid"), id.vid());
        assertEquals(num(j, "ssvid"), id.ssvid());
        assertEquals(j.get("sn").toString().trim(), id.serial());
        assertEquals(j.get("mn").toString().trim(), id.model());
        assertEquals(j.get("fr").toString().trim(), id.firmware());
        assertEquals(num(j, "rab"), id.rab());
        assertEquals(num(j, "ieee"), id.ieee());
        assertEquals(num(j, "cmic"), id.cmic());
        assertEquals(num(j, "mdts"), id.mdts());
        assertEquals(num(j, "cntlid"), id.cntlid());
        assertEquals(num(j, "ver"), id.version());
        assertEquals(num(j, "oaes"), Integer.toUnsignedLong(id.oaes()));
        assertEquals(num(j, "ctratt"), Integer.toUnsignedLong(id.ctratt()));
        assertEquals(num(j, "oacs"), id.oacs());
        assertEquals(num(j, "acl"), id.acl());
        assertEquals(num(j, "aerl"), id.aerl());
        assertEquals(num(j, "frmw"), id.frmw());
        assertEquals(num(j, "lpa"), id.lpa());
        assertEquals(num(j, "elpe"), id.elpe());
        assertEquals(num(j, "npss"), id.npss());
        assertEquals(num(j, "wctemp"), id.wctemp());
        assertEquals(num(j, "cctemp"), id.cctemp());
        assertEquals(num(j, "tnvmcap"), id.tnvmcap());
        assertEquals(num(j, "unvmcap"), id.unvmcap());
        assertEquals(num(j, "sqes"), id.sqes());
        assertEquals(num(j, "cqes"), id.cqes());
        assertEquals(num(j, "maxcmd"), id.maxcmd());
        assertEquals(num(j, "nn"), id.nn());
        assertEquals(num(j, "oncs"), id.oncs());
        assertEquals(num(j, "fuses"), id.fuses());
        assertEquals(num(j, "fna"), id.fna());
        assertEquals(num(j, "vwc"), id.vwc());
        assertEquals(num(j, "awun"), id.awun());
        assertEquals(num(j, "awupf"), id.awupf());
        assertEquals(num(j, "ocfs"), id.ocfs());
        assertEquals(num(j, "sgls"), Integer.toUnsignedLong(id.sgls()));
        assertEquals(j.get("subnqn"), id.subnqn());

        // The same structure through the other transports.
        assertEquals(id, ctrl.identify(), "ioctl on /dev/nvme0");
        buf.fill((byte) 0);
        ns1.execute(Identify.controller().data(buf));                 // admin ioctl on /dev/ng0n1
        assertEquals(id, IdentifyController.decode(buf), "admin ioctl on /dev/ng0n1");
    }

    @Test
    void identifyNamespaceMatchesNvmeIdNsForBothNamespaces() throws IOException {
        for (NvmeNamespace ns : List.of(ns1, ns2)) {
            buf.fill((byte) 0);
            admin.execute(Identify.namespace(ns.nsid()).data(buf));
            IdentifyNamespace id = IdentifyNamespace.decode(buf);
            Map<String, Object> j = GuestTools.idNs(ns.path());
            String where = ns.path().toString();
            assertEquals(num(j, "nsze"), id.nsze(), where);
            assertEquals(num(j, "ncap"), id.ncap(), where);
            assertEquals(num(j, "nuse"), id.nuse(), where);
            assertEquals(num(j, "nsfeat"), id.nsfeat(), where);
            assertEquals(num(j, "nlbaf"), id.nlbaf(), where);
            assertEquals(num(j, "flbas"), id.flbas(), where);
            assertEquals(num(j, "mc"), id.mc(), where);
            assertEquals(num(j, "dpc"), id.dpc(), where);
            assertEquals(num(j, "dps"), id.dps(), where);
            assertEquals(num(j, "nmic"), id.nmic(), where);
            assertEquals(num(j, "dlfeat"), id.dlfeat(), where);
            assertEquals(num(j, "nawun"), id.nawun(), where);
            assertEquals(num(j, "nawupf"), id.nawupf(), where);
            assertEquals(num(j, "noiob"), id.noiob(), where);
            assertEquals(num(j, "npwg"), id.npwg(), where);
            assertEquals(num(j, "mssrl"), id.mssrl(), where);
            assertEquals(num(j, "mcl"), id.mcl(), where);
            assertEquals(num(j, "msrc"), id.msrc(), where);
            assertEquals(num(j, "anagrpid"), id.anagrpid(), where);
            assertEquals(num(j, "nvmsetid"), id.nvmsetid(), where);
            assertEquals(num(j, "endgid"), id.endgid(), where);
            assertEquals(j.get("nguid"), id.nguid(), where);
            assertEquals(j.get("eui64"), id.eui64(), where);
            List<Object> lbafs = Json.array(j.get("lbafs"));
            assertEquals(lbafs.size(), id.lbaFormats().size(), where);
            for (int i = 0; i < lbafs.size(); i++) {
                Map<String, Object> f = Json.object(lbafs.get(i));
                LbaFormat mine = id.lbaFormats().get(i);
                assertEquals(num(f, "ms"), mine.metadataSize(), where + " lbaf " + i);
                assertEquals(num(f, "ds"), mine.dataSizeShift(), where + " lbaf " + i);
                assertEquals(num(f, "rp"), mine.relativePerformance(), where + " lbaf " + i);
            }
            assertEquals(GuestTools.lbaSize(ns.path()), id.lbaSize(), where);
            assertEquals(id, ns.identify(), "what the handle learnt when opening " + where);
        }
    }

    @Test
    void zonedIdentifyMatchesNvmeZnsIdNsAndIdCtrl() throws IOException {
        admin.execute(Identify.zonedNamespace(ns2.nsid()).data(buf));
        ZnsIdentifyNamespace z = ZnsIdentifyNamespace.decode(buf, ns2.identify().nlbaf() + 1);
        Map<String, Object> j = GuestTools.znsIdNs(GuestTools.NS2_CHAR);
        assertEquals(num(j, "zoc"), z.zoc());
        assertEquals(num(j, "ozcs"), z.ozcs());
        assertEquals(num(j, "mar"), z.mar());
        assertEquals(num(j, "mor"), z.mor());
        assertEquals(num(j, "rrl"), z.rrl());
        assertEquals(num(j, "frl"), z.frl());
        List<Object> lbafe = Json.array(j.get("lbafe"));
        assertEquals(lbafe.size(), z.zoneFormats().size());
        for (int i = 0; i < lbafe.size(); i++) {
            assertEquals(num(Json.object(lbafe.get(i)), "zsze"), z.zoneFormats().get(i).zoneSize(), "lbafe " + i);
            assertEquals(num(Json.object(lbafe.get(i)), "zdes"), z.zoneFormats().get(i).descriptorExtension());
        }
        assertEquals(GuestTools.ZONE_SIZE_BYTES / ns2.lbaSize(), ns2.zoneSize());
        assertEquals(z, ns2.zns());

        buf.fill((byte) 0);
        admin.execute(Identify.zonedController().data(buf));
        ZnsIdentifyController zc = ZnsIdentifyController.decode(buf);
        assertEquals(num(Json.object(GuestTools.nvmeJson("zns", "id-ctrl", GuestTools.CONTROLLER.toString())),
                "zasl"), zc.zasl());

        // The namespaces' command sets, from the descriptor list.
        assertTrue(ns2.isZoned());
        assertEquals(Identify.CSI_NVM, ns1.commandSet());
        // A zoned Identify for the conventional namespace is refused, as nvme-cli's is.
        buf.fill((byte) 0);
        NvmeStatusException e = assertThrows(NvmeStatusException.class,
                () -> admin.execute(Identify.zonedNamespace(ns1.nsid()).data(buf)));
        assertEquals(NvmeStatusCode.INVALID_FIELD, e.code(), e.getMessage());
    }

    @Test
    void activeNamespaceListMatchesNvmeListNs() throws IOException {
        List<Object> listed = Json.array(Json.object(GuestTools.nvmeJson("list-ns", GuestTools.CONTROLLER.toString()))
                .get("nsid_list"));
        int[] expected = listed.stream().mapToInt(o -> (int) Json.longValue(Json.object(o).get("nsid"))).toArray();
        admin.execute(Identify.activeNamespaces(0).data(buf));
        assertArrayEquals(expected, Identify.decodeNamespaceList(buf));
        assertArrayEquals(expected, ctrl.activeNamespaces());
        buf.fill((byte) 0);
        admin.execute(Identify.activeNamespaces(1).data(buf));
        assertArrayEquals(java.util.Arrays.stream(expected).filter(n -> n > 1).toArray(),
                Identify.decodeNamespaceList(buf), "the list after NSID 1");
    }

    @Test
    void smartLogMatchesNvmeSmartLog() throws IOException {
        MemorySegment page = arena.allocate(SmartLog.SIZE, 4096);
        admin.execute(GetLogPage.smartHealth(page));
        SmartLog s = SmartLog.decode(page);
        Map<String, Object> j = Json.object(GuestTools.nvmeJson("smart-log", GuestTools.CONTROLLER.toString()));
        assertEquals(num(j, "critical_warning"), s.criticalWarning());
        assertEquals(num(j, "temperature"), s.compositeTemperature());
        assertEquals(num(j, "avail_spare"), s.availableSpare());
        assertEquals(num(j, "spare_thresh"), s.availableSpareThreshold());
        assertEquals(num(j, "percent_used"), s.percentageUsed());
        assertEquals(num(j, "endurance_grp_critical_warning_summary"), s.enduranceGroupWarning());
        // No I/O runs between the two reads, so the counters agree too.
        assertEquals(num(j, "data_units_read"), s.dataUnitsRead());
        assertEquals(num(j, "data_units_written"), s.dataUnitsWritten());
        assertEquals(num(j, "host_read_commands"), s.hostReadCommands());
        assertEquals(num(j, "host_write_commands"), s.hostWriteCommands());
        assertEquals(num(j, "controller_busy_time"), s.controllerBusyTime());
        assertEquals(num(j, "power_cycles"), s.powerCycles());
        assertEquals(num(j, "power_on_hours"), s.powerOnHours());
        assertEquals(num(j, "unsafe_shutdowns"), s.unsafeShutdowns());
        assertEquals(num(j, "media_errors"), s.mediaErrors());
        assertEquals(num(j, "num_err_log_entries"), s.errorLogEntries());
        assertEquals(num(j, "warning_temp_time"), s.warningTemperatureTime());
        assertEquals(num(j, "critical_comp_time"), s.criticalTemperatureTime());

        // Reads move the counter by what was read: 16 reads through jring.
        MemorySegment data = arena.allocate(4096, 4096);
        try (NvmeQueue q = NvmeQueue.open(ns1, 16)) {
            for (int i = 0; i < 16; i++) {
                q.execute(new Read(ns1.nsid(), i * 8L, 8, data));
            }
        }
        page.fill((byte) 0);
        ctrl.execute(GetLogPage.smartHealth(page));
        assertEquals(s.hostReadCommands() + 16, SmartLog.decode(page).hostReadCommands());
    }

    @Test
    void errorAndFirmwareLogsMatchNvmeCli() throws IOException {
        MemorySegment page = arena.allocate(ErrorLogEntry.SIZE, 4096);
        admin.execute(GetLogPage.errorInformation(page));
        ErrorLogEntry e = ErrorLogEntry.decode(page, 0);
        Map<String, Object> j = Json.object(Json.array(Json.object(GuestTools.nvmeJson("error-log",
                GuestTools.CONTROLLER.toString(), "-e", "1")).get("errors")).getFirst());
        assertEquals(num(j, "error_count"), e.errorCount());
        assertEquals(num(j, "sqid"), e.sqid());
        assertEquals(num(j, "cmdid"), e.cid());
        assertEquals(num(j, "status_field"), e.status().value());
        assertEquals(num(j, "parm_error_location"), e.parameterErrorLocation());
        assertEquals(num(j, "lba"), e.lba());
        assertEquals(num(j, "nsid"), e.nsid());

        MemorySegment fw = arena.allocate(FirmwareSlotLog.SIZE, 4096);
        admin.execute(GetLogPage.firmwareSlot(fw));
        FirmwareSlotLog log = FirmwareSlotLog.decode(fw);
        Map<String, Object> fj = Json.object(Json.object(GuestTools.nvmeJson("fw-log",
                GuestTools.CONTROLLER.toString())).values().iterator().next());
        assertEquals(num(fj, "Active Firmware Slot (afi)"), log.afi());
        // nvme-cli prints a slot as its 8 bytes read as a little-endian u64, then the ASCII with dots for padding.
        String slot = fj.get("Firmware Rev Slot " + log.activeSlot()).toString();
        long raw = Long.parseUnsignedLong(slot.substring(0, slot.indexOf(' ')));
        assertEquals(raw, Decode.u64(fw, 8L * log.activeSlot()));
        assertEquals(slot.substring(slot.indexOf('(') + 1, slot.indexOf(')')).replaceAll("\\.+$", ""),
                log.activeRevision().replaceAll("\\.+$", ""));
    }

    /** The value nvme-cli's get-feature prints ("Current value:0x003f003f"). */
    private static long nvmeCliFeature(int fid) {
        GuestTools.Result r = GuestTools.run("nvme", "get-feature", GuestTools.CONTROLLER.toString(),
                "-f", Integer.toString(fid)).checkSuccess();
        Matcher m = Pattern.compile("Current value:\\s*0x([0-9a-fA-F]+)").matcher(r.stdout());
        assertTrue(m.find(), r.describe());
        return Long.parseLong(m.group(1), 16);
    }

    @Test
    void getAndSetFeaturesReturnTheValueInTheResultDword() throws IOException {
        long queues = admin.execute(new GetFeatures(NvmeFeature.NUMBER_OF_QUEUES));
        assertEquals(nvmeCliFeature(NvmeFeature.NUMBER_OF_QUEUES), queues);
        long cache = ctrl.execute(new GetFeatures(NvmeFeature.VOLATILE_WRITE_CACHE));
        assertEquals(nvmeCliFeature(NvmeFeature.VOLATILE_WRITE_CACHE), cache);

        long threshold = admin.execute(new GetFeatures(NvmeFeature.TEMPERATURE_THRESHOLD));
        assertEquals(nvmeCliFeature(NvmeFeature.TEMPERATURE_THRESHOLD), threshold);
        try {
            admin.execute(new SetFeatures(NvmeFeature.TEMPERATURE_THRESHOLD, (int) threshold - 5));
            assertEquals(threshold - 5, admin.execute(new GetFeatures(NvmeFeature.TEMPERATURE_THRESHOLD)));
            assertEquals(threshold - 5, nvmeCliFeature(NvmeFeature.TEMPERATURE_THRESHOLD), "as nvme-cli sees it");
        } finally {
            ctrl.execute(new SetFeatures(NvmeFeature.TEMPERATURE_THRESHOLD, (int) threshold));
        }
        assertEquals(threshold, ctrl.execute(new GetFeatures(NvmeFeature.TEMPERATURE_THRESHOLD)));

        // A feature id the controller does not implement: a named status, and the admin queue goes on.
        NvmeStatusException e = assertThrows(NvmeStatusException.class,
                () -> admin.execute(new GetFeatures(0x7F)));
        assertEquals(NvmeStatusCode.INVALID_FIELD, e.code(), e.getMessage());
        assertEquals(queues, admin.execute(new GetFeatures(NvmeFeature.NUMBER_OF_QUEUES)));
    }

    @Test
    void changedZoneListGivesTheSameAnswerAsNvmeCli() throws IOException {
        GuestTools.Result cli = GuestTools.run("nvme", "zns", "changed-zone-list", GuestTools.NS2_BLOCK.toString(),
                "-o", "json");
        MemorySegment page = arena.allocate(ChangedZoneList.SIZE, 4096);
        GetLogPage cmd = GetLogPage.changedZoneList(ns2.nsid(), page);
        if (cli.exitCode() == 0) {
            admin.execute(cmd);
            ChangedZoneList list = ChangedZoneList.decode(page);
            assertTrue(list.overflow() || list.zoneIds().size() <= 511);
        } else {
            // nvme-cli reports the controller's refusal; jring must get the same status, by name.
            Matcher m = Pattern.compile("\\(0x([0-9a-fA-F]+)\\)").matcher(cli.stdout() + cli.stderr());
            assertTrue(m.find(), cli.describe());
            int status = Integer.parseInt(m.group(1), 16);
            NvmeStatusException e = assertThrows(NvmeStatusException.class, () -> admin.execute(cmd));
            assertEquals(new NvmeStatus(status).code(), e.code(), e.getMessage() + " vs " + cli.describe());
            assertTrue(e.getMessage().contains("Get Log Page (LID BFh"), e.getMessage());
        }
    }

    @Test
    void adminCommandsOverIoUringNeedTheControllerDevice() throws IOException {
        try (NvmeQueue q = NvmeQueue.open(ns1, 4)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> q.execute(Identify.controller().data(buf)));
            assertTrue(e.getMessage().contains("/dev/nvme0"), e.getMessage());
            // The kernel agrees: an admin uring_cmd on a namespace device is ENOTTY.
            io.github.jring.core.Sqe sqe = q.ring().getSqe();
            NvmeQueue.prepare(sqe, ns1.fd(), false, Identify.controller().data(buf), 0);
            sqe.userData(3);
            q.ring().submitAndWait(1);
            io.github.jring.core.Cqe c = q.ring().waitCqe();
            int res = c.res();
            q.ring().cqeSeen(c);
            ErrnoException k = assertThrows(ErrnoException.class, () -> PassthroughOutcome.check(res, "admin on ng0n1"));
            assertEquals("ENOTTY", k.errnoName(), k.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> admin.execute(new Read(ns1.nsid(), 0, 1, buf)));
        assertTrue(e.getMessage().contains("namespace device"), e.getMessage());
    }
}
