package io.github.jring.nvme.command;

import io.github.jring.bindings.nvme_passthru_cmd64;
import io.github.jring.bindings.nvme_uring_cmd;
import io.github.jring.nvme.data.ZoneReport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The command builders put each parameter where the NVMe specification puts it, and the encoders put each field
 * where the kernel's {@code struct nvme_uring_cmd} and {@code struct nvme_passthru_cmd64} have it (read back through
 * the jextract-generated accessors, which are pinned to gcc's layout by the bindings' tests). What the device does with
 * the commands is tested in the VM ({@code *IT}).
 */
class NvmeCommandEncodingTest {

    private final Arena arena = Arena.ofConfined();

    @AfterEach
    void close() {
        arena.close();
    }

    /** A segment full of garbage, so a field the encoder forgets shows up. */
    private MemorySegment dirty(long size) {
        MemorySegment s = arena.allocate(size, 8);
        s.fill((byte) 0xA5);
        return s;
    }

    @Test
    void readEncodesIntoTheUringCmdStructAsTheKernelReadsIt() {
        MemorySegment buf = arena.allocate(8 * 512, 4096);
        Read r = new Read(3, 0x1_2345_6789L, 8, buf).fua(true).limitedRetry(true).datasetHints(0x41).timeoutMs(1500);
        MemorySegment cmd = dirty(NvmeCommand.URING_CMD_SIZE);
        r.encodeUringCmd(cmd);
        assertEquals(0x02, nvme_uring_cmd.opcode(cmd));
        assertEquals(0, nvme_uring_cmd.flags(cmd), "flags must be 0 or the kernel says EINVAL");
        assertEquals(0, nvme_uring_cmd.rsvd1(cmd));
        assertEquals(3, nvme_uring_cmd.nsid(cmd));
        assertEquals(0, nvme_uring_cmd.cdw2(cmd));
        assertEquals(0, nvme_uring_cmd.cdw3(cmd));
        assertEquals(0, nvme_uring_cmd.metadata(cmd));
        assertEquals(0, nvme_uring_cmd.metadata_len(cmd));
        assertEquals(buf.address(), nvme_uring_cmd.addr(cmd));
        assertEquals(4096, nvme_uring_cmd.data_len(cmd));
        assertEquals(0x2345_6789, nvme_uring_cmd.cdw10(cmd), "SLBA low");
        assertEquals(0x1, nvme_uring_cmd.cdw11(cmd), "SLBA high");
        // CDW12: LR bit 31, FUA bit 30, NLB 0-based.
        assertEquals(0x8000_0000 | 0x4000_0000 | 7, nvme_uring_cmd.cdw12(cmd));
        assertEquals(0x41, nvme_uring_cmd.cdw13(cmd), "DSM byte");
        assertEquals(0, nvme_uring_cmd.cdw14(cmd));
        assertEquals(0, nvme_uring_cmd.cdw15(cmd));
        assertEquals(1500, nvme_uring_cmd.timeout_ms(cmd));
        assertEquals(0, nvme_uring_cmd.rsvd2(cmd));
        assertEquals(0x1_2345_6789L, r.slba());
        assertEquals(8, r.blocks());
        assertTrue(r.fua());
        assertTrue(r.limitedRetry());
    }

    @Test
    void theWordStoresWriteWhatTheFieldStoresWrite() {
        // encodeUringCmd writes nine 64-bit words where the layout allows; every field set, each to its own value,
        // so a half swapped or dropped shows.
        MemorySegment data = arena.allocate(4096, 4096);
        MemorySegment meta = arena.allocate(64, 8);
        RawCommand c = RawCommand.io(0x81, 0x8765_4321).data(data).metadata(meta).timeoutMs(0x7ABC_DEF0);
        int[] dwords = {2, 3, 10, 11, 12, 13, 14, 15};
        for (int i = 0; i < dwords.length; i++) {
            c.cdw(dwords[i], 0x9100_0000 | (dwords[i] << 16) | (0xF0 + i));
        }
        MemorySegment words = dirty(NvmeCommand.URING_CMD_SIZE);
        MemorySegment fields = dirty(NvmeCommand.URING_CMD_SIZE);
        c.encodeUringCmd(words, 0xFEDC_BA98, 0x8123_4567);
        c.encodeUringCmdFieldByField(fields, 0xFEDC_BA98, 0x8123_4567);
        assertEquals(-1L, words.mismatch(fields), "first differing byte");
        assertEquals((byte) 0x81, nvme_uring_cmd.opcode(words));
        assertEquals(0x8765_4321, nvme_uring_cmd.nsid(words));
        assertEquals(0x9102_00F0, nvme_uring_cmd.cdw2(words));
        assertEquals(0x9103_00F1, nvme_uring_cmd.cdw3(words));
        assertEquals(meta.address(), nvme_uring_cmd.metadata(words));
        assertEquals(data.address(), nvme_uring_cmd.addr(words));
        assertEquals(0x8123_4567, nvme_uring_cmd.metadata_len(words));
        assertEquals(0xFEDC_BA98, nvme_uring_cmd.data_len(words));
        assertEquals(0x910F_00F7, nvme_uring_cmd.cdw15(words));
        assertEquals(0x7ABC_DEF0, nvme_uring_cmd.timeout_ms(words));
        assertEquals(0, nvme_uring_cmd.rsvd2(words));
    }

