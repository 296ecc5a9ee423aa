package io.github.jring.nvme;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** Test data: deterministic byte patterns, and comparisons that say where two buffers differ. */
final class Patterns {

    private Patterns() {
    }

    /** Fills {@code seg} with a pattern that differs per seed and per byte (and per block, so shifted data shows). */
    static void fill(MemorySegment seg, long seed) {
        long x = seed * 0x9E3779B97F4A7C15L + 1;
        for (long i = 0; i < seg.byteSize(); i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            seg.set(ValueLayout.JAVA_BYTE, i, (byte) x);
        }
    }

    /** The pattern {@link #fill} writes, as an array. */
    static byte[] bytes(int length, long seed) {
        byte[] b = new byte[length];
        long x = seed * 0x9E3779B97F4A7C15L + 1;
        for (int i = 0; i < length; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            b[i] = (byte) x;
        }
        return b;
    }

    /** Asserts that {@code actual} holds exactly {@code expected}, naming the first differing byte. */
    static void assertSame(MemorySegment expected, MemorySegment actual, String what) {
        assertEquals(expected.byteSize(), actual.byteSize(), what + ": sizes");
        long at = expected.mismatch(actual);
        if (at >= 0) {
            fail(what + ": first difference at byte " + at + " (expected " + expected.get(ValueLayout.JAVA_BYTE, at)
                    + ", got " + actual.get(ValueLayout.JAVA_BYTE, at) + ")");
        }
    }

    /** Asserts that {@code actual} equals the bytes {@code expected}. */
    static void assertSame(byte[] expected, byte[] actual, String what) {
        int at = Arrays.mismatch(expected, actual);
        if (at >= 0) {
            fail(what + ": first difference at byte " + at + " of " + expected.length + "/" + actual.length);
        }
    }

    /** Asserts every byte of {@code seg} is {@code value}. */
    static void assertFilled(MemorySegment seg, byte value, String what) {
        for (long i = 0; i < seg.byteSize(); i++) {
            byte b = seg.get(ValueLayout.JAVA_BYTE, i);
            if (b != value) {
                fail(what + ": byte " + i + " is " + b + ", expected " + value);
            }
        }
    }
}
