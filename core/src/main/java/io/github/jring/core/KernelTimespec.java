package io.github.jring.core;

import io.github.jring.bindings.__kernel_timespec;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Helpers for {@code struct __kernel_timespec} ({@code tv_sec}, {@code tv_nsec}; 16 bytes), the time argument of
 * {@link Sqe#prepTimeout(MemorySegment, int, int)}, {@link Sqe#prepLinkTimeout(MemorySegment, int)} and
 * {@link Sqe#prepTimeoutUpdate(MemorySegment, long, int)}. Allocate one once and rewrite it with {@link #set}: the
 * kernel copies it when the entry is submitted.
 */
public final class KernelTimespec {

    private static final long TV_SEC = __kernel_timespec.tv_sec$offset();
    private static final long TV_NSEC = __kernel_timespec.tv_nsec$offset();
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private KernelTimespec() {
    }

    /**
     * Allocates a {@code struct __kernel_timespec} holding {@code nanos} nanoseconds.
     *
     * @param allocator where to allocate (an {@link java.lang.foreign.Arena})
     * @param nanos     the time, non-negative
     * @return the native struct
     */
    public static MemorySegment allocate(SegmentAllocator allocator, long nanos) {
        return set(allocator.allocate(__kernel_timespec.layout()), nanos);
    }

    /**
     * Allocates a {@code struct __kernel_timespec} holding {@code time}.
     *
     * @param allocator where to allocate
     * @param time      the time, non-negative
     * @return the native struct
     */
    public static MemorySegment allocate(SegmentAllocator allocator, Duration time) {
        return set(allocator.allocate(__kernel_timespec.layout()), time.toNanos());
    }

    /**
     * Writes {@code nanos} nanoseconds into {@code ts}.
     *
     * @param ts    a {@code struct __kernel_timespec}
     * @param nanos the time, non-negative
     * @return {@code ts}
     */
    public static MemorySegment set(MemorySegment ts, long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("a timespec must not be negative: " + nanos + " ns");
        }
        ts.set(JAVA_LONG, TV_SEC, nanos / NANOS_PER_SECOND);
        ts.set(JAVA_LONG, TV_NSEC, nanos % NANOS_PER_SECOND);
        return ts;
    }

    /**
     * Writes {@code amount} {@code unit}s into {@code ts}.
     *
     * @param ts     a {@code struct __kernel_timespec}
     * @param amount the time, non-negative
     * @param unit   its unit
     * @return {@code ts}
     */
    public static MemorySegment set(MemorySegment ts, long amount, TimeUnit unit) {
        return set(ts, unit.toNanos(amount));
    }

    /**
     * Reads the time in {@code ts} as nanoseconds.
     *
     * @param ts a {@code struct __kernel_timespec}
     * @return {@code tv_sec * 10^9 + tv_nsec}
     */
    public static long toNanos(MemorySegment ts) {
        return ts.get(JAVA_LONG, TV_SEC) * NANOS_PER_SECOND + ts.get(JAVA_LONG, TV_NSEC);
    }
}
