package io.github.jring.core.internal;

/**
 * Range checks and conversions for the kernel's unsigned fields, which Java holds in signed types: a {@code __u32}
 * in an {@code int}, a {@code __u16} in an {@code int} or {@code short}, a {@code __u64} in a {@code long}. The checks
 * turn an out-of-range argument into an {@link IllegalArgumentException} naming the field, before the value is
 * silently truncated into ring memory.
 *
 * <p>Not part of jring's API: this package is not exported.
 */
public final class Unsigned {

    /** The largest {@code __u32}. */
    public static final long U32_MAX = 0xFFFF_FFFFL;
    /** The largest {@code __u16}. */
    public static final int U16_MAX = 0xFFFF;
    /** The largest {@code __u8}. */
    public static final int U8_MAX = 0xFF;

    private Unsigned() {
    }

    /**
     * Checks that {@code value} fits a {@code __u32} and returns it as the {@code int} with the same bits.
     *
     * @param value the value
     * @param what  the field's name, for the message
     * @return {@code (int) value}
     * @throws IllegalArgumentException if {@code value} is negative or above {@link #U32_MAX}
     */
    public static int checkU32(long value, String what) {
        if ((value & ~U32_MAX) != 0) {
            throw new IllegalArgumentException(what + " must be in [0, 2^32-1] (a __u32), got " + value);
        }
        return (int) value;
    }

    /**
     * Checks that {@code value} fits a {@code __u16}.
     *
     * @param value the value
     * @param what  the field's name, for the message
     * @return {@code value}
     * @throws IllegalArgumentException if {@code value} is negative or above {@link #U16_MAX}
     */
    public static int checkU16(int value, String what) {
        if ((value & ~U16_MAX) != 0) {
            throw new IllegalArgumentException(what + " must be in [0, 65535] (a __u16), got " + value);
        }
        return value;
    }

    /**
     * Checks that {@code value} fits a {@code __u8}.
     *
     * @param value the value
     * @param what  the field's name, for the message
     * @return {@code value}
     * @throws IllegalArgumentException if {@code value} is negative or above {@link #U8_MAX}
     */
    public static int checkU8(int value, String what) {
        if ((value & ~U8_MAX) != 0) {
            throw new IllegalArgumentException(what + " must be in [0, 255] (a __u8), got " + value);
        }
        return value;
    }

    /**
     * Checks that {@code value} is not negative.
     *
     * @param value the value
     * @param what  the field's name, for the message
     * @return {@code value}
     * @throws IllegalArgumentException if {@code value} is negative
     */
    public static long checkNonNegative(long value, String what) {
        if (value < 0) {
            throw new IllegalArgumentException(what + " must not be negative, got " + value);
        }
        return value;
    }

    /**
     * Reads a {@code __u32} held in an {@code int} as its unsigned value.
     *
     * @param value the bits
     * @return the value in [0, 2^32-1]
     */
    public static long u32(int value) {
        return Integer.toUnsignedLong(value);
    }

    /**
     * Reads a {@code __u16} held in a {@code short} as its unsigned value.
     *
     * @param value the bits
     * @return the value in [0, 65535]
     */
    public static int u16(short value) {
        return Short.toUnsignedInt(value);
    }
}
