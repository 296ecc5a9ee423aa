package io.github.jring.examples;

import io.github.jring.bindings.Uapi;
import io.github.jring.core.BufferRing;
import io.github.jring.core.Cqe;
import io.github.jring.core.ErrnoException;
import io.github.jring.core.IoUring;
import io.github.jring.core.ZeroCopySend;

import java.lang.foreign.MemorySegment;
import java.util.function.Consumer;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * The two halves of a socket's data path without a buffer per request: a multishot receive that takes its buffers
 * from a {@link BufferRing} (Linux 5.19/6.0), and a zero-copy send ({@link ZeroCopySend}, Linux 6.0). Run by
 * {@code BufferRingTest} and {@code ZeroCopySendTest} on loopback TCP.
 */
public final class BufferRingsAndZeroCopy {

    private BufferRingsAndZeroCopy() {
    }

    /**
     * Receives from {@code socket} until the peer closes, through 16 buffers of 4 KiB and one multishot receive,
     * handing each piece of data to {@code sink} (valid during the call only).
     *
     * @param socket a connected stream socket
     * @param sink   receives the data, in order
     * @return the bytes received
     * @throws ErrnoException if the receive fails, or the kernel lacks buffer rings
     */
    public static long receiveAll(int socket, Consumer<MemorySegment> sink) throws ErrnoException {
        try (IoUring ring = IoUring.open(64)) {
            // snippet:buffer-ring
            try (BufferRing buffers = BufferRing.setup(ring, 1, 16, 4096, 0)) { // group 1: 16 x 4 KiB
                ring.getSqe().prepRecvMultishotSelect(socket, buffers.groupId(), 0).userData(1);
                ring.submit();
                long total = 0;
                while (true) {
                    Cqe cqe = ring.waitCqe();
                    int res = cqe.res();
                    boolean more = cqe.hasMore();                 // F_MORE: the receive stays armed
                    for (int i = 0, n = buffers.consume(cqe); i < n; i++) {
                        int id = buffers.consumedId(i);          // the buffer the kernel filled
                        sink.accept(buffers.buffer(id).asSlice(buffers.consumedOffset(i),
                                buffers.consumedLength(i)));
                        buffers.recycle(id);                     // write the entry, then release-store the tail
                    }
                    ring.cqeSeen(cqe);
                    total += Math.max(res, 0);
                    if (more) {
                        continue;
                    }
                    if (res == 0) {
                        return total;                            // the peer closed: the stream has ended
                    }
                    if (res < 0 && res != -Uapi.ENOBUFS()) {
                        throw new ErrnoException("multishot recv", -res);
                    }
                    // ENOBUFS: the ring ran dry before we recycled. The buffers are back: arm it again.
                    ring.getSqe().prepRecvMultishotSelect(socket, buffers.groupId(), 0).userData(1);
                    ring.submit();
                }
            }
            // end:buffer-ring
        }
    }

    /**
     * Sends {@code data} on {@code socket} with {@code IORING_OP_SEND_ZC}.
     *
     * @param socket a connected stream socket
     * @param data   the bytes
     * @return the bytes sent, or {@code -errno}
     * @throws ErrnoException if {@code io_uring_enter} fails
     */
    public static int sendZeroCopy(int socket, byte[] data) throws ErrnoException {
        try (IoUring ring = IoUring.open(8)) {
            // snippet:zero-copy
            try (ZeroCopySend zc = ZeroCopySend.allocate(data.length)) {
                MemorySegment.copy(data, 0, zc.buffer(), JAVA_BYTE, 0, data.length); // fill it while released
                zc.prepSend(ring, socket, data.length, Uapi.MSG_WAITALL(), 0).userData(9);
                ring.submit();
                while (!zc.isReleased()) {       // first the result (F_MORE), then the notification (F_NOTIF)
                    Cqe cqe = ring.waitCqe();
                    zc.complete(cqe);
                    ring.cqeSeen(cqe);
                }
                return zc.result();              // the buffer is ours again: refill it, or close
            }
            // end:zero-copy
        }
    }
}
