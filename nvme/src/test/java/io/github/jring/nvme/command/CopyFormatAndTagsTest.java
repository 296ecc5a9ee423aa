package io.github.jring.nvme.command;

import io.github.jring.nvme.pi.GuardFormat;
import io.github.jring.nvme.pi.PiLayout;
import io.github.jring.nvme.pi.PiType;
import io.github.jring.nvme.pi.Prinfo;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.HexFormat;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Logical Block Tags in the command dwords (the space's bits 31:0 in CDW14, 63:32 in CDW3, 79:64 in CDW2 bits
 * 15:0, as Linux, qemu and libnvme place them), the Storage Tag Check bits, and Copy's descriptor format 1: its
 * 40-byte Source Range Entries with the 80-bit Expected Logical Block Tags stored most significant byte first (bytes
 * 35:26, as qemu parses them), the Application Tag and mask after them, the format chosen from the guard format.
 */
class CopyFormatAndTagsTest {

    private static final PiLayout GUARD16 = new PiLayout(PiType.TYPE_1, GuardFormat.GUARD_16, false, 512, 8, false, 0);
    private static final PiLayout GUARD64 = new PiLayout(PiType.TYPE_1, GuardFormat.GUARD_64, false, 512, 16, false, 0);

    @Test
    void tagsFillCdw14ThenCdw3ThenCdw2() {
        PiLayout g32 = new PiLayout(PiType.TYPE_1, GuardFormat.GUARD_32, false, 512, 16, false, 48);
        Read r = new Read(1, 0, 1).protection(Prinfo.CHECK_ALL, 0, 0x11, 0xFFFF).tags(g32, 0xBEEF_0000_0001L,
                0xFFFF_FFFFL);
        assertEquals(0xFFFF_FFFF, r.cdw(14));
        assertEquals(1, r.cdw(3));
        assertEquals(0xBEEF, r.cdw(2));
        assertEquals(0xFFFF_0011, r.cdw(15), "the Application Tag stays");
        assertEquals(Prinfo.CHECK_ALL, r.prinfo(), "PRINFO stays");
        PiLayout g64 = new PiLayout(PiType.TYPE_1, GuardFormat.GUARD_64, false, 512, 16, false, 8);
        Write w = new Write(1, 0, 1).tags(g64, 0xAB, 0x01_0203_0405L).storageTagCheck(true);
        assertEquals(0x0203_0405, w.cdw(14));
        assertEquals(0xAB01, w.cdw(3), "bits 47:32 in CDW3 bits 15:0, where Linux puts the 64b Guard's upper bits");
        assertEquals(0, w.cdw(2));
        assertTrue(w.storageTagCheck());
        assertEquals(1 << 24, w.cdw(12) & (1 << 24), "STC is CDW12 bit 24");
        assertFalse(w.storageTagCheck(false).storageTagCheck());
        // without a Storage Tag, tags() carries the Reference Tag as protection() does
        assertEquals(new Verify(1, 0, 1).protection(0, 0xABCD_1234_5678L, 0, 0).referenceTag(),
                new Verify(1, 0, 1).tags(GUARD64, 0, 0xABCD_1234_5678L).referenceTag());
        PiLayout g16 = new PiLayout(PiType.TYPE_1, GuardFormat.GUARD_16, false, 512, 8, false, 8);
        WriteZeroes z = new WriteZeroes(1, 0, 1).tags(g16, 0x5A, 0x12_3456);
        assertEquals(0x5A12_3456, z.cdw(14), "the 16b Guard's Storage Tag in CDW14's upper STS bits");
        assertEquals(0, z.cdw(3));
        assertThrows(IllegalArgumentException.class, () -> new Compare(1, 0, 1, MemorySegment.NULL)
                .tags(g16, 0x100, 0), "a Storage Tag wider than STS");
    }