    /** Collects nine words as the struct's memory image. */
    private MemorySegment image(java.util.function.Consumer<io.github.jring.nvme.internal.UringCmdWords> encode) {
        MemorySegment out = dirty(NvmeCommand.URING_CMD_SIZE);
        encode.accept((w0, w1, w2, w3, w4, w5, w6, w7, w8) -> {
            long[] w = {w0, w1, w2, w3, w4, w5, w6, w7, w8};
            for (int i = 0; i < w.length; i++) {
                out.set(ValueLayout.JAVA_LONG_UNALIGNED, i * 8L, w[i]);
            }
        });
        return out;
    }

    @Test
    void theNineWordsAreTheStructsBytes() {
        // What AsyncNamespace keeps per request instead of an encoding array: the same 72 bytes.
        MemorySegment data = arena.allocate(4096, 4096);
        MemorySegment meta = arena.allocate(64, 8);
        RawCommand c = RawCommand.io(0x81, 0x8765_4321).data(data).metadata(meta).timeoutMs(0x7ABC_DEF0);
        int[] dwords = {2, 3, 10, 11, 12, 13, 14, 15};
        for (int i = 0; i < dwords.length; i++) {
            c.cdw(dwords[i], 0x9100_0000 | (dwords[i] << 16) | (0xF0 + i));
        }
        MemorySegment fields = dirty(NvmeCommand.URING_CMD_SIZE);
        c.encodeUringCmdFieldByField(fields, 0xFEDC_BA98, 0x8123_4567);
        MemorySegment words = image(dst -> c.encodeUringCmd(dst, 0xFEDC_BA98, 0x8123_4567));
        assertEquals(-1L, words.mismatch(fields), "first differing byte");
    }

    @Test
    void aTemplateEncodesAnyRangeAsThatCommandWouldWithoutChanging() {
        // The template keeps its own flags (FUA, DSM, timeout); the range and the buffer are the transfer's.
        MemorySegment buf = arena.allocate(16 * 512, 4096);
        Write template = new Write(3, 0, 1).fua(true).timeoutMs(250);
        Write same = new Write(3, 0x1_0000_0010L, 16).fua(true).timeoutMs(250).data(buf, 0, 8192);
        MemorySegment expected = dirty(NvmeCommand.URING_CMD_SIZE);
        same.encodeUringCmd(expected);
        MemorySegment got = image(dst -> template.encodeTransfer(dst, 0x1_0000_0010L, 16, buf.address(), 8192));
        assertEquals(-1L, got.mismatch(expected), "first differing byte");
        assertEquals(0L, template.slba());
        assertEquals(1, template.blocks());
        assertEquals(0L, template.dataAddress());
    }

    @Test
    void aCommandIsDescribedAsItWasSentThoughItChangedSince() {
        // AsyncNamespace builds an error message only on failure, from the encoding: the caller may reuse the object.
        MemorySegment buf = arena.allocate(8 * 512, 4096);
        Read r = new Read(1, 0x800, 8, buf);
        MemorySegment sent = dirty(NvmeCommand.URING_CMD_SIZE);
        r.encodeUringCmd(sent);
        r.slba(0x42).blocks(1).nsid(2);
        assertEquals("Read (nsid 1, SLBA 0x800, 8 blocks)", r.asSent(sent).describe());
        assertEquals("Read (nsid 2, SLBA 0x42, 1 block)", r.describe(), "the object itself is untouched");
        Read template = new Read(1, 0, 1);
        MemorySegment transfer = image(dst -> template.encodeTransfer(dst, 0x1234, 8, buf.address(), 4096));
        assertEquals("Read (nsid 1, SLBA 0x1234, 8 blocks)", template.asSent(transfer).describe());
        ZoneManagementSend z = new ZoneManagementSend(2, 0x4000, ZoneAction.RESET);
        z.encodeUringCmd(sent);
        assertEquals(z.describe(), new ZoneManagementSend(2, 0, ZoneAction.FINISH).asSent(sent).describe());
    }

