package io.github.jring.examples;

import java.nio.ByteOrder;
import io.github.jring.core.ErrnoException;
import io.github.jring.bindings.sockaddr_in;
import io.github.jring.core.Posix;
import io.github.jring.bindings.Uapi;
import io.github.jring.core.Cqe;
import io.github.jring.core.IoUring;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * {@code IORING_OP_URING_CMD} is not only for NVMe: since Linux 6.7 sockets answer it too
 * ({@code SOCKET_URING_OP_SIOCINQ}, {@code SIOCOUTQ}, {@code GETSOCKOPT}, {@code SETSOCKOPT}). The same SQE field,
 * {@code cmd_op}, selects the command; the socket's own fields ({@code level}, {@code optname}, {@code optval}) sit in
 * the SQE where a read would keep its buffer.
 */
public final class SocketCommands {

    private SocketCommands() {
    }

    /**
     * What the socket commands answered.
     *
     * @param sent        bytes the send reported
     * @param bytesQueued SIOCINQ: the size of the first datagram waiting to be read
     * @param soType      GETSOCKOPT(SOL_SOCKET, SO_TYPE): {@code SOCK_DGRAM}
     */
    public record Answers(int sent, int bytesQueued, int soType) {
    }

    /**
     * Sends a datagram to itself, then asks the socket, through the ring, how much is queued and what type it is.
     *
     * @param payload bytes to send
     * @return the answers
     * @throws IOException if a request fails (kernels before 6.7: {@code EOPNOTSUPP}/{@code EINVAL})
     */
    public static Answers ask(byte[] payload) throws IOException {
        int sock = udpLoopbackToSelf();
        try (IoUring ring = IoUring.open(8); Arena arena = Arena.ofConfined()) {
            // snippet:socket-cmd
            MemorySegment data = arena.allocateFrom(JAVA_BYTE, payload);
            MemorySegment optval = arena.allocate(JAVA_INT);

            ring.getSqe().prepSend(sock, data, 0).userData(1).ioLink(); // the commands run after the send
            ring.getSqe().prepCmdSock(Uapi.SOCKET_URING_OP_SIOCINQ(), sock, 0, 0, null).userData(2).ioLink();
            ring.getSqe().prepCmdSock(Uapi.SOCKET_URING_OP_GETSOCKOPT(), sock, Uapi.SOL_SOCKET(), Uapi.SO_TYPE(),
                    optval).userData(3);
            ring.submitAndWait(3);

            int[] res = new int[4];
            for (int i = 0; i < 3; i++) {
                Cqe cqe = ring.waitCqe();
                res[(int) cqe.userData()] = cqe.throwIfError("request " + cqe.userData());
                ring.cqeSeen(cqe);
            }
            // res[1]: bytes sent; res[2]: SIOCINQ; res[3]: the option's length; its value is in optval
            return new Answers(res[1], res[2], optval.get(JAVA_INT, 0));
            // end:socket-cmd
        } finally {
            Posix.close(sock);
        }
    }

    /**
     * Runs the example.
     *
     * @param args unused
     * @throws IOException if it fails
     */
    public static void main(String[] args) throws IOException {
        System.out.println(ask("hello".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    }

    /**
     * A UDP socket bound to 127.0.0.1 on a port the kernel picks and connected to itself, so that what it sends it
     * receives.
     *
     * @return the socket
     * @throws ErrnoException if a call fails
     */
    private static int udpLoopbackToSelf() throws ErrnoException {
        int fd = Posix.socket(Uapi.AF_INET(), Uapi.SOCK_DGRAM(), 0);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment addr = arena.allocate(sockaddr_in.layout());
            sockaddr_in.sin_family(addr, (short) Uapi.AF_INET());
            // sin_addr is in network byte order (big-endian); port 0 lets the kernel pick one.
            addr.set(JAVA_INT.withOrder(ByteOrder.BIG_ENDIAN), sockaddr_in.sin_addr$offset(), Uapi.INADDR_LOOPBACK());
            Posix.bind(fd, addr);
            Posix.getsockname(fd, addr); // the port it got
            Posix.connect(fd, addr);
            return fd;
        } catch (ErrnoException | RuntimeException e) {
            Posix.closeQuietly(fd);
            throw e;
        }
    }
}
