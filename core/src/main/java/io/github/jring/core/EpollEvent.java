package io.github.jring.core;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

/**
 * {@code struct epoll_event} for {@link Sqe#prepEpollCtl} and {@link Sqe#prepEpollWait}: the {@code EPOLL*} event
 * mask and the 64-bit {@code data} the kernel hands back. On x86_64 the struct is packed (12 bytes, {@code data} at
 * offset 4), and an array of them has elements at 12-byte steps, so {@code data} is unaligned. The generated binding
 * ({@code io.github.jring.bindings.epoll_event}) has the right size, but its nested {@code epoll_data} keeps an
 * 8-byte alignment that a packed element cannot meet, and its accessors throw on it; this layout reads and writes
 * the fields unaligned. Other architectures (aarch64) do not pack it: 16 bytes, {@code data} at 8.
 */
public final class EpollEvent {

    private static final boolean PACKED = "amd64".equals(System.getProperty("os.arch"))
            || "x86_64".equals(System.getProperty("os.arch"));

    /** The layout of one {@code struct epoll_event} on this architecture. */
    public static final StructLayout LAYOUT = PACKED
            ? MemoryLayout.structLayout(JAVA_INT_UNALIGNED.withName("events"),
                    JAVA_LONG_UNALIGNED.withName("data")).withName("epoll_event")
            : MemoryLayout.structLayout(JAVA_INT_UNALIGNED.withName("events"), MemoryLayout.paddingLayout(4),
                    JAVA_LONG_UNALIGNED.withName("data")).withName("epoll_event");

    /** Bytes per {@code struct epoll_event}: 12 on x86_64, 16 elsewhere. */
    public static final long BYTES = LAYOUT.byteSize();

    private static final long EVENTS = 0;
    private static final long DATA = LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("data"));

    private EpollEvent() {
    }

    /**
     * Allocates a zeroed array of {@code n} events (for {@link Sqe#prepEpollWait}, or one for
     * {@link Sqe#prepEpollCtl}).
     *
     * @param allocator where to allocate (an {@link java.lang.foreign.Arena})
     * @param n         number of events
     * @return the native array
     */
    public static MemorySegment allocate(SegmentAllocator allocator, int n) {
        return allocator.allocate(LAYOUT, n);
    }

    /**
     * Writes event {@code index} of {@code array}.
     *
     * @param array  an array of {@code struct epoll_event}
     * @param index  the element
     * @param events {@code EPOLLIN}, {@code EPOLLOUT}, {@code EPOLLET} ...
     * @param data   the value the kernel reports with the event
     * @return {@code array}
     */
    public static MemorySegment set(MemorySegment array, int index, int events, long data) {
        long o = index * BYTES;
        array.set(JAVA_INT_UNALIGNED, o + EVENTS, events);
        array.set(JAVA_LONG_UNALIGNED, o + DATA, data);
        return array;
    }

    /**
     * The event mask of element {@code index}.
     *
     * @param array an array of {@code struct epoll_event}
     * @param index the element
     * @return the {@code EPOLL*} bits
     */
    public static int events(MemorySegment array, int index) {
        return array.get(JAVA_INT_UNALIGNED, index * BYTES + EVENTS);
    }

    /**
     * The {@code data} of element {@code index}.
     *
     * @param array an array of {@code struct epoll_event}
     * @param index the element
     * @return the value given to {@code epoll_ctl}
     */
    public static long data(MemorySegment array, int index) {
        return array.get(JAVA_LONG_UNALIGNED, index * BYTES + DATA);
    }
}
