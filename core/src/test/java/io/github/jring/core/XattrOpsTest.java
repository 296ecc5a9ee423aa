package io.github.jring.core;

import io.github.jring.bindings.Uapi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The extended-attribute operations (Linux 5.19): set by fd and by path, read back by fd and by path, and errnos. */
class XattrOpsTest {

    @TempDir
    Path dir;

    IoUring ring;
    Arena arena;
    Path file;
    int fd;

    @BeforeEach
    void open() throws Exception {
        ring = IoUring.open(8);
        arena = Arena.ofConfined();
        Supported.assumeOp(ring, Uapi.IORING_OP_FSETXATTR(), "5.19");
        Supported.assumeOp(ring, Uapi.IORING_OP_FGETXATTR(), "5.19");
        Supported.assumeOp(ring, Uapi.IORING_OP_SETXATTR(), "5.19");
        Supported.assumeOp(ring, Uapi.IORING_OP_GETXATTR(), "5.19");
        file = dir.resolve("attrs");
        Files.writeString(file, "x");
        fd = Posix.open(file, Posix.O_RDWR);
    }

    @AfterEach
    void close() throws ErrnoException {
        if (fd > 0) {
            Posix.close(fd);
        }
        ring.close();
        arena.close();
    }

    private MemorySegment bytes(String s) {
        return arena.allocateFrom(JAVA_BYTE, s.getBytes(StandardCharsets.US_ASCII));
    }

    private static String string(MemorySegment seg, int len) {
        return new String(seg.asSlice(0, len).toArray(JAVA_BYTE), StandardCharsets.US_ASCII);
    }

    @Test
    void setByFdReadBackByFdAndPath() throws Exception {
        MemorySegment name = arena.allocateFrom("user.jring");
        ring.getSqe().prepFsetxattr(fd, name, bytes("value-1"), 0).userData(1);
        int res = Reap.one(ring);
        assumeTrue(res != -Uapi.EOPNOTSUPP(), "the file system of " + dir + " has no user xattrs");
        assertEquals(0, res);

        MemorySegment out = arena.allocate(64);
        ring.getSqe().prepFgetxattr(fd, name, out).userData(2);
        assertEquals(7, Reap.one(ring), "fgetxattr(2): the value's size");
        assertEquals("value-1", string(out, 7));

        ring.getSqe().prepGetxattr(arena.allocateFrom(file.toString()), name, out.fill((byte) 0)).userData(3);
        assertEquals(7, Reap.one(ring));
        assertEquals("value-1", string(out, 7));

        ring.getSqe().prepFgetxattr(fd, name, arena.allocate(0)).userData(4);
        assertEquals(7, Reap.one(ring), "a zero-length buffer asks for the size");
        ring.getSqe().prepFgetxattr(fd, name, arena.allocate(3)).userData(5);
        assertEquals(-Uapi.ERANGE(), Reap.one(ring), "getxattr(2): ERANGE when the buffer is too small");
        ring.getSqe().prepFgetxattr(fd, arena.allocateFrom("user.absent"), out).userData(6);
        assertEquals(-Uapi.ENODATA(), Reap.one(ring), "getxattr(2): ENODATA for an absent attribute");
    }

    @Test
    void setByPathWithCreateAndReplace() throws Exception {
        MemorySegment path = arena.allocateFrom(file.toString());
        MemorySegment name = arena.allocateFrom("user.mode");
        ring.getSqe().prepSetxattr(path, name, bytes("first"), Xattr.XATTR_CREATE).userData(1);
        int res = Reap.one(ring);
        assumeTrue(res != -Uapi.EOPNOTSUPP(), "the file system of " + dir + " has no user xattrs");
        assertEquals(0, res);
        ring.getSqe().prepSetxattr(path, name, bytes("second"), Xattr.XATTR_CREATE).userData(2);
        assertEquals(-Uapi.EEXIST(), Reap.one(ring), "setxattr(2): XATTR_CREATE gives EEXIST if it exists");
        ring.getSqe().prepSetxattr(path, name, bytes("second"), Xattr.XATTR_REPLACE).userData(3);
        assertEquals(0, Reap.one(ring));
        ring.getSqe().prepFsetxattr(fd, arena.allocateFrom("user.none"), bytes("v"), Xattr.XATTR_REPLACE).userData(4);
        assertEquals(-Uapi.ENODATA(), Reap.one(ring), "setxattr(2): XATTR_REPLACE gives ENODATA if absent");

        MemorySegment out = arena.allocate(16);
        ring.getSqe().prepFgetxattr(fd, name, out).userData(5);
        assertEquals(6, Reap.one(ring));
        assertEquals("second", string(out, 6), "the value set by path, read back by fd");

        ring.getSqe().prepGetxattr(arena.allocateFrom(dir.resolve("missing").toString()), name, out).userData(6);
        assertEquals(-Uapi.ENOENT(), Reap.one(ring));
    }
}
