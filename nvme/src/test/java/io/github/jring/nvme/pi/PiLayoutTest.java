package io.github.jring.nvme.pi;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.HexFormat;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tuples and layouts: the big-endian byte images of the 8- and 16-byte tuples, where the tuple sits in extended and
 * separate metadata (first and last), what PRACT moves, and the host's generate and verify: a generated buffer
 * verifies, and a changed data byte, Application Tag or Reference Tag each fail with the matching check.
 */
class PiLayoutTest {

    @Test
    void sixteenBitGuardTupleIsBigEndian() {
        MemorySegment m = MemorySegment.ofArray(new byte[8]);
        PiTuple.put(GuardFormat.GUARD_16, m, 0, 0xA293, 0x1234, 0x89ABCDEFL);
        assertEquals("a293123489abcdef", HexFormat.of().formatHex(m.toArray(JAVA_BYTE)));
        assertEquals(0xA293, PiTuple.guard(GuardFormat.GUARD_16, m, 0));
        assertEquals(0x1234, PiTuple.applicationTag(GuardFormat.GUARD_16, m, 0));
        assertEquals(0x89ABCDEFL, PiTuple.reference(GuardFormat.GUARD_16, m, 0));
    }

    @Test
    void sixtyFourBitGuardTupleHasA48BitReferenceSpace() {
        MemorySegment m = MemorySegment.ofArray(new byte[16]);
        long space = PiTuple.referenceSpace(GuardFormat.GUARD_64, 8, 0xAB, 0x0102_0304_05L);
        assertEquals(0xAB01_0203_0405L, space, "the storage tag in the upper STS bits");
        PiTuple.put(GuardFormat.GUARD_64, m, 0, 0x6482D367EB22B64EL, 0xBEEF, space);
        assertEquals("6482d367eb22b64ebeefab0102030405", HexFormat.of().formatHex(m.toArray(JAVA_BYTE)));
        assertEquals(0x6482D367EB22B64EL, PiTuple.guard(GuardFormat.GUARD_64, m, 0));
        assertEquals(0xBEEF, PiTuple.applicationTag(GuardFormat.GUARD_64, m, 0));
        assertEquals(space, PiTuple.reference(GuardFormat.GUARD_64, m, 0));
        assertThrows(IllegalArgumentException.class,
                () -> PiTuple.referenceSpace(GuardFormat.GUARD_64, 8, 0x100, 0), "storage tag wider than STS");
        assertThrows(IllegalArgumentException.class,
                () -> PiTuple.referenceSpace(GuardFormat.GUARD_16, 0, 0, 1L << 32), "reference tag wider than 32");
    }

    @Test
    void whereTheTupleSitsAndWhatPractMoves() {
        PiLayout extLast = new PiLayout(PiType.TYPE_1, GuardFormat.GUARD_16, false, 512, 16, true, 0);
        assertEquals(512 + 8, extLast.tupleAt(0));
        assertEquals(528 + 512 + 8, extLast.tupleAt(1));
        assertEquals(528, extLast.dataBytesPerBlock(Prinfo.PRACT), "PRACT moves 16 bytes of metadata: not all PI");
        PiLayout extOnly = new PiLayout(PiType.TYPE_1, GuardFormat.GUARD_16, true, 512, 8, true, 0);
        assertTrue(extOnly.movesNoMetadata(Prinfo.PRACT | Prinfo.CHECK_ALL));
        assertEquals(512, extOnly.dataBytesPerBlock(Prinfo.PRACT));
        assertEquals(520, extOnly.dataBytesPerBlock(Prinfo.CHECK_ALL));
        PiLayout sep = new PiLayout(PiType.TYPE_3, GuardFormat.GUARD_64, true, 4096, 16, false, 0);
        assertEquals(32, sep.tupleAt(2));
        assertEquals(0, sep.metadataBytesPerBlock(Prinfo.PRACT));
        assertEquals(16, sep.metadataBytesPerBlock(0));
        assertFalse(new PiLayout(PiType.NONE, GuardFormat.GUARD_16, false, 512, 0, false, 0).enabled());
        assertThrows(IllegalArgumentException.class,
                () -> new PiLayout(PiType.TYPE_1, GuardFormat.GUARD_64, false, 512, 8, true, 0));
    }

