package io.github.jring.core;

import io.github.jring.bindings.io_uring_recvmsg_out;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * Reading a buffer that a multishot {@code recvmsg} ({@link Sqe#prepRecvmsgMultishot}) filled, as liburing's
 * {@code io_uring_recvmsg_*} helpers do. The buffer holds, back to back: a {@code struct io_uring_recvmsg_out}
 * (16 bytes: {@code namelen}, {@code controllen}, {@code payloadlen}, {@code flags}); {@code msg_namelen} bytes
 * for the source address; {@code msg_controllen} bytes for control messages; then the payload, up to the completion's
 * {@code res}. The two lengths are those of the {@code struct msghdr} given with the request: the kernel reserves
 * that room in every buffer whatever it writes into it. Every method works on offsets and allocates nothing.
 * {@snippet :
 * if (RecvmsgOut.isValid(res, nameLen, 0)) {
 *     long at = RecvmsgOut.payloadOffset(nameLen, 0);
 *     int n = RecvmsgOut.payloadLength(res, nameLen, 0);   // bytes of this datagram in the buffer
 * }
 * }
 */
public final class RecvmsgOut {

    /** Size of {@code struct io_uring_recvmsg_out}. */
    public static final long HEADER_BYTES = io_uring_recvmsg_out.layout().byteSize();

    private static final long NAMELEN = io_uring_recvmsg_out.namelen$offset();
    private static final long CONTROLLEN = io_uring_recvmsg_out.controllen$offset();
    private static final long PAYLOADLEN = io_uring_recvmsg_out.payloadlen$offset();
    private static final long FLAGS = io_uring_recvmsg_out.flags$offset();

    private RecvmsgOut() {
    }

    /**
     * Whether a completion's {@code res} covers the header and the reserved name and control room
     * ({@code io_uring_recvmsg_validate}); false for an error {@code res}.
     *
     * @param res           the completion's {@code res}
     * @param msgNameLen    the request's {@code msg_namelen}
     * @param msgControlLen the request's {@code msg_controllen}
     * @return true if the buffer holds a full header
     */
    public static boolean isValid(int res, int msgNameLen, long msgControlLen) {
        return res >= 0 && HEADER_BYTES + Integer.toUnsignedLong(msgNameLen) + msgControlLen <= res;
    }

    /**
     * Offset of the source address in the buffer ({@code io_uring_recvmsg_name}).
     *
     * @return {@link #HEADER_BYTES}
     */
    public static long nameOffset() {
        return HEADER_BYTES;
    }

    /**
     * Offset of the control messages ({@code io_uring_recvmsg_cmsg_firsthdr}).
     *
     * @param msgNameLen the request's {@code msg_namelen}
     * @return the offset
     */
    public static long controlOffset(int msgNameLen) {
        return HEADER_BYTES + Integer.toUnsignedLong(msgNameLen);
    }

    /**
     * Offset of the payload ({@code io_uring_recvmsg_payload}).
     *
     * @param msgNameLen    the request's {@code msg_namelen}
     * @param msgControlLen the request's {@code msg_controllen}
     * @return the offset
     */
    public static long payloadOffset(int msgNameLen, long msgControlLen) {
        return controlOffset(msgNameLen) + msgControlLen;
    }

    /**
     * Bytes of payload in the buffer ({@code io_uring_recvmsg_payload_length}): what follows the reserved room, up to
     * {@code res}.
     *
     * @param res           the completion's {@code res}, valid per {@link #isValid}
     * @param msgNameLen    the request's {@code msg_namelen}
     * @param msgControlLen the request's {@code msg_controllen}
     * @return the payload bytes present
     */
    public static int payloadLength(int res, int msgNameLen, long msgControlLen) {
        return (int) (res - payloadOffset(msgNameLen, msgControlLen));
    }

    /**
     * {@code namelen}: the length of the source address the kernel had (it wrote at most {@code msg_namelen}).
     *
     * @param buf the buffer
     * @return the length
     */
    public static int nameLen(MemorySegment buf) {
        return buf.get(JAVA_INT, NAMELEN);
    }

    /**
     * {@code controllen}: bytes of control messages written.
     *
     * @param buf the buffer
     * @return the length
     */
    public static int controlLen(MemorySegment buf) {
        return buf.get(JAVA_INT, CONTROLLEN);
    }

    /**
     * {@code payloadlen}: the payload received; with {@code MSG_TRUNC} in the request's flags, the datagram's full
     * length, even where the buffer held less.
     *
     * @param buf the buffer
     * @return the length
     */
    public static int payloadLen(MemorySegment buf) {
        return buf.get(JAVA_INT, PAYLOADLEN);
    }

    /**
     * {@code flags}: the {@code MSG_*} flags of the message ({@code MSG_TRUNC} when the payload was cut).
     *
     * @param buf the buffer
     * @return the flags
     */
    public static int flags(MemorySegment buf) {
        return buf.get(JAVA_INT, FLAGS);
    }
}
