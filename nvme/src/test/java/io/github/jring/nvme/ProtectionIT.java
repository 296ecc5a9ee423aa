package io.github.jring.nvme;

import io.github.jring.nvme.command.FormatNvm;
import io.github.jring.nvme.command.Read;
import io.github.jring.nvme.command.Verify;
import io.github.jring.nvme.command.Write;
import io.github.jring.nvme.data.IdentifyNamespace;
import io.github.jring.nvme.data.LbaFormat;
import io.github.jring.nvme.pi.GuardFormat;
import io.github.jring.nvme.pi.PiLayout;
import io.github.jring.nvme.pi.PiTuple;
import io.github.jring.nvme.pi.PiType;
import io.github.jring.nvme.pi.Prinfo;
import io.github.jring.nvme.status.NvmeStatusCode;
import io.github.jring.nvme.status.NvmeStatusException;
import io.github.jring.vm.GuestTools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * End-to-end protection on the emulated controller, with nvme-cli as the other side: namespace 1 is formatted by
 * jring's own {@link FormatNvm} to its 512 + 8 LBA format with protection Type 1 (extended metadata, then separate
 * metadata), and formatted back afterwards. Data written with Java-computed protection information through the
 * io_uring queue is read back by {@code nvme read --prinfo --ref-tag --app-tag} and the other way round (the
 * controller's guards equal jring's); a wrong Application Tag, a wrong Reference Tag and a corrupted Guard each fail
 * with their named status, and the queue goes on working; the typed errors come before the device.
 */
class ProtectionIT {

    private static final int APP_TAG = 0x1234;
    private static int originalFormat = -1;
    private static int piFormat = -1;

    @BeforeAll
    static void findFormat() throws IOException {
        GuestTools.requireVm();
        try (NvmeNamespace ns = NvmeNamespace.open(GuestTools.NS1_CHAR)) {
            IdentifyNamespace id = ns.identify();
            originalFormat = id.activeFormatIndex();
            for (LbaFormat f : id.lbaFormats()) {
                if (f.metadataSize() == 8 && f.dataSize() == id.lbaSize()) {
                    piFormat = f.index();
                    break;
                }
            }
            assumeTrue(piFormat >= 0, "namespace 1 offers no LBA format with 8 bytes of metadata");
            assumeTrue(id.supportsProtection(PiType.TYPE_1), "namespace 1 does not support protection Type 1 (DPC "
                    + id.dpc() + ")");
        }
    }

    @AfterAll
    static void restore() throws IOException {
        if (originalFormat >= 0 && piFormat >= 0) {
            format(new FormatNvm(1, originalFormat));
        }
    }

    /** Formats namespace 1 through jring (the synchronous admin ioctl on the namespace's device). */
    private static void format(FormatNvm command) throws IOException {
        try (NvmeNamespace ns = NvmeNamespace.open(GuestTools.NS1_CHAR)) {
            ns.execute(new FormatNvm(ns.nsid(), command.lbaFormat()).extendedMetadata(command.extendedMetadata())
                    .protection(command.protectionType(), command.protectionFirst()));
        }
    }

    private static Path temp() throws IOException {
        return Files.createTempFile("jring-pi", ".bin");
    }

    private static String nvme(String... args) {
        String[] command = new String[args.length + 2];
        command[0] = "nvme";
        command[1] = args[0];
        command[2] = GuestTools.NS1_CHAR.toString();
        System.arraycopy(args, 1, command, 3, args.length - 1);
        return GuestTools.run(command).checkSuccess().stdout();
    }