    @Test
    void copyTakesTheDescriptorFormatOfTheGuardFormat() {
        assertEquals(Copy.FORMAT_0, Copy.formatFor(GUARD16));
        assertEquals(Copy.FORMAT_1, Copy.formatFor(GUARD64));
        assertEquals(Copy.FORMAT_1, Copy.formatFor(new PiLayout(PiType.NONE, GuardFormat.GUARD_64, false, 512, 16,
                false, 0)), "the format decides, protection enabled or not");
        Copy c = new Copy(1, 0x456, 3, MemorySegment.NULL).descriptorFormat(Copy.FORMAT_1);
        assertEquals(2 | (1 << 8), c.cdw(12));
        assertEquals(1, c.descriptorFormat());
        assertEquals(3 * 40, c.requiredDataLength(512));
        assertEquals(3 * 32, new Copy(1, 0, 3, MemorySegment.NULL).requiredDataLength(512));
        assertTrue(c.describe().contains("descriptor format 1"), c.describe());
        assertThrows(IllegalArgumentException.class, () -> c.descriptorFormat(2));
        c.storageTagChecks(true, false);
        assertEquals(1 << 25, c.cdw(12) & (3 << 24), "STCR bit 25");
        c.storageTagChecks(false, true);
        assertEquals(1 << 24, c.cdw(12) & (3 << 24), "STCW bit 24");
        c.protection(Prinfo.PRACT | Prinfo.CHECK_ALL, Prinfo.PRACT, 0x456, 7, 0xFFFF).tags(GUARD64, 0, 0x12_3456_789AL);
        assertEquals(0x3456_789A, c.cdw(14));
        assertEquals(0x12, c.cdw(3));
        assertEquals(1, c.descriptorFormat(), "protection() keeps the descriptor format");
    }

    @Test
    void formatOneEntriesHoldTheEightyBitTagsMostSignificantByteFirst() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ranges = arena.allocate(2 * 40);
            ranges.fill((byte) 0x5A);
            Copy.sourceRange(GUARD64, ranges, 1, 0x0123, 8, 0, 0x0A0B_0C0D_0E0FL, 0x1234, 0xFFF0);
            assertEquals(0x5A5A5A5A, ranges.get(JAVA_INT, 36), "entry 0 untouched");
            long e = 40;
            assertEquals(0, ranges.get(JAVA_LONG, e), "reserved bytes 7:0 zeroed");
            assertEquals(0x0123, ranges.get(JAVA_LONG, e + 8), "SLBA");
            assertEquals(7, ranges.get(JAVA_SHORT, e + 16), "NLB, 0-based");
            assertEquals("0000000000000000", HexFormat.of().formatHex(ranges.asSlice(e + 18, 8).toArray(JAVA_BYTE)),
                    "reserved 25:18 zeroed");
            assertEquals("000000000a0b0c0d0e0f", HexFormat.of().formatHex(ranges.asSlice(e + 26, 10).toArray(JAVA_BYTE)),
                    "ELBT 35:26, most significant byte first: qemu reads the 48-bit Reference Tag from bytes 30-35");
            assertEquals((short) 0x1234, ranges.get(JAVA_SHORT, e + 36), "ELBAT");
            assertEquals((short) 0xFFF0, ranges.get(JAVA_SHORT, e + 38), "ELBATM");
            assertEquals(0x0A0B_0C0D_0E0FL, Copy.format1Tags(ranges, 1));

            PiLayout g32 = new PiLayout(PiType.TYPE_1, GuardFormat.GUARD_32, false, 512, 16, false, 48);
            Copy.sourceRange(g32, ranges, 0, 1, 1, 0xBEEF_0000_0001L, 0xFFFF_FFFFL, 0, 0);
            assertEquals("beef00000001ffffffff", HexFormat.of().formatHex(ranges.asSlice(26, 10).toArray(JAVA_BYTE)),
                    "the 32b Guard's Storage Tag reaches bits 79:64");

            // the 16b Guard format writes format 0's 32-byte entry, the Reference Tag little endian as before
            Copy.sourceRange(GUARD16, ranges, 1, 0x40, 8, 0, 0x40, 0x1234, 0xFFF0);
            assertEquals(0x40, ranges.get(JAVA_INT, 32 + 24));
            assertEquals((short) 0x1234, ranges.get(JAVA_SHORT, 32 + 28));
            assertThrows(IllegalArgumentException.class,
                    () -> Copy.sourceRange(GUARD64, ranges, 0, 0, 1, 0, 1L << 48, 0, 0), "49 bits of reference tag");
        }
    }
}
