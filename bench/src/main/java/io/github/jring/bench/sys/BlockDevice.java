package io.github.jring.bench.sys;

import io.github.jring.bindings.Uapi;
import io.github.jring.core.ErrnoException;
import io.github.jring.core.Posix;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/** What a block device's ioctls say about it, through {@link Posix#ioctl(int, long, MemorySegment)}. */
public final class BlockDevice {

    /** {@code BLKGETSIZE64 = _IOR(0x12, 114, size_t)}: the block device's size in bytes. */
    private static final long BLKGETSIZE64 = Uapi.BLKGETSIZE64();
    /** {@code BLKSSZGET = _IO(0x12, 104)}: the block device's logical block size. */
    private static final long BLKSSZGET = Uapi.BLKSSZGET();

    private BlockDevice() {
    }

    /** {@code ioctl(fd, BLKGETSIZE64)}: a block device's size in bytes. */
    public static long size(int fd, Path path) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(JAVA_LONG);
            ioctl(fd, path, BLKGETSIZE64, "BLKGETSIZE64", out);
            return out.get(JAVA_LONG, 0);
        }
    }

    /** {@code ioctl(fd, BLKSSZGET)}: a block device's logical block size in bytes. */
    public static int logicalBlockSize(int fd, Path path) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(JAVA_INT);
            ioctl(fd, path, BLKSSZGET, "BLKSSZGET", out);
            return out.get(JAVA_INT, 0);
        }
    }

    private static void ioctl(int fd, Path path, long request, String name, MemorySegment out) throws ErrnoException {
        try {
            Posix.ioctl(fd, request, out);
        } catch (ErrnoException e) {
            throw new ErrnoException("ioctl(" + path + ", " + name + ")", e.errno());
        }
    }
}