    @Test
    void extendedType1RoundTripsWithNvmeCliAndNamesEveryCheckError() throws IOException {
        format(new FormatNvm(1, piFormat).extendedMetadata(true).protection(PiType.TYPE_1, false));
        try (NvmeNamespace ns = NvmeNamespace.open(GuestTools.NS1_CHAR);
             NvmeQueue q = NvmeQueue.open(ns, 8);
             Arena arena = Arena.ofConfined()) {
            PiLayout pi = ns.protection();
            assertEquals(PiType.TYPE_1, pi.type(), "Identify Namespace DPS after Format NVM");
            assertEquals(GuardFormat.GUARD_16, pi.format());
            assertTrue(pi.extended());
            int blocks = 8;
            int stride = pi.dataBytesPerBlock(0);
            assertEquals(520, stride);

            // jring writes data + Java-computed PI (PRACT = 0, every check); nvme-cli reads it back checking all
            MemorySegment out = arena.allocate((long) blocks * stride, 4096);
            Patterns.fill(out, 1701);
            pi.generate(out, null, blocks, 64, APP_TAG);
            q.execute(new Write(ns.nsid(), 64, blocks, out).protection(Prinfo.CHECK_ALL, 64, APP_TAG, 0xFFFF));
            Path file = temp();
            nvme("read", "--start-block=64", "--block-count=" + (blocks - 1), "--data-size=" + out.byteSize(),
                    "--data=" + file, "--prinfo=7", "--ref-tag=64", "--app-tag=" + APP_TAG, "--app-tag-mask=0xffff");
            Patterns.assertSame(out.toArray(JAVA_BYTE), Files.readAllBytes(file), "nvme-cli reads jring's data + PI");

            // nvme-cli writes with PRACT (the controller generates the PI); jring reads data + PI and checks it in Java
            byte[] payload = Patterns.bytes(blocks * 512, 1702);
            Files.write(file, payload);
            nvme("write", "--start-block=128", "--block-count=" + (blocks - 1), "--data-size=" + payload.length,
                    "--data=" + file, "--prinfo=8", "--ref-tag=128", "--app-tag=" + APP_TAG);
            MemorySegment in = arena.allocate((long) blocks * stride, 4096);
            q.execute(new Read(ns.nsid(), 128, blocks, in).protection(Prinfo.CHECK_ALL, 128, APP_TAG, 0xFFFF));
            assertEquals(PiLayout.VERIFIED, pi.verify(in, null, blocks, 128, APP_TAG, 0xFFFF, Prinfo.CHECK_ALL),
                    "the controller's guards and tags are what jring computes");
            for (int b = 0; b < blocks; b++) {
                Patterns.assertSame(MemorySegment.ofArray(payload).asSlice(b * 512L, 512), in.asSlice((long) b * stride,
                        512), "block " + b);
            }
            // PRACT on a read: the controller checks and strips, the buffer holds data only
            MemorySegment plain = arena.allocate((long) blocks * 512, 4096);
            ns.execute(new Read(ns.nsid(), 128, blocks, plain).protection(Prinfo.PRACT | Prinfo.CHECK_ALL, 128, APP_TAG,
                    0xFFFF));
            Patterns.assertSame(payload, plain.toArray(JAVA_BYTE), "PRACT read through the ioctl");

            // each check fails with its named status, and the queue goes on
            NvmeStatusException app = assertThrows(NvmeStatusException.class, () -> q.execute(
                    new Read(ns.nsid(), 128, blocks, in).protection(Prinfo.CHECK_ALL, 128, APP_TAG + 1, 0xFFFF)));
            assertEquals(NvmeStatusCode.END_TO_END_APPLICATION_TAG_CHECK_ERROR, app.code(), app.getMessage());
            // a wrong Reference Tag: a tuple stored unchecked whose tag is not its LBA's (Type 1 wants the initial
            // tag to be the SLBA, or the controller answers Invalid Protection Information instead)
            MemorySegment one = arena.allocate(stride, 4096);
            Patterns.fill(one, 1703);
            pi.generate(one, null, 1, 999, APP_TAG);
            q.execute(new Write(ns.nsid(), 300, 1, one).protection(0, 300, APP_TAG, 0));
            NvmeStatusException ref = assertThrows(NvmeStatusException.class, () -> q.execute(
                    new Read(ns.nsid(), 300, 1, one).protection(Prinfo.CHECK_REFERENCE_TAG, 300, 0, 0)));
            assertEquals(NvmeStatusCode.END_TO_END_REFERENCE_TAG_CHECK_ERROR, ref.code(), ref.getMessage());
            NvmeStatusException verify = assertThrows(NvmeStatusException.class, () -> q.execute(
                    new Verify(ns.nsid(), 300, 1).protection(Prinfo.CHECK_REFERENCE_TAG, 300, 0, 0)));
            assertEquals(NvmeStatusCode.END_TO_END_REFERENCE_TAG_CHECK_ERROR, verify.code(), "Verify checks too");
            q.execute(new Verify(ns.nsid(), 128, blocks).protection(Prinfo.CHECK_ALL, 128, APP_TAG, 0xFFFF));
            // a corrupted guard: written unchecked, then read with the guard checked
            in.set(JAVA_BYTE, 3, (byte) (in.get(JAVA_BYTE, 3) ^ 1));
            q.execute(new Write(ns.nsid(), 128, blocks, in).protection(0, 128, APP_TAG, 0));
            NvmeStatusException guard = assertThrows(NvmeStatusException.class, () -> q.execute(
                    new Read(ns.nsid(), 128, blocks, in).protection(Prinfo.CHECK_GUARD, 128, APP_TAG, 0xFFFF)));
            assertEquals(NvmeStatusCode.END_TO_END_GUARD_CHECK_ERROR, guard.code(), guard.getMessage());
            NvmeStatusException written = assertThrows(NvmeStatusException.class, () -> q.execute(
                    new Write(ns.nsid(), 256, blocks, in).protection(Prinfo.CHECK_GUARD, 256, APP_TAG, 0xFFFF)));
            assertEquals(NvmeStatusCode.END_TO_END_GUARD_CHECK_ERROR, written.code(), "a write's guard is checked");
            nvme("read", "--start-block=64", "--block-count=" + (blocks - 1), "--data-size=" + out.byteSize(),
                    "--data=" + file, "--prinfo=7", "--ref-tag=64", "--app-tag=" + APP_TAG, "--app-tag-mask=0xffff");
            q.execute(new Read(ns.nsid(), 64, blocks, in).protection(Prinfo.CHECK_ALL, 64, APP_TAG, 0xFFFF));
            Patterns.assertSame(out, in, "the queue still reads after the failed commands");

            // typed errors before the device
            MemorySegment meta = arena.allocate(blocks * 8L);
            IllegalArgumentException sep = assertThrows(IllegalArgumentException.class, () -> q.execute(
                    new Read(ns.nsid(), 64, blocks, in).metadata(meta)));
            assertTrue(sep.getMessage().contains("extended"), sep.getMessage());
            assertThrows(IllegalArgumentException.class, () -> q.execute(new Read(ns.nsid(), 64, blocks, in)
                    .protection(Prinfo.CHECK_REFERENCE_TAG, 1L << 32, 0, 0)), "a 33-bit tag on a 16b Guard format");
            assertThrows(IllegalArgumentException.class, () -> q.execute(new Read(ns.nsid(), 64, blocks,
                    arena.allocate(blocks * 512L)).protection(Prinfo.CHECK_ALL, 64, APP_TAG, 0xFFFF)),
                    "without PRACT the buffer must hold the metadata too");
        }
    }

