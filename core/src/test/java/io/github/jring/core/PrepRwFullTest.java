package io.github.jring.core;

import io.github.jring.bindings.Uapi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link Sqe#prepRwFull}: the entry it writes is the one {@code prepRw} followed by the three setters writes, and the
 * kernel reads its flags, op flags and buffer index (a read from a registered file into a registered buffer that
 * only succeeds when all of them arrived).
 */
class PrepRwFullTest {

    @TempDir
    Path dir;

    @Test
    void writesTheSameEntryAsPrepRwAndTheSetters() throws ErrnoException {
        try (IoUring ring = IoUring.open(4)) {
            Sqe full = ring.getSqe();
            Sqe byParts = ring.getSqe();
            full.prepRwFull(Uapi.IORING_OP_READ_FIXED(), Uapi.IOSQE_FIXED_FILE() | Uapi.IOSQE_ASYNC(), 7,
                    0x1234_5678_9ABCL, 4096, 0x0102_0304, -2L, 0xFFFE).userData(9);
            byParts.prepRw(Uapi.IORING_OP_READ_FIXED(), 7, 0x1234_5678_9ABCL, 4096, -2L).userData(9)
                    .flags(Uapi.IOSQE_FIXED_FILE() | Uapi.IOSQE_ASYNC()).opFlags(0x0102_0304).bufIndex(0xFFFE);
            assertEquals(bytes(byParts), bytes(full));
            // and over a dirty slot: nothing of an earlier entry survives
            full.prepRw(Uapi.IORING_OP_NOP(), -1, -1L, -1, -1L).flags(0xFF).opFlags(-1).personality(0xFFFF);
            full.prepRwFull(Uapi.IORING_OP_READ(), 0, 3, 16, 8, 0, 4, 0).userData(9);
            byParts.prepRw(Uapi.IORING_OP_READ(), 3, 16, 8, 4).userData(9);
            assertEquals(bytes(byParts), bytes(full));
        }
    }

    @Test
    void theKernelSeesTheFixedFileAndBuffer() throws Exception {
        Path p = dir.resolve("f");
        Files.writeString(p, "0123456789");
        int fd = Posix.open(p, Uapi.O_RDONLY(), 0);
        try (IoUring ring = IoUring.open(4); Arena arena = Arena.ofConfined()) {
            MemorySegment b0 = arena.allocate(4096, 4096);
            MemorySegment b1 = arena.allocate(4096, 4096);
            ring.registerBuffers(b0, b1);
            ring.registerFiles(-1, fd);                       // the file is index 1: fd 1 would read stdout
            ring.getSqe().prepRwFull(Uapi.IORING_OP_READ_FIXED(), Uapi.IOSQE_FIXED_FILE(), 1, b1.address(), 4, 0,
                    3, 1).userData(1);
            assertEquals(4, Reap.one(ring));
            assertEquals("3456", new String(b1.asSlice(0, 4).toArray(JAVA_BYTE), StandardCharsets.US_ASCII));
            // the same address named as buffer 0: the kernel refuses an address outside the buffer it was told
            ring.getSqe().prepRwFull(Uapi.IORING_OP_READ_FIXED(), Uapi.IOSQE_FIXED_FILE(), 1, b1.address(), 4, 0,
                    3, 0).userData(2);
            assertEquals(-Uapi.EFAULT(), Reap.one(ring));
        } finally {
            Posix.close(fd);
        }
    }

    @Test
    void refusesFlagsAndIndexesThatDoNotFitBeforeWritingAnything() throws ErrnoException {
        try (IoUring ring = IoUring.open(4)) {
            Sqe sqe = ring.getSqe().prepNop().userData(5);
            String before = bytes(sqe);
            IllegalArgumentException flags = assertThrows(IllegalArgumentException.class,
                    () -> sqe.prepRwFull(Uapi.IORING_OP_READ(), 0x100, 0, 0, 0, 0, 0, 0));
            assertEquals("IOSQE flags must be in [0, 255] (a __u8), got 256", flags.getMessage());
            IllegalArgumentException index = assertThrows(IllegalArgumentException.class,
                    () -> sqe.prepRwFull(Uapi.IORING_OP_READ(), 0, 0, 0, 0, 0, 0, 65536));
            assertEquals("buffer index must be in [0, 65535] (a __u16), got 65536", index.getMessage());
            assertEquals(before, bytes(sqe));
        }
    }

    /** Every field of the entry; the command area covers {@code addr3} and the padding after it. */
    private static String bytes(Sqe sqe) {
        return "opcode " + sqe.opcode() + " flags " + sqe.flags() + " ioprio " + sqe.ioprio() + " fd " + sqe.fd()
                + " off " + sqe.off() + " addr " + sqe.addr() + " len " + sqe.len() + " op_flags " + sqe.opFlags()
                + " user_data " + sqe.userData() + " buf_index " + sqe.bufIndex() + " personality "
                + sqe.personality() + " file_index " + sqe.fileIndex() + " cmd "
                + HexFormat.of().formatHex(sqe.cmd().toArray(JAVA_BYTE));
    }
}
