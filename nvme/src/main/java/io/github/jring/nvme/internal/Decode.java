package io.github.jring.nvme.internal;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

/**
 * Little-endian field readers for NVMe data structures (which are little endian, as is x86-64 and aarch64 Linux),
 * shared by the decoded pages ({@code io.github.jring.nvme.data}) and the commands that decode their own
 * ({@code Identify}'s lists).
 */
public final class Decode {

    private Decode() {
    }

    /** The unsigned byte at {@code off}. */
    public static int u8(MemorySegment s, long off) {
        return Byte.toUnsignedInt(s.get(JAVA_BYTE, off));
    }

    /** The unsigned 16-bit field at {@code off}. */
    public static int u16(MemorySegment s, long off) {
        return Short.toUnsignedInt(s.get(JAVA_SHORT_UNALIGNED, off));
    }

    /** The unsigned 24-bit field at {@code off}. */
    public static int u24(MemorySegment s, long off) {
        return u16(s, off) | (u8(s, off + 2) << 16);
    }

    /** The 32-bit field at {@code off} (unsigned in the specification: read it with the unsigned helpers). */
    public static int u32(MemorySegment s, long off) {
        return s.get(JAVA_INT_UNALIGNED, off);
    }

    /** The 64-bit field at {@code off} (unsigned in the specification: read it with the unsigned helpers). */
    public static long u64(MemorySegment s, long off) {
        return s.get(JAVA_LONG_UNALIGNED, off);
    }

    /** An ASCII field padded with spaces (or NULs), trailing padding removed. */
    public static String ascii(MemorySegment s, long off, int len) {
        byte[] b = s.asSlice(off, len).toArray(JAVA_BYTE);
        int end = len;
        while (end > 0 && (b[end - 1] == ' ' || b[end - 1] == 0)) {
            end--;
        }
        return new String(b, 0, end, StandardCharsets.US_ASCII);
    }

    /** A NUL-terminated UTF-8 field (NQNs). */
    public static String cstring(MemorySegment s, long off, int len) {
        byte[] b = s.asSlice(off, len).toArray(JAVA_BYTE);
        int end = 0;
        while (end < len && b[end] != 0) {
            end++;
        }
        return new String(b, 0, end, StandardCharsets.UTF_8);
    }

    /** Bytes as lowercase hex, in memory order (as nvme-cli prints NGUID and EUI64). */
    public static String hex(MemorySegment s, long off, int len) {
        StringBuilder b = new StringBuilder(len * 2);
        for (int i = 0; i < len; i++) {
            b.append(String.format("%02x", u8(s, off + i)));
        }
        return b.toString();
    }

    /** Throws {@link IllegalArgumentException} naming {@code what} unless {@code s} has at least {@code size} bytes. */
    public static void requireSize(MemorySegment s, long size, String what) {
        if (s.byteSize() < size) {
            throw new IllegalArgumentException(what + " needs " + size + " bytes; the buffer has " + s.byteSize());
        }
    }
}
