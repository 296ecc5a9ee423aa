package io.github.jring.core;

import io.github.jring.bindings.Uapi;
import io.github.jring.bindings.iovec;
import io.github.jring.bindings.open_how;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The file and file-table operations of issue 19 against the real kernel, each shown doing what its man page says
 * and failing with the errno the man page names: sync_file_range, files_update, fadvise, madvise, openat2, renameat,
 * unlinkat, mkdirat, symlinkat, linkat, ftruncate, readv/writev_fixed, pipe, fixed_fd_install.
 */
class FileOpsTest {

    @TempDir
    Path dir;

    IoUring ring;
    Arena arena;

    @BeforeEach
    void open() throws ErrnoException {
        ring = IoUring.open(16);
        arena = Arena.ofConfined();
    }

    @AfterEach
    void close() {
        ring.close();
        arena.close();
    }

    private MemorySegment path(Path p) {
        return arena.allocateFrom(p.toString());
    }

    private MemorySegment bytes(String s) {
        return arena.allocateFrom(JAVA_BYTE, s.getBytes(StandardCharsets.US_ASCII));
    }

    private static String string(MemorySegment seg, int len) {
        return new String(seg.asSlice(0, len).toArray(JAVA_BYTE), StandardCharsets.US_ASCII);
    }

    private int openFile(String name, String content) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, content);
        return Posix.open(p, Posix.O_RDWR, 0);
    }

    @Test
    void syncFileRangeWritesBackAndRefusesAPipe() throws Exception {
        Supported.assumeOp(ring, Uapi.IORING_OP_SYNC_FILE_RANGE(), "5.2");
        int fd = openFile("sync", "dirty data");
        int[] p = Posix.pipe(0);
        try {
            int flags = Uapi.SYNC_FILE_RANGE_WAIT_BEFORE() | Uapi.SYNC_FILE_RANGE_WRITE()
                    | Uapi.SYNC_FILE_RANGE_WAIT_AFTER();
            ring.getSqe().prepSyncFileRange(fd, 0, 0, flags).userData(1);
            assertEquals(0, Reap.one(ring));
            ring.getSqe().prepSyncFileRange(p[0], 0, 0, flags).userData(2);
            assertEquals(-Uapi.ESPIPE(), Reap.one(ring), "sync_file_range(2): ESPIPE for a pipe");
        } finally {
            Posix.close(fd);
            Posix.close(p[0]);
            Posix.close(p[1]);
        }
    }

    @Test
    void filesUpdateFillsTheRegisteredTable() throws Exception {
        Supported.assumeOp(ring, Uapi.IORING_OP_FILES_UPDATE(), "5.6");
        int fd = openFile("table", "from slot 2");
        try {
            MemorySegment fds = arena.allocateFrom(JAVA_INT, fd);
            ring.getSqe().prepFilesUpdate(fds, 1, 2).userData(1);
            assertEquals(-Uapi.ENXIO(), Reap.one(ring), "no registered file table yet");
            ring.registerFilesSparse(4);
            ring.getSqe().prepFilesUpdate(fds, 1, 2).userData(2);
            assertEquals(1, Reap.one(ring), "one slot updated");
            MemorySegment in = arena.allocate(32);
            ring.getSqe().prepRead(2, in, 0).fixedFile().userData(3);
            assertEquals(11, Reap.one(ring));
            assertEquals("from slot 2", string(in, 11));

            // IORING_FILE_INDEX_ALLOC: the kernel picks a free slot and writes its index back.
            fds.set(JAVA_INT, 0, fd);
            ring.getSqe().prepFilesUpdate(fds, 1, Uapi.IORING_FILE_INDEX_ALLOC()).userData(4);
            assertEquals(1, Reap.one(ring));
            int slot = fds.get(JAVA_INT, 0);
            assertTrue(slot >= 0 && slot < 4 && slot != 2, "allocated slot " + slot);
            ring.getSqe().prepRead(slot, in, 0).fixedFile().userData(5);
            assertEquals(11, Reap.one(ring));

            fds.set(JAVA_INT, 0, 1_000_000);
            ring.getSqe().prepFilesUpdate(fds, 1, 0).userData(6);
            assertEquals(-Uapi.EBADF(), Reap.one(ring), "a descriptor that is not open");
        } finally {
            Posix.close(fd);
        }
    }

    @Test
    void fadviseAcceptsAdviceAndRefusesAPipe() throws Exception {
        Supported.assumeOp(ring, Uapi.IORING_OP_FADVISE(), "5.6");
        int fd = openFile("advise", "x".repeat(8192));
        int[] p = Posix.pipe(0);
        try {
            ring.getSqe().prepFadvise(fd, 0, 8192, Uapi.POSIX_FADV_DONTNEED()).userData(1);
            assertEquals(0, Reap.one(ring));
            ring.getSqe().prepFadvise(fd, 0, 0, 12345).userData(2);
            assertEquals(-Uapi.EINVAL(), Reap.one(ring), "posix_fadvise(2): EINVAL for an unknown advice");
            ring.getSqe().prepFadvise(p[0], 0, 0, Uapi.POSIX_FADV_SEQUENTIAL()).userData(3);
            assertEquals(-Uapi.ESPIPE(), Reap.one(ring), "posix_fadvise(2): ESPIPE for a pipe");
            if (Kernel.atLeast(6, 11)) {
                ring.getSqe().prepFadvise64(fd, 0, 1L << 33, Uapi.POSIX_FADV_WILLNEED()).userData(4);
                assertEquals(0, Reap.one(ring), "a length above 4 GiB travels in addr");
            }
        } finally {
            Posix.close(fd);
            Posix.close(p[0]);
            Posix.close(p[1]);
        }
    }

    @Test
    void madviseDontneedDiscardsAnonymousPages() throws Exception {
        Supported.assumeOp(ring, Uapi.IORING_OP_MADVISE(), "5.6");
        MemorySegment pages = arena.allocate(4 * 4096, 4096);
        pages.fill((byte) 0x5A);
        ring.getSqe().prepMadvise(pages, Uapi.MADV_DONTNEED()).userData(1);
        int res = Reap.one(ring);
        assumeTrue(res != -Uapi.EINVAL(), "this kernel has no CONFIG_ADVISE_SYSCALLS");
        assertEquals(0, res);
        assertEquals(0, pages.get(JAVA_BYTE, 0), "madvise(2): private anonymous pages read back as zero");
        assertEquals(0, pages.get(JAVA_BYTE, 4 * 4096 - 1));

        ring.getSqe().prepMadvise(pages.address() + 1, 4096, Uapi.MADV_DONTNEED()).userData(2);
        assertEquals(-Uapi.EINVAL(), Reap.one(ring), "madvise(2): EINVAL for an address not page-aligned");
        if (Kernel.atLeast(6, 11)) {
            pages.fill((byte) 1);
            ring.getSqe().prepMadvise64(pages.address(), 4 * 4096, Uapi.MADV_DONTNEED()).userData(3);
            assertEquals(0, Reap.one(ring));
            assertEquals(0, pages.get(JAVA_BYTE, 3 * 4096), "the 64-bit length reached the kernel");
        }
    }

    @Test
    void openat2ResolvesBeneathItsDirectory() throws Exception {
        Supported.assumeOp(ring, Uapi.IORING_OP_OPENAT2(), "5.6");
        Files.writeString(dir.resolve("inside"), "beneath");
        int dfd = Posix.open(dir, Posix.O_RDONLY | Uapi.O_DIRECTORY(), 0);
        try {
            MemorySegment how = arena.allocate(open_how.layout());
            open_how.flags(how, Posix.O_RDONLY | Posix.O_CLOEXEC);
            open_how.resolve(how, Uapi.RESOLVE_BENEATH());
            ring.getSqe().prepOpenat2(dfd, arena.allocateFrom("inside"), how).userData(1);
            int fd = Reap.one(ring);
            assertTrue(fd >= 0, "openat2: " + Errno.name(fd));
            try {
                assertEquals("beneath", new String(TestFds.read(fd, 16), StandardCharsets.US_ASCII));
            } finally {
                Posix.close(fd);
            }
            ring.getSqe().prepOpenat2(dfd, arena.allocateFrom("../escape"), how).userData(2);
            assertEquals(-Uapi.EXDEV(), Reap.one(ring), "openat2(2): RESOLVE_BENEATH refuses '..' with EXDEV");

            // Into the registered file table.
            ring.registerFilesSparse(2);
            open_how.flags(how, Posix.O_RDONLY);
            ring.getSqe().prepOpenat2Direct(dfd, arena.allocateFrom("inside"), how, 1).userData(3);
            assertEquals(0, Reap.one(ring));
            MemorySegment in = arena.allocate(16);
            ring.getSqe().prepRead(1, in, 0).fixedFile().userData(4);
            assertEquals(7, Reap.one(ring));
            assertEquals("beneath", string(in, 7));
        } finally {
            Posix.close(dfd);
        }
    }

    @Test
    void renameatMovesAndNoreplaceRefuses() throws Exception {
        Supported.assumeOp(ring, Uapi.IORING_OP_RENAMEAT(), "5.11");
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        Files.writeString(a, "moved");
        ring.getSqe().prepRenameat(Posix.AT_FDCWD, path(a), Posix.AT_FDCWD, path(b), 0).userData(1);
        assertEquals(0, Reap.one(ring));
        assertFalse(Files.exists(a));
        assertEquals("moved", Files.readString(b));

        Files.writeString(a, "again");
        ring.getSqe().prepRenameat(Posix.AT_FDCWD, path(a), Posix.AT_FDCWD, path(b), Uapi.RENAME_NOREPLACE())
                .userData(2);
        assertEquals(-Uapi.EEXIST(), Reap.one(ring), "renameat2(2): RENAME_NOREPLACE gives EEXIST");
        assertEquals("moved", Files.readString(b));
    }

    @Test
    void mkdiratAndUnlinkat() throws Exception {
        Supported.assumeOp(ring, Uapi.IORING_OP_MKDIRAT(), "5.15");
        Supported.assumeOp(ring, Uapi.IORING_OP_UNLINKAT(), "5.11");
        Path d = dir.resolve("sub");
        ring.getSqe().prepMkdirat(Posix.AT_FDCWD, path(d), 0750).userData(1);
        assertEquals(0, Reap.one(ring));
        assertTrue(Files.isDirectory(d));
        ring.getSqe().prepMkdirat(Posix.AT_FDCWD, path(d), 0750).userData(2);
        assertEquals(-Uapi.EEXIST(), Reap.one(ring), "mkdirat(2): EEXIST");

        Path f = d.resolve("file");
        Files.writeString(f, "x");
        ring.getSqe().prepUnlinkat(Posix.AT_FDCWD, path(d), Uapi.AT_REMOVEDIR()).userData(3);
        assertEquals(-Uapi.ENOTEMPTY(), Reap.one(ring), "unlinkat(2): ENOTEMPTY for a non-empty directory");
        ring.getSqe().prepUnlinkat(Posix.AT_FDCWD, path(f), 0).userData(4);
        assertEquals(0, Reap.one(ring));
        assertFalse(Files.exists(f));
        ring.getSqe().prepUnlinkat(Posix.AT_FDCWD, path(d), 0).userData(5);
        assertEquals(-Uapi.EISDIR(), Reap.one(ring), "unlinkat(2) without AT_REMOVEDIR: EISDIR for a directory");
        ring.getSqe().prepUnlinkat(Posix.AT_FDCWD, path(d), Uapi.AT_REMOVEDIR()).userData(6);
        assertEquals(0, Reap.one(ring));
        assertFalse(Files.exists(d));
        ring.getSqe().prepUnlinkat(Posix.AT_FDCWD, path(f), 0).userData(7);
        assertEquals(-Uapi.ENOENT(), Reap.one(ring));
    }

    @Test
    void symlinkatAndLinkat() throws Exception {
        Supported.assumeOp(ring, Uapi.IORING_OP_SYMLINKAT(), "5.15");
        Supported.assumeOp(ring, Uapi.IORING_OP_LINKAT(), "5.15");
        Path target = dir.resolve("target");
        Files.writeString(target, "linked");
        Path sym = dir.resolve("sym");
        ring.getSqe().prepSymlinkat(arena.allocateFrom("target"), Posix.AT_FDCWD, path(sym)).userData(1);
        assertEquals(0, Reap.one(ring));
        assertTrue(Files.isSymbolicLink(sym));
        assertEquals(Path.of("target"), Files.readSymbolicLink(sym));
        assertEquals("linked", Files.readString(sym));
        ring.getSqe().prepSymlinkat(arena.allocateFrom("elsewhere"), Posix.AT_FDCWD, path(sym)).userData(2);
        assertEquals(-Uapi.EEXIST(), Reap.one(ring), "symlinkat(2): EEXIST");

        Path hard = dir.resolve("hard");
        ring.getSqe().prepLinkat(Posix.AT_FDCWD, path(target), Posix.AT_FDCWD, path(hard), 0).userData(3);
        assertEquals(0, Reap.one(ring));
        assertEquals(2, Files.getAttribute(target, "unix:nlink"), "two names for one inode");
        assertEquals(Files.getAttribute(target, "unix:ino"), Files.getAttribute(hard, "unix:ino"));

        // AT_SYMLINK_FOLLOW links the symlink's target rather than the symlink itself.
        Path viaSym = dir.resolve("viaSym");
        ring.getSqe().prepLinkat(Posix.AT_FDCWD, path(sym), Posix.AT_FDCWD, path(viaSym), Uapi.AT_SYMLINK_FOLLOW())
                .userData(4);
        assertEquals(0, Reap.one(ring));
        assertFalse(Files.isSymbolicLink(viaSym));
        assertEquals(Files.getAttribute(target, "unix:ino"),
                Files.getAttribute(viaSym, "unix:ino", LinkOption.NOFOLLOW_LINKS));

        ring.getSqe().prepLinkat(Posix.AT_FDCWD, path(dir.resolve("missing")), Posix.AT_FDCWD,
                path(dir.resolve("x")), 0).userData(5);
        assertEquals(-Uapi.ENOENT(), Reap.one(ring), "linkat(2): ENOENT");
    }

    @Test
    void ftruncateSetsTheSize() throws Exception {
        Supported.assumeOp(ring, Uapi.IORING_OP_FTRUNCATE(), "6.9");
        int fd = openFile("trunc", "0123456789");
        try {
            ring.getSqe().prepFtruncate(fd, 4).userData(1);
            assertEquals(0, Reap.one(ring));
            assertEquals("0123", Files.readString(dir.resolve("trunc")));
            ring.getSqe().prepFtruncate(fd, 1 << 20).userData(2);
            assertEquals(0, Reap.one(ring));
            assertEquals(1 << 20, Files.size(dir.resolve("trunc")), "extended with a hole");
            ring.getSqe().prepFtruncate(fd, -1).userData(3);
            assertEquals(-Uapi.EINVAL(), Reap.one(ring), "ftruncate(2): EINVAL for a negative length");
        } finally {
            Posix.close(fd);
        }
        int ro = Posix.open(dir.resolve("trunc"), Posix.O_RDONLY);
        try {
            ring.getSqe().prepFtruncate(ro, 0).userData(4);
            int res = Reap.one(ring);
            assertTrue(res == -Uapi.EINVAL() || res == -Uapi.EBADF(),
                    "ftruncate(2): EBADF or EINVAL for a descriptor not open for writing: " + Errno.name(res));
        } finally {
            Posix.close(ro);
        }
    }

    @Test
    void readvFixedAndWritevFixedUseOneRegisteredBuffer() throws Exception {
        Supported.assumeOp(ring, Uapi.IORING_OP_READV_FIXED(), "6.15");
        Supported.assumeOp(ring, Uapi.IORING_OP_WRITEV_FIXED(), "6.15");
        int fd = openFile("vfixed", "");
        try {
            MemorySegment reg = arena.allocate(8192, 4096);
            ring.registerBuffers(reg);
            MemorySegment.copy(bytes("head-"), 0, reg, 100, 5);
            MemorySegment.copy(bytes("tail"), 0, reg, 3000, 4);
            MemorySegment iov = arena.allocate(iovec.layout(), 2);
            setIov(iov, 0, reg.asSlice(100, 5));
            setIov(iov, 1, reg.asSlice(3000, 4));
            ring.getSqe().prepWritevFixed(fd, iov, 2, 0, 0, 0).userData(1);
            assertEquals(9, Reap.one(ring));
            assertEquals("head-tail", Files.readString(dir.resolve("vfixed")));

            setIov(iov, 0, reg.asSlice(5000, 4));
            setIov(iov, 1, reg.asSlice(7000, 5));
            ring.getSqe().prepReadvFixed(fd, iov, 2, 0, 0, 0).userData(2);
            assertEquals(9, Reap.one(ring));
            assertEquals("head", string(reg.asSlice(5000), 4));
            assertEquals("-tail", string(reg.asSlice(7000), 5));

            setIov(iov, 1, arena.allocate(16)); // outside the registered buffer
            ring.getSqe().prepReadvFixed(fd, iov, 2, 0, 0, 0).userData(3);
            assertEquals(-Uapi.EFAULT(), Reap.one(ring), "an iovec outside the registered buffer");
            ring.getSqe().prepWritevFixed(fd, iov, 2, 0, 0, 0).userData(4);
            assertEquals(-Uapi.EFAULT(), Reap.one(ring), "the same for a write");
            ring.getSqe().prepWritevFixed(fd, iov, 1, 0, 0, 1).userData(5);
            assertEquals(-Uapi.EFAULT(), Reap.one(ring), "no registered buffer 1");
        } finally {
            Posix.close(fd);
        }
    }

    private static void setIov(MemorySegment iov, int i, MemorySegment buf) {
        MemorySegment e = iovec.asSlice(iov, i);
        iovec.iov_base(e, buf);
        iovec.iov_len(e, buf.byteSize());
    }

    @Test
    void pipeGivesTwoUsableEnds() throws Exception {
        Supported.assumeOp(ring, Uapi.IORING_OP_PIPE(), "6.16");
        MemorySegment fds = arena.allocate(JAVA_INT, 2);
        ring.getSqe().prepPipe(fds, Posix.O_CLOEXEC).userData(1);
        assertEquals(0, Reap.one(ring));
        int r = fds.getAtIndex(JAVA_INT, 0);
        int w = fds.getAtIndex(JAVA_INT, 1);
        try {
            assertNotEquals(r, w);
            assertEquals(4, TestFds.write(w, new byte[] {1, 2, 3, 4}));
            assertArrayEquals(new byte[] {1, 2, 3, 4}, TestFds.read(r, 16), "what the write end took, the read end gives");
        } finally {
            Posix.close(r);
            Posix.close(w);
        }
        ring.getSqe().prepPipe(fds, 0x7fff_0000).userData(2);
        assertEquals(-Uapi.EINVAL(), Reap.one(ring), "pipe2(2): EINVAL for unknown flags");

        // Direct: both ends into the registered file table.
        ring.registerFilesSparse(4);
        ring.getSqe().prepPipeDirect(fds, 0, 1).userData(3);
        assertEquals(0, Reap.one(ring));
        int rs = fds.getAtIndex(JAVA_INT, 0);
        int ws = fds.getAtIndex(JAVA_INT, 1);
        assertEquals(1, rs, "read end in slot 1");
        assertEquals(2, ws, "write end in slot 2");
        ring.getSqe().prepWrite(ws, bytes("direct"), -1).fixedFile().userData(4);
        assertEquals(6, Reap.one(ring));
        MemorySegment in = arena.allocate(16);
        ring.getSqe().prepRead(rs, in, -1).fixedFile().userData(5);
        assertEquals(6, Reap.one(ring));
        assertEquals("direct", string(in, 6));
    }

    @Test
    void fixedFdInstallGivesANormalDescriptor() throws Exception {
        Supported.assumeOp(ring, Uapi.IORING_OP_FIXED_FD_INSTALL(), "6.8");
        Path p = dir.resolve("installed");
        Files.writeString(p, "installed!");
        ring.registerFilesSparse(2);
        ring.getSqe().prepOpenatDirect(Posix.AT_FDCWD, path(p), Posix.O_RDONLY, 0, 0).userData(1);
        assertEquals(0, Reap.one(ring), "opened only as direct descriptor 0");

        ring.getSqe().prepFixedFdInstall(0, 0).userData(2);
        int fd = Reap.one(ring);
        assertTrue(fd >= 0, "fixed_fd_install: " + Errno.name(fd));
        try {
            assertEquals("installed!", new String(TestFds.read(fd, 32), StandardCharsets.US_ASCII),
                    "the installed descriptor reads the file with read(2)");
            int fdFlags = Posix.fcntl(fd, 1 /* F_GETFD */, 0);
            assertEquals(1, fdFlags & 1, "FD_CLOEXEC by default");
        } finally {
            Posix.close(fd);
        }
        ring.getSqe().prepFixedFdInstall(0, Uapi.IORING_FIXED_FD_NO_CLOEXEC()).userData(3);
        int fd2 = Reap.one(ring);
        try {
            assertTrue(fd2 >= 0);
            assertEquals(0, Posix.fcntl(fd2, 1 /* F_GETFD */, 0) & 1, "IORING_FIXED_FD_NO_CLOEXEC");
        } finally {
            Posix.close(fd2);
        }
        ring.getSqe().prepFixedFdInstall(1, 0).userData(4);
        assertEquals(-Uapi.EBADF(), Reap.one(ring), "slot 1 is empty");
        ring.getSqe().prepFixedFdInstall(0, 0).flags(0).userData(5);
        assertEquals(-Uapi.EBADF(), Reap.one(ring), "the kernel requires IOSQE_FIXED_FILE");
        ring.getSqe().prepFixedFdInstall(0, 0x40).userData(6);
        assertEquals(-Uapi.EINVAL(), Reap.one(ring), "unknown install flags");
    }
}