    @Test
    void generatedProtectionVerifiesAndEachCorruptionFailsItsCheck() {
        for (GuardFormat format : GuardFormat.values()) {
            int sts = format == GuardFormat.GUARD_32 ? 16 : 0; // the 32b Guard's Storage Tag is 16 to 64 bits
            for (boolean extended : new boolean[] {true, false}) {
                for (boolean first : new boolean[] {true, false}) {
                    check(new PiLayout(PiType.TYPE_1, format, first, 512, 32, extended, sts));
                }
            }
        }
    }

    private static void check(PiLayout pi) {
        int blocks = 4;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment data = arena.allocate((long) blocks * pi.dataBytesPerBlock(0));
            MemorySegment meta = pi.extended() ? null : arena.allocate((long) blocks * pi.metadataSize());
            for (long i = 0; i < data.byteSize(); i++) {
                data.set(JAVA_BYTE, i, (byte) (i * 31 + 7));
            }
            pi.generate(data, meta, blocks, 1000, 0x5A5A);
            assertEquals(PiLayout.VERIFIED, pi.verify(data, meta, blocks, 1000, 0x5A5A, 0xFFFF, Prinfo.CHECK_ALL), pi
                    + " verifies");
            assertEquals(1003, PiTuple.reference(pi.format(), pi.extended() ? data : meta, pi.tupleAt(3)),
                    "type 1: one more per block");
            long bad = pi.verify(data, meta, blocks, 1000, 0x5A5B, 0xFFFF, Prinfo.CHECK_ALL);
            assertEquals(Prinfo.CHECK_APPLICATION_TAG, PiLayout.failedCheck(bad));
            assertEquals(PiLayout.VERIFIED, pi.verify(data, meta, blocks, 1000, 0x5A5B, 0xFFFE, Prinfo.CHECK_ALL),
                    "the mask leaves out the differing bit");
            bad = pi.verify(data, meta, blocks, 999, 0x5A5A, 0xFFFF, Prinfo.CHECK_ALL);
            assertEquals(Prinfo.CHECK_REFERENCE_TAG, PiLayout.failedCheck(bad));
            data.set(JAVA_BYTE, 2L * pi.dataBytesPerBlock(0) + 100, (byte) 0x55);
            bad = pi.verify(data, meta, blocks, 1000, 0x5A5A, 0xFFFF, Prinfo.CHECK_ALL);
            assertEquals(Prinfo.CHECK_GUARD, PiLayout.failedCheck(bad), pi + ": a changed byte");
            assertEquals(2, PiLayout.failedBlock(bad));
            assertEquals(PiLayout.VERIFIED, pi.verify(data, meta, blocks, 1000, 0x5A5A, 0xFFFF,
                    Prinfo.CHECK_APPLICATION_TAG | Prinfo.CHECK_REFERENCE_TAG), "guard not checked");
            if (!pi.first()) {
                // the guard covers the metadata bytes before a tuple that is last
                pi.generate(data, meta, blocks, 1000, 0x5A5A);
                MemorySegment m = pi.extended() ? data : meta;
                m.set(JAVA_BYTE, pi.tupleAt(1) - 1, (byte) 0x77);
                assertEquals(Prinfo.CHECK_GUARD,
                        PiLayout.failedCheck(pi.verify(data, meta, blocks, 1000, 0x5A5A, 0xFFFF, Prinfo.CHECK_ALL)));
            }
        }
    }

    @Test
    void applicationTagFfffEscapesTheChecks() {
        PiLayout pi = new PiLayout(PiType.TYPE_2, GuardFormat.GUARD_16, false, 512, 8, true, 0);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment data = arena.allocate(520);
            pi.generate(data, null, 1, 5, 0xFFFF);
            data.set(JAVA_BYTE, 0, (byte) 1);
            assertEquals(PiLayout.VERIFIED, pi.verify(data, null, 1, 6, 0x1234, 0xFFFF, Prinfo.CHECK_ALL));
        }
    }
}
