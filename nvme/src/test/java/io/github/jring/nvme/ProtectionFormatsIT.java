package io.github.jring.nvme;

import io.github.jring.core.internal.Json;
import io.github.jring.nvme.command.Copy;
import io.github.jring.nvme.command.Read;
import io.github.jring.nvme.command.Write;
import io.github.jring.nvme.data.IdentifyController;
import io.github.jring.nvme.pi.GuardFormat;
import io.github.jring.nvme.pi.PiLayout;
import io.github.jring.nvme.pi.PiTuple;
import io.github.jring.nvme.pi.PiType;
import io.github.jring.nvme.pi.Prinfo;
import io.github.jring.nvme.status.NvmeStatusCode;
import io.github.jring.nvme.status.NvmeStatusException;
import io.github.jring.vm.Flavour612;
import io.github.jring.vm.GuestTools;
import io.github.jring.vm.RequiresFlavour;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The 6.12 flavour's protection namespaces (nvme2: Types 1, 2 and 3, extended and separate metadata, the 64b Guard,
 * PI first in 16-byte metadata): Identify decoded as nvme-cli decodes it, CRC-64/NVME guards exchanged with nvme-cli
 * both ways, Type 2's free Reference Tag and Type 3's unchecked one, PRACT on metadata larger than the tuple, Copy's
 * descriptor format 1 (40-byte entries with 48-bit tags) on the 64b Guard namespace, and the Storage Tag (which qemu
 * does not emulate: that test says so and skips).
 */
@RequiresFlavour(value = Flavour612.NAME, devices = {Flavour612.PI_TYPE1_EXTENDED_CHAR, Flavour612.PI_TYPE2_SEPARATE_CHAR,
        Flavour612.PI_TYPE3_SEPARATE_CHAR, Flavour612.PI_TYPE1_GUARD64_CHAR, Flavour612.PI_TYPE3_EXTENDED_LAST_CHAR})
class ProtectionFormatsIT {

    private static final int APP_TAG = 0x5AA5;

    private static String nvme(String device, String... args) {
        String[] command = new String[args.length + 2];
        command[0] = "nvme";
        command[1] = args[0];
        command[2] = device;
        System.arraycopy(args, 1, command, 3, args.length - 1);
        return GuestTools.run(command).checkSuccess().stdout();
    }

    @Test
    void identifyDecodesEachNamespaceAsNvmeCliDoes() throws IOException {
        record Expected(String device, PiType type, GuardFormat guard, int metadata, boolean extended) { }
        for (Expected e : List.of(
                new Expected(Flavour612.PI_TYPE1_EXTENDED_CHAR, PiType.TYPE_1, GuardFormat.GUARD_16, 8, true),
                new Expected(Flavour612.PI_TYPE2_SEPARATE_CHAR, PiType.TYPE_2, GuardFormat.GUARD_16, 8, false),
                new Expected(Flavour612.PI_TYPE3_SEPARATE_CHAR, PiType.TYPE_3, GuardFormat.GUARD_16, 8, false),
                new Expected(Flavour612.PI_TYPE1_GUARD64_CHAR, PiType.TYPE_1, GuardFormat.GUARD_64, 16, false),
                new Expected(Flavour612.PI_TYPE3_EXTENDED_LAST_CHAR, PiType.TYPE_3, GuardFormat.GUARD_16, 16, true))) {
            try (NvmeNamespace ns = NvmeNamespace.open(e.device())) {
                PiLayout pi = ns.protection();
                Map<String, Object> id = GuestTools.idNs(Path.of(e.device()));
                long dps = Json.longValue(id.get("dps"));
                long flbas = Json.longValue(id.get("flbas"));
                assertEquals(dps & 7, pi.type().code(), e.device() + ": type, as nvme-cli's dps");
                assertEquals((dps & 8) != 0, pi.first(), e.device() + ": PI first, as nvme-cli's dps");
                assertEquals((flbas & 0x10) != 0, pi.extended(), e.device() + ": extended, as nvme-cli's flbas");
                assertEquals(Json.longValue(id.get("dpc")), ns.identify().dpc(), e.device() + ": dpc");
                assertEquals(e.type(), pi.type(), e.device());
                assertEquals(e.guard(), pi.format(), e.device() + ": guard format (NVM Command Set Identify PIF)");
                assertEquals(e.metadata(), pi.metadataSize(), e.device());
                assertEquals(e.extended(), pi.extended(), e.device());
                Object nvm = GuestTools.nvmeJson("nvm-id-ns", e.device());
                Object pif = Json.at(nvm, "elbafs", ns.identify().activeFormatIndex(), "pif");
                assertEquals(e.guard().pif(), Json.longValue(pif), e.device() + ": nvme-cli's elbaf pif");
            }
        }
    }

