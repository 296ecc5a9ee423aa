package io.github.jring.nvme.command;

import io.github.jring.nvme.data.ExtendedLbaFormat;
import io.github.jring.nvme.data.IdentifyNamespace;
import io.github.jring.nvme.data.NvmIdentifyNamespace;
import io.github.jring.nvme.pi.GuardFormat;
import io.github.jring.nvme.pi.PiLayout;
import io.github.jring.nvme.pi.PiType;
import io.github.jring.nvme.pi.Prinfo;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The end-to-end protection fields in the command dwords (PRINFO in CDW12 bits 29:26, the Reference Tag in CDW14 and
 * CDW3, the Application Tag and mask in CDW15; Copy's PRINFOR and source range tags), Format NVM's CDW10, and the
 * protection fields of Identify Namespace and of the NVM Command Set Identify Namespace decoded from built pages.
 */
class ProtectionEncodingTest {

    @Test
    void readCarriesPrinfoAndTags() {
        Read r = new Read(1, 0x1234, 8).fua(true).protection(Prinfo.PRACT | Prinfo.CHECK_GUARD, 0x1234, 0xBEEF, 0xFF00);
        assertEquals((7 | (0b1100 << 26) | (1 << 30)), r.cdw(12));
        assertEquals(0x1234, r.cdw(14));
        assertEquals(0, r.cdw(3));
        assertEquals(0xFF00_BEEF, r.cdw(15));
        assertEquals(Prinfo.PRACT | Prinfo.CHECK_GUARD, r.prinfo());
        assertEquals(0xBEEF, r.applicationTag());
        assertEquals(0xFF00, r.applicationTagMask());
        assertTrue(r.fua(), "the other CDW12 bits stay");
        r.protection(Prinfo.CHECK_REFERENCE_TAG, 0xABCD_1234_5678L, 0, 0);
        assertEquals(0x1234_5678, r.cdw(14));
        assertEquals(0xABCD, r.cdw(3), "bits 47:32 in CDW3 bits 15:0");
        assertEquals(0xABCD_1234_5678L, r.referenceTag());
        assertEquals(Prinfo.CHECK_REFERENCE_TAG, r.prinfo());
        assertThrows(IllegalArgumentException.class, () -> r.protection(16, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> r.protection(0, 1L << 48, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> r.protection(0, 0, 0x10000, 0));
    }

    @Test
    void everyLbaCommandPlacesThemAlike() {
        assertEquals(0b1111 << 26 | 3, new Write(1, 0, 4).protection(15, 7, 1, 2).cdw(12));
        assertEquals(0b0111 << 26, new Compare(1, 0, 1, MemorySegment.NULL).protection(7, 0, 0, 0).cdw(12));
        assertEquals(0b0101 << 26, new Verify(1, 0, 1).protection(5, 9, 0, 0).cdw(12));
        WriteZeroes z = new WriteZeroes(1, 0, 1).deallocate(true).protection(Prinfo.PRACT, 9, 3, 4);
        assertEquals((1 << 25) | (Prinfo.PRACT << 26), z.cdw(12));
        assertEquals(9, z.cdw(14));
        assertEquals(0x0004_0003, z.cdw(15));
        assertEquals(0, new Read(1, 0, 1).prinfo());
    }

    @Test
    void copyHasReadAndWriteProtection() {
        Copy c = new Copy(1, 100, 2, MemorySegment.NULL).protection(Prinfo.CHECK_ALL, Prinfo.PRACT, 100, 7, 0xFFFF);
        assertEquals(1 | (7 << 12) | (8 << 26), c.cdw(12));
        assertEquals(Prinfo.CHECK_ALL, c.prinfoRead());
        assertEquals(Prinfo.PRACT, c.prinfoWrite());
        assertEquals(Prinfo.CHECK_ALL | Prinfo.PRACT, c.prinfo());
        assertEquals(100, c.cdw(14));
        assertEquals(0xFFFF_0007, c.cdw(15));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ranges = arena.allocate(64);
            ranges.fill((byte) 0x5A);
            Copy.sourceRange(ranges, 1, 0x40, 8, 0x40, 0x1234, 0xFFF0);
            assertEquals(0x40, ranges.get(JAVA_INT, 32 + 8));
            assertEquals(7, ranges.get(JAVA_SHORT, 32 + 16));
            assertEquals(0x40, ranges.get(JAVA_INT, 32 + 24));
            assertEquals((short) 0x1234, ranges.get(JAVA_SHORT, 32 + 28));
            assertEquals((short) 0xFFF0, ranges.get(JAVA_SHORT, 32 + 30));
            assertEquals(0, ranges.get(JAVA_INT, 32 + 20), "reserved bytes zeroed");
        }
    }

    @Test
    void formatNvmDword10() {
        FormatNvm f = new FormatNvm(1, 1).extendedMetadata(true).protection(PiType.TYPE_1, true);
        assertTrue(f.isAdmin());
        assertEquals(0x80, f.opcode());
        assertEquals(1 | (1 << 4) | (1 << 5) | (1 << 8), f.cdw(10));
        assertEquals(NvmeCommand.Direction.NONE, f.direction());
        assertEquals(0xA | (2 << 12), new FormatNvm(1, 42).cdw(10), "index 42: LBAFL Ah, LBAFU 2");
        assertEquals(42, new FormatNvm(1, 42).lbaFormat());
        FormatNvm g = new FormatNvm(1, 4).protection(PiType.TYPE_3, false);
        assertEquals(PiType.TYPE_3, g.protectionType());
        assertFalse(g.protectionFirst());
        assertFalse(g.extendedMetadata());
        assertThrows(IllegalArgumentException.class, () -> new FormatNvm(1, 64));
        assertTrue(g.writesMedium());
    }

    @Test
    void identifyNvmNamespaceIsCns5Csi0() {
        Identify id = Identify.nvmNamespace(3);
        assertEquals(0x05, id.cdw(10) & 0xFF);
        assertEquals(0, id.cdw(11) >>> 24);
        assertEquals(3, id.nsid());
    }

    @Test
    void identifyNamespaceProtectionFieldsDecode() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment page = arena.allocate(Identify.DATA_SIZE);
            page.set(JAVA_BYTE, 0, (byte) 0x10);            // nsze 16
            page.set(JAVA_BYTE, 25, (byte) 2);              // nlbaf: 3 formats
            page.set(JAVA_BYTE, 26, (byte) (0x10 | 2));     // flbas: format 2, extended
            page.set(JAVA_BYTE, 28, (byte) 0b11101);        // dpc: types 1 and 3, first and last
            page.set(JAVA_BYTE, 29, (byte) (8 | 2));        // dps: type 2, first
            page.set(JAVA_INT, 128, 9 << 16);               // 512 + 0
            page.set(JAVA_INT, 132, (9 << 16) | 8);         // 512 + 8
            page.set(JAVA_INT, 136, (12 << 16) | 16);       // 4096 + 16
            IdentifyNamespace ns = IdentifyNamespace.decode(page);
            assertEquals(PiType.TYPE_2, ns.protectionType());
            assertTrue(ns.protectionFirst());
            assertTrue(ns.supportsProtection(PiType.TYPE_1));
            assertFalse(ns.supportsProtection(PiType.TYPE_2));
            assertTrue(ns.supportsProtection(PiType.TYPE_3));
            assertTrue(ns.supportsProtectionFirst());
            assertTrue(ns.supportsProtectionLast());
            PiLayout sixteen = ns.protection(null);
            assertEquals(GuardFormat.GUARD_16, sixteen.format(), "without the NVM page: 16b Guard");
            assertEquals(4096, sixteen.lbaSize());
            assertEquals(16, sixteen.metadataSize());
            assertTrue(sixteen.extended());

            MemorySegment nvmPage = arena.allocate(Identify.DATA_SIZE);
            nvmPage.set(JAVA_BYTE, 8, (byte) 1);                  // pic
            nvmPage.set(JAVA_INT, 12 + 8, (2 << 7) | 8);          // format 2: 64b Guard, 8-bit storage tag
            NvmIdentifyNamespace nvm = NvmIdentifyNamespace.decode(nvmPage, ns.nlbaf() + 1);
            assertEquals(3, nvm.extendedFormats().size());
            assertEquals(new ExtendedLbaFormat(2, 8, 2, 0), nvm.extendedFormats().get(2));
            PiLayout sixtyFour = ns.protection(nvm);
            assertEquals(GuardFormat.GUARD_64, sixtyFour.format());
            assertEquals(8, sixtyFour.storageTagBits());
            assertEquals(40, sixtyFour.referenceTagBits());
            assertEquals(PiType.TYPE_2, sixtyFour.type());
        }
    }
}
