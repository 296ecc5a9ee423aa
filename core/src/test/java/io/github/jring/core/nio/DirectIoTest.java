package io.github.jring.core.nio;

import io.github.jring.core.ErrnoException;
import io.github.jring.bindings.Uapi;
import io.github.jring.core.Posix;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link JringOpenOption#DIRECT}: aligned direct buffers go to the kernel with O_DIRECT, anything else is refused. */
@Timeout(60)
class DirectIoTest {

    @TempDir
    Path dir;

    /**
     * Skips, loudly, where the temporary directory's file system has no direct I/O (tmpfs in the NVMe VM's guest,
     * where core's suite also runs): open(2) with O_DIRECT answers EINVAL there.
     */
    private static void assumeDirectIo(Path f) throws ErrnoException {
        int fd;
        try {
            fd = Posix.open(f, Posix.O_RDONLY | Posix.O_DIRECT);
        } catch (ErrnoException e) {
            Assumptions.assumeTrue(e.errno() != Uapi.EINVAL(), "SKIPPED: " + f.getParent() + "'s file system has no"
                    + " direct I/O (open with O_DIRECT: " + e.errnoName() + ")");
            throw e;
        }
        Posix.close(fd);
    }

    @Test
    void alignedDirectBuffersReadAndWriteAndEverythingElseIsRefusedClearly() throws Exception {
        Path f = dir.resolve("direct");
        Files.write(f, new byte[64 * 1024]);
        assumeDirectIo(f);
        try (UringFileChannel ch = UringFileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE,
                JringOpenOption.DIRECT)) {
            int a = ch.directAlignment();
            assertTrue(a >= 512 && Integer.bitCount(a) == 1, "alignment " + a);
            ByteBuffer buf = ByteBuffer.allocateDirect(8192 + 4096).alignedSlice(4096).limit(8192);
            for (int i = 0; i < 8192; i++) {
                buf.put(i, (byte) i);
            }
            assertEquals(8192, ch.write(buf, 4096).get());
            ByteBuffer in = ByteBuffer.allocateDirect(8192 + 4096).alignedSlice(4096).limit(8192);
            assertEquals(8192, ch.read(in, 4096).get());
            assertEquals(buf.flip(), in.flip());

            IllegalArgumentException heap = assertThrows(IllegalArgumentException.class,
                    () -> ch.read(ByteBuffer.allocate(4096), 0));
            assertTrue(heap.getMessage().contains("heap buffer") && heap.getMessage().contains("alignedSlice"),
                    heap.getMessage());
            ByteBuffer aligned = ByteBuffer.allocateDirect(3 * 4096).alignedSlice(4096).limit(4096);
            IllegalArgumentException pos = assertThrows(IllegalArgumentException.class, () -> ch.read(aligned, 100));
            assertTrue(pos.getMessage().contains("file position 100 (not a multiple)"), pos.getMessage());
            IllegalArgumentException len = assertThrows(IllegalArgumentException.class,
                    () -> ch.read(aligned.limit(100), 0));
            assertTrue(len.getMessage().contains("remaining 100 (not a multiple)"), len.getMessage());
            IllegalArgumentException addr = assertThrows(IllegalArgumentException.class,
                    () -> ch.write(aligned.limit(4096 + 1).position(1), 0));
            assertTrue(addr.getMessage().contains("(not aligned)"), addr.getMessage());
        }
    }

    @Test
    void theJdksExtendedOptionDirectIsTheSameOption() throws Exception {
        Path f = dir.resolve("jdk-direct");
        Files.write(f, new byte[8192]);
        assumeDirectIo(f);
        // jdk.unsupported's com.sun.nio.file.ExtendedOpenOption.DIRECT (core's tests do not read that module)
        @SuppressWarnings({"unchecked", "rawtypes"})
        OpenOption jdkDirect = (OpenOption) Enum.valueOf((Class) Class.forName("com.sun.nio.file.ExtendedOpenOption"),
                "DIRECT");
        try (UringFileChannel ch = UringFileChannel.open(f, StandardOpenOption.READ, jdkDirect)) {
            assertThrows(IllegalArgumentException.class, () -> ch.read(ByteBuffer.allocate(4096), 0));
            ByteBuffer buf = ByteBuffer.allocateDirect(8192).alignedSlice(4096).limit(4096);
            assertEquals(4096, ch.read(buf, 0).get());
        }
    }
}
