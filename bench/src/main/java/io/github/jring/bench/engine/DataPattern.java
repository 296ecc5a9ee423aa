package io.github.jring.bench.engine;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The data jring-bench writes and verifies: every 8-byte word is a hash of a seed and the word's byte offset in the
 * target, so a block read back proves both its content and its place (a block written to the wrong offset, a stale
 * or a zero block all fail). The temporary target file is filled with {@link #DEFAULT_SEED}.
 */
public final class DataPattern {
    /** The seed of the temporary file's content and of {@code --verify=pattern} ("jring" in ASCII). */
    public static final long DEFAULT_SEED = 0x6a72696e67L;

    private static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG_UNALIGNED;

    private DataPattern() {
    }

    /** The word at byte {@code offset} (a multiple of 8) of the target: splitmix64's finalizer of seed ^ offset. */
    public static long word(long seed, long offset) {
        long z = seed ^ offset;
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** Fills {@code buf[0, length)} with the content that belongs at target offset {@code targetOffset}. */
    public static void fill(MemorySegment buf, long length, long targetOffset, long seed) {
        for (long i = 0; i + 8 <= length; i += 8) {
            buf.set(WORD, i, word(seed, targetOffset + i));
        }
    }

    /** The first byte index in {@code buf[0, length)} whose word differs from the pattern, or -1 if all match. */
    public static long firstMismatch(MemorySegment buf, long length, long targetOffset, long seed) {
        for (long i = 0; i + 8 <= length; i += 8) {
            if (buf.get(WORD, i) != word(seed, targetOffset + i)) {
                return i;
            }
        }
        return -1;
    }
}
