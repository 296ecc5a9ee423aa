package io.github.jring.examples;

import io.github.jring.core.Posix;
import io.github.jring.core.Cqe;
import io.github.jring.core.IoUring;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * The raw ring, end to end: write a file, then read it back, one system call per batch.
 * <pre>
 *   java --enable-native-access=ALL-UNNAMED -cp ... io.github.jring.examples.ReadWriteFile /tmp/hello.txt
 * </pre>
 */
public final class ReadWriteFile {

    private ReadWriteFile() {
    }

    /**
     * Writes {@code text} to {@code file} with {@code IORING_OP_WRITE} (linked to an {@code IORING_OP_FSYNC}), then
     * reads it back with {@code IORING_OP_READ}.
     *
     * @param file a file to create or overwrite
     * @param text what to write
     * @return what was read back
     * @throws IOException if the ring or a request fails
     */
    public static String roundTrip(Path file, String text) throws IOException {
        // snippet:round-trip
        int fd = Posix.open(file, Posix.O_RDWR | Posix.O_CREAT | Posix.O_TRUNC, 0644);
        try (IoUring ring = IoUring.open(8);        // io_uring_setup, then mmap of the rings and the SQE array
             Arena arena = Arena.ofConfined()) {    // native memory the kernel reads and writes
            MemorySegment out = arena.allocateFrom(text); // UTF-8 bytes and a trailing NUL
            int length = (int) out.byteSize() - 1;         // without the NUL

            // Two requests, one io_uring_enter: the write, and an fsync that starts only once the write succeeded.
            ring.getSqe().prepWrite(fd, out, length, 0).userData(1).ioLink();
            ring.getSqe().prepFsync(fd, 0).userData(2);
            ring.submitAndWait(2);
            for (int i = 0; i < 2; i++) {
                Cqe cqe = ring.waitCqe();
                cqe.throwIfError("request " + cqe.userData()); // res < 0 is -errno: ErrnoException
                ring.cqeSeen(cqe);                            // hand the CQ slot back to the kernel
            }

            MemorySegment in = arena.allocate(length);
            ring.getSqe().prepRead(fd, in, 0).userData(3);
            ring.submitAndWait(1);
            Cqe cqe = ring.waitCqe();
            int n = cqe.throwIfError("read");                 // res >= 0: bytes read
            ring.cqeSeen(cqe);
            return new String(in.asSlice(0, n).toArray(JAVA_BYTE), StandardCharsets.UTF_8);
        } finally {
            Posix.close(fd);
        }
        // end:round-trip
    }

    /**
     * Runs the example.
     *
     * @param args the file to use (default: a new temporary file)
     * @throws IOException if it fails
     */
    public static void main(String[] args) throws IOException {
        Path file = args.length > 0 ? Path.of(args[0]) : Files.createTempFile("jring", ".txt");
        System.out.println("read back: " + roundTrip(file, "hello, io_uring"));
    }
}
