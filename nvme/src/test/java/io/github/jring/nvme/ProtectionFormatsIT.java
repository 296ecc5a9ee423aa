package io.github.jring.nvme;

import io.github.jring.core.internal.Json;
import io.github.jring.nvme.command.Read;
import io.github.jring.nvme.command.Write;
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

/**
 * The 6.12 flavour's protection namespaces (nvme2: Types 1, 2 and 3, extended and separate metadata, the 64b Guard,
 * PI first in 16-byte metadata): Identify decoded as nvme-cli decodes it, CRC-64/NVME guards exchanged with nvme-cli
 * both ways, Type 2's free Reference Tag and Type 3's unchecked one, and PRACT on metadata larger than the tuple.
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
}
