package io.github.jring.examples;

import io.github.jring.core.Posix;
import io.github.jring.core.IoUring;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * Registered ("fixed") buffers and files: the kernel pins the buffer's pages and takes a reference to the file once,
 * at registration, instead of on every request. Requests then name the buffer by index ({@code buf_index}) and the
 * file by its slot in the ring's table ({@code IOSQE_FIXED_FILE}).
 */
public final class FixedBuffers {

    private FixedBuffers() {
    }

    /**
     * Writes {@code blocks} 4 KiB blocks of a pattern into {@code file} and reads them back, all through one
     * registered buffer and one registered file, {@code blocks} requests in flight at once.
     *
     * @param file   a file to create or overwrite
     * @param blocks how many 4 KiB blocks (at most 64)
     * @return the number of bytes read back that matched what was written
     * @throws IOException if a request fails
     */
    public static long writeAndReadBack(Path file, int blocks) throws IOException {
        int fd = Posix.open(file, Posix.O_RDWR | Posix.O_CREAT | Posix.O_TRUNC, 0644);
        try (IoUring ring = IoUring.open(64); Arena arena = Arena.ofConfined()) {
            // snippet:fixed
            MemorySegment buffer = arena.allocate(blocks * 4096L, 4096); // page aligned
            ring.registerBuffers(buffer);   // index 0; pinned until unregisterBuffers() or close()
            ring.registerFiles(fd);         // slot 0 of the ring's file table
            int fileSlot = 0;
            for (int i = 0; i < buffer.byteSize(); i++) {
                buffer.set(JAVA_BYTE, i, (byte) (i * 31 + 7));
            }

            for (int b = 0; b < blocks; b++) {
                MemorySegment block = buffer.asSlice(b * 4096L, 4096); // must lie inside registered buffer 0
                ring.getSqe().prepWriteFixed(fileSlot, block, b * 4096L, 0).fixedFile().userData(b);
            }
            ring.submitAndWait(blocks);
            ring.forEachCqe(cqe -> {
                if (cqe.res() != 4096) {
                    throw new IllegalStateException("write " + cqe.userData() + ": " + cqe.res());
                }
            });
            // end:fixed

            MemorySegment expected = arena.allocate(buffer.byteSize());
            expected.copyFrom(buffer);
            buffer.fill((byte) 0);
            for (int b = 0; b < blocks; b++) {
                ring.getSqe().prepReadFixed(fileSlot, buffer.asSlice(b * 4096L, 4096), b * 4096L, 0)
                        .fixedFile().userData(b);
            }
            ring.submitAndWait(blocks);     // returns once all of them are in the CQ
            ring.forEachCqe(cqe -> {
                if (cqe.res() != 4096) {
                    throw new IllegalStateException("read " + cqe.userData() + ": " + cqe.res());
                }
            });
            long mismatch = buffer.mismatch(expected);
            return mismatch < 0 ? buffer.byteSize() : mismatch;
        } finally {
            Posix.close(fd);
        }
    }

    /**
     * Runs the example.
     *
     * @param args the file to use (default: a new temporary file)
     * @throws IOException if it fails
     */
    public static void main(String[] args) throws IOException {
        Path file = args.length > 0 ? Path.of(args[0]) : java.nio.file.Files.createTempFile("jring", ".bin");
        System.out.println("bytes verified: " + writeAndReadBack(file, 16));
    }
}