    @Test
    void sixtyFourBitGuardsRoundTripWithNvmeCli() throws IOException {
        String dev = Flavour612.PI_TYPE1_GUARD64_CHAR;
        try (NvmeNamespace ns = NvmeNamespace.open(dev);
             NvmeQueue q = NvmeQueue.open(ns, 8);
             Arena arena = Arena.ofConfined()) {
            PiLayout pi = ns.protection();
            int blocks = 8;
            MemorySegment data = arena.allocate(blocks * 512L, 4096);
            MemorySegment meta = arena.allocate(blocks * 16L, 8);
            Patterns.fill(data, 6401);
            pi.generate(data, meta, blocks, 64, APP_TAG);
            q.execute(new Write(ns.nsid(), 64, blocks, data).metadata(meta)
                    .protection(Prinfo.CHECK_ALL, 64, APP_TAG, 0xFFFF));
            Path dataFile = Files.createTempFile("jring-pi", ".data");
            Path metaFile = Files.createTempFile("jring-pi", ".meta");
            nvme(dev, "read", "--start-block=64", "--block-count=" + (blocks - 1), "--data-size=" + data.byteSize(),
                    "--data=" + dataFile, "--metadata-size=" + meta.byteSize(), "--metadata=" + metaFile,
                    "--prinfo=7", "--ref-tag=64", "--app-tag=" + APP_TAG, "--app-tag-mask=0xffff");
            Patterns.assertSame(data.toArray(JAVA_BYTE), Files.readAllBytes(dataFile), "data");
            Patterns.assertSame(meta.toArray(JAVA_BYTE), Files.readAllBytes(metaFile), "16-byte tuples");

            // the controller computes the CRC-64 guards (PRACT, no metadata moves); jring's are the same
            byte[] payload = Patterns.bytes(blocks * 512, 6402);
            Files.write(dataFile, payload);
            nvme(dev, "write", "--start-block=128", "--block-count=" + (blocks - 1), "--data-size=" + payload.length,
                    "--data=" + dataFile, "--prinfo=8", "--ref-tag=128", "--app-tag=" + APP_TAG);
            MemorySegment metaIn = arena.allocate(blocks * 16L, 8);
            q.execute(new Read(ns.nsid(), 128, blocks, data).metadata(metaIn)
                    .protection(Prinfo.CHECK_ALL, 128, APP_TAG, 0xFFFF));
            Patterns.assertSame(payload, data.toArray(JAVA_BYTE), "data");
            assertEquals(PiLayout.VERIFIED, pi.verify(data, metaIn, blocks, 128, APP_TAG, 0xFFFF, Prinfo.CHECK_ALL),
                    "the controller's CRC-64 guards are jring's");
            assertEquals(135, PiTuple.reference(GuardFormat.GUARD_64, metaIn, pi.tupleAt(7)));

            // a corrupted 64-bit guard is refused on the write that carries it
            metaIn.set(JAVA_BYTE, pi.tupleAt(2) + 7, (byte) (metaIn.get(JAVA_BYTE, pi.tupleAt(2) + 7) ^ 0x40));
            NvmeStatusException guard = assertThrows(NvmeStatusException.class, () -> q.execute(
                    new Write(ns.nsid(), 128, blocks, data).metadata(metaIn)
                            .protection(Prinfo.CHECK_GUARD, 128, APP_TAG, 0xFFFF)));
            assertEquals(NvmeStatusCode.END_TO_END_GUARD_CHECK_ERROR, guard.code(), guard.getMessage());
            q.execute(new Read(ns.nsid(), 128, blocks, data).protection(Prinfo.PRACT | Prinfo.CHECK_ALL, 128, APP_TAG,
                    0xFFFF));
            Patterns.assertSame(payload, data.toArray(JAVA_BYTE), "PRACT read, no metadata buffer, after the error");
        }
    }