    @Test
    void passthru64EncodingClearsTheResultAndCarriesTheVectorCount() {
        MemorySegment a = arena.allocate(4096, 4096);
        MemorySegment b = arena.allocate(8192, 4096);
        MemorySegment iov = arena.allocate(32, 8);
        iov.set(ValueLayout.JAVA_LONG, 0, a.address());
        iov.set(ValueLayout.JAVA_LONG, 8, 4096);
        iov.set(ValueLayout.JAVA_LONG, 16, b.address());
        iov.set(ValueLayout.JAVA_LONG, 24, 8192);
        Write w = new Write(1, 100, 24).dataVectored(iov, 2);
        assertTrue(w.isVectored());
        assertEquals(12288, w.dataBytes());
        MemorySegment cmd = dirty(NvmeCommand.PASSTHRU64_SIZE);
        w.encodePassthru64(cmd);
        assertEquals(0x01, nvme_passthru_cmd64.opcode(cmd));
        assertEquals(iov.address(), nvme_passthru_cmd64.addr(cmd));
        assertEquals(2, nvme_passthru_cmd64.vec_cnt(cmd), "vec_cnt shares data_len's place");
        assertEquals(100, nvme_passthru_cmd64.cdw10(cmd));
        assertEquals(23, nvme_passthru_cmd64.cdw12(cmd));
        assertEquals(0, nvme_passthru_cmd64.result(cmd), "result must start at 0");
        assertEquals(0, nvme_passthru_cmd64.timeout_ms(cmd));
        w.checkDataLength(512);                                   // 24 x 512 = 12288: fits
        assertThrows(IllegalArgumentException.class, () -> w.checkDataLength(4096));
    }

    @Test
    void theSpecificationsSubmissionEntryHasTheDwordsInPlace() {
        MemorySegment buf = arena.allocate(4096, 4096);
        Write w = new Write(2, 0x10, 8, buf).fua(true).directive(Write.DIRECTIVE_DATA_PLACEMENT, 0x1234);
        MemorySegment sqe = dirty(64);
        w.encodeSubmissionEntry(sqe, (short) 0x7701);
        assertEquals(0x7701_0001, sqe.get(ValueLayout.JAVA_INT, 0), "CDW0: CID 31:16, FUSE/PSDT 0, opcode 01h");
        assertEquals(2, sqe.get(ValueLayout.JAVA_INT, 4), "NSID");
        assertEquals(buf.address(), sqe.get(ValueLayout.JAVA_LONG, 24), "PRP1");
        assertEquals(0, sqe.get(ValueLayout.JAVA_LONG, 32), "PRP2");
        assertEquals(0x10, sqe.get(ValueLayout.JAVA_INT, 40), "CDW10");
        // FUA (bit 30) | DTYPE 2 in bits 23:20 | NLB 7
        assertEquals(0x4000_0000 | (2 << 20) | 7, sqe.get(ValueLayout.JAVA_INT, 48), "CDW12");
        assertEquals(0x1234 << 16, sqe.get(ValueLayout.JAVA_INT, 52), "CDW13: DSPEC in 31:16");
        assertEquals(2, w.directiveType());
        assertEquals(0x1234, w.directiveSpecific());
        assertThrows(IllegalArgumentException.class, () -> w.directive(16, 0));
        assertThrows(IllegalArgumentException.class, () -> w.directive(1, 0x10000));
    }

    @Test
    void blockCountsAreNaturalAndStoredZeroBased() {
        Read r = new Read(1, 0, 1);
        assertEquals(0, r.cdw(12) & 0xFFFF);
        r.blocks(LbaCommand.MAX_BLOCKS);
        assertEquals(0xFFFF, r.cdw(12) & 0xFFFF);
        assertEquals(65536, r.blocks());
        assertThrows(IllegalArgumentException.class, () -> r.blocks(0));
        assertThrows(IllegalArgumentException.class, () -> r.blocks(65537));
        assertThrows(IllegalArgumentException.class, () -> r.slba(-1));
        r.fua(true).blocks(3);
        assertTrue(r.fua(), "changing the count keeps the flags");
        r.fua(false);
        assertFalse(r.fua());
        assertEquals(2, r.cdw(12));
    }