    @Test
    void separateType1MetadataRoundTripsWithNvmeCli() throws IOException {
        format(new FormatNvm(1, piFormat).extendedMetadata(false).protection(PiType.TYPE_1, true));
        try (NvmeNamespace ns = NvmeNamespace.open(GuestTools.NS1_CHAR);
             NvmeQueue q = NvmeQueue.open(ns, 8);
             Arena arena = Arena.ofConfined()) {
            PiLayout pi = ns.protection();
            assertEquals(PiType.TYPE_1, pi.type());
            assertTrue(pi.first());
            int blocks = 8;
            MemorySegment data = arena.allocate(blocks * 512L, 4096);
            MemorySegment meta = arena.allocate(blocks * 8L, 8);
            Patterns.fill(data, 1801);
            pi.generate(data, meta, blocks, 512, APP_TAG);
            ns.async().await(ns.async().execute(new Write(ns.nsid(), 512, blocks, data).metadata(meta)
                    .protection(Prinfo.CHECK_ALL, 512, APP_TAG, 0xFFFF)));
            Path dataFile = temp();
            Path metaFile = temp();
            nvme("read", "--start-block=512", "--block-count=" + (blocks - 1), "--data-size=" + data.byteSize(),
                    "--data=" + dataFile, "--metadata-size=" + meta.byteSize(), "--metadata=" + metaFile,
                    "--prinfo=7", "--ref-tag=512", "--app-tag=" + APP_TAG, "--app-tag-mask=0xffff");
            Patterns.assertSame(data.toArray(JAVA_BYTE), Files.readAllBytes(dataFile), "data");
            Patterns.assertSame(meta.toArray(JAVA_BYTE), Files.readAllBytes(metaFile), "separate metadata (the PI)");
            assertEquals(512 + 7, PiTuple.reference(GuardFormat.GUARD_16, meta, pi.tupleAt(7)));

            // PRACT write without metadata, then a checked read with the tuples in the metadata buffer
            MemorySegment metaIn = arena.allocate(blocks * 8L, 8);
            q.execute(new Write(ns.nsid(), 1024, blocks, data).protection(Prinfo.PRACT, 1024, 7, 0));
            q.execute(new Read(ns.nsid(), 1024, blocks, data).metadata(metaIn).protection(Prinfo.CHECK_ALL, 1024, 7,
                    0xFFFF));
            assertEquals(PiLayout.VERIFIED, pi.verify(data, metaIn, blocks, 1024, 7, 0xFFFF, Prinfo.CHECK_ALL));

            // a metadata buffer of the wrong size, before the device
            IllegalArgumentException small = assertThrows(IllegalArgumentException.class, () -> q.execute(
                    new Read(ns.nsid(), 1024, blocks, data).metadata(arena.allocate(blocks * 8L - 8))));
            assertTrue(small.getMessage().contains("metadata"), small.getMessage());
            NvmeStatusException app = assertThrows(NvmeStatusException.class, () -> q.execute(
                    new Read(ns.nsid(), 1024, blocks, data).metadata(metaIn).protection(Prinfo.CHECK_ALL, 1024, 8,
                            0xFFFF)));
            assertEquals(NvmeStatusCode.END_TO_END_APPLICATION_TAG_CHECK_ERROR, app.code());
        }
    }

    @Test
    void protectionBitsOnANamespaceWithoutProtectionAreRefusedBeforeTheDevice() throws IOException {
        try (NvmeNamespace ns = NvmeNamespace.open(GuestTools.NS2_CHAR);
             Arena arena = Arena.ofConfined()) {
            assumeTrue(!ns.protection().enabled(), "namespace 2 has protection information");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ns.execute(
                    new Read(ns.nsid(), 0, 1, arena.allocate(ns.lbaSize())).protection(Prinfo.CHECK_ALL, 0, 0, 0)));
            assertTrue(e.getMessage().contains("without protection information"), e.getMessage());
        }
    }
}