    @Test
    void typeTwoChecksAnyReferenceTagAndTypeThreeNone() throws IOException {
        try (NvmeNamespace t2 = NvmeNamespace.open(Flavour612.PI_TYPE2_SEPARATE_CHAR);
             NvmeNamespace t3 = NvmeNamespace.open(Flavour612.PI_TYPE3_SEPARATE_CHAR);
             Arena arena = Arena.ofConfined()) {
            int blocks = 4;
            MemorySegment data = arena.allocate(blocks * 512L, 4096);
            MemorySegment meta = arena.allocate(blocks * 8L, 8);
            Patterns.fill(data, 201);
            long ref = 0xABCD_0000L;
            t2.protection().generate(data, meta, blocks, ref, APP_TAG);
            t2.execute(new Write(t2.nsid(), 10, blocks, data).metadata(meta)
                    .protection(Prinfo.CHECK_ALL, ref, APP_TAG, 0xFFFF));
            Path dataFile = Files.createTempFile("jring-pi", ".data");
            Path metaFile = Files.createTempFile("jring-pi", ".meta");
            nvme(Flavour612.PI_TYPE2_SEPARATE_CHAR, "read", "--start-block=10", "--block-count=" + (blocks - 1),
                    "--data-size=" + data.byteSize(), "--data=" + dataFile, "--metadata-size=" + meta.byteSize(),
                    "--metadata=" + metaFile, "--prinfo=7", "--ref-tag=" + ref, "--app-tag=" + APP_TAG,
                    "--app-tag-mask=0xffff");
            Patterns.assertSame(meta.toArray(JAVA_BYTE), Files.readAllBytes(metaFile), "Type 2 tuples");
            NvmeStatusException wrongRef = assertThrows(NvmeStatusException.class, () -> t2.execute(
                    new Read(t2.nsid(), 10, blocks, data).metadata(meta)
                            .protection(Prinfo.CHECK_REFERENCE_TAG, ref + 1, 0, 0)));
            assertEquals(NvmeStatusCode.END_TO_END_REFERENCE_TAG_CHECK_ERROR, wrongRef.code(), wrongRef.getMessage());

            // Type 3: no Reference Tag check (asking for one is Invalid Protection Information), any tag stored
            int guardAndApp = Prinfo.CHECK_GUARD | Prinfo.CHECK_APPLICATION_TAG;
            t3.protection().generate(data, meta, blocks, 7, APP_TAG);
            t3.execute(new Write(t3.nsid(), 10, blocks, data).metadata(meta).protection(guardAndApp, 7, APP_TAG, 0xFFFF));
            t3.execute(new Read(t3.nsid(), 10, blocks, data).metadata(meta).protection(guardAndApp, 999, APP_TAG, 0xFFFF));
            NvmeStatusException refCheck = assertThrows(NvmeStatusException.class, () -> t3.execute(
                    new Read(t3.nsid(), 10, blocks, data).metadata(meta).protection(Prinfo.CHECK_ALL, 7, APP_TAG,
                            0xFFFF)));
            assertEquals(NvmeStatusCode.INVALID_PROTECTION_INFORMATION, refCheck.code(), refCheck.getMessage());
            NvmeStatusException wrongApp = assertThrows(NvmeStatusException.class, () -> t3.execute(
                    new Read(t3.nsid(), 10, blocks, data).metadata(meta)
                            .protection(Prinfo.CHECK_APPLICATION_TAG, 7, APP_TAG ^ 0x0100, 0xFFFF)));
            assertEquals(NvmeStatusCode.END_TO_END_APPLICATION_TAG_CHECK_ERROR, wrongApp.code());
            t3.execute(new Read(t3.nsid(), 10, blocks, data).metadata(meta)
                    .protection(Prinfo.CHECK_APPLICATION_TAG, 7, APP_TAG ^ 0x0100, 0xFEFF)); // masked out
        }
    }

