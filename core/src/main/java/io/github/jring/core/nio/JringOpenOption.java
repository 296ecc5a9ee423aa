package io.github.jring.core.nio;

import java.nio.file.OpenOption;

/**
 * jring's own options for {@link UringFileChannel}'s {@code open} methods (and so for
 * {@code AsynchronousFileChannel.open} through {@link UringFileSystemProvider}).
 */
public enum JringOpenOption implements OpenOption {
    /**
     * {@code O_DIRECT}: transfers bypass the page cache. Every transfer must then be aligned to the file's direct-I/O
     * alignment ({@code statx}'s {@code STATX_DIOALIGN}, 512 where the file system does not say): the buffer's memory
     * address, its {@code remaining()} bytes and the file position must all be multiples of it, and the buffer must be
     * a direct {@link java.nio.ByteBuffer} (for example {@code ByteBuffer.allocateDirect(n + 4096).alignedSlice(4096)}).
     * A transfer that is not is refused with {@link IllegalArgumentException} before it reaches the kernel. The JDK's
     * {@code com.sun.nio.file.ExtendedOpenOption.DIRECT} is accepted as the same option.
     */
    DIRECT
}
