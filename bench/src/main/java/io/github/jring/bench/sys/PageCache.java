package io.github.jring.bench.sys;

import io.github.jring.core.ErrnoException;
import io.github.jring.core.Posix;
import io.github.jring.core.internal.Syscalls;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * How much of a file's (or block device's) range sits in the page cache, and loading it there: what {@code --vs-fio}
 * needs so that a buffered jring run and the fio run beside it start from the same cache state. {@link #resident}
 * maps the range and asks {@code mincore(2)} which of its pages are resident (as util-linux's {@code fincore} does);
 * the mapping is never touched, so asking does not change the answer.
 */
@SuppressWarnings("restricted") // the mincore downcall
public final class PageCache {
    private static final int PROT_READ = 1;
    private static final int MAP_SHARED = 1;
    /** Bytes mapped per mincore call, so a large device is never mapped whole. */
    private static final long WINDOW = 1L << 30;

    private PageCache() {
    }

    /** {@code int mincore(void *addr, size_t length, unsigned char *vec)}, with errno. */
    private static final class Mincore {
        static final MethodHandle H = Syscalls.linkCapturingErrno("mincore",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS));
    }

    /**
     * The share of the pages of {@code [0, length)} of {@code path} that are in the page cache, 0 to 1.
     *
     * @throws ErrnoException when the path cannot be opened, mapped or asked
     */
    public static double resident(Path path, long length) throws ErrnoException {
        long page = Syscalls.pageSize();
        long pages = (length + page - 1) / page;
        if (pages == 0) return 1;
        long resident = 0;
        int fd = Open.file(path, Posix.O_RDONLY, 0);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = Syscalls.allocateErrnoState(arena);
            MemorySegment vec = arena.allocate(Math.min(pages, WINDOW / page));
            for (long off = 0; off < length; off += WINDOW) {
                long len = Math.min(WINDOW, length - off);
                long addr = Syscalls.mmap(errno, len, PROT_READ, MAP_SHARED, fd, off);
                if (addr < 0) throw new ErrnoException("mmap(" + path + ", " + len + " bytes at " + off + ")", (int) -addr);
                try {
                    int rc = (int) Mincore.H.invokeExact(errno, MemorySegment.ofAddress(addr), len, vec);
                    if (rc < 0) throw new ErrnoException("mincore(" + path + ")", Syscalls.errno(errno));
                    long n = (len + page - 1) / page;
                    for (long i = 0; i < n; i++) resident += vec.get(JAVA_BYTE, i) & 1;
                } catch (ErrnoException e) {
                    throw e;
                } catch (Throwable t) {
                    throw Syscalls.rethrow(t);
                } finally {
                    Syscalls.munmap(errno, addr, len);
                }
            }
        } finally {
            Posix.close(fd);
        }
        return (double) resident / pages;
    }

    /** Reads {@code [0, length)} of {@code path} through the page cache (buffered, sequential), so it is resident after. */
    public static void load(Path path, long length) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
            long off = 0;
            while (off < length) {
                buf.clear().limit((int) Math.min(buf.capacity(), length - off));
                int n = ch.read(buf, off);
                if (n <= 0) break;
                off += n;
            }
        }
    }

    /** Bytes of memory the kernel says are available for new page cache ({@code MemAvailable}), or -1. */
    public static long available() {
        try {
            for (String line : java.nio.file.Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemAvailable:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /**
     * Writes the dirty pages of {@code path} back and waits for them ({@code fdatasync}): a run of buffered writes
     * that starts after this does not pay, on the same CPUs, for the writeback of the run before it.
     */
    public static void writeBack(Path path) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
            channel.force(false);
        }
    }
}