    @Test
    void practOnMetadataLargerThanTheTupleMovesTheRest() throws IOException {
        try (NvmeNamespace ns = NvmeNamespace.open(Flavour612.PI_TYPE3_EXTENDED_LAST_CHAR);
             NvmeQueue q = NvmeQueue.open(ns, 4);
             Arena arena = Arena.ofConfined()) {
            PiLayout pi = ns.protection();
            int blocks = 4;
            int stride = pi.dataBytesPerBlock(Prinfo.PRACT);
            assertEquals(512 + 16, stride, "16 bytes of metadata, 8 of them the tuple: PRACT still moves all 16");
            MemorySegment out = arena.allocate((long) blocks * stride, 4096);
            Patterns.fill(out, 501);
            q.execute(new Write(ns.nsid(), 20, blocks, out).protection(Prinfo.PRACT, 0, APP_TAG, 0));
            MemorySegment in = arena.allocate((long) blocks * stride, 4096);
            int guardAndApp = Prinfo.CHECK_GUARD | Prinfo.CHECK_APPLICATION_TAG; // Type 3: no Reference Tag check
            q.execute(new Read(ns.nsid(), 20, blocks, in).protection(guardAndApp, 0, APP_TAG, 0xFFFF));
            assertEquals(PiLayout.VERIFIED, pi.verify(in, null, blocks, 0, APP_TAG, 0xFFFF, Prinfo.CHECK_ALL),
                    "the controller's tuples");
            for (int b = 0; b < blocks; b++) {
                long at = (long) b * stride;
                Patterns.assertSame(out.asSlice(at, 512), in.asSlice(at, 512), "block " + b);
                long rest = pi.first() ? at + 512 + 8 : at + 512;
                Patterns.assertSame(out.asSlice(rest, 8), in.asSlice(rest, 8), "the metadata beside the tuple");
            }
        }
    }

