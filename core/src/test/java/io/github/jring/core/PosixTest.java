package io.github.jring.core;

import io.github.jring.bindings.Uapi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@link Posix} against the running kernel: what each call does, and how each fails. */
class PosixTest {

    @TempDir
    Path dir;

    @Test
    void preadAndPwriteRoundTripThroughAFileTheJdkReads() throws Exception {
        Path file = dir.resolve("f");
        int fd = Posix.open(file, Posix.O_RDWR | Posix.O_CREAT | Posix.O_CLOEXEC, 0600);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocateFrom(JAVA_BYTE, "hello, kernel".getBytes(StandardCharsets.US_ASCII));
            assertEquals(13, Posix.pwrite(fd, out, 100));
            assertEquals("hello, kernel", Files.readString(file).substring(100));
            MemorySegment in = arena.allocate(13);
            assertEquals(13, Posix.pread(fd, in, 100));
            assertArrayEquals(out.toArray(JAVA_BYTE), in.toArray(JAVA_BYTE));
            assertEquals(0, Posix.pread(fd, in, 1000), "end of file");
            // the allocation-free forms answer -errno instead of throwing
            MemorySegment errno = Posix.allocateErrnoState(arena);
            assertEquals(13, Posix.pread(errno, fd, in, 13, 100));
            assertEquals(-Uapi.EINVAL(), Posix.pread(errno, fd, in, 13, -1));
            assertEquals(Uapi.EINVAL(), Posix.errno(errno));
        } finally {
            Posix.close(fd);
        }
    }

    @Test
    void oDirectReachesTheKernel() throws Exception {
        Path file = dir.resolve("direct");
        Files.write(file, new byte[8192]);
        int align = Posix.directIoAlignment(file);
        int fd;
        try {
            fd = Posix.open(file, Posix.O_RDWR | Posix.O_DIRECT);
        } catch (ErrnoException e) {
            assumeTrue(e.errno() != Uapi.EINVAL(), "this file system has no O_DIRECT: " + e.getMessage());
            throw e;
        }
        try (Arena arena = Arena.ofConfined()) {
            assertTrue((Posix.fcntl(fd, Posix.F_GETFL, 0) & Posix.O_DIRECT) != 0, "F_GETFL shows O_DIRECT");
            MemorySegment aligned = arena.allocate(4096, 4096);
            assertEquals(4096, Posix.pread(fd, aligned, 0));
            if (align > 1) {
                // direct I/O refuses an offset off the alignment statx reported; buffered I/O would not
                MemorySegment errno = Posix.allocateErrnoState(arena);
                assertEquals(-Uapi.EINVAL(), Posix.pread(errno, fd, aligned, 4096, 1));
            }
        } finally {
            Posix.close(fd);
        }
        int buffered = Posix.open(file, Posix.O_RDONLY);
        try {
            assertEquals(0, Posix.fcntl(buffered, Posix.F_GETFL, 0) & Posix.O_DIRECT);
        } finally {
            Posix.close(buffered);
        }
    }

    @Test
    void aMissingFileIsEnoentNamingThePath() {
        Path missing = dir.resolve("no-such-file");
        ErrnoException e = assertThrows(ErrnoException.class, () -> Posix.open(missing, Posix.O_RDONLY));
        assertEquals("ENOENT", e.errnoName());
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    }

    @Test
    void openatResolvesAgainstTheDirectoryDescriptor() throws Exception {
        Files.writeString(dir.resolve("inside"), "x");
        int dirFd = Posix.open(dir, Posix.O_RDONLY);
        try {
            int fd = Posix.openat(dirFd, "inside", Posix.O_RDONLY, 0);
            Posix.close(fd);
            ErrnoException e = assertThrows(ErrnoException.class,
                    () -> Posix.openat(dirFd, "absent", Posix.O_RDONLY, 0));
            assertEquals("ENOENT", e.errnoName());
        } finally {
            Posix.close(dirFd);
        }
    }

    @Test
    void closingTwiceIsEbadf() throws Exception {
        int[] p = Posix.pipe(Posix.O_CLOEXEC);
        Posix.close(p[1]);
        Posix.close(p[0]);
        assertEquals("EBADF", assertThrows(ErrnoException.class, () -> Posix.close(p[0])).errnoName());
        Posix.closeQuietly(p[0], -1); // says nothing
    }

    @Test
    void ioctlOnAFileThatIsNoDeviceIsEnotty() throws Exception {
        Path file = dir.resolve("plain");
        Files.writeString(file, "x");
        int fd = Posix.open(file, Posix.O_RDONLY);
        try (Arena arena = Arena.ofConfined()) {
            ErrnoException e = assertThrows(ErrnoException.class,
                    () -> Posix.ioctl(fd, Uapi.BLKGETSIZE64(), arena.allocate(8)));
            assertEquals("ENOTTY", e.errnoName());
            assertEquals(-Uapi.ENOTTY(), Posix.ioctl(Posix.allocateErrnoState(arena), fd, Uapi.BLKSSZGET(), 0L));
        } finally {
            Posix.close(fd);
        }
    }

    @Test
    void eventfdCountsWhatIsWritten() throws Exception {
        int fd = Posix.eventfd(2, Posix.EFD_CLOEXEC | Posix.EFD_NONBLOCK);
        try {
            Posix.eventfdWrite(fd, 3);
            Posix.eventfdWrite(fd, 4);
            assertEquals(9, Posix.eventfdRead(fd));
            assertEquals("EAGAIN", assertThrows(ErrnoException.class, () -> Posix.eventfdRead(fd)).errnoName());
            // 2^64-1 is not a value an eventfd takes: the failed fast call is repeated to learn its errno
            assertEquals("EINVAL", assertThrows(ErrnoException.class, () -> Posix.eventfdWrite(fd, -1L)).errnoName());
        } finally {
            Posix.close(fd);
        }
    }

    @Test
    void aPipeAndASocketPairCarryBytes() throws Exception {
        int[] p = Posix.pipe(0);
        int[] s = Posix.socketpair(Uapi.AF_UNIX(), Uapi.SOCK_STREAM(), 0);
        try {
            assertEquals(5, TestFds.write(p[1], "pipe!".getBytes(StandardCharsets.US_ASCII)));
            assertEquals("pipe!", new String(TestFds.read(p[0], 64), StandardCharsets.US_ASCII));
            assertEquals(4, TestFds.write(s[0], "ping".getBytes(StandardCharsets.US_ASCII)));
            assertEquals("ping", new String(TestFds.read(s[1], 64), StandardCharsets.US_ASCII));
            assertEquals(4, TestFds.write(s[1], "pong".getBytes(StandardCharsets.US_ASCII)));
            assertEquals("pong", new String(TestFds.read(s[0], 64), StandardCharsets.US_ASCII));
        } finally {
            Posix.closeQuietly(p[0], p[1], s[0], s[1]);
        }
    }

    @Test
    void aDuplicateOutlivesTheOriginal() throws Exception {
        int[] p = Posix.pipe(0);
        int dup = Posix.dup(p[1]);
        try {
            assertTrue(dup != p[1]);
            assertTrue((Posix.fcntl(dup, Uapi.F_GETFD(), 0) & Uapi.FD_CLOEXEC()) != 0, "F_DUPFD_CLOEXEC");
            Posix.close(p[1]);
            assertEquals(1, TestFds.write(dup, new byte[] {42}));
            assertArrayEquals(new byte[] {42}, TestFds.read(p[0], 8));
        } finally {
            Posix.closeQuietly(p[0], dup);
        }
    }

    @Test
    void socketOptionsAndLoopbackConnections() throws Exception {
        int[] pair = TestFds.tcpPair();
        try {
            Posix.setsockoptInt(pair[0], Uapi.SOL_SOCKET(), Uapi.SO_KEEPALIVE(), 1);
            assertEquals(1, Posix.getsockoptInt(pair[0], Uapi.SOL_SOCKET(), Uapi.SO_KEEPALIVE()));
            assertEquals(Uapi.SOCK_STREAM(), Posix.getsockoptInt(pair[1], Uapi.SOL_SOCKET(), Uapi.SO_TYPE()));
            assertEquals(3, TestFds.write(pair[0], new byte[] {1, 2, 3}));
            assertArrayEquals(new byte[] {1, 2, 3}, TestFds.read(pair[1], 8));
            assertEquals("ENOPROTOOPT", assertThrows(ErrnoException.class,
                    () -> Posix.getsockoptInt(pair[0], Uapi.SOL_SOCKET(), 12345)).errnoName());
        } finally {
            Posix.closeQuietly(pair);
        }
    }
}
