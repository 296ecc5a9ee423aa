package io.github.jring.core;

import io.github.jring.bindings.Uapi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sockets and readiness: bind and listen through the ring, epoll_ctl and epoll_wait, and RECV_ZC without a NIC. */
class NetOpsTest {

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

    @Test
    void bindAndListenMakeAServerSocket() throws Exception {
        Supported.assumeOp(ring, Uapi.IORING_OP_BIND(), "6.11");
        Supported.assumeOp(ring, Uapi.IORING_OP_LISTEN(), "6.11");
        int server = Posix.socket(Uapi.AF_INET(), Uapi.SOCK_STREAM(), 0);
        int other = Posix.socket(Uapi.AF_INET(), Uapi.SOCK_STREAM(), 0);
        int udp = Posix.socket(Uapi.AF_INET(), Uapi.SOCK_DGRAM(), 0);
        int client = -1;
        int accepted = -1;
        try {
            ring.getSqe().prepBind(server, TestFds.loopback(arena, 0)).userData(1);
            assertEquals(0, Reap.one(ring));
            int port = TestFds.localPort(server);
            assertTrue(port > 0, "bound to an ephemeral port");
            ring.getSqe().prepListen(server, 8).userData(2);
            assertEquals(0, Reap.one(ring));
            client = TestFds.connectLoopback(port);
            accepted = Posix.accept(server, 0);
            TestFds.write(client, new byte[] {42});
            assertArrayEquals(new byte[] {42}, TestFds.read(accepted, 4), "a connection through the ring's listener");

            ring.getSqe().prepBind(other, TestFds.loopback(arena, port)).userData(3);
            assertEquals(-Uapi.EADDRINUSE(), Reap.one(ring), "bind(2): EADDRINUSE");
            ring.getSqe().prepListen(udp, 8).userData(4);
            assertEquals(-Uapi.EOPNOTSUPP(), Reap.one(ring), "listen(2): EOPNOTSUPP for a datagram socket");
        } finally {
            Posix.closeQuietly(accepted);
            Posix.closeQuietly(client);
            Posix.close(server);
            Posix.close(other);
            Posix.close(udp);
        }
    }

    @Test
    void epollCtlAndEpollWait() throws Throwable {
        Supported.assumeOp(ring, Uapi.IORING_OP_EPOLL_CTL(), "5.6");
        int epfd = TestLibc.epollCreate();
        int[] p = Posix.pipe(0);
        try {
            MemorySegment ev = EpollEvent.set(EpollEvent.allocate(arena, 1), 0, Uapi.EPOLLIN(), 0xFEEDL);
            ring.getSqe().prepEpollCtl(epfd, p[0], Uapi.EPOLL_CTL_ADD(), ev).userData(1);
            assertEquals(0, Reap.one(ring));
            ring.getSqe().prepEpollCtl(epfd, p[0], Uapi.EPOLL_CTL_ADD(), ev).userData(2);
            assertEquals(-Uapi.EEXIST(), Reap.one(ring), "epoll_ctl(2): EEXIST when added twice");

            Supported.assumeOp(ring, Uapi.IORING_OP_EPOLL_WAIT(), "6.15");
            MemorySegment events = EpollEvent.allocate(arena, 4);
            EpollEvent.set(events, 0, 0, 0); // a first element that fails the test unless the kernel writes it
            ring.getSqe().prepEpollWait(epfd, events, 4, 0).userData(3);
            ring.submit();
            assertNull(ring.waitCqe(50, TimeUnit.MILLISECONDS), "nothing ready: the wait stays pending");
            TestFds.write(p[1], new byte[] {1});
            Map<Long, Integer> r = Reap.await(ring, 1);
            assertEquals(1, r.get(3L), "epoll_wait: one event");
            assertEquals(Uapi.EPOLLIN(), EpollEvent.events(events, 0) & Uapi.EPOLLIN());
            assertEquals(0xFEEDL, EpollEvent.data(events, 0), "the data given to epoll_ctl");

            ring.getSqe().prepEpollCtl(epfd, p[0], Uapi.EPOLL_CTL_DEL(), null).userData(4);
            assertEquals(0, Reap.one(ring));
            ring.getSqe().prepEpollCtl(epfd, p[0], Uapi.EPOLL_CTL_DEL(), null).userData(5);
            assertEquals(-Uapi.ENOENT(), Reap.one(ring), "epoll_ctl(2): ENOENT when not registered");
            ring.getSqe().prepEpollWait(p[0], events, 4, 0).userData(6);
            assertEquals(-Uapi.EINVAL(), Reap.one(ring), "epoll_wait(2): EINVAL for a descriptor that is not epoll");
        } finally {
            Posix.close(p[0]);
            Posix.close(p[1]);
            Posix.close(epfd);
        }
    }

    @Test
    void epollEventHasTheKernelsLayout() {
        assertEquals(io.github.jring.bindings.epoll_event.layout().byteSize(), EpollEvent.BYTES,
                "the size of the generated struct (packed on x86_64)");
        if (System.getProperty("os.arch").equals("amd64")) {
            assertEquals(12, EpollEvent.BYTES);
            MemorySegment two = EpollEvent.set(EpollEvent.set(EpollEvent.allocate(arena, 2), 0, 1, 2L), 1, 3, -1L);
            assertEquals(2L, two.get(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, 4), "data unaligned at offset 4");
            assertEquals(3, EpollEvent.events(two, 1));
            assertEquals(-1L, EpollEvent.data(two, 1), "the second element at 12, its data at 16");
        }
    }

    @Test
    void recvZcWithoutARegisteredQueueIsRefused() throws Exception {
        Supported.assumeOp(ring, Uapi.IORING_OP_RECV_ZC(), "6.15");
        int[] pair = TestFds.tcpPair();
        try {
            // No NIC with header split here, so no IORING_REGISTER_ZCRX_IFQ: queue 0 does not exist.
            ring.getSqe().prepRecvZc(pair[1], 0, 0).userData(1);
            assertEquals(-Uapi.EINVAL(), Reap.one(ring), "RECV_ZC names an interface queue that is not registered");
        } finally {
            Posix.close(pair[0]);
            Posix.close(pair[1]);
        }
        try (IoUring big = IoUring.builder().cqe32().build(4)) {
            int[] p2 = TestFds.tcpPair();
            try {
                big.getSqe().prepRecvZc(p2[1], 0, 0).userData(2);
                assertEquals(-Uapi.EINVAL(), Reap.one(big), "also on a CQE32 ring, the layout RECV_ZC needs");
            } finally {
                Posix.close(p2[0]);
                Posix.close(p2[1]);
            }
        }
    }
}