    @Test
    void copyWithSixtyFourBitGuardsChecksTheSourceTagsAndRetagsTheDestination() throws IOException {
        String dev = Flavour612.PI_TYPE1_GUARD64_CHAR;
        try (NvmeController c = NvmeController.open(Flavour612.PI_CONTROLLER)) {
            IdentifyController ctrl = c.identify();
            assumeTrue(ctrl.supportsCopy() && (ctrl.ocfs() & 2) != 0, Flavour612.PI_CONTROLLER
                    + " does not offer Copy descriptor format 1 (ONCS copy " + ctrl.supportsCopy() + ", OCFS 0x"
                    + Integer.toHexString(ctrl.ocfs()) + ")");
        }
        try (NvmeNamespace ns = NvmeNamespace.open(dev);
             NvmeQueue q = NvmeQueue.open(ns, 8);
             Arena arena = Arena.ofConfined()) {
            PiLayout pi = ns.protection();
            assertEquals(Copy.FORMAT_1, Copy.formatFor(pi), "the 64b Guard takes descriptor format 1");
            int blocks = 8;
            long src = 0x0123;                       // two bytes that differ, so a byte-order slip cannot pass
            long dst = 0x0456;
            int newTag = 0x0F0F;
            MemorySegment data = arena.allocate(blocks * 512L, 4096);
            MemorySegment meta = arena.allocate(blocks * 16L, 8);
            Patterns.fill(data, 6501);
            pi.generate(data, meta, blocks, src, APP_TAG);
            q.execute(new Write(ns.nsid(), src, blocks, data).metadata(meta)
                    .protection(Prinfo.CHECK_ALL, src, APP_TAG, 0xFFFF));

            // the source's expected tags in the 40-byte entry; PRACT on both sides (qemu wants them equal): the
            // controller checks the source's protection information and writes the destination's afresh
            MemorySegment ranges = arena.allocate(Copy.SOURCE_RANGE_SIZE_FORMAT_1, 4096);
            Copy.sourceRange(pi, ranges, 0, src, blocks, 0, src, APP_TAG, 0xFFFF);
            int both = Prinfo.PRACT | Prinfo.CHECK_ALL;
            q.execute(new Copy(ns.nsid(), dst, 1, ranges).descriptorFormat(Copy.formatFor(pi))
                    .protection(both, both, dst, newTag, 0xFFFF));

            MemorySegment in = arena.allocate(blocks * 512L, 4096);
            MemorySegment metaIn = arena.allocate(blocks * 16L, 8);
            q.execute(new Read(ns.nsid(), dst, blocks, in).metadata(metaIn)
                    .protection(Prinfo.CHECK_ALL, dst, newTag, 0xFFFF));
            Patterns.assertSame(data, in, "the copied blocks");
            assertEquals(PiLayout.VERIFIED, pi.verify(in, metaIn, blocks, dst, newTag, 0xFFFF, Prinfo.CHECK_ALL),
                    "the destination's CRC-64 guards, its Application Tag, and Reference Tags from SDLBA");
            Path dataFile = Files.createTempFile("jring-pi", ".data");
            Path metaFile = Files.createTempFile("jring-pi", ".meta");
            nvme(dev, "read", "--start-block=" + dst, "--block-count=" + (blocks - 1), "--data-size=" + in.byteSize(),
                    "--data=" + dataFile, "--metadata-size=" + metaIn.byteSize(), "--metadata=" + metaFile,
                    "--prinfo=7", "--ref-tag=" + dst, "--app-tag=" + newTag, "--app-tag-mask=0xffff");
            Patterns.assertSame(data.toArray(JAVA_BYTE), Files.readAllBytes(dataFile), "nvme-cli reads the copy, checked");
            Patterns.assertSame(metaIn.toArray(JAVA_BYTE), Files.readAllBytes(metaFile), "and its tuples");

            // a wrong expected tag in the entry: Type 1 wants the SLBA's 48 bits, so a bit 40 set is refused ...
            Copy.sourceRange(pi, ranges, 0, src, blocks, 0, src | 1L << 40, APP_TAG, 0xFFFF);
            NvmeStatusException wide = assertThrows(NvmeStatusException.class, () -> q.execute(
                    new Copy(ns.nsid(), dst, 1, ranges).descriptorFormat(Copy.FORMAT_1)
                            .protection(both, both, dst, newTag, 0xFFFF)));
            assertEquals(NvmeStatusCode.INVALID_PROTECTION_INFORMATION, wide.code(), wide.getMessage());
            // ... a wrong Application Tag fails its check
            Copy.sourceRange(pi, ranges, 0, src, blocks, 0, src, APP_TAG ^ 1, 0xFFFF);
            NvmeStatusException app = assertThrows(NvmeStatusException.class, () -> q.execute(
                    new Copy(ns.nsid(), dst, 1, ranges).descriptorFormat(Copy.FORMAT_1)
                            .protection(both, both, dst, newTag, 0xFFFF)));
            assertEquals(NvmeStatusCode.END_TO_END_APPLICATION_TAG_CHECK_ERROR, app.code(), app.getMessage());
            // ... and a stored Reference Tag that is not its LBA's fails the Reference Tag check
            long odd = 0x0789;
            MemorySegment oddData = data.asSlice(0, 512);
            MemorySegment oddMeta = meta.asSlice(0, 16);
            pi.generate(oddData, oddMeta, 1, 999, APP_TAG);
            q.execute(new Write(ns.nsid(), odd, 1, oddData).metadata(oddMeta).protection(0, odd, APP_TAG, 0));
            Copy.sourceRange(pi, ranges, 0, odd, 1, 0, odd, APP_TAG, 0xFFFF);
            NvmeStatusException ref = assertThrows(NvmeStatusException.class, () -> q.execute(
                    new Copy(ns.nsid(), dst, 1, ranges).descriptorFormat(Copy.FORMAT_1)
                            .protection(both, both, dst, newTag, 0xFFFF)));
            assertEquals(NvmeStatusCode.END_TO_END_REFERENCE_TAG_CHECK_ERROR, ref.code(), ref.getMessage());

            // the format 0 descriptor on a 64b Guard namespace is refused before the device
            IllegalArgumentException format = assertThrows(IllegalArgumentException.class, () -> q.execute(
                    new Copy(ns.nsid(), dst, 1, arena.allocate(Copy.SOURCE_RANGE_SIZE, 4096))));
            assertTrue(format.getMessage().contains("descriptor format"), format.getMessage());
            q.execute(new Read(ns.nsid(), dst, blocks, in).metadata(metaIn)
                    .protection(Prinfo.CHECK_ALL, dst, newTag, 0xFFFF));
            Patterns.assertSame(data, in, "the queue goes on, and the failed copies left the destination as it was");
        }
    }

