package io.github.jring.core.nio;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * Native memory through which a heap {@link ByteBuffer}'s bytes travel to and from the kernel (the kernel reads and
 * writes by address; a heap array may move). Pooled by {@link BouncePool}; the {@link #view} is made once, so that
 * copying a heap buffer in or out allocates nothing.
 */
final class Bounce {

    /** The memory, 4096-byte aligned. */
    final MemorySegment segment;
    /** {@link #segment} as a buffer, for {@code ByteBuffer.put(int, ByteBuffer, int, int)} in both directions. */
    final ByteBuffer view;
    /** The pool's size class, or -1 for a one-off allocation larger than the largest class. */
    final int sizeClass;
    /** The arena of a one-off allocation, closed when it is given back; {@code null} for pooled ones. */
    final Arena oneOff;

    Bounce(MemorySegment segment, int sizeClass, Arena oneOff) {
        this.segment = segment;
        this.view = segment.asByteBuffer();
        this.sizeClass = sizeClass;
        this.oneOff = oneOff;
    }
}