    @Test
    void aBufferTooSmallIsRefusedWithWhatItNeeds() {
        MemorySegment small = arena.allocate(512, 4096);
        Read r = new Read(1, 0, 8, small);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.checkDataLength(512));
        assertEquals("Read (nsid 1, SLBA 0x0, 8 blocks) transfers 4096 bytes but its data buffer has 512",
                e.getMessage());
        r.checkDataLength(0); // unknown LBA size: nothing to check against
        assertThrows(IllegalArgumentException.class,
                () -> Identify.controller().data(small).checkDataLength(0), "Identify always moves 4096 bytes");
        assertEquals(0, new Flush(1).requiredDataLength(512));
        assertEquals(0, new WriteZeroes(1, 0, 8).requiredDataLength(512), "Write Zeroes moves no data");
        assertThrows(IllegalArgumentException.class, () -> new Read(1, 0, 1).data(MemorySegment.ofArray(new byte[512])),
                "heap memory has no address the device can use");
    }

    @Test
    void getLogPageSplitsTheDwordCountAcrossNumdlAndNumdu() {
        MemorySegment big = arena.allocate(512 * 1024, 4096);
        GetLogPage g = new GetLogPage(GetLogPage.LID_ERROR_INFORMATION, NvmeCommand.NSID_ALL).data(big)
                .offset(0x1_0000_0040L).retainAsyncEvent(true).csi(2);
        // 512 KiB = 131072 dwords, 0-based 131071 = 0x1FFFF: NUMDL 0xFFFF, NUMDU 0x1.
        assertEquals(0xFFFF_0000 | (1 << 15) | 0x01, g.cdw(10));
        assertEquals(0x1, g.cdw(11));
        assertEquals(0x40, g.cdw(12), "LPOL");
        assertEquals(0x1, g.cdw(13), "LPOU");
        assertEquals(2 << 24, g.cdw(14), "CSI");
        assertEquals(512 * 1024, g.length());
        assertTrue(g.isAdmin());
        assertThrows(IllegalArgumentException.class, () -> g.data(arena.allocate(6)), "not whole dwords");
        assertThrows(IllegalArgumentException.class, () -> g.offset(2));
    }

    @Test
    void rangeEntriesAreWhereTheDeviceLooks() {
        MemorySegment dsm = dirty(2 * DatasetManagement.RANGE_SIZE);
        DatasetManagement.range(dsm, 1, 0x1122_3344_5566L, 77, 0x5);
        assertEquals(0x5, dsm.get(ValueLayout.JAVA_INT, 16), "context attributes");
        assertEquals(77, dsm.get(ValueLayout.JAVA_INT, 20), "length in blocks, 1-based");
        assertEquals(0x1122_3344_5566L, dsm.get(ValueLayout.JAVA_LONG, 24), "starting LBA");
        DatasetManagement d = new DatasetManagement(1, 2, dsm).deallocate(true);
        assertEquals(1, d.cdw(10), "NR is 0-based");
        assertEquals(4, d.cdw(11), "AD is bit 2");
        assertEquals(32, d.requiredDataLength(512));

        MemorySegment copy = dirty(2 * Copy.SOURCE_RANGE_SIZE);
        Copy.sourceRange(copy, 1, 0xABCDEF, 16);
        assertEquals(0, copy.get(ValueLayout.JAVA_LONG, 32), "reserved bytes cleared");
        assertEquals(0xABCDEF, copy.get(ValueLayout.JAVA_LONG, 40), "SLBA at bytes 15:8");
        assertEquals(15, copy.get(ValueLayout.JAVA_SHORT, 48), "NLB 0-based at bytes 17:16");
        assertEquals(0, copy.get(ValueLayout.JAVA_LONG, 56));
        Copy c = new Copy(1, 0x2_0000_0000L, 2, copy).fua(true);
        assertEquals(0, c.cdw(10));
        assertEquals(2, c.cdw(11));
        assertEquals(0x4000_0000 | 1, c.cdw(12));
    }

    @Test
    void zoneCommandsCarryActionFilterAndSize() {
        ZoneManagementSend s = new ZoneManagementSend(2, 0x20000, ZoneAction.FINISH).allZones(true);
        assertEquals(0x20000, s.cdw(10));
        assertEquals(0x102, s.cdw(13), "Select All bit 8 | ZSA 02h");
        assertEquals(ZoneAction.FINISH, s.action());
        MemorySegment buf = arena.allocate(ZoneReport.bufferSize(3), 8);
        ZoneManagementReceive r = new ZoneManagementReceive(2, 5, buf).filter(ZoneReportFilter.FULL).partial(true);
        assertEquals((int) (ZoneReport.bufferSize(3) / 4 - 1), r.cdw(12), "NUMD 0-based");
        assertEquals((1 << 16) | (0x5 << 8), r.cdw(13), "Partial | ZRAS Full | ZRA Report Zones");
        assertEquals(0x7D, new ZoneAppend(2, 0, 1, arena.allocate(512)).opcode());
        Identify z = Identify.zonedNamespace(2);
        assertEquals(0x05, z.cdw(10));
        assertEquals(2 << 24, z.cdw(11), "CSI 02h in CDW11 31:24");
    }
}
