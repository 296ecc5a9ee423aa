package io.github.jring.bench.target;

import com.sun.nio.file.ExtendedOpenOption;
import io.github.jring.bench.engine.DataPattern;
import io.github.jring.bench.report.Units;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Creates a target file and writes every byte of it once with {@link DataPattern} (seed
 * {@link DataPattern#DEFAULT_SEED}), so reads hit allocated blocks with known data and {@code --verify=pattern} can
 * check them. Not sparse, not fallocated: written.
 */
public final class TempFile {
    /** Size of the temporary file when {@code --size} does not say. */
    public static final long DEFAULT_SIZE = 1L << 30;

    private static final int CHUNK = 1 << 20;
    private static final long SPACE_MARGIN = 256L << 20;

    private TempFile() {
    }

    /** A new file {@code jring-bench-*.dat} in {@code dir}, {@code size} bytes of pattern data. */
    public static Path createTemporary(Path dir, long size, boolean direct) throws IOException {
        Files.createDirectories(dir);
        long usable = Files.getFileStore(dir).getUsableSpace();
        if (usable < size + SPACE_MARGIN) {
            throw new IOException("not enough space in " + dir + " for a " + Units.bytes(size) + " test file ("
                    + Units.bytes(usable) + " free): pass a smaller --size, another --directory, or --filename");
        }
        Path file = Files.createTempFile(dir, "jring-bench-", ".dat");
        try {
            writePattern(file, size, direct);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
        return file;
    }

    /** Writes {@code size} bytes of pattern data to {@code file} (created or overwritten), synced to the device. */
    public static void writePattern(Path file, long size, boolean direct) throws IOException {
        FileChannel ch;
        boolean odirect = direct;
        try {
            ch = direct
                    ? FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT)
                    : FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException | UnsupportedOperationException e) {
            // The file system does not do O_DIRECT (tmpfs on old kernels): write through the page cache instead.
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            odirect = false;
        }
        try (FileChannel c = ch) {
            ByteBuffer buf = ByteBuffer.allocateDirect(CHUNK + 4096).alignedSlice(4096).slice(0, CHUNK);
            MemorySegment seg = MemorySegment.ofBuffer(buf);
            long alignedEnd = odirect ? size - size % 4096 : size;
            for (long off = 0; off < size; off += CHUNK) {
                int len = (int) Math.min(CHUNK, size - off);
                if (odirect && off + len > alignedEnd) {
                    // The unaligned tail goes through the page cache after the direct part.
                    len = (int) (alignedEnd - off);
                    if (len == 0) break;
                }
                DataPattern.fill(seg, len, off, DataPattern.DEFAULT_SEED);
                buf.clear().limit(len);
                while (buf.hasRemaining()) {
                    c.write(buf, off + buf.position());
                }
            }
            c.force(false);
            if (alignedEnd < size) {
                try (FileChannel tail = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    int len = (int) (size - alignedEnd);
                    DataPattern.fill(seg, len, alignedEnd, DataPattern.DEFAULT_SEED);
                    buf.clear().limit(len);
                    while (buf.hasRemaining()) tail.write(buf, alignedEnd + buf.position());
                    tail.force(false);
                }
            }
        }
    }
}
