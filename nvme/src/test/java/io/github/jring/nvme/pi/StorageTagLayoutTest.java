package io.github.jring.nvme.pi;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.HexFormat;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The Storage and Reference Tag space of each guard format: the Storage Tag in the upper STS bits, the Reference Tag
 * below, STS within the NVM Command Set's range per format (16b Guard 0 to 32, 32b Guard 16 to 64, 64b Guard 0 to
 * 48), the 32b Guard's 80-bit space split into its upper 16 and lower 64 bits, the tuple's big-endian image of it, and
 * generate and verify with a Storage Tag. qemu emulates no Storage Tag (its Extended LBA Formats have STS 0), so these
 * layouts are checked here, against the boundary cases libnvme's {@code nvme_init_var_size_tags} tests use.
 */
class StorageTagLayoutTest {

    @Test
    void sixteenBitGuardSharesItsThirtyTwoBits() {
        assertEquals(0xAB00_1234L, PiTuple.referenceSpace(GuardFormat.GUARD_16, 8, 0xAB, 0x1234));
        assertEquals(0xFFFF_FFFFL, PiTuple.referenceSpace(GuardFormat.GUARD_16, 32, 0xFFFF_FFFFL, 0), "all storage");
        assertEquals(0, PiTuple.referenceSpaceHigh(GuardFormat.GUARD_16, 8, 0xAB, 0x1234));
        assertThrows(IllegalArgumentException.class, () -> PiTuple.referenceSpace(GuardFormat.GUARD_16, 33, 0, 0));
        assertThrows(IllegalArgumentException.class,
                () -> PiTuple.referenceSpace(GuardFormat.GUARD_16, 8, 0, 1L << 24), "25 bits of reference in 24");
    }

    @Test
    void thirtyTwoBitGuardSpansEightyBits() {
        // STS 16: the Reference Tag is the low 64 bits, the Storage Tag all of bits 79:64
        assertEquals(0x123456L, PiTuple.referenceSpace(GuardFormat.GUARD_32, 16, 0xAB, 0x123456));
        assertEquals(0xAB, PiTuple.referenceSpaceHigh(GuardFormat.GUARD_32, 16, 0xAB, 0x123456));
        // STS 64: a 16-bit Reference Tag, the Storage Tag above it
        assertEquals(0xAB_1234L, PiTuple.referenceSpace(GuardFormat.GUARD_32, 64, 0xAB, 0x1234));
        assertEquals(0, PiTuple.referenceSpaceHigh(GuardFormat.GUARD_32, 64, 0xAB, 0x1234));
        // STS 48: a 32-bit Reference Tag (libnvme's zns append case), and a Storage Tag reaching bits 79:64
        assertEquals(0x12_0000_1234L, PiTuple.referenceSpace(GuardFormat.GUARD_32, 48, 0x12, 0x1234));
        long st = 0xBEEF_0000_0001L;
        assertEquals(0x0000_0001_FFFF_FFFFL, PiTuple.referenceSpace(GuardFormat.GUARD_32, 48, st, 0xFFFF_FFFFL));
        assertEquals(0xBEEF, PiTuple.referenceSpaceHigh(GuardFormat.GUARD_32, 48, st, 0xFFFF_FFFFL));
        assertThrows(IllegalArgumentException.class, () -> PiTuple.referenceSpace(GuardFormat.GUARD_32, 15, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> PiTuple.referenceSpace(GuardFormat.GUARD_32, 65, 0, 0));

        MemorySegment m = MemorySegment.ofArray(new byte[16]);
        PiTuple.put(GuardFormat.GUARD_32, m, 0, 0x98F94189L, 0x1234, 0xBEEF, 0x0000_0001_FFFF_FFFFL);
        assertEquals("98f941891234beef00000001ffffffff", HexFormat.of().formatHex(m.toArray(JAVA_BYTE)));
        assertEquals(0xBEEF, PiTuple.referenceHigh(GuardFormat.GUARD_32, m, 0));
        assertEquals(0x0000_0001_FFFF_FFFFL, PiTuple.reference(GuardFormat.GUARD_32, m, 0));
        assertEquals(0x98F94189L, PiTuple.guard(GuardFormat.GUARD_32, m, 0));
    }

    @Test
    void sixtyFourBitGuardSharesFortyEightBits() {
        assertEquals(0xAB01_0203_0405L, PiTuple.referenceSpace(GuardFormat.GUARD_64, 8, 0xAB, 0x01_0203_0405L));
        assertEquals(0xFFFF_FFFF_FFFFL, PiTuple.referenceSpace(GuardFormat.GUARD_64, 48, 0xFFFF_FFFF_FFFFL, 0));
        assertThrows(IllegalArgumentException.class, () -> PiTuple.referenceSpace(GuardFormat.GUARD_64, 49, 0, 0));
    }

    @Test
    void layoutsWithAStorageTagGenerateAndVerify() {
        for (GuardFormat format : GuardFormat.values()) {
            int sts = switch (format) {
                case GUARD_16 -> 12;
                case GUARD_32 -> 40;
                case GUARD_64 -> 16;
            };
            PiLayout pi = new PiLayout(PiType.TYPE_1, format, true, 512, 16, false, sts);
            assertEquals(format.referenceSpaceBits() - sts, pi.referenceTagBits());
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment data = arena.allocate(4 * 512L);
                MemorySegment meta = arena.allocate(4 * 16L);
                data.fill((byte) 0x3C);
                pi.generate(data, meta, 4, 0x5A5, 100, 0x77);
                assertEquals(PiLayout.VERIFIED, pi.verify(data, meta, 4, 100, 0x77, 0xFFFF, Prinfo.CHECK_ALL),
                        format + ": the Reference Tag is compared without the Storage Tag");
                long space = PiTuple.reference(format, meta, pi.tupleAt(2));
                int high = PiTuple.referenceHigh(format, meta, pi.tupleAt(2));
                assertEquals(PiTuple.referenceSpace(format, sts, 0x5A5, 102), space, format + ": block 2's space");
                assertEquals(PiTuple.referenceSpaceHigh(format, sts, 0x5A5, 102), high, format + ": its upper bits");
                assertThrows(IllegalArgumentException.class, () -> pi.generate(data, meta, 1, 1L << sts, 0, 0),
                        format + ": a Storage Tag wider than STS");
            }
        }
    }
}