    @Test
    void asyncNamespaceCarriesProtectionPerCall() throws IOException {
        try (NvmeNamespace g64 = NvmeNamespace.open(Flavour612.PI_TYPE1_GUARD64_CHAR);
             NvmeNamespace ext = NvmeNamespace.open(Flavour612.PI_TYPE1_EXTENDED_CHAR);
             AsyncNamespace a64 = AsyncNamespace.open(g64);
             AsyncNamespace aExt = AsyncNamespace.open(ext);
             Arena arena = Arena.ofConfined()) {
            // separate metadata, 64b Guard: Java computes the tuples, the controller checks them on the write
            PiLayout pi = g64.protection();
            int blocks = 16;
            MemorySegment data = arena.allocate(blocks * 512L, 4096);
            MemorySegment meta = arena.allocate(blocks * 16L, 8);
            Patterns.fill(data, 8801);
            pi.generate(data, meta, blocks, 2048, APP_TAG);
            a64.writeBlocking(2048, data, meta, Prinfo.CHECK_ALL, 2048, APP_TAG, 0xFFFF);
            MemorySegment in = arena.allocate(blocks * 512L, 4096);
            MemorySegment metaIn = arena.allocate(blocks * 16L, 8);
            a64.readBlocking(2048, in, metaIn, Prinfo.CHECK_ALL, 2048, APP_TAG, 0xFFFF);
            Patterns.assertSame(data, in, "data");
            Patterns.assertSame(meta, metaIn, "tuples");
            // PRACT: no metadata buffer; the controller checks and strips
            MemorySegment plain = arena.allocate(blocks * 512L, 4096);
            a64.read(2048, plain, null, Prinfo.PRACT | Prinfo.CHECK_ALL, 2048, APP_TAG, 0xFFFF).join();
            Patterns.assertSame(data, plain, "PRACT read");
            NvmeStatusException app = assertThrows(NvmeStatusException.class, () -> a64.readBlocking(2048, in, metaIn,
                    Prinfo.CHECK_APPLICATION_TAG, 2048, APP_TAG ^ 2, 0xFFFF));
            assertEquals(NvmeStatusCode.END_TO_END_APPLICATION_TAG_CHECK_ERROR, app.code(), app.getMessage());
            IllegalArgumentException noMeta = assertThrows(IllegalArgumentException.class,
                    () -> a64.read(2048, in, null, Prinfo.CHECK_ALL, 2048, APP_TAG, 0xFFFF));
            assertTrue(noMeta.getMessage().contains("metadata"), noMeta.getMessage());

            // extended LBA, 16b Guard: the tuples travel in the data buffer, 520 bytes a block
            PiLayout pe = ext.protection();
            MemorySegment out = arena.allocate(blocks * 520L, 4096);
            Patterns.fill(out, 8802);
            pe.generate(out, null, blocks, 4096, APP_TAG);
            aExt.writeBlocking(4096, out, null, Prinfo.CHECK_ALL, 4096, APP_TAG, 0xFFFF);
            MemorySegment back = arena.allocate(blocks * 520L, 4096);
            aExt.readBlocking(4096, back, null, Prinfo.CHECK_ALL, 4096, APP_TAG, 0xFFFF);
            Patterns.assertSame(out, back, "data and tuples");
            NvmeStatusException ref = assertThrows(NvmeStatusException.class, () -> aExt.readBlocking(4096, back, null,
                    Prinfo.CHECK_REFERENCE_TAG, 4097, APP_TAG, 0xFFFF));
            assertEquals(NvmeStatusCode.INVALID_PROTECTION_INFORMATION, ref.code(),
                    "Type 1: an initial tag that is not the SLBA's; " + ref.getMessage());
            assertThrows(IllegalArgumentException.class, () -> aExt.read(4096, arena.allocate(blocks * 512L, 4096),
                    null, Prinfo.CHECK_ALL, 4096, APP_TAG, 0xFFFF), "without PRACT each block is 520 bytes");
        }
    }

