package io.github.jring.core;

import io.github.jring.bindings.Uapi;
import io.github.jring.bindings.sockaddr_in;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * Descriptors the tests set up (loopback TCP pairs, non-blocking ends) and byte-array reads and writes, made of
 * {@link Posix} calls, so that a test checks the ring's results without going through the ring.
 */
public final class TestFds {

    private TestFds() {
    }

    /** {@code write(fd, data)}: the bytes written. */
    public static int write(int fd, byte[] data) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            return Posix.write(fd, a.allocateFrom(JAVA_BYTE, data));
        }
    }

    /** {@code write(fd, buf)}: the bytes written. */
    public static int write(int fd, MemorySegment buf) throws ErrnoException {
        return Posix.write(fd, buf);
    }

    /** {@code read(fd, max bytes)}: what was read. */
    public static byte[] read(int fd, int max) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(max);
            int n = Posix.read(fd, buf);
            return buf.asSlice(0, n).toArray(JAVA_BYTE);
        }
    }

    /** Adds {@code O_NONBLOCK} to the descriptor's status flags. */
    public static void setNonBlocking(int fd) throws ErrnoException {
        int flags = Posix.fcntl(fd, Posix.F_GETFL, 0);
        Posix.fcntl(fd, Posix.F_SETFL, flags | Posix.O_NONBLOCK);
    }

    /** A sockaddr_in for 127.0.0.1:port in {@code arena}. */
    public static MemorySegment loopback(Arena arena, int port) {
        MemorySegment sa = arena.allocate(sockaddr_in.layout());
        sockaddr_in.sin_family(sa, (short) Uapi.AF_INET());
        // sin_port and sin_addr are in network byte order (big-endian).
        sa.set(JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN), sockaddr_in.sin_port$offset(), (short) port);
        sa.set(JAVA_INT.withOrder(ByteOrder.BIG_ENDIAN), sockaddr_in.sin_addr$offset(), Uapi.INADDR_LOOPBACK());
        return sa;
    }

    /** The port of a sockaddr_in. */
    public static int port(MemorySegment sockaddrIn) {
        return Short.toUnsignedInt(sockaddrIn.get(JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN),
                sockaddr_in.sin_port$offset()));
    }

    /** The local port a socket is bound to. */
    public static int localPort(int fd) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment sa = loopback(a, 0);
            Posix.getsockname(fd, sa);
            return port(sa);
        }
    }

    /** Binds a socket to 127.0.0.1:port (0: one the kernel picks). */
    public static void bindLoopback(int fd, int port) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            Posix.bind(fd, loopback(a, port));
        }
    }

    /** Connects a socket to 127.0.0.1:port. */
    public static void connectLoopback(int fd, int port) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            Posix.connect(fd, loopback(a, port));
        }
    }

    /** A TCP socket listening on 127.0.0.1 on an ephemeral port: returns {fd, port}. */
    public static int[] listenLoopback() throws ErrnoException {
        int fd = Posix.socket(Uapi.AF_INET(), Uapi.SOCK_STREAM(), 0);
        try {
            bindLoopback(fd, 0);
            Posix.listen(fd, 16);
            return new int[] {fd, localPort(fd)};
        } catch (ErrnoException | RuntimeException e) {
            Posix.closeQuietly(fd);
            throw e;
        }
    }

    /** A TCP socket connected to 127.0.0.1:port. */
    public static int connectLoopback(int port) throws ErrnoException {
        int fd = Posix.socket(Uapi.AF_INET(), Uapi.SOCK_STREAM(), 0);
        try {
            connectLoopback(fd, port);
            return fd;
        } catch (ErrnoException | RuntimeException e) {
            Posix.closeQuietly(fd);
            throw e;
        }
    }

    /** A connected TCP pair over 127.0.0.1: {client, server}. */
    public static int[] tcpPair() throws ErrnoException {
        int[] l = listenLoopback();
        try {
            int c = connectLoopback(l[1]);
            int s = Posix.accept(l[0], 0);
            return new int[] {c, s};
        } finally {
            Posix.closeQuietly(l[0]);
        }
    }

    /** A UDP socket bound to 127.0.0.1 on an ephemeral port. */
    public static int udpBound() throws ErrnoException {
        int fd = Posix.socket(Uapi.AF_INET(), Uapi.SOCK_DGRAM(), 0);
        try {
            bindLoopback(fd, 0);
            return fd;
        } catch (ErrnoException | RuntimeException e) {
            Posix.closeQuietly(fd);
            throw e;
        }
    }
}
