package io.github.jring.nvme;

import io.github.jring.nvme.command.Read;
import io.github.jring.nvme.command.Write;
import io.github.jring.nvme.data.IdentifyNamespace;
import io.github.jring.nvme.data.LbaFormat;
import io.github.jring.vm.GuestTools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Separate metadata buffers: namespace 1 is reformatted (nvme-cli) to an LBA format with 8 bytes of metadata per block
 * kept apart from the data, written with data and metadata through both transports, read back, and formatted back to
 * what it was. Formatting erases the namespace, so this class leaves it as the other classes expect: the original
 * format, all zeroes.
 */
class MetadataIT {

    private static int originalFormat = -1;
    private static int metadataFormat = -1;

    @BeforeAll
    static void format() throws IOException {
        GuestTools.requireVm();
        try (NvmeNamespace ns = NvmeNamespace.open(GuestTools.NS1_CHAR)) {
            IdentifyNamespace id = ns.identify();
            originalFormat = id.activeFormatIndex();
            List<LbaFormat> formats = id.lbaFormats();
            for (LbaFormat f : formats) {
                if (f.metadataSize() == 8 && f.dataSize() == id.lbaSize()) {
                    metadataFormat = f.index();
                    break;
                }
            }
        }
        assumeTrue(metadataFormat >= 0, "namespace 1 offers no LBA format with 8 bytes of metadata");
        reformat(metadataFormat);
    }

    private static void reformat(int lbaf) {
        // --ms=0: metadata in a separate buffer (FLBAS bit 4 clear), --pi=0: no protection information.
        GuestTools.run("nvme", "format", GuestTools.NS1_BLOCK.toString(), "--lbaf=" + lbaf, "--ms=0", "--pi=0",
                "--force").checkSuccess();
    }

    @AfterAll
    static void restore() {
        if (metadataFormat >= 0 && originalFormat >= 0) {
            reformat(originalFormat);
        }
    }

    @Test
    void dataAndSeparateMetadataRoundTripOnBothTransports() throws IOException {
        try (NvmeNamespace ns = NvmeNamespace.open(GuestTools.NS1_CHAR);
             NvmeQueue q = NvmeQueue.open(ns, 8);
             Arena arena = Arena.ofConfined()) {
            assertEquals(metadataFormat, ns.identify().activeFormatIndex(), "the handle sees the new format");
            assertEquals(8, ns.metadataSize());
            assertFalse(ns.identify().extendedMetadata());
            int lba = ns.lbaSize();
            int blocks = 8;
            MemorySegment data = arena.allocate((long) blocks * lba, 4096);
            MemorySegment meta = arena.allocate((long) blocks * ns.metadataSize(), 8);
            Patterns.fill(data, 501);
            Patterns.fill(meta, 502);
            MemorySegment dataIn = arena.allocate(data.byteSize(), 4096);
            MemorySegment metaIn = arena.allocate(meta.byteSize(), 8);

            q.execute(new Write(ns.nsid(), 64, blocks, data).metadata(meta));
            q.execute(new Read(ns.nsid(), 64, blocks, dataIn).metadata(metaIn));
            Patterns.assertSame(data, dataIn, "data via uring_cmd");
            Patterns.assertSame(meta, metaIn, "metadata via uring_cmd");

            dataIn.fill((byte) 0);
            metaIn.fill((byte) 0);
            ns.execute(new Read(ns.nsid(), 64, blocks, dataIn).metadata(metaIn));
            Patterns.assertSame(meta, metaIn, "metadata via ioctl");
            Patterns.assertSame(data, dataIn, "data via ioctl");

            Patterns.fill(meta, 503);
            ns.execute(new Write(ns.nsid(), 128, blocks, data).metadata(meta));
            metaIn.fill((byte) 0);
            q.execute(new Read(ns.nsid(), 128, blocks, dataIn).metadata(metaIn));
            Patterns.assertSame(meta, metaIn, "metadata written by ioctl, read by uring_cmd");
        }
    }
}