    @Test
    void storageTagsAreCheckedWhereAFormatHasThem() throws IOException {
        int withStorageTag = 0;
        String which = null;
        for (String dev : List.of(Flavour612.PI_TYPE1_EXTENDED_CHAR, Flavour612.PI_TYPE2_SEPARATE_CHAR,
                Flavour612.PI_TYPE3_SEPARATE_CHAR, Flavour612.PI_TYPE1_GUARD64_CHAR,
                Flavour612.PI_TYPE3_EXTENDED_LAST_CHAR)) {
            try (NvmeNamespace ns = NvmeNamespace.open(dev)) {
                Object nvm = GuestTools.nvmeJson("nvm-id-ns", dev);
                Object sts = Json.at(nvm, "elbafs", ns.identify().activeFormatIndex(), "sts");
                assertEquals(Json.longValue(sts), ns.protection().storageTagBits(), dev + ": STS, as nvme-cli's");
                if (ns.protection().storageTagBits() > 0) {
                    withStorageTag++;
                    which = dev;
                }
            }
        }
        assumeTrue(withStorageTag > 0, "SKIPPED: qemu emulates no Storage Tag (every nvme2 namespace's Extended LBA"
                + " Format has STS 0, as nvme-cli's nvm-id-ns shows); the Storage Tag layouts are unit-tested"
                + " (StorageTagLayoutTest, CopyFormatAndTagsTest)");
        try (NvmeNamespace ns = NvmeNamespace.open(which);
             Arena arena = Arena.ofConfined()) {
            PiLayout pi = ns.protection();
            MemorySegment data = arena.allocate(pi.dataBytesPerBlock(0), 4096);
            MemorySegment meta = pi.extended() ? null : arena.allocate(pi.metadataSize(), 8);
            Patterns.fill(data, 7701);
            pi.generate(data, meta, 1, 1, 40, APP_TAG);
            Write w = new Write(ns.nsid(), 40, 1, data).protection(Prinfo.CHECK_ALL, 0, APP_TAG, 0xFFFF)
                    .tags(pi, 1, 40).storageTagCheck(true);
            ns.execute(meta == null ? w : w.metadata(meta));
            Read r = new Read(ns.nsid(), 40, 1, data).protection(Prinfo.CHECK_ALL, 0, APP_TAG, 0xFFFF).tags(pi, 0, 40)
                    .storageTagCheck(true);
            NvmeStatusException e = assertThrows(NvmeStatusException.class,
                    () -> ns.execute(meta == null ? r : r.metadata(meta)));
            assertEquals(NvmeStatusCode.END_TO_END_STORAGE_TAG_CHECK_ERROR, e.code(), e.getMessage());
        }
    }
}
