package io.github.jring.core;

import io.github.jring.bindings.Uapi;
import io.github.jring.bindings.__kernel_timespec;
import io.github.jring.bindings.futex_waitv;
import io.github.jring.bindings.io_uring_sqe;
import io.github.jring.bindings.iovec;
import io.github.jring.bindings.msghdr;
import io.github.jring.bindings.open_how;
import io.github.jring.bindings.statx;
import io.github.jring.core.internal.Unsigned;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * A submission queue entry: a flyweight over one slot of the ring's SQE array ({@code struct io_uring_sqe}, 64 bytes,
 * or 128 with {@code IORING_SETUP_SQE128}).
 *
 * <p>Obtain one with {@link IoUring#getSqe()}, fill it with exactly one {@code prep*} method, then adjust it with the
 * setters, then {@link IoUring#submit() submit}:
 * {@snippet :
 * Sqe sqe = ring.getSqe();                 // null when the SQ is full
 * sqe.prepRead(fd, buffer, 0).userData(42).ioLink();
 * ring.submit();
 * }
 * A {@code prep*} method writes every field of the 64-byte entry except {@code user_data} (as liburing's
 * {@code io_uring_prep_*} do), so the setters ({@link #userData(long)}, the {@code IOSQE_*} flag setters,
 * {@link #personality(int)} ...) must be called <em>after</em> it; {@code user_data} may be set before or after. The
 * extra 64 bytes of a 128-byte entry are only written by {@link #prepUringCmd(long, int)}.
 *
 * <p>Each slot of the ring has its own {@code Sqe} object, created once when the ring is set up: {@code getSqe}
 * allocates nothing and several entries may be filled at the same time. An {@code Sqe} is only valid between
 * {@code getSqe} and the next {@code submit}; after that the kernel owns the slot until it has consumed it (the SQ
 * head has passed it), and the ring hands it out again only then.
 *
 * <p>Memory passed to a {@code prep*} method is passed to the kernel <em>by address</em>: it must be native memory
 * and must stay alive until the operation's completion has been reaped (for the {@code struct __kernel_timespec} of
 * a timeout and the path of an open or statx, until the entry has been submitted). Methods taking a
 * {@link MemorySegment} check that it is native, alive and large enough; methods taking a {@code long} address check
 * nothing. No {@code prep*} method allocates.
 *
 * <p>Kernel versions in the descriptions are those that added the operation; {@link Probe#supports(int)} tells what
 * the running kernel supports.
 */
public final class Sqe {

    // Field offsets, from the generated struct io_uring_sqe layout.
    static final long OPCODE = io_uring_sqe.opcode$offset();
    static final long FLAGS = io_uring_sqe.flags$offset();
    static final long IOPRIO = io_uring_sqe.ioprio$offset();
    static final long FD = io_uring_sqe.fd$offset();
    static final long OFF = io_uring_sqe.off$offset();
    static final long CMD_OP = io_uring_sqe.cmd_op$offset();
    static final long PAD1 = io_uring_sqe.__pad1$offset();
    static final long ADDR = io_uring_sqe.addr$offset();
    static final long LEVEL = io_uring_sqe.level$offset();
    static final long OPTNAME = io_uring_sqe.optname$offset();
    static final long LEN = io_uring_sqe.len$offset();
    /** The 32-bit union of per-opcode flags: rw_flags, fsync_flags, poll32_events, timeout_flags, msg_flags ... */
    static final long OP_FLAGS = io_uring_sqe.rw_flags$offset();
    static final long USER_DATA = io_uring_sqe.user_data$offset();
    static final long BUF_INDEX = io_uring_sqe.buf_index$offset();
    static final long PERSONALITY = io_uring_sqe.personality$offset();
    /** The 32-bit union: splice_fd_in, file_index, optlen, addr_len ... */
    static final long FILE_INDEX = io_uring_sqe.file_index$offset();
    static final long ADDR3 = io_uring_sqe.addr3$offset();
    static final long PAD2 = io_uring_sqe.__pad2$offset();
    static final long OPTVAL = io_uring_sqe.optval$offset();
    /** Start of the uring_cmd payload area ({@code cmd[]}); it runs to the end of the entry. */
    static final long CMD = io_uring_sqe.cmd$offset();
    /** Size of a plain SQE. */
    static final int SQE_SIZE = (int) io_uring_sqe.layout().byteSize();
    /**
     * Whether the generated layout has the fields {@link #prepRw} writes packed as in the UAPI header (opcode, flags,
     * ioprio, fd in the first 8 bytes; len and the op-flags union in one 8-byte word; buf_index, personality and the
     * file_index union in another), so that it can write whole 64-bit words: 7 stores instead of 13. Always true for
     * {@code struct io_uring_sqe}; checked here rather than assumed.
     */
    private static final boolean PACKED = OPCODE == 0 && FLAGS == 1 && IOPRIO == 2 && FD == 4 && OFF == 8
            && ADDR == 16 && LEN == 24 && OP_FLAGS == 28 && USER_DATA == 32 && BUF_INDEX == 40 && PERSONALITY == 42
            && FILE_INDEX == 44 && ADDR3 == 48 && PAD2 == 56 && SQE_SIZE == 64
            && java.nio.ByteOrder.nativeOrder() == java.nio.ByteOrder.LITTLE_ENDIAN;

    private static final int OP_NOP = Uapi.IORING_OP_NOP();
    private static final int OP_READV = Uapi.IORING_OP_READV();
    private static final int OP_WRITEV = Uapi.IORING_OP_WRITEV();
    private static final int OP_FSYNC = Uapi.IORING_OP_FSYNC();
    private static final int OP_READ_FIXED = Uapi.IORING_OP_READ_FIXED();
    private static final int OP_WRITE_FIXED = Uapi.IORING_OP_WRITE_FIXED();
    private static final int OP_POLL_ADD = Uapi.IORING_OP_POLL_ADD();
    private static final int OP_POLL_REMOVE = Uapi.IORING_OP_POLL_REMOVE();
    private static final int OP_SENDMSG = Uapi.IORING_OP_SENDMSG();
    private static final int OP_RECVMSG = Uapi.IORING_OP_RECVMSG();
    private static final int OP_TIMEOUT = Uapi.IORING_OP_TIMEOUT();
    private static final int OP_TIMEOUT_REMOVE = Uapi.IORING_OP_TIMEOUT_REMOVE();
    private static final int OP_ACCEPT = Uapi.IORING_OP_ACCEPT();
    private static final int OP_ASYNC_CANCEL = Uapi.IORING_OP_ASYNC_CANCEL();
    private static final int OP_LINK_TIMEOUT = Uapi.IORING_OP_LINK_TIMEOUT();
    private static final int OP_CONNECT = Uapi.IORING_OP_CONNECT();
    private static final int OP_FALLOCATE = Uapi.IORING_OP_FALLOCATE();
    private static final int OP_OPENAT = Uapi.IORING_OP_OPENAT();
    private static final int OP_CLOSE = Uapi.IORING_OP_CLOSE();
    private static final int OP_STATX = Uapi.IORING_OP_STATX();
    private static final int OP_READ = Uapi.IORING_OP_READ();
    private static final int OP_WRITE = Uapi.IORING_OP_WRITE();
    private static final int OP_SEND = Uapi.IORING_OP_SEND();
    private static final int OP_RECV = Uapi.IORING_OP_RECV();
    private static final int OP_SPLICE = Uapi.IORING_OP_SPLICE();
    private static final int OP_TEE = Uapi.IORING_OP_TEE();
    private static final int OP_SHUTDOWN = Uapi.IORING_OP_SHUTDOWN();
    private static final int OP_SOCKET = Uapi.IORING_OP_SOCKET();
    private static final int OP_URING_CMD = Uapi.IORING_OP_URING_CMD();
    private static final int OP_PROVIDE_BUFFERS = Uapi.IORING_OP_PROVIDE_BUFFERS();
    private static final int OP_REMOVE_BUFFERS = Uapi.IORING_OP_REMOVE_BUFFERS();
    private static final int OP_MSG_RING = Uapi.IORING_OP_MSG_RING();

    private static final int IOSQE_FIXED_FILE = Uapi.IOSQE_FIXED_FILE();
    private static final int IOSQE_IO_DRAIN = Uapi.IOSQE_IO_DRAIN();
    private static final int IOSQE_IO_LINK = Uapi.IOSQE_IO_LINK();
    private static final int IOSQE_IO_HARDLINK = Uapi.IOSQE_IO_HARDLINK();
    private static final int IOSQE_ASYNC = Uapi.IOSQE_ASYNC();
    private static final int IOSQE_BUFFER_SELECT = Uapi.IOSQE_BUFFER_SELECT();
    private static final int IOSQE_CQE_SKIP_SUCCESS = Uapi.IOSQE_CQE_SKIP_SUCCESS();

    private static final int TIMEOUT_UPDATE = Uapi.IORING_TIMEOUT_UPDATE();
    private static final int ASYNC_CANCEL_FD = Uapi.IORING_ASYNC_CANCEL_FD();
    private static final int POLL_ADD_MULTI = Uapi.IORING_POLL_ADD_MULTI();
    private static final int ACCEPT_MULTISHOT = Uapi.IORING_ACCEPT_MULTISHOT();

    private static final long TIMESPEC_SIZE = __kernel_timespec.layout().byteSize();
    private static final long IOVEC_SIZE = iovec.layout().byteSize();
    private static final long MSGHDR_SIZE = msghdr.layout().byteSize();
    private static final long STATX_SIZE = statx.layout().byteSize();

    /** The whole SQE array of the ring. */
    private final MemorySegment mem;
    /** Offset of this slot in {@link #mem}. */
    private final long base;
    /** This slot's index in the SQE array. */
    private final int index;
    /** This slot's uring_cmd payload area: 16 bytes, or 80 with SQE128. Created once, so {@link #cmd()} allocates nothing. */
    private final MemorySegment cmd;

    Sqe(MemorySegment sqes, int index, int sqeSize) {
        this(sqes, index, sqeSize, sqeSize);
    }

    /**
     * @param stride the slot size: where entry {@code index} starts is {@code index * stride}
     * @param size   this entry's size: {@code stride}, or twice it for a 128-byte SQE in a mixed ring
     */
    Sqe(MemorySegment sqes, int index, int stride, int size) {
        this.mem = sqes;
        this.index = index;
        this.base = (long) index * stride;
        this.cmd = sqes.asSlice(base + CMD, size - CMD);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The common preparation (liburing's io_uring_prep_rw)
    // ---------------------------------------------------------------------------------------------------------------

    /**
     * Writes every field of the 64-byte entry but {@code user_data}, as liburing's {@code io_uring_prep_rw}: the
     * opcode, fd, {@code addr}, {@code len} and {@code off}, and zero for all the rest.
     *
     * @param opcode an {@code IORING_OP_*}
     * @param fd     the file descriptor (or registered file index with {@link #fixedFile()})
     * @param addr   the {@code addr} field
     * @param len    the {@code len} field ({@code __u32})
     * @param off    the {@code off} field
     * @return this entry
     */
    public Sqe prepRw(int opcode, int fd, long addr, int len, long off) {
        MemorySegment m = mem;
        long b = base;
        if (PACKED) {
            // opcode | flags=0 | ioprio=0 | fd
            m.set(JAVA_LONG, b, (opcode & 0xFFL) | ((long) fd << 32));
            m.set(JAVA_LONG, b + OFF, off);
            m.set(JAVA_LONG, b + ADDR, addr);
            m.set(JAVA_LONG, b + LEN, Integer.toUnsignedLong(len)); // len | op flags=0
            m.set(JAVA_LONG, b + BUF_INDEX, 0L);                     // buf_index | personality | file_index
            m.set(JAVA_LONG, b + ADDR3, 0L);
            m.set(JAVA_LONG, b + PAD2, 0L);
            return this;
        }
        return prepRwFieldByField(opcode, fd, addr, len, off);
    }

    /**
     * {@link #prepRw}, and with it the three fields that a request on a registered file or a registered buffer sets
     * besides: the entry's {@code IOSQE_*} flags, the operation's flags ({@code rw_flags}, {@code uring_cmd_flags}
     * ...) and {@code buf_index}. On the UAPI's layout they share {@code prepRw}'s 64-bit words, so the entry is
     * still written in 7 stores, where {@code prepRw} followed by {@link #fixedFile()}, {@link #opFlags(int)} and
     * {@link #bufIndex(int)} reads a byte back and writes three fields again.
     *
     * @param opcode     an {@code IORING_OP_*}
     * @param iosqeFlags the entry's {@code IOSQE_*} flags ({@code __u8})
     * @param fd         the file descriptor, or a registered file index with {@code IOSQE_FIXED_FILE}
     * @param addr       the {@code addr} field
     * @param len        the {@code len} field ({@code __u32})
     * @param opFlags    the operation's flags (the union after {@code len})
     * @param off        the {@code off} field
     * @param bufIndex   the registered buffer's index ({@code __u16}), 0 when none
     * @return this entry
     * @throws IllegalArgumentException if {@code iosqeFlags} or {@code bufIndex} do not fit their fields
     */
    public Sqe prepRwFull(int opcode, int iosqeFlags, int fd, long addr, int len, int opFlags, long off,
                          int bufIndex) {
        Unsigned.checkU8(iosqeFlags, "IOSQE flags");
        Unsigned.checkU16(bufIndex, "buffer index");
        if (!PACKED) {
            prepRwFieldByField(opcode, fd, addr, len, off);
            mem.set(JAVA_BYTE, base + FLAGS, (byte) iosqeFlags);
            mem.set(JAVA_INT, base + OP_FLAGS, opFlags);
            mem.set(JAVA_SHORT, base + BUF_INDEX, (short) bufIndex);
            return this;
        }
        MemorySegment m = mem;
        long b = base;
        m.set(JAVA_LONG, b, (opcode & 0xFFL) | ((long) iosqeFlags << 8) | ((long) fd << 32));
        m.set(JAVA_LONG, b + OFF, off);
        m.set(JAVA_LONG, b + ADDR, addr);
        m.set(JAVA_LONG, b + LEN, Integer.toUnsignedLong(len) | ((long) opFlags << 32));
        m.set(JAVA_LONG, b + BUF_INDEX, bufIndex);                     // buf_index | personality=0 | file_index=0
        m.set(JAVA_LONG, b + ADDR3, 0L);
        m.set(JAVA_LONG, b + PAD2, 0L);
        return this;
    }

    /**
     * {@link #prepRw} for a layout that is not the UAPI's packed one. A method of its own so that {@link #prepRw}
     * stays under the JIT's inlining limit for hot methods (325 bytecodes): inlined, the stores of a whole batch of
     * entries compile together.
     */
    private Sqe prepRwFieldByField(int opcode, int fd, long addr, int len, long off) {
        MemorySegment m = mem;
        long b = base;
        m.set(JAVA_BYTE, b + OPCODE, (byte) opcode);
        m.set(JAVA_BYTE, b + FLAGS, (byte) 0);
        m.set(JAVA_SHORT, b + IOPRIO, (short) 0);
        m.set(JAVA_INT, b + FD, fd);
        m.set(JAVA_LONG, b + OFF, off);
        m.set(JAVA_LONG, b + ADDR, addr);
        m.set(JAVA_INT, b + LEN, len);
        m.set(JAVA_INT, b + OP_FLAGS, 0);
        m.set(JAVA_SHORT, b + BUF_INDEX, (short) 0);
        m.set(JAVA_SHORT, b + PERSONALITY, (short) 0);
        m.set(JAVA_INT, b + FILE_INDEX, 0);
        m.set(JAVA_LONG, b + ADDR3, 0L);
        m.set(JAVA_LONG, b + PAD2, 0L);
        return this;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Operations
    // ---------------------------------------------------------------------------------------------------------------

    /**
     * {@code IORING_OP_NOP} (Linux 5.1): does nothing and completes with {@code res == 0}. Useful to measure the
     * ring's overhead, to wake a waiting thread, or as a link placeholder.
     *
     * @return this entry
     */
    public Sqe prepNop() {
        return prepRw(OP_NOP, -1, 0L, 0, 0L);
    }

    /**
     * {@code IORING_OP_READ} (Linux 5.6): {@code pread(fd, buf, buf.byteSize(), offset)}; {@code res} is the number
     * of bytes read. With {@code offset == -1} the file's current position is used and advanced (with
     * {@code IORING_FEAT_RW_CUR_POS}, 5.6).
     *
     * @param fd     file descriptor
     * @param buf    destination, native; its whole size is the length
     * @param offset file offset, or -1 for the current position
     * @return this entry
     */
    public Sqe prepRead(int fd, MemorySegment buf, long offset) {
        return prepRw(OP_READ, fd, address(buf, "read buffer"), lengthOf(buf, "read buffer"), offset);
    }

    /**
     * {@code IORING_OP_READ} (Linux 5.6) of {@code len} bytes into the start of {@code buf}.
     *
     * @param fd     file descriptor
     * @param buf    destination, native, at least {@code len} bytes
     * @param len    bytes to read ({@code __u32})
     * @param offset file offset, or -1 for the current position
     * @return this entry
     * @throws IllegalArgumentException if {@code buf} is smaller than {@code len}
     */
    public Sqe prepRead(int fd, MemorySegment buf, int len, long offset) {
        return prepRw(OP_READ, fd, address(buf, len, "read buffer"), len, offset);
    }

    /**
     * {@code IORING_OP_READ} (Linux 5.6) into raw memory: nothing about {@code addr} is checked.
     *
     * @param fd     file descriptor
     * @param addr   destination address
     * @param len    bytes to read ({@code __u32})
     * @param offset file offset, or -1 for the current position
     * @return this entry
     */
    public Sqe prepRead(int fd, long addr, int len, long offset) {
        return prepRw(OP_READ, fd, addr, len, offset);
    }

    /**
     * {@code IORING_OP_WRITE} (Linux 5.6): {@code pwrite(fd, buf, buf.byteSize(), offset)}; {@code res} is the number
     * of bytes written.
     *
     * @param fd     file descriptor
     * @param buf    source, native; its whole size is the length
     * @param offset file offset, or -1 for the current position
     * @return this entry
     */
    public Sqe prepWrite(int fd, MemorySegment buf, long offset) {
        return prepRw(OP_WRITE, fd, address(buf, "write buffer"), lengthOf(buf, "write buffer"), offset);
    }

    /**
     * {@code IORING_OP_WRITE} (Linux 5.6) of the first {@code len} bytes of {@code buf}.
     *
     * @param fd     file descriptor
     * @param buf    source, native, at least {@code len} bytes
     * @param len    bytes to write ({@code __u32})
     * @param offset file offset, or -1 for the current position
     * @return this entry
     * @throws IllegalArgumentException if {@code buf} is smaller than {@code len}
     */
    public Sqe prepWrite(int fd, MemorySegment buf, int len, long offset) {
        return prepRw(OP_WRITE, fd, address(buf, len, "write buffer"), len, offset);
    }

    /**
     * {@code IORING_OP_WRITE} (Linux 5.6) from raw memory: nothing about {@code addr} is checked.
     *
     * @param fd     file descriptor
     * @param addr   source address
     * @param len    bytes to write ({@code __u32})
     * @param offset file offset, or -1 for the current position
     * @return this entry
     */
    public Sqe prepWrite(int fd, long addr, int len, long offset) {
        return prepRw(OP_WRITE, fd, addr, len, offset);
    }

    /**
     * {@code IORING_OP_READV} (Linux 5.1): {@code preadv2(fd, iovecs, nrVecs, offset, 0)}. The {@code struct iovec}
     * array and the buffers it points to must stay valid until the completion (the kernel may read the array after
     * submission when the request goes async, unless {@code IORING_FEAT_SUBMIT_STABLE}, 5.5, which every supported
     * kernel has).
     *
     * @param fd      file descriptor
     * @param iovecs  native array of at least {@code nrVecs} {@code struct iovec}
     * @param nrVecs  number of iovecs
     * @param offset  file offset, or -1 for the current position
     * @return this entry
     */
    public Sqe prepReadv(int fd, MemorySegment iovecs, int nrVecs, long offset) {
        return prepRw(OP_READV, fd, address(iovecs, IOVEC_SIZE * Unsigned.checkU32(nrVecs, "nrVecs"), "iovec array"),
                nrVecs, offset);
    }

    /**
     * {@code IORING_OP_WRITEV} (Linux 5.1): {@code pwritev2(fd, iovecs, nrVecs, offset, 0)}.
     *
     * @param fd      file descriptor
     * @param iovecs  native array of at least {@code nrVecs} {@code struct iovec}
     * @param nrVecs  number of iovecs
     * @param offset  file offset, or -1 for the current position
     * @return this entry
     */
    public Sqe prepWritev(int fd, MemorySegment iovecs, int nrVecs, long offset) {
        return prepRw(OP_WRITEV, fd, address(iovecs, IOVEC_SIZE * Unsigned.checkU32(nrVecs, "nrVecs"), "iovec array"),
                nrVecs, offset);
    }

    /**
     * {@code IORING_OP_READ_FIXED} (Linux 5.1): a read into a buffer registered with
     * {@link IoUring#registerBuffers(MemorySegment...)}. {@code buf} must lie inside registered buffer
     * {@code bufIndex}, or the completion is {@code -EFAULT}.
     *
     * @param fd       file descriptor
     * @param buf      destination inside the registered buffer; its whole size is the length
     * @param offset   file offset
     * @param bufIndex index of the registered buffer
     * @return this entry
     */
    public Sqe prepReadFixed(int fd, MemorySegment buf, long offset, int bufIndex) {
        prepRw(OP_READ_FIXED, fd, address(buf, "fixed read buffer"), lengthOf(buf, "fixed read buffer"), offset);
        return bufIndex(bufIndex);
    }

    /**
     * {@code IORING_OP_READ_FIXED} (Linux 5.1) into raw memory inside registered buffer {@code bufIndex}.
     *
     * @param fd       file descriptor
     * @param addr     destination address, inside the registered buffer
     * @param len      bytes to read
     * @param offset   file offset
     * @param bufIndex index of the registered buffer
     * @return this entry
     */
    public Sqe prepReadFixed(int fd, long addr, int len, long offset, int bufIndex) {
        prepRw(OP_READ_FIXED, fd, addr, len, offset);
        return bufIndex(bufIndex);
    }

    /**
     * {@code IORING_OP_WRITE_FIXED} (Linux 5.1): a write from a buffer registered with
     * {@link IoUring#registerBuffers(MemorySegment...)}.
     *
     * @param fd       file descriptor
     * @param buf      source inside the registered buffer; its whole size is the length
     * @param offset   file offset
     * @param bufIndex index of the registered buffer
     * @return this entry
     */
    public Sqe prepWriteFixed(int fd, MemorySegment buf, long offset, int bufIndex) {
        prepRw(OP_WRITE_FIXED, fd, address(buf, "fixed write buffer"), lengthOf(buf, "fixed write buffer"), offset);
        return bufIndex(bufIndex);
    }

    /**
     * {@code IORING_OP_WRITE_FIXED} (Linux 5.1) from raw memory inside registered buffer {@code bufIndex}.
     *
     * @param fd       file descriptor
     * @param addr     source address, inside the registered buffer
     * @param len      bytes to write
     * @param offset   file offset
     * @param bufIndex index of the registered buffer
     * @return this entry
     */
    public Sqe prepWriteFixed(int fd, long addr, int len, long offset, int bufIndex) {
        prepRw(OP_WRITE_FIXED, fd, addr, len, offset);
        return bufIndex(bufIndex);
    }

    /**
     * {@code IORING_OP_FSYNC} (Linux 5.1): {@code fsync(fd)}, or {@code fdatasync(fd)} with
     * {@code IORING_FSYNC_DATASYNC}. It does not wait for earlier requests: order it with {@link #ioLink()} or
     * {@link #ioDrain()}.
     *
     * @param fd         file descriptor
     * @param fsyncFlags 0 or {@code IORING_FSYNC_DATASYNC}
     * @return this entry
     */
    public Sqe prepFsync(int fd, int fsyncFlags) {
        prepRw(OP_FSYNC, fd, 0L, 0, 0L);
        return opFlags(fsyncFlags);
    }

    /**
     * {@code IORING_OP_FALLOCATE} (Linux 5.6): {@code fallocate(fd, mode, offset, len)}.
     *
     * @param fd     file descriptor
     * @param mode   0 or {@code FALLOC_FL_*}
     * @param offset start of the range
     * @param len    length of the range
     * @return this entry
     */
    public Sqe prepFallocate(int fd, int mode, long offset, long len) {
        // liburing: the mode travels in len, the length in addr.
        return prepRw(OP_FALLOCATE, fd, len, mode, offset);
    }

    /**
     * {@code IORING_OP_OPENAT} (Linux 5.6): {@code openat(dfd, path, flags, mode)}; {@code res} is the new file
     * descriptor. The kernel copies the path when the entry is submitted.
     *
     * @param dfd   directory fd, or {@code AT_FDCWD}
     * @param path  NUL-terminated path, native (for example {@code arena.allocateFrom(string)})
     * @param flags {@code O_*} flags
     * @param mode  permissions for a created file
     * @return this entry
     * @throws IllegalArgumentException if {@code path} holds no NUL byte
     */
    public Sqe prepOpenat(int dfd, MemorySegment path, int flags, int mode) {
        prepRw(OP_OPENAT, dfd, cString(path, "path"), mode, 0L);
        return opFlags(flags);
    }

    /**
     * {@code IORING_OP_OPENAT} (Linux 5.15 for direct descriptors) opening straight into the ring's registered file
     * table at {@code fileIndex} instead of the process's fd table; {@code res} is 0 (or, with
     * {@code IORING_FILE_INDEX_ALLOC}, the allocated index).
     *
     * @param dfd       directory fd, or {@code AT_FDCWD}
     * @param path      NUL-terminated path, native
     * @param flags     {@code O_*} flags ({@code O_CLOEXEC} is not allowed)
     * @param mode      permissions for a created file
     * @param fileIndex slot in the registered file table
     * @return this entry
     */
    public Sqe prepOpenatDirect(int dfd, MemorySegment path, int flags, int mode, int fileIndex) {
        prepOpenat(dfd, path, flags, mode);
        return fileIndex(fileIndex == Uapi.IORING_FILE_INDEX_ALLOC() ? fileIndex : fileIndex + 1);
    }

    /**
     * {@code IORING_OP_CLOSE} (Linux 5.6): {@code close(fd)}.
     *
     * @param fd file descriptor
     * @return this entry
     */
    public Sqe prepClose(int fd) {
        return prepRw(OP_CLOSE, fd, 0L, 0, 0L);
    }

    /**
     * {@code IORING_OP_CLOSE} (Linux 5.15) of a direct descriptor: empties slot {@code fileIndex} of the registered
     * file table.
     *
     * @param fileIndex slot in the registered file table
     * @return this entry
     */
    public Sqe prepCloseDirect(int fileIndex) {
        prepRw(OP_CLOSE, 0, 0L, 0, 0L);
        return fileIndex(fileIndex + 1);
    }

    /**
     * {@code IORING_OP_STATX} (Linux 5.6): {@code statx(dfd, path, flags, mask, statxbuf)}.
     *
     * @param dfd      directory fd, or {@code AT_FDCWD}
     * @param path     NUL-terminated path, native
     * @param flags    {@code AT_*} flags
     * @param mask     {@code STATX_*} fields wanted
     * @param statxbuf native {@code struct statx} (256 bytes) to fill
     * @return this entry
     * @throws IllegalArgumentException if {@code statxbuf} is smaller than {@code struct statx}
     */
    public Sqe prepStatx(int dfd, MemorySegment path, int flags, int mask, MemorySegment statxbuf) {
        prepRw(OP_STATX, dfd, cString(path, "path"), mask, address(statxbuf, STATX_SIZE, "struct statx buffer"));
        return opFlags(flags);
    }

    /**
     * {@code IORING_OP_TIMEOUT} (Linux 5.4): completes after the time in {@code ts} with {@code res == -ETIME}, or
     * earlier with {@code res == 0} once {@code count} other completions have been posted (0: time only). Flags:
     * {@code IORING_TIMEOUT_ABS} (5.5), {@code IORING_TIMEOUT_BOOTTIME}/{@code REALTIME} (5.15),
     * {@code IORING_TIMEOUT_ETIME_SUCCESS} (5.16), {@code IORING_TIMEOUT_MULTISHOT} (6.4). The kernel copies
     * {@code ts} when the entry is submitted.
     *
     * @param ts    native {@code struct __kernel_timespec} (see {@link KernelTimespec})
     * @param count completions to wait for, or 0
     * @param flags {@code IORING_TIMEOUT_*}
     * @return this entry
     */
    public Sqe prepTimeout(MemorySegment ts, int count, int flags) {
        prepRw(OP_TIMEOUT, -1, address(ts, TIMESPEC_SIZE, "__kernel_timespec"), 1, Integer.toUnsignedLong(count));
        return opFlags(flags);
    }

    /**
     * {@code IORING_OP_LINK_TIMEOUT} (Linux 5.5): a timeout for the previous entry, which must carry
     * {@link #ioLink()}. If that request is not complete when the time runs out it is cancelled (its completion is
     * {@code -ECANCELED}) and this one completes with {@code -ETIME}; otherwise this one completes with
     * {@code -ECANCELED}.
     *
     * @param ts    native {@code struct __kernel_timespec}
     * @param flags 0 or {@code IORING_TIMEOUT_ABS} and clock flags
     * @return this entry
     */
    public Sqe prepLinkTimeout(MemorySegment ts, int flags) {
        prepRw(OP_LINK_TIMEOUT, -1, address(ts, TIMESPEC_SIZE, "__kernel_timespec"), 1, 0L);
        return opFlags(flags);
    }

    /**
     * {@code IORING_OP_TIMEOUT_REMOVE} (Linux 5.5): cancels the pending timeout whose {@code user_data} is
     * {@code targetUserData}; {@code res} is 0, {@code -ENOENT} if none was found, or {@code -EALREADY} if it is
     * already expiring. The timeout itself completes with {@code -ECANCELED}.
     *
     * @param targetUserData the timeout's {@code user_data}
     * @param flags          0
     * @return this entry
     */
    public Sqe prepTimeoutRemove(long targetUserData, int flags) {
        prepRw(OP_TIMEOUT_REMOVE, -1, targetUserData, 0, 0L);
        return opFlags(flags);
    }

    /**
     * {@code IORING_OP_TIMEOUT_REMOVE} with {@code IORING_TIMEOUT_UPDATE} (Linux 5.11): gives the pending timeout
     * whose {@code user_data} is {@code targetUserData} a new time.
     *
     * @param ts             native {@code struct __kernel_timespec} with the new time
     * @param targetUserData the timeout's {@code user_data}
     * @param flags          extra {@code IORING_TIMEOUT_*} flags ({@code IORING_TIMEOUT_UPDATE} is added)
     * @return this entry
     */
    public Sqe prepTimeoutUpdate(MemorySegment ts, long targetUserData, int flags) {
        prepRw(OP_TIMEOUT_REMOVE, -1, targetUserData, 0, address(ts, TIMESPEC_SIZE, "__kernel_timespec"));
        return opFlags(flags | TIMEOUT_UPDATE);
    }

    /**
     * {@code IORING_OP_ASYNC_CANCEL} (Linux 5.5): cancels the request whose {@code user_data} is
     * {@code targetUserData}; {@code res} is 0 (found and cancelled; it completes with {@code -ECANCELED}),
     * {@code -ENOENT} (not found) or {@code -EALREADY} (running, cancellation attempted). With
     * {@code IORING_ASYNC_CANCEL_ALL} (5.19) every match is cancelled and {@code res} is their number;
     * {@code IORING_ASYNC_CANCEL_ANY} (5.19) matches any request.
     *
     * @param targetUserData the request's {@code user_data}
     * @param flags          {@code IORING_ASYNC_CANCEL_*}
     * @return this entry
     */
    public Sqe prepCancel(long targetUserData, int flags) {
        prepRw(OP_ASYNC_CANCEL, -1, targetUserData, 0, 0L);
        return opFlags(flags);
    }

    /**
     * {@code IORING_OP_ASYNC_CANCEL} with {@code IORING_ASYNC_CANCEL_FD} (Linux 5.19): cancels requests on file
     * descriptor {@code fd} (one, or all with {@code IORING_ASYNC_CANCEL_ALL}).
     *
     * @param fd    the file descriptor whose requests to cancel
     * @param flags extra {@code IORING_ASYNC_CANCEL_*} flags ({@code _FD} is added)
     * @return this entry
     */
    public Sqe prepCancelFd(int fd, int flags) {
        prepRw(OP_ASYNC_CANCEL, fd, 0L, 0, 0L);
        return opFlags(flags | ASYNC_CANCEL_FD);
    }

    /**
     * {@code IORING_OP_POLL_ADD} (Linux 5.1): a one-shot poll; completes when {@code fd} is ready, with
     * {@code res} holding the ready {@code POLL*} events.
     *
     * @param fd       file descriptor
     * @param pollMask {@code POLLIN}, {@code POLLOUT} ... (32 bits with {@code IORING_FEAT_POLL_32BITS}, 5.9)
     * @return this entry
     */
    public Sqe prepPollAdd(int fd, int pollMask) {
        prepRw(OP_POLL_ADD, fd, 0L, 0, 0L);
        return opFlags(pollMask);
    }

    /**
     * {@code IORING_OP_POLL_ADD} with {@code IORING_POLL_ADD_MULTI} (Linux 5.13): a multishot poll that posts a
     * completion, with {@code IORING_CQE_F_MORE}, every time {@code fd} becomes ready, until it is removed or fails.
     *
     * @param fd       file descriptor
     * @param pollMask {@code POLL*} events
     * @return this entry
     */
    public Sqe prepPollMultishot(int fd, int pollMask) {
        prepPollAdd(fd, pollMask);
        mem.set(JAVA_INT, base + LEN, POLL_ADD_MULTI);
        return this;
    }

    /**
     * {@code IORING_OP_POLL_REMOVE} (Linux 5.1): removes the poll whose {@code user_data} is {@code targetUserData};
     * {@code res} is 0 or {@code -ENOENT}; the poll itself completes with {@code -ECANCELED}.
     *
     * @param targetUserData the poll request's {@code user_data}
     * @return this entry
     */
    public Sqe prepPollRemove(long targetUserData) {
        return prepRw(OP_POLL_REMOVE, -1, targetUserData, 0, 0L);
    }

    /**
     * {@code IORING_OP_ACCEPT} (Linux 5.5): {@code accept4(fd, addr, addrLen, flags)}; {@code res} is the new
     * socket's fd.
     *
     * @param fd      listening socket
     * @param addr    native buffer for the peer address, or {@code null}
     * @param addrLen native {@code socklen_t} holding {@code addr}'s size (updated by the kernel), or {@code null}
     * @param flags   {@code SOCK_NONBLOCK}, {@code SOCK_CLOEXEC}
     * @return this entry
     */
    public Sqe prepAccept(int fd, MemorySegment addr, MemorySegment addrLen, int flags) {
        long a = addr == null ? 0L : address(addr, "accept address buffer");
        long l = addrLen == null ? 0L : address(addrLen, 4L, "accept address length");
        prepRw(OP_ACCEPT, fd, a, 0, l);
        return opFlags(flags);
    }

    /**
     * {@code IORING_OP_ACCEPT} with {@code IORING_ACCEPT_MULTISHOT} (Linux 5.19): posts one completion per accepted
     * connection, with {@code IORING_CQE_F_MORE} while it stays armed.
     *
     * @param fd      listening socket
     * @param addr    native buffer for the peer address, or {@code null}
     * @param addrLen native {@code socklen_t}, or {@code null}
     * @param flags   {@code SOCK_NONBLOCK}, {@code SOCK_CLOEXEC}
     * @return this entry
     */
    public Sqe prepMultishotAccept(int fd, MemorySegment addr, MemorySegment addrLen, int flags) {
        prepAccept(fd, addr, addrLen, flags);
        return ioprio(ACCEPT_MULTISHOT);
    }

    /**
     * {@code IORING_OP_CONNECT} (Linux 5.5): {@code connect(fd, addr, addr.byteSize())}.
     *
     * @param fd   socket
     * @param addr native socket address ({@code struct sockaddr_in} ...); its whole size is the address length
     * @return this entry
     */
    public Sqe prepConnect(int fd, MemorySegment addr) {
        return prepRw(OP_CONNECT, fd, address(addr, "socket address"), 0, lengthOf(addr, "socket address"));
    }

    /**
     * {@code IORING_OP_SEND} (Linux 5.6): {@code send(fd, buf, buf.byteSize(), flags)}.
     *
     * @param fd    socket
     * @param buf   native data; its whole size is the length
     * @param flags {@code MSG_*}
     * @return this entry
     */
    public Sqe prepSend(int fd, MemorySegment buf, int flags) {
        prepRw(OP_SEND, fd, address(buf, "send buffer"), lengthOf(buf, "send buffer"), 0L);
        return opFlags(flags);
    }

    /**
     * {@code IORING_OP_SEND} (Linux 5.6) from raw memory.
     *
     * @param fd    socket
     * @param addr  data address
     * @param len   bytes to send
     * @param flags {@code MSG_*}
     * @return this entry
     */
    public Sqe prepSend(int fd, long addr, int len, int flags) {
        prepRw(OP_SEND, fd, addr, len, 0L);
        return opFlags(flags);
    }

    /**
     * {@code IORING_OP_RECV} (Linux 5.6): {@code recv(fd, buf, buf.byteSize(), flags)}. With
     * {@link #bufferSelect(int)} the kernel picks a provided buffer instead (pass a zero-length segment).
     *
     * @param fd    socket
     * @param buf   native destination; its whole size is the length
     * @param flags {@code MSG_*}
     * @return this entry
     */
    public Sqe prepRecv(int fd, MemorySegment buf, int flags) {
        prepRw(OP_RECV, fd, address(buf, "receive buffer"), lengthOf(buf, "receive buffer"), 0L);
        return opFlags(flags);
    }

    /**
     * {@code IORING_OP_RECV} (Linux 5.6) into raw memory.
     *
     * @param fd    socket
     * @param addr  destination address
     * @param len   bytes at most
     * @param flags {@code MSG_*}
     * @return this entry
     */
    public Sqe prepRecv(int fd, long addr, int len, int flags) {
        prepRw(OP_RECV, fd, addr, len, 0L);
        return opFlags(flags);
    }

    /**
     * {@code IORING_OP_SENDMSG} (Linux 5.3): {@code sendmsg(fd, msg, flags)}.
     *
     * @param fd    socket
     * @param msg   native {@code struct msghdr}; it and what it points to must stay valid until the completion
     * @param flags {@code MSG_*}
     * @return this entry
     */
    public Sqe prepSendmsg(int fd, MemorySegment msg, int flags) {
        prepRw(OP_SENDMSG, fd, address(msg, MSGHDR_SIZE, "struct msghdr"), 1, 0L);
        return opFlags(flags);
    }

    /**
     * {@code IORING_OP_RECVMSG} (Linux 5.3): {@code recvmsg(fd, msg, flags)}.
     *
     * @param fd    socket
     * @param msg   native {@code struct msghdr}; it and what it points to must stay valid until the completion
     * @param flags {@code MSG_*}
     * @return this entry
     */
    public Sqe prepRecvmsg(int fd, MemorySegment msg, int flags) {
        prepRw(OP_RECVMSG, fd, address(msg, MSGHDR_SIZE, "struct msghdr"), 1, 0L);
        return opFlags(flags);
    }

    /**
     * {@code IORING_OP_SPLICE} (Linux 5.7): {@code splice(fdIn, offIn, fdOut, offOut, nbytes, flags)}; one of the
     * two must be a pipe, whose offset must be -1. With {@code SPLICE_F_FD_IN_FIXED} {@code fdIn} is a registered
     * file index ({@link #fixedFile()} applies to {@code fdOut}).
     *
     * @param fdIn   source
     * @param offIn  source offset, or -1
     * @param fdOut  destination
     * @param offOut destination offset, or -1
     * @param nbytes bytes to move
     * @param flags  {@code SPLICE_F_*}
     * @return this entry
     */
    public Sqe prepSplice(int fdIn, long offIn, int fdOut, long offOut, int nbytes, int flags) {
        prepRw(OP_SPLICE, fdOut, offIn, nbytes, offOut);
        mem.set(JAVA_INT, base + FILE_INDEX, fdIn); // splice_fd_in
        return opFlags(flags);
    }

    /**
     * {@code IORING_OP_TEE} (Linux 5.8): {@code tee(fdIn, fdOut, nbytes, flags)} between two pipes.
     *
     * @param fdIn   source pipe
     * @param fdOut  destination pipe
     * @param nbytes bytes to duplicate
     * @param flags  {@code SPLICE_F_*}
     * @return this entry
     */
    public Sqe prepTee(int fdIn, int fdOut, int nbytes, int flags) {
        prepRw(OP_TEE, fdOut, 0L, nbytes, 0L);
        mem.set(JAVA_INT, base + FILE_INDEX, fdIn);
        return opFlags(flags);
    }

    /**
     * {@code IORING_OP_SHUTDOWN} (Linux 5.11): {@code shutdown(fd, how)}.
     *
     * @param fd  socket
     * @param how {@code SHUT_RD}, {@code SHUT_WR} or {@code SHUT_RDWR}
     * @return this entry
     */
    public Sqe prepShutdown(int fd, int how) {
        return prepRw(OP_SHUTDOWN, fd, 0L, how, 0L);
    }

    /**
     * {@code IORING_OP_SOCKET} (Linux 5.19): {@code socket(domain, type, protocol)}; {@code res} is the new fd.
     *
     * @param domain   {@code AF_*}
     * @param type     {@code SOCK_*}
     * @param protocol protocol, or 0
     * @param flags    0
     * @return this entry
     */
    public Sqe prepSocket(int domain, int type, int protocol, int flags) {
        prepRw(OP_SOCKET, domain, 0L, protocol, Integer.toUnsignedLong(type));
        return opFlags(flags);
    }

    /**
     * {@code IORING_OP_URING_CMD} (Linux 5.19): a command passed to the file's driver ({@code ->uring_cmd}), for
     * example NVMe passthrough on {@code /dev/ngXnY} or socket commands (6.7). Writes the opcode, fd and
     * {@code cmd_op}, zeroes every other field and the whole command area; the caller then writes the command's
     * payload into {@link #cmd()} (16 bytes on a 64-byte SQE, 80 on an {@code IORING_SETUP_SQE128} ring) and sets
     * {@code uring_cmd_flags} ({@code IORING_URING_CMD_FIXED} with {@link #bufIndex(int)}, 6.1) with
     * {@link #opFlags(int)}. Drivers whose payload is larger than 16 bytes (NVMe's 72-byte
     * {@code struct nvme_uring_cmd}) need an SQE128 ring.
     *
     * @param cmdOp the driver's command, a {@code __u32} ({@code NVME_URING_CMD_IO}, which the bindings give as a
     *              {@code long} because it is above {@code Integer.MAX_VALUE}, or {@code SOCKET_URING_OP_SIOCINQ} ...)
     * @param fd    the device or socket
     * @return this entry
     * @throws IllegalArgumentException if {@code cmdOp} does not fit 32 bits
     */
    public Sqe prepUringCmd(long cmdOp, int fd) {
        int op = Unsigned.checkU32(cmdOp, "uring_cmd cmd_op");
        prepRw(OP_URING_CMD, fd, 0L, 0, 0L);
        mem.set(JAVA_INT, base + CMD_OP, op);
        if (cmd.byteSize() > ADDR3 + 16 - CMD) {
            cmd.fill((byte) 0); // prepRw zeroed the first 16 bytes; an SQE128 has 64 more
        }
        return this;
    }

    /**
     * {@code IORING_OP_URING_CMD} (Linux 5.19) with its payload copied from {@code payload} into the command area
     * (the rest of the area is zeroed).
     *
     * @param cmdOp   the driver's command, a {@code __u32}
     * @param fd      the device or socket
     * @param payload the command bytes: at most {@link #cmdCapacity()} (16, or 80 on an SQE128 ring)
     * @return this entry
     * @throws IllegalArgumentException if the payload does not fit this ring's SQE, or {@code cmdOp} 32 bits
     */
    public Sqe prepUringCmd(long cmdOp, int fd, MemorySegment payload) {
        long n = payload.byteSize();
        if (n > cmd.byteSize()) {
            throw new IllegalArgumentException("uring_cmd payload of " + n + " bytes does not fit the "
                    + cmd.byteSize() + "-byte command area of a " + (cmd.byteSize() + CMD) + "-byte SQE"
                    + (cmd.byteSize() + CMD == SQE_SIZE
                    ? "; set the ring up with IORING_SETUP_SQE128 (IoUringBuilder.sqe128()) for an 80-byte area"
                    : ""));
        }
        prepUringCmd(cmdOp, fd);
        MemorySegment.copy(payload, 0L, cmd, 0L, n);
        return this;
    }

    /**
     * {@code IORING_OP_URING_CMD} for a socket (Linux 6.7), as liburing's {@code io_uring_prep_cmd_sock}:
     * {@code SOCKET_URING_OP_SIOCINQ}/{@code SIOCOUTQ} ({@code res} is the byte count) or
     * {@code SOCKET_URING_OP_GETSOCKOPT}/{@code SETSOCKOPT} with {@code level}, {@code optname} and the option
     * buffer (which the kernel uses until the completion).
     *
     * @param cmdOp   {@code SOCKET_URING_OP_*}
     * @param fd      socket
     * @param level   option level ({@code SOL_SOCKET} ...), or 0
     * @param optname option name, or 0
     * @param optval  native option buffer, or {@code null}; its whole size is {@code optlen}
     * @return this entry
     */
    public Sqe prepCmdSock(int cmdOp, int fd, int level, int optname, MemorySegment optval) {
        prepUringCmd(cmdOp, fd);
        MemorySegment m = mem;
        long b = base;
        m.set(JAVA_INT, b + LEVEL, level);
        m.set(JAVA_INT, b + OPTNAME, optname);
        if (optval != null) {
            m.set(JAVA_LONG, b + OPTVAL, address(optval, "socket option buffer"));
            m.set(JAVA_INT, b + FILE_INDEX, lengthOf(optval, "socket option buffer")); // optlen
        }
        return this;
    }

    /**
     * {@code IORING_OP_PROVIDE_BUFFERS} (Linux 5.7): hands {@code nr} buffers of {@code len} bytes, laid out back to
     * back from {@code buffers}, to buffer group {@code bufGroup} with ids {@code firstId, firstId + 1 ...}, for
     * requests with {@link #bufferSelect(int)}; {@code res} is 0 (or the number added, on newer kernels). The
     * memory must stay alive until the buffers are consumed or removed.
     *
     * @param buffers  native memory of at least {@code nr * len} bytes
     * @param len      size of each buffer
     * @param nr       number of buffers
     * @param bufGroup buffer group id ({@code __u16})
     * @param firstId  id of the first buffer
     * @return this entry
     */
    public Sqe prepProvideBuffers(MemorySegment buffers, int len, int nr, int bufGroup, int firstId) {
        long need = Integer.toUnsignedLong(len) * Unsigned.checkU32(nr, "nr");
        prepRw(OP_PROVIDE_BUFFERS, nr, address(buffers, need, "provided buffers"), len,
                Integer.toUnsignedLong(firstId));
        mem.set(JAVA_SHORT, base + BUF_INDEX, (short) Unsigned.checkU16(bufGroup, "buffer group"));
        return this;
    }

    /**
     * {@code IORING_OP_REMOVE_BUFFERS} (Linux 5.7): takes up to {@code nr} unused buffers back from group
     * {@code bufGroup}; {@code res} is the number removed.
     *
     * @param nr       buffers to remove
     * @param bufGroup buffer group id
     * @return this entry
     */
    public Sqe prepRemoveBuffers(int nr, int bufGroup) {
        prepRw(OP_REMOVE_BUFFERS, nr, 0L, 0, 0L);
        mem.set(JAVA_SHORT, base + BUF_INDEX, (short) Unsigned.checkU16(bufGroup, "buffer group"));
        return this;
    }

    /**
     * {@code IORING_OP_MSG_RING} (Linux 5.18): posts a completion with {@code res == value} and
     * {@code user_data == targetUserData} on the ring whose fd is {@code ringFd}; this request completes with 0. One
     * way to wake a thread waiting on another ring.
     *
     * @param ringFd         the target ring's fd (or registered index with {@link #fixedFile()})
     * @param value          the {@code res} to post
     * @param targetUserData the {@code user_data} to post
     * @param flags          {@code IORING_MSG_RING_*} flags
     * @return this entry
     */
    public Sqe prepMsgRing(int ringFd, int value, long targetUserData, int flags) {
        prepRw(OP_MSG_RING, ringFd, Uapi.IORING_MSG_DATA(), value, targetUserData);
        return opFlags(flags);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Operations of issue 19 part 1: every other IORING_OP_* up to PIPE, and the multishot forms of recvmsg, read
    // and timeout (accept and poll have theirs above, recv in the buffer-ring section). Kept in one section, with
    // its own constants, so that the other parts' sections (buffer rings, zero-copy send, 128-byte entries) merge
    // beside it.
    // ---------------------------------------------------------------------------------------------------------------

    private static final int OP_SYNC_FILE_RANGE = Uapi.IORING_OP_SYNC_FILE_RANGE();
    private static final int OP_FILES_UPDATE = Uapi.IORING_OP_FILES_UPDATE();
    private static final int OP_FADVISE = Uapi.IORING_OP_FADVISE();
    private static final int OP_MADVISE = Uapi.IORING_OP_MADVISE();
    private static final int OP_OPENAT2 = Uapi.IORING_OP_OPENAT2();
    private static final int OP_EPOLL_CTL = Uapi.IORING_OP_EPOLL_CTL();
    private static final int OP_EPOLL_WAIT = Uapi.IORING_OP_EPOLL_WAIT();
    private static final int OP_RENAMEAT = Uapi.IORING_OP_RENAMEAT();
    private static final int OP_UNLINKAT = Uapi.IORING_OP_UNLINKAT();
    private static final int OP_MKDIRAT = Uapi.IORING_OP_MKDIRAT();
    private static final int OP_SYMLINKAT = Uapi.IORING_OP_SYMLINKAT();
    private static final int OP_LINKAT = Uapi.IORING_OP_LINKAT();
    private static final int OP_FSETXATTR = Uapi.IORING_OP_FSETXATTR();
    private static final int OP_SETXATTR = Uapi.IORING_OP_SETXATTR();
    private static final int OP_FGETXATTR = Uapi.IORING_OP_FGETXATTR();
    private static final int OP_GETXATTR = Uapi.IORING_OP_GETXATTR();
    private static final int OP_READ_MULTISHOT = Uapi.IORING_OP_READ_MULTISHOT();
    private static final int OP_WAITID = Uapi.IORING_OP_WAITID();
    private static final int OP_FUTEX_WAIT = Uapi.IORING_OP_FUTEX_WAIT();
    private static final int OP_FUTEX_WAKE = Uapi.IORING_OP_FUTEX_WAKE();
    private static final int OP_FUTEX_WAITV = Uapi.IORING_OP_FUTEX_WAITV();
    private static final int OP_FIXED_FD_INSTALL = Uapi.IORING_OP_FIXED_FD_INSTALL();
    private static final int OP_FTRUNCATE = Uapi.IORING_OP_FTRUNCATE();
    private static final int OP_BIND = Uapi.IORING_OP_BIND();
    private static final int OP_LISTEN = Uapi.IORING_OP_LISTEN();
    private static final int OP_RECV_ZC = Uapi.IORING_OP_RECV_ZC();
    private static final int OP_READV_FIXED = Uapi.IORING_OP_READV_FIXED();
    private static final int OP_WRITEV_FIXED = Uapi.IORING_OP_WRITEV_FIXED();
    private static final int OP_PIPE = Uapi.IORING_OP_PIPE();

    private static final int TIMEOUT_MULTISHOT = Uapi.IORING_TIMEOUT_MULTISHOT();
    private static final int FILE_INDEX_ALLOC = Uapi.IORING_FILE_INDEX_ALLOC();

    private static final long OPEN_HOW_SIZE = open_how.layout().byteSize();
    private static final long EPOLL_EVENT_SIZE = EpollEvent.BYTES;
    private static final long FUTEX_WAITV_SIZE = futex_waitv.layout().byteSize();

    /**
     * {@code IORING_OP_SYNC_FILE_RANGE} (Linux 5.2): {@code sync_file_range(fd, offset, len, flags)}; {@code res} is
     * 0. Like {@link #prepFsync}, it does not wait for earlier requests.
     *
     * @param fd     file descriptor
     * @param len    bytes to sync from {@code offset}; 0 means to the end of the file
     * @param offset start of the range
     * @param flags  {@code SYNC_FILE_RANGE_WAIT_BEFORE}, {@code _WRITE}, {@code _WAIT_AFTER}
     * @return this entry
     */
    public Sqe prepSyncFileRange(int fd, int len, long offset, int flags) {
        prepRw(OP_SYNC_FILE_RANGE, fd, 0L, len, offset);
        return opFlags(flags);
    }

    /**
     * {@code IORING_OP_FILES_UPDATE} (Linux 5.6): replaces {@code nrFds} slots of the registered file table from slot
     * {@code offset} with the descriptors in {@code fds} (-1 empties a slot), as {@link IoUring#updateFiles} does
     * synchronously; {@code res} is the number of slots updated. With {@code offset == IORING_FILE_INDEX_ALLOC}
     * (5.19) the kernel picks free slots and writes their indexes back into {@code fds}.
     *
     * @param fds    native {@code int} array of at least {@code nrFds} descriptors
     * @param nrFds  number of descriptors
     * @param offset first slot, or {@code IORING_FILE_INDEX_ALLOC}
     * @return this entry
     */
    public Sqe prepFilesUpdate(MemorySegment fds, int nrFds, int offset) {
        long need = 4L * Unsigned.checkU32(nrFds, "nrFds");
        return prepRw(OP_FILES_UPDATE, -1, address(fds, need, "fd array"), nrFds, Integer.toUnsignedLong(offset));
    }

    /**
     * {@code IORING_OP_FADVISE} (Linux 5.6): {@code posix_fadvise(fd, offset, len, advice)}; {@code res} is 0.
     *
     * @param fd     file descriptor
     * @param offset start of the range
     * @param len    length of the range ({@code __u32}); 0 means to the end of the file
     * @param advice {@code POSIX_FADV_*}
     * @return this entry
     */
    public Sqe prepFadvise(int fd, long offset, int len, int advice) {
        prepRw(OP_FADVISE, fd, 0L, len, offset);
        return opFlags(advice); // fadvise_advice
    }

    /**
     * {@code IORING_OP_FADVISE} with a 64-bit length (Linux 6.11, which reads the length from {@code addr} when it is
     * not 0; older kernels answer {@code -EINVAL}).
     *
     * @param fd     file descriptor
     * @param offset start of the range
     * @param len    length of the range; 0 means to the end of the file
     * @param advice {@code POSIX_FADV_*}
     * @return this entry
     */
    public Sqe prepFadvise64(int fd, long offset, long len, int advice) {
        prepRw(OP_FADVISE, fd, len, 0, offset);
        return opFlags(advice);
    }

    /**
     * {@code IORING_OP_MADVISE} (Linux 5.6): {@code madvise(mem, mem.byteSize(), advice)} on this process's memory;
     * {@code res} is 0. {@code mem} must start on a page boundary. The memory is passed by address and is not kept
     * alive: advice such as {@code MADV_DONTNEED} discards its contents.
     *
     * @param mem    native memory, page-aligned, at most 4 GiB - 1
     * @param advice {@code MADV_*}
     * @return this entry
     */
    public Sqe prepMadvise(MemorySegment mem, int advice) {
        prepRw(OP_MADVISE, -1, address(mem, "madvise range"), lengthOf(mem, "madvise range"), 0L);
        return opFlags(advice);
    }

    /**
     * {@code IORING_OP_MADVISE} (Linux 5.6) on raw memory: nothing about {@code addr} is checked.
     *
     * @param addr   start of the range, page-aligned
     * @param len    length of the range ({@code __u32})
     * @param advice {@code MADV_*}
     * @return this entry
     */
    public Sqe prepMadvise(long addr, int len, int advice) {
        prepRw(OP_MADVISE, -1, addr, len, 0L);
        return opFlags(advice);
    }

    /**
     * {@code IORING_OP_MADVISE} with a 64-bit length (Linux 6.11, which reads the length from {@code off} when it is
     * not 0; older kernels answer {@code -EINVAL}).
     *
     * @param addr   start of the range, page-aligned
     * @param len    length of the range
     * @param advice {@code MADV_*}
     * @return this entry
     */
    public Sqe prepMadvise64(long addr, long len, int advice) {
        prepRw(OP_MADVISE, -1, addr, 0, len);
        return opFlags(advice);
    }

    /**
     * {@code IORING_OP_OPENAT2} (Linux 5.6): {@code openat2(dfd, path, how, sizeof(struct open_how))}; {@code res}
     * is the new file descriptor. {@code how} ({@code io.github.jring.bindings.open_how}: {@code flags},
     * {@code mode}, {@code resolve}) adds the {@code RESOLVE_*} restrictions that {@code openat} lacks, such as
     * {@code RESOLVE_BENEATH} ({@code -EXDEV} for a path that leaves {@code dfd}). The kernel copies both when the
     * entry is submitted.
     *
     * @param dfd  directory fd, or {@code AT_FDCWD}
     * @param path NUL-terminated path, native
     * @param how  native {@code struct open_how} (24 bytes)
     * @return this entry
     * @throws IllegalArgumentException if {@code path} holds no NUL byte or {@code how} is too small
     */
    public Sqe prepOpenat2(int dfd, MemorySegment path, MemorySegment how) {
        return prepRw(OP_OPENAT2, dfd, cString(path, "path"), (int) OPEN_HOW_SIZE,
                address(how, OPEN_HOW_SIZE, "struct open_how"));
    }

    /**
     * {@code IORING_OP_OPENAT2} (Linux 5.15 for direct descriptors) opening into slot {@code fileIndex} of the
     * registered file table, as {@link #prepOpenatDirect}; {@code res} is 0 (or, with
     * {@code IORING_FILE_INDEX_ALLOC}, the allocated slot).
     *
     * @param dfd       directory fd, or {@code AT_FDCWD}
     * @param path      NUL-terminated path, native
     * @param how       native {@code struct open_how} ({@code O_CLOEXEC} is not allowed)
     * @param fileIndex slot in the registered file table, or {@code IORING_FILE_INDEX_ALLOC}
     * @return this entry
     */
    public Sqe prepOpenat2Direct(int dfd, MemorySegment path, MemorySegment how, int fileIndex) {
        prepOpenat2(dfd, path, how);
        return fileIndex(directSlot(fileIndex));
    }

    /**
     * {@code IORING_OP_EPOLL_CTL} (Linux 5.6): {@code epoll_ctl(epfd, op, fd, event)}; {@code res} is 0.
     *
     * @param epfd  the epoll instance
     * @param fd    the descriptor to add, modify or remove
     * @param op    {@code EPOLL_CTL_ADD}, {@code _MOD} or {@code _DEL}
     * @param event native {@code struct epoll_event} ({@link EpollEvent}), or {@code null} for
     *              {@code EPOLL_CTL_DEL}; the kernel copies it when the entry is submitted
     * @return this entry
     */
    public Sqe prepEpollCtl(int epfd, int fd, int op, MemorySegment event) {
        long ev = event == null ? 0L : address(event, EPOLL_EVENT_SIZE, "struct epoll_event");
        return prepRw(OP_EPOLL_CTL, epfd, ev, op, Integer.toUnsignedLong(fd));
    }

    /**
     * {@code IORING_OP_EPOLL_WAIT} (Linux 6.15): {@code epoll_wait(epfd, events, maxEvents, -1)} without blocking a
     * thread: completes when the epoll instance has events, with {@code res} the number of {@code struct epoll_event}
     * written to {@code events}.
     *
     * @param epfd      the epoll instance
     * @param events    native array of at least {@code maxEvents} {@code struct epoll_event} ({@link EpollEvent})
     * @param maxEvents most events to return
     * @param flags     0
     * @return this entry
     */
    public Sqe prepEpollWait(int epfd, MemorySegment events, int maxEvents, int flags) {
        long need = EPOLL_EVENT_SIZE * Unsigned.checkU32(maxEvents, "maxEvents");
        prepRw(OP_EPOLL_WAIT, epfd, address(events, need, "epoll_event array"), maxEvents, 0L);
        return opFlags(flags);
    }

    /**
     * {@code IORING_OP_RENAMEAT} (Linux 5.11): {@code renameat2(oldDfd, oldPath, newDfd, newPath, flags)};
     * {@code res} is 0. The kernel copies both paths when the entry is submitted.
     *
     * @param oldDfd  directory fd of {@code oldPath}, or {@code AT_FDCWD}
     * @param oldPath NUL-terminated path, native
     * @param newDfd  directory fd of {@code newPath}, or {@code AT_FDCWD}
     * @param newPath NUL-terminated path, native
     * @param flags   {@code RENAME_NOREPLACE}, {@code RENAME_EXCHANGE}, {@code RENAME_WHITEOUT}, or 0
     * @return this entry
     */
    public Sqe prepRenameat(int oldDfd, MemorySegment oldPath, int newDfd, MemorySegment newPath, int flags) {
        prepRw(OP_RENAMEAT, oldDfd, cString(oldPath, "old path"), newDfd, cString(newPath, "new path"));
        return opFlags(flags); // rename_flags
    }

    /**
     * {@code IORING_OP_UNLINKAT} (Linux 5.11): {@code unlinkat(dfd, path, flags)}, which removes a directory with
     * {@code AT_REMOVEDIR}; {@code res} is 0.
     *
     * @param dfd   directory fd, or {@code AT_FDCWD}
     * @param path  NUL-terminated path, native
     * @param flags 0 or {@code AT_REMOVEDIR}
     * @return this entry
     */
    public Sqe prepUnlinkat(int dfd, MemorySegment path, int flags) {
        prepRw(OP_UNLINKAT, dfd, cString(path, "path"), 0, 0L);
        return opFlags(flags); // unlink_flags
    }

    /**
     * {@code IORING_OP_MKDIRAT} (Linux 5.15): {@code mkdirat(dfd, path, mode)}; {@code res} is 0.
     *
     * @param dfd  directory fd, or {@code AT_FDCWD}
     * @param path NUL-terminated path, native
     * @param mode permissions, before the umask
     * @return this entry
     */
    public Sqe prepMkdirat(int dfd, MemorySegment path, int mode) {
        return prepRw(OP_MKDIRAT, dfd, cString(path, "path"), mode, 0L);
    }

    /**
     * {@code IORING_OP_SYMLINKAT} (Linux 5.15): {@code symlinkat(target, newDirFd, linkPath)}: creates
     * {@code linkPath} as a symbolic link whose content is {@code target}; {@code res} is 0.
     *
     * @param target   NUL-terminated link content, native (need not exist)
     * @param newDirFd directory fd of {@code linkPath}, or {@code AT_FDCWD}
     * @param linkPath NUL-terminated path of the new link, native
     * @return this entry
     */
    public Sqe prepSymlinkat(MemorySegment target, int newDirFd, MemorySegment linkPath) {
        return prepRw(OP_SYMLINKAT, newDirFd, cString(target, "symlink target"), 0,
                cString(linkPath, "link path"));
    }

    /**
     * {@code IORING_OP_LINKAT} (Linux 5.15): {@code linkat(oldDfd, oldPath, newDfd, newPath, flags)}: a new hard link
     * to an existing file; {@code res} is 0.
     *
     * @param oldDfd  directory fd of {@code oldPath}, or {@code AT_FDCWD}
     * @param oldPath NUL-terminated path of the existing file, native
     * @param newDfd  directory fd of {@code newPath}, or {@code AT_FDCWD}
     * @param newPath NUL-terminated path of the new link, native
     * @param flags   0 or {@code AT_SYMLINK_FOLLOW}
     * @return this entry
     */
    public Sqe prepLinkat(int oldDfd, MemorySegment oldPath, int newDfd, MemorySegment newPath, int flags) {
        prepRw(OP_LINKAT, oldDfd, cString(oldPath, "old path"), newDfd, cString(newPath, "new path"));
        return opFlags(flags); // hardlink_flags
    }

    /**
     * {@code IORING_OP_FSETXATTR} (Linux 5.19): {@code fsetxattr(fd, name, value, value.byteSize(), flags)};
     * {@code res} is 0.
     *
     * @param fd    file descriptor
     * @param name  NUL-terminated attribute name with its namespace ({@code "user.key"}), native
     * @param value native value; its whole size is the length
     * @param flags 0, {@link Xattr#XATTR_CREATE} (fail with {@code EEXIST} if it exists) or
     *              {@link Xattr#XATTR_REPLACE} (fail with {@code ENODATA} if it does not)
     * @return this entry
     */
    public Sqe prepFsetxattr(int fd, MemorySegment name, MemorySegment value, int flags) {
        prepRw(OP_FSETXATTR, fd, cString(name, "xattr name"), lengthOf(value, "xattr value"),
                address(value, "xattr value"));
        return opFlags(flags); // xattr_flags
    }

    /**
     * {@code IORING_OP_SETXATTR} (Linux 5.19): {@code setxattr(path, name, value, value.byteSize(), flags)}, following
     * symbolic links; {@code res} is 0.
     *
     * @param path  NUL-terminated path, native
     * @param name  NUL-terminated attribute name ({@code "user.key"}), native
     * @param value native value; its whole size is the length
     * @param flags 0, {@link Xattr#XATTR_CREATE} or {@link Xattr#XATTR_REPLACE}
     * @return this entry
     */
    public Sqe prepSetxattr(MemorySegment path, MemorySegment name, MemorySegment value, int flags) {
        prepRw(OP_SETXATTR, 0, cString(name, "xattr name"), lengthOf(value, "xattr value"),
                address(value, "xattr value"));
        mem.set(JAVA_LONG, base + ADDR3, cString(path, "path"));
        return opFlags(flags);
    }

    /**
     * {@code IORING_OP_FGETXATTR} (Linux 5.19): {@code fgetxattr(fd, name, value, value.byteSize())}; {@code res} is
     * the value's size, {@code -ENODATA} if the file has no such attribute, {@code -ERANGE} if {@code value} is too
     * small. A zero-length {@code value} asks for the size only.
     *
     * @param fd    file descriptor
     * @param name  NUL-terminated attribute name, native
     * @param value native destination; its whole size is the capacity
     * @return this entry
     */
    public Sqe prepFgetxattr(int fd, MemorySegment name, MemorySegment value) {
        return prepRw(OP_FGETXATTR, fd, cString(name, "xattr name"), lengthOf(value, "xattr value buffer"),
                address(value, "xattr value buffer"));
    }

    /**
     * {@code IORING_OP_GETXATTR} (Linux 5.19): {@code getxattr(path, name, value, value.byteSize())}, following
     * symbolic links; {@code res} as for {@link #prepFgetxattr}.
     *
     * @param path  NUL-terminated path, native
     * @param name  NUL-terminated attribute name, native
     * @param value native destination; its whole size is the capacity
     * @return this entry
     */
    public Sqe prepGetxattr(MemorySegment path, MemorySegment name, MemorySegment value) {
        prepRw(OP_GETXATTR, 0, cString(name, "xattr name"), lengthOf(value, "xattr value buffer"),
                address(value, "xattr value buffer"));
        mem.set(JAVA_LONG, base + ADDR3, cString(path, "path"));
        return this;
    }

    /**
     * {@code IORING_OP_WAITID} (Linux 6.7): {@code waitid(idtype, id, infop, options)} without blocking a thread:
     * completes when a child matching {@code idtype}/{@code id} changes state as {@code options} asks, with
     * {@code res} 0 and the child's {@code siginfo_t} in {@code infop} ({@link SigInfo}); {@code -ECHILD} if there is
     * no such child. Without {@code WNOWAIT} an exited child is reaped.
     *
     * @param idtype  {@link SigInfo#P_PID}, {@link SigInfo#P_ALL}, {@link SigInfo#P_PGID} or {@link SigInfo#P_PIDFD}
     * @param id      the pid, process group or pidfd (ignored for {@code P_ALL})
     * @param infop   native {@code siginfo_t} ({@link SigInfo#allocate}), or {@code null}
     * @param options {@link SigInfo#WEXITED}, {@link SigInfo#WSTOPPED}, {@link SigInfo#WCONTINUED},
     *                {@link SigInfo#WNOWAIT}, {@link SigInfo#WNOHANG}
     * @param flags   0
     * @return this entry
     */
    public Sqe prepWaitid(int idtype, int id, MemorySegment infop, int options, int flags) {
        long info = infop == null ? 0L : address(infop, SigInfo.LAYOUT.byteSize(), "siginfo_t");
        prepRw(OP_WAITID, id, 0L, idtype, info); // off is addr2: the siginfo_t
        mem.set(JAVA_INT, base + FILE_INDEX, options);
        return opFlags(flags); // waitid_flags
    }

    /**
     * {@code IORING_OP_FUTEX_WAIT} (Linux 6.7): {@code futex_wait} (futex2): if the futex at {@code futex} still holds
     * {@code val}, waits until a {@code FUTEX_WAKE} whose mask shares a bit with {@code mask} wakes it ({@code res}
     * 0); if it does not hold {@code val}, completes at once with {@code -EAGAIN}. {@link #prepCancel} ends it with
     * {@code -ECANCELED}; the cancel itself then completes with 1 (the number cancelled), not 0.
     *
     * @param futex      native futex word, aligned to its size (4 bytes with {@code FUTEX2_SIZE_U32})
     * @param val        the expected value
     * @param mask       wake bitmask ({@code FUTEX_BITSET_MATCH_ANY} for any waker)
     * @param futexFlags {@code FUTEX2_SIZE_U32} (the only size the kernel implements) with {@code FUTEX2_PRIVATE}
     *                   for a futex this process does not share
     * @param flags      0
     * @return this entry
     */
    public Sqe prepFutexWait(MemorySegment futex, long val, long mask, int futexFlags, int flags) {
        prepRw(OP_FUTEX_WAIT, futexFlags, address(futex, 4L, "futex word"), 0, val);
        mem.set(JAVA_LONG, base + ADDR3, mask);
        return opFlags(flags); // futex_flags
    }

    /**
     * {@code IORING_OP_FUTEX_WAKE} (Linux 6.7): {@code futex_wake} (futex2): wakes up to {@code nr} waiters of the
     * futex at {@code futex} whose mask shares a bit with {@code mask}, in-ring or not; {@code res} is the number
     * woken.
     *
     * @param futex      native futex word
     * @param nr         most waiters to wake
     * @param mask       bitmask ({@code FUTEX_BITSET_MATCH_ANY})
     * @param futexFlags {@code FUTEX2_SIZE_U32} with {@code FUTEX2_PRIVATE} as the waiters used
     * @param flags      0
     * @return this entry
     */
    public Sqe prepFutexWake(MemorySegment futex, long nr, long mask, int futexFlags, int flags) {
        prepRw(OP_FUTEX_WAKE, futexFlags, address(futex, 4L, "futex word"), 0, nr);
        mem.set(JAVA_LONG, base + ADDR3, mask);
        return opFlags(flags);
    }

    /**
     * {@code IORING_OP_FUTEX_WAITV} (Linux 6.7): {@code futex_waitv}: waits on up to {@code FUTEX_WAITV_MAX} (128)
     * futexes at once; {@code res} is the index of the one woken, {@code -EAGAIN} if one of them does not hold its
     * expected value.
     *
     * @param futexv  native array of at least {@code nrFutex} {@code struct futex_waitv}
     *                ({@code io.github.jring.bindings.futex_waitv}: {@code val}, {@code uaddr}, {@code flags} as
     *                {@code FUTEX2_*}, {@code __reserved} 0)
     * @param nrFutex number of entries
     * @param flags   0
     * @return this entry
     */
    public Sqe prepFutexWaitv(MemorySegment futexv, int nrFutex, int flags) {
        long need = FUTEX_WAITV_SIZE * Unsigned.checkU32(nrFutex, "nrFutex");
        prepRw(OP_FUTEX_WAITV, 0, address(futexv, need, "futex_waitv array"), nrFutex, 0L);
        return opFlags(flags);
    }

    /**
     * {@code IORING_OP_FIXED_FD_INSTALL} (Linux 6.8): installs the direct descriptor in slot {@code fileIndex} of
     * the registered file table as a normal file descriptor of the process; {@code res} is the new fd, which is
     * {@code O_CLOEXEC} unless {@code flags} has {@code IORING_FIXED_FD_NO_CLOEXEC}. Sets {@link #fixedFile()}, which
     * the kernel requires ({@code -EBADF} without it).
     *
     * @param fileIndex slot in the registered file table
     * @param flags     0 or {@code IORING_FIXED_FD_NO_CLOEXEC}
     * @return this entry
     */
    public Sqe prepFixedFdInstall(int fileIndex, int flags) {
        prepRw(OP_FIXED_FD_INSTALL, fileIndex, 0L, 0, 0L);
        opFlags(flags); // install_fd_flags
        return fixedFile();
    }

    /**
     * {@code IORING_OP_FTRUNCATE} (Linux 6.9): {@code ftruncate(fd, len)}; {@code res} is 0.
     *
     * @param fd  file descriptor, open for writing
     * @param len the new size
     * @return this entry
     */
    public Sqe prepFtruncate(int fd, long len) {
        return prepRw(OP_FTRUNCATE, fd, 0L, 0, len);
    }

    /**
     * {@code IORING_OP_BIND} (Linux 6.11): {@code bind(fd, addr, addr.byteSize())}; {@code res} is 0.
     *
     * @param fd   socket
     * @param addr native socket address; its whole size is the address length
     * @return this entry
     */
    public Sqe prepBind(int fd, MemorySegment addr) {
        return prepRw(OP_BIND, fd, address(addr, "socket address"), 0, lengthOf(addr, "socket address"));
    }

    /**
     * {@code IORING_OP_LISTEN} (Linux 6.11): {@code listen(fd, backlog)}; {@code res} is 0.
     *
     * @param fd      a bound socket
     * @param backlog length of the queue of pending connections
     * @return this entry
     */
    public Sqe prepListen(int fd, int backlog) {
        return prepRw(OP_LISTEN, fd, 0L, backlog, 0L);
    }

    /**
     * {@code IORING_OP_RECV_ZC} (Linux 6.15): zero-copy receive into the memory area of a registered zero-copy
     * receive interface queue ({@code IORING_REGISTER_ZCRX_IFQ}, which needs a NIC with header split and flow
     * steering). Always multishot: each completion is a 32-byte CQE whose second half
     * ({@code struct io_uring_zcrx_cqe}) locates the data. Without a registered queue {@code ifqIndex} the kernel
     * answers {@code -EINVAL}.
     *
     * @param fd       TCP socket
     * @param len      bytes to receive in all, or 0 for no limit
     * @param ifqIndex the registered zcrx queue
     * @return this entry
     */
    public Sqe prepRecvZc(int fd, int len, int ifqIndex) {
        prepRw(OP_RECV_ZC, fd, 0L, len, 0L);
        mem.set(JAVA_SHORT, base + IOPRIO, (short) RECV_MULTISHOT);
        mem.set(JAVA_INT, base + FILE_INDEX, ifqIndex); // zcrx_ifq_idx
        return this;
    }

    /**
     * {@code IORING_OP_READV_FIXED} (Linux 6.15): {@code preadv2(fd, iovecs, nrVecs, offset, flags)} where every
     * iovec lies inside registered buffer {@code bufIndex} (else {@code -EFAULT}), so the pages need no pinning per
     * request; {@code res} is the number of bytes read.
     *
     * @param fd       file descriptor
     * @param iovecs   native array of at least {@code nrVecs} {@code struct iovec}
     * @param nrVecs   number of iovecs
     * @param offset   file offset, or -1 for the current position
     * @param flags    {@code RWF_*}
     * @param bufIndex index of the registered buffer
     * @return this entry
     */
    public Sqe prepReadvFixed(int fd, MemorySegment iovecs, int nrVecs, long offset, int flags, int bufIndex) {
        prepRw(OP_READV_FIXED, fd, address(iovecs, IOVEC_SIZE * Unsigned.checkU32(nrVecs, "nrVecs"), "iovec array"),
                nrVecs, offset);
        opFlags(flags);
        return bufIndex(bufIndex);
    }

    /**
     * {@code IORING_OP_WRITEV_FIXED} (Linux 6.15): {@code pwritev2(fd, iovecs, nrVecs, offset, flags)} from iovecs
     * inside registered buffer {@code bufIndex}; {@code res} is the number of bytes written.
     *
     * @param fd       file descriptor
     * @param iovecs   native array of at least {@code nrVecs} {@code struct iovec}
     * @param nrVecs   number of iovecs
     * @param offset   file offset, or -1 for the current position
     * @param flags    {@code RWF_*}
     * @param bufIndex index of the registered buffer
     * @return this entry
     */
    public Sqe prepWritevFixed(int fd, MemorySegment iovecs, int nrVecs, long offset, int flags, int bufIndex) {
        prepRw(OP_WRITEV_FIXED, fd, address(iovecs, IOVEC_SIZE * Unsigned.checkU32(nrVecs, "nrVecs"), "iovec array"),
                nrVecs, offset);
        opFlags(flags);
        return bufIndex(bufIndex);
    }

    /**
     * {@code IORING_OP_PIPE} (Linux 6.16): {@code pipe2(fds, flags)}: writes the read end's and the write end's
     * descriptors to {@code fds[0]} and {@code fds[1]}; {@code res} is 0.
     *
     * @param fds   native {@code int[2]}
     * @param flags {@code O_CLOEXEC}, {@code O_NONBLOCK}, {@code O_DIRECT} (packet mode)
     * @return this entry
     */
    public Sqe prepPipe(MemorySegment fds, int flags) {
        prepRw(OP_PIPE, 0, address(fds, 8L, "pipe fd pair"), 0, 0L);
        return opFlags(flags); // pipe_flags
    }

    /**
     * {@code IORING_OP_PIPE} (Linux 6.16) into the registered file table: the two ends go to slots
     * {@code fileIndex} and {@code fileIndex + 1} (or to two free slots with {@code IORING_FILE_INDEX_ALLOC}), and
     * {@code fds} receives the slot numbers.
     *
     * @param fds       native {@code int[2]}
     * @param flags     {@code O_NONBLOCK}, {@code O_DIRECT}
     * @param fileIndex first slot, or {@code IORING_FILE_INDEX_ALLOC}
     * @return this entry
     */
    public Sqe prepPipeDirect(MemorySegment fds, int flags, int fileIndex) {
        prepPipe(fds, flags);
        return fileIndex(directSlot(fileIndex));
    }

    /**
     * {@code IORING_OP_RECVMSG} with {@code IORING_RECV_MULTISHOT} (Linux 6.0): a multishot {@code recvmsg} into
     * provided buffers of group {@code bufGroup}. Each buffer starts with a {@code struct io_uring_recvmsg_out}
     * ({@code namelen}, {@code controllen}, {@code payloadlen}, {@code flags}), followed by {@code msg_namelen} bytes
     * of name, {@code msg_controllen} bytes of control data, then the payload ({@link RecvmsgOut} reads it);
     * {@code msg} gives those two lengths and no iovec. The end of the stream is as for
     * {@link #prepRecvMultishotSelect}.
     *
     * @param fd       socket
     * @param msg      native {@code struct msghdr} with {@code msg_namelen} and {@code msg_controllen} set
     * @param bufGroup the provided-buffer group
     * @param flags    {@code MSG_*}
     * @return this entry
     */
    public Sqe prepRecvmsgMultishot(int fd, MemorySegment msg, int bufGroup, int flags) {
        prepRecvmsg(fd, msg, flags);
        ioprio(RECV_MULTISHOT);
        return bufferSelect(bufGroup);
    }

    /**
     * {@code IORING_OP_READ_MULTISHOT} (Linux 6.7): a multishot read of a pollable file (pipe, socket, eventfd, tty;
     * a regular file gives {@code -EBADFD}) into buffers the kernel picks from buffer group {@code bufGroup}; posts
     * a completion, with {@code IORING_CQE_F_MORE}, each time data can be read. The stream ends at EOF
     * ({@code res} 0), on an error ({@code -ENOBUFS} when the group runs out), or on cancellation.
     *
     * @param fd       pollable file descriptor
     * @param nbytes   0: each read fills at most one buffer of the group (kernels since late 2023, 6.18 among
     *                 them, answer {@code -EINVAL} for any other value; liburing keeps the parameter)
     * @param offset   file offset, or -1 (0 for a stream)
     * @param bufGroup the provided-buffer group
     * @return this entry
     */
    public Sqe prepReadMultishot(int fd, int nbytes, long offset, int bufGroup) {
        prepRw(OP_READ_MULTISHOT, fd, 0L, nbytes, offset);
        return bufferSelect(bufGroup);
    }

    /**
     * {@code IORING_OP_TIMEOUT} with {@code IORING_TIMEOUT_MULTISHOT} (Linux 6.4): fires every {@code ts}, each time
     * posting {@code -ETIME} with {@code IORING_CQE_F_MORE}; after {@code count} expirations (0: never) the last one
     * comes without {@code F_MORE}. Remove it with {@link #prepTimeoutRemove}. It cannot be combined with
     * {@code IORING_TIMEOUT_ABS} ({@code -EINVAL}).
     *
     * @param ts    native {@code struct __kernel_timespec}, the period
     * @param count expirations before it ends, or 0 for no end
     * @param flags extra {@code IORING_TIMEOUT_*} clock flags ({@code _MULTISHOT} is added)
     * @return this entry
     */
    public Sqe prepTimeoutMultishot(MemorySegment ts, int count, int flags) {
        prepRw(OP_TIMEOUT, -1, address(ts, TIMESPEC_SIZE, "__kernel_timespec"), 1, Integer.toUnsignedLong(count));
        return opFlags(flags | TIMEOUT_MULTISHOT);
    }

    /** The {@code file_index} of a direct descriptor: slot + 1, or {@code IORING_FILE_INDEX_ALLOC} as it is. */
    private static int directSlot(int fileIndex) {
        return fileIndex == FILE_INDEX_ALLOC ? fileIndex : fileIndex + 1;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Setters (call after the prep method)
    // ---------------------------------------------------------------------------------------------------------------

    /**
     * Sets {@code user_data}, the 64-bit value the kernel copies into this request's completion(s).
     *
     * @param userData any value
     * @return this entry
     */
    public Sqe userData(long userData) {
        mem.set(JAVA_LONG, base + USER_DATA, userData);
        return this;
    }

    /**
     * Replaces the {@code IOSQE_*} flags byte.
     *
     * @param iosqeFlags {@code IOSQE_*} bits
     * @return this entry
     */
    public Sqe flags(int iosqeFlags) {
        mem.set(JAVA_BYTE, base + FLAGS, (byte) Unsigned.checkU8(iosqeFlags, "IOSQE flags"));
        return this;
    }

    private Sqe orFlag(int bit) {
        long o = base + FLAGS;
        mem.set(JAVA_BYTE, o, (byte) (mem.get(JAVA_BYTE, o) | bit));
        return this;
    }

    /**
     * {@code IOSQE_FIXED_FILE} (Linux 5.1): the fd is an index into the registered file table
     * ({@link IoUring#registerFiles(int...)}).
     *
     * @return this entry
     */
    public Sqe fixedFile() {
        return orFlag(IOSQE_FIXED_FILE);
    }

    /**
     * {@code IOSQE_IO_DRAIN} (Linux 5.2): start this request only after every earlier one has completed, and start
     * later ones only after this one.
     *
     * @return this entry
     */
    public Sqe ioDrain() {
        return orFlag(IOSQE_IO_DRAIN);
    }

    /**
     * {@code IOSQE_IO_LINK} (Linux 5.3): the next entry starts only after this one has completed successfully; if
     * this one fails (or completes short for reads/writes), the rest of the chain completes with {@code -ECANCELED}.
     * The chain ends at the first entry without this flag.
     *
     * @return this entry
     */
    public Sqe ioLink() {
        return orFlag(IOSQE_IO_LINK);
    }

    /**
     * {@code IOSQE_IO_HARDLINK} (Linux 5.5): like {@link #ioLink()}, but the chain goes on even if this one fails.
     *
     * @return this entry
     */
    public Sqe ioHardlink() {
        return orFlag(IOSQE_IO_HARDLINK);
    }

    /**
     * {@code IOSQE_ASYNC} (Linux 5.6): do not try the request inline; hand it to an io-wq worker at once.
     *
     * @return this entry
     */
    public Sqe async() {
        return orFlag(IOSQE_ASYNC);
    }

    /**
     * {@code IOSQE_BUFFER_SELECT} (Linux 5.7): the kernel picks the buffer from provided-buffer group
     * {@code bufGroup}; the completion's {@link Cqe#bufferId()} names it.
     *
     * @param bufGroup the buffer group id ({@code __u16})
     * @return this entry
     */
    public Sqe bufferSelect(int bufGroup) {
        mem.set(JAVA_SHORT, base + BUF_INDEX, (short) Unsigned.checkU16(bufGroup, "buffer group"));
        return orFlag(IOSQE_BUFFER_SELECT);
    }

    /**
     * {@code IOSQE_CQE_SKIP_SUCCESS} (Linux 5.17): post no completion if the request succeeds.
     *
     * @return this entry
     */
    public Sqe cqeSkipSuccess() {
        return orFlag(IOSQE_CQE_SKIP_SUCCESS);
    }

    /**
     * Sets {@code ioprio} (an I/O priority for reads and writes; per-opcode flags for accept, recv, send ...).
     *
     * @param ioprio the value ({@code __u16})
     * @return this entry
     */
    public Sqe ioprio(int ioprio) {
        mem.set(JAVA_SHORT, base + IOPRIO, (short) Unsigned.checkU16(ioprio, "ioprio"));
        return this;
    }

    /**
     * Sets the per-opcode 32-bit flags union: {@code rw_flags} ({@code RWF_*}), {@code fsync_flags},
     * {@code poll32_events}, {@code timeout_flags}, {@code msg_flags}, {@code open_flags},
     * {@code uring_cmd_flags} and so on.
     *
     * @param flags the value
     * @return this entry
     */
    public Sqe opFlags(int flags) {
        mem.set(JAVA_INT, base + OP_FLAGS, flags);
        return this;
    }

    /**
     * Sets {@code rw_flags} ({@code RWF_HIPRI}, {@code RWF_NOWAIT} ...) of a read or write; the same field as
     * {@link #opFlags(int)}.
     *
     * @param rwFlags {@code RWF_*}
     * @return this entry
     */
    public Sqe rwFlags(int rwFlags) {
        return opFlags(rwFlags);
    }

    /**
     * Sets {@code buf_index}: the registered buffer of a fixed read/write or of a {@code uring_cmd} with
     * {@code IORING_URING_CMD_FIXED}.
     *
     * @param bufIndex the index ({@code __u16})
     * @return this entry
     */
    public Sqe bufIndex(int bufIndex) {
        mem.set(JAVA_SHORT, base + BUF_INDEX, (short) Unsigned.checkU16(bufIndex, "buffer index"));
        return this;
    }

    /**
     * Sets {@code personality}: run the request with the credentials registered as this id
     * ({@link IoUring#registerPersonality()}).
     *
     * @param personality the id ({@code __u16})
     * @return this entry
     */
    public Sqe personality(int personality) {
        mem.set(JAVA_SHORT, base + PERSONALITY, (short) Unsigned.checkU16(personality, "personality"));
        return this;
    }

    /**
     * Sets the raw 32-bit union at offset 44: {@code file_index} (a direct descriptor slot <em>plus one</em>),
     * {@code splice_fd_in}, {@code optlen} or {@code addr_len}.
     *
     * @param value the raw value
     * @return this entry
     */
    public Sqe fileIndex(int value) {
        mem.set(JAVA_INT, base + FILE_INDEX, value);
        return this;
    }

    /**
     * Sets the raw {@code addr} field.
     *
     * @param addr the value
     * @return this entry
     */
    public Sqe addr(long addr) {
        mem.set(JAVA_LONG, base + ADDR, addr);
        return this;
    }

    /**
     * Sets the raw {@code off} field (also {@code addr2}; for a uring_cmd its low half is {@code cmd_op}).
     *
     * @param off the value
     * @return this entry
     */
    public Sqe off(long off) {
        mem.set(JAVA_LONG, base + OFF, off);
        return this;
    }

    /**
     * Sets the raw {@code len} field.
     *
     * @param len the value
     * @return this entry
     */
    public Sqe len(int len) {
        mem.set(JAVA_INT, base + LEN, len);
        return this;
    }

    /**
     * Sets the raw {@code addr3} field (the first 8 bytes of the command area).
     *
     * @param addr3 the value
     * @return this entry
     */
    public Sqe addr3(long addr3) {
        mem.set(JAVA_LONG, base + ADDR3, addr3);
        return this;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Getters
    // ---------------------------------------------------------------------------------------------------------------

    /**
     * The command area of this entry, {@code cmd[]} at offset 48: 16 bytes, or 80 on an
     * {@code IORING_SETUP_SQE128} ring. A view created once per slot; writing to it writes into the ring.
     *
     * @return the command area
     */
    public MemorySegment cmd() {
        return cmd;
    }

    /**
     * Size of the command area: 16, or 80 on an SQE128 ring.
     *
     * @return bytes
     */
    public int cmdCapacity() {
        return (int) cmd.byteSize();
    }

    /**
     * This entry's index in the SQE array.
     *
     * @return the slot index
     */
    public int index() {
        return index;
    }

    /**
     * The opcode.
     *
     * @return {@code IORING_OP_*}
     */
    public int opcode() {
        return Byte.toUnsignedInt(mem.get(JAVA_BYTE, base + OPCODE));
    }

    /**
     * The {@code IOSQE_*} flags.
     *
     * @return the flags byte
     */
    public int flags() {
        return Byte.toUnsignedInt(mem.get(JAVA_BYTE, base + FLAGS));
    }

    /**
     * The {@code ioprio} field.
     *
     * @return the value
     */
    public int ioprio() {
        return Short.toUnsignedInt(mem.get(JAVA_SHORT, base + IOPRIO));
    }

    /**
     * The {@code fd} field.
     *
     * @return the value
     */
    public int fd() {
        return mem.get(JAVA_INT, base + FD);
    }

    /**
     * The {@code off} field.
     *
     * @return the value
     */
    public long off() {
        return mem.get(JAVA_LONG, base + OFF);
    }

    /**
     * The {@code cmd_op} field (low half of {@code off}), a {@code __u32} held in an {@code int}: compare with
     * {@code (int) Uapi.NVME_URING_CMD_IO()} or use {@code Integer.toUnsignedLong}.
     *
     * @return the value
     */
    public int cmdOp() {
        return mem.get(JAVA_INT, base + CMD_OP);
    }

    /**
     * The {@code addr} field.
     *
     * @return the value
     */
    public long addr() {
        return mem.get(JAVA_LONG, base + ADDR);
    }

    /**
     * The {@code len} field.
     *
     * @return the value
     */
    public int len() {
        return mem.get(JAVA_INT, base + LEN);
    }

    /**
     * The per-opcode flags union ({@code rw_flags} ...).
     *
     * @return the value
     */
    public int opFlags() {
        return mem.get(JAVA_INT, base + OP_FLAGS);
    }

    /**
     * The {@code user_data} field.
     *
     * @return the value
     */
    public long userData() {
        return mem.get(JAVA_LONG, base + USER_DATA);
    }

    /**
     * The {@code buf_index} / {@code buf_group} field.
     *
     * @return the value
     */
    public int bufIndex() {
        return Short.toUnsignedInt(mem.get(JAVA_SHORT, base + BUF_INDEX));
    }

    /**
     * The {@code personality} field.
     *
     * @return the value
     */
    public int personality() {
        return Short.toUnsignedInt(mem.get(JAVA_SHORT, base + PERSONALITY));
    }

    /**
     * The raw union at offset 44 ({@code file_index}, {@code splice_fd_in}, {@code optlen} ...).
     *
     * @return the value
     */
    public int fileIndex() {
        return mem.get(JAVA_INT, base + FILE_INDEX);
    }

    /**
     * The {@code addr3} field.
     *
     * @return the value
     */
    public long addr3() {
        return mem.get(JAVA_LONG, base + ADDR3);
    }

    @Override
    public String toString() {
        return "Sqe[" + index + ": opcode=" + opcode() + ", flags=0x" + Integer.toHexString(flags()) + ", fd=" + fd()
                + ", off=" + off() + ", addr=0x" + Long.toHexString(addr()) + ", len=" + Integer.toUnsignedString(len())
                + ", opFlags=0x" + Integer.toHexString(opFlags()) + ", userData=" + userData() + "]";
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Argument checks
    // ---------------------------------------------------------------------------------------------------------------

    private static long address(MemorySegment seg, String what) {
        if (!seg.isNative()) {
            throw new IllegalArgumentException(what + " must be native memory (the kernel reads it by address), "
                    + "but is a heap segment");
        }
        if (!seg.scope().isAlive()) {
            throw new IllegalStateException(what + " belongs to a closed arena");
        }
        return seg.address();
    }

    /** Checks that {@code seg} is native, alive and at least {@code need} bytes. */
    private static long address(MemorySegment seg, long need, String what) {
        long a = address(seg, what);
        if (seg.byteSize() < need) {
            throw new IllegalArgumentException(what + " is " + seg.byteSize() + " bytes, needs at least " + need);
        }
        return a;
    }

    /** Checks that {@code seg} is native, alive and at least {@code len} (a {@code __u32}) bytes. */
    private static long address(MemorySegment seg, int len, String what) {
        return address(seg, Integer.toUnsignedLong(len), what);
    }

    /**
     * The segment's size as a {@code __u32}. The message is built only on failure: a {@code what + " size"} built
     * before the call allocated on every prep that the JIT did not inline whole (seen for bind and fsetxattr).
     */
    private static int lengthOf(MemorySegment seg, String what) {
        long n = seg.byteSize();
        if ((n & ~Unsigned.U32_MAX) != 0) {
            throw new IllegalArgumentException(what + " size must be in [0, 2^32-1] (a __u32), got " + n);
        }
        return (int) n;
    }

    private static long cString(MemorySegment path, String what) {
        long a = address(path, what);
        long n = path.byteSize();
        for (long i = 0; i < n; i++) {
            if (path.get(JAVA_BYTE, i) == 0) {
                return a;
            }
        }
        throw new IllegalArgumentException(what + " must be a NUL-terminated C string (Arena.allocateFrom(String)), "
                + "but its " + n + " bytes hold no NUL");
    }

    // ---- buffer rings and zero-copy send ----
    // Receives and reads that take their buffer from a buffer ring (BufferRing), bundles, and zero-copy sends.

    private static final int OP_SEND_ZC = Uapi.IORING_OP_SEND_ZC();
    private static final int OP_SENDMSG_ZC = Uapi.IORING_OP_SENDMSG_ZC();
    private static final int RECV_MULTISHOT = Uapi.IORING_RECV_MULTISHOT();
    private static final int RECVSEND_BUNDLE = Uapi.IORING_RECVSEND_BUNDLE();
    private static final int RECVSEND_FIXED_BUF = Uapi.IORING_RECVSEND_FIXED_BUF();

    /**
     * {@code IORING_OP_RECV} with {@code IOSQE_BUFFER_SELECT} (buffer rings: Linux 5.19): receives into a buffer
     * the kernel takes from buffer group {@code bufGroup} (a {@link BufferRing}) when data is there, up to that
     * buffer's size. The completion has {@link Cqe#hasBuffer()} and names the buffer ({@link Cqe#bufferId()});
     * {@link BufferRing#consume(Cqe)} says where its bytes are. With {@link #recvsendBundle()} (Linux 6.10) one
     * completion may fill several buffers.
     *
     * @param fd       socket
     * @param bufGroup the buffer group ({@link BufferRing#groupId()})
     * @param msgFlags {@code MSG_*}
     * @return this entry
     */
    public Sqe prepRecvSelect(int fd, int bufGroup, int msgFlags) {
        prepRw(OP_RECV, fd, 0L, 0, 0L);
        opFlags(msgFlags);
        return bufferSelect(bufGroup);
    }

    /**
     * Multishot {@code IORING_OP_RECV} ({@code IORING_RECV_MULTISHOT}, Linux 6.0) from buffer group
     * {@code bufGroup}: one request that posts a completion, with its own buffer, each time data arrives. Every
     * completion but the last has {@link Cqe#hasMore()}; the stream ends (a completion without it) at end of file
     * ({@code res == 0}), on an error, and with {@code -ENOBUFS} when the group has no buffer left: give buffers back
     * ({@link BufferRing#recycle(int)}) and submit the request again to go on. {@code MSG_WAITALL} is refused
     * ({@code -EINVAL}).
     *
     * @param fd       socket
     * @param bufGroup the buffer group ({@link BufferRing#groupId()})
     * @param msgFlags {@code MSG_*}
     * @return this entry
     */
    public Sqe prepRecvMultishotSelect(int fd, int bufGroup, int msgFlags) {
        prepRecvSelect(fd, bufGroup, msgFlags);
        return ioprio(RECV_MULTISHOT);
    }

    /**
     * {@code IORING_OP_READ} with {@code IOSQE_BUFFER_SELECT} (Linux 5.7; buffer rings 5.19): reads at most one
     * buffer's size into a buffer the kernel takes from group {@code bufGroup}.
     *
     * @param fd       file
     * @param bufGroup the buffer group ({@link BufferRing#groupId()})
     * @param offset   file offset, or -1 for the file position
     * @return this entry
     */
    public Sqe prepReadSelect(int fd, int bufGroup, long offset) {
        prepRw(OP_READ, fd, 0L, 0, offset);
        return bufferSelect(bufGroup);
    }

    /**
     * {@code IORING_OP_SEND} of a bundle (Linux 6.10, {@code IORING_FEAT_RECVSEND_BUNDLE}): sends the data of the
     * buffers queued in buffer group {@code bufGroup}, in ring order from its head, as many as are there, in one
     * request. Fill a buffer, then add it to the ring ({@link BufferRing#recycle(int)}) with its length
     * ({@link BufferRing#recycle(int, int)}); the completion names the first buffer sent and {@code res} the bytes
     * sent: {@link BufferRing#consume(Cqe)} tells which buffers those were, and they are the application's again
     * (after a short send, the last one listed went only in part: {@link BufferRing#consumedLength(int)} says how
     * much).
     *
     * @param fd       socket
     * @param bufGroup the buffer group ({@link BufferRing#groupId()})
     * @param msgFlags {@code MSG_*}
     * @return this entry
     */
    public Sqe prepSendBundle(int fd, int bufGroup, int msgFlags) {
        prepRw(OP_SEND, fd, 0L, 0, 0L);
        opFlags(msgFlags);
        bufferSelect(bufGroup);
        return ioprio(RECVSEND_BUNDLE);
    }

    /**
     * Adds {@code IORING_RECVSEND_BUNDLE} (Linux 6.10, {@code IORING_FEAT_RECVSEND_BUNDLE}) to a receive that
     * selects its buffer ({@link #prepRecvSelect}, {@link #prepRecvMultishotSelect}): one completion may then fill
     * several buffers of the ring, consecutive in ring order from the one {@link Cqe#bufferId()} names;
     * {@link BufferRing#consume(Cqe)} lists them. Call after the prep method.
     *
     * @return this entry
     */
    public Sqe recvsendBundle() {
        return ioprio(ioprio() | RECVSEND_BUNDLE);
    }

    /**
     * {@code IORING_OP_SEND_ZC} (Linux 6.0): {@code send(fd, buf, buf.byteSize(), msgFlags)} without copying the data
     * into the kernel; the network stack reads {@code buf} while it transmits. Two completions, in this order:
     * <ol>
     * <li>the result ({@code res}: bytes sent or {@code -errno}), with {@link Cqe#hasMore()} set if a notification
     *     follows;</li>
     * <li>the notification, {@link Cqe#isNotification()}, same {@code user_data}, {@code res} 0 (with
     *     {@code IORING_SEND_ZC_REPORT_USAGE}: {@code IORING_NOTIF_USAGE_ZC_COPIED} set if the kernel copied after
     *     all).</li>
     * </ol>
     * {@code buf} must not be written or freed before the notification: until then the kernel may still read it
     * (the first completion only says the data is queued). {@link ZeroCopySend} keeps that rule.
     *
     * @param fd       socket
     * @param buf      native data; its whole size is the length
     * @param msgFlags {@code MSG_*}
     * @param zcFlags  {@code IORING_RECVSEND_POLL_FIRST}, {@code IORING_SEND_ZC_REPORT_USAGE} (Linux 6.2)
     * @return this entry
     */
    public Sqe prepSendZc(int fd, MemorySegment buf, int msgFlags, int zcFlags) {
        return prepSendZc(fd, address(buf, "send buffer"), lengthOf(buf, "send buffer"), msgFlags, zcFlags);
    }

    /**
     * {@code IORING_OP_SEND_ZC} (Linux 6.0) from raw memory; see {@link #prepSendZc(int, MemorySegment, int, int)}.
     *
     * @param fd       socket
     * @param addr     data address
     * @param len      bytes to send
     * @param msgFlags {@code MSG_*}
     * @param zcFlags  {@code IORING_RECVSEND_POLL_FIRST}, {@code IORING_SEND_ZC_REPORT_USAGE}
     * @return this entry
     */
    public Sqe prepSendZc(int fd, long addr, int len, int msgFlags, int zcFlags) {
        prepRw(OP_SEND_ZC, fd, addr, len, 0L);
        opFlags(msgFlags);
        return ioprio(zcFlags);
    }

    /**
     * {@code IORING_OP_SEND_ZC} from a registered buffer ({@code IORING_RECVSEND_FIXED_BUF}, Linux 6.0):
     * {@code buf} must lie inside registered buffer {@code bufIndex} ({@link IoUring#registerBuffers}); the kernel
     * skips pinning the pages. Same two-completion protocol as
     * {@link #prepSendZc(int, MemorySegment, int, int)}.
     *
     * @param fd       socket
     * @param buf      native data inside the registered buffer; its whole size is the length
     * @param msgFlags {@code MSG_*}
     * @param zcFlags  {@code IORING_RECVSEND_POLL_FIRST}, {@code IORING_SEND_ZC_REPORT_USAGE}
     * @param bufIndex the registered buffer's index
     * @return this entry
     */
    public Sqe prepSendZcFixed(int fd, MemorySegment buf, int msgFlags, int zcFlags, int bufIndex) {
        prepSendZc(fd, buf, msgFlags, zcFlags | RECVSEND_FIXED_BUF);
        return bufIndex(bufIndex);
    }

    /**
     * {@code IORING_OP_SENDMSG_ZC} (Linux 6.1): {@code sendmsg(fd, msg, msgFlags)} without copying the data; the
     * same two completions as {@link #prepSendZc(int, MemorySegment, int, int)}. The {@code msghdr}, its iovecs and
     * their data must stay untouched until the notification.
     *
     * @param fd       socket
     * @param msg      native {@code struct msghdr}
     * @param msgFlags {@code MSG_*}
     * @param zcFlags  {@code IORING_RECVSEND_POLL_FIRST}, {@code IORING_SEND_ZC_REPORT_USAGE}
     * @return this entry
     */
    public Sqe prepSendmsgZc(int fd, MemorySegment msg, int msgFlags, int zcFlags) {
        prepRw(OP_SENDMSG_ZC, fd, address(msg, MSGHDR_SIZE, "struct msghdr"), 1, 0L);
        opFlags(msgFlags);
        return ioprio(zcFlags);
    }

    // ---- 128-byte SQEs in mixed rings ----
    // The 128-byte opcodes of IORING_SETUP_SQE_MIXED rings (Linux 6.19, include/uapi/linux/io_uring.h:
    // IORING_OP_NOP128, IORING_OP_URING_CMD128): the kernel takes two 64-byte slots for them, so they must be
    // prepared in an entry from IoUring.getSqe128() (which never wraps). On an IORING_SETUP_SQE128 ring they work too.

    /**
     * {@code IORING_OP_NOP128} (Linux 6.19): a NOP that takes a 128-byte SQE, to test a mixed ring's layout. Prepare it
     * in an entry from {@link IoUring#getSqe128()}.
     *
     * @return this entry
     */
    public Sqe prepNop128() {
        return prepRw(Uapi.IORING_OP_NOP128(), -1, 0L, 0, 0L);
    }

    /**
     * {@code IORING_OP_URING_CMD128} (Linux 6.19): {@link #prepUringCmd(long, int)} with the 80-byte command area of a
     * 128-byte SQE, in a mixed ring (NVMe passthrough's 72-byte command without making every slot 128 bytes). Prepare
     * it in an entry from {@link IoUring#getSqe128()}; the whole command area is zeroed.
     *
     * @param cmdOp the driver's command, a {@code __u32}
     * @param fd    the device or socket
     * @return this entry
     * @throws IllegalArgumentException if {@code cmdOp} does not fit 32 bits
     * @throws IllegalStateException    if this is a 64-byte entry (from {@link IoUring#getSqe()} on a mixed ring)
     */
    public Sqe prepUringCmd128(long cmdOp, int fd) {
        if (cmd.byteSize() + CMD != 2L * SQE_SIZE) {
            throw new IllegalStateException("URING_CMD128 needs a 128-byte entry: take it from IoUring.getSqe128()");
        }
        int op = Unsigned.checkU32(cmdOp, "uring_cmd cmd_op");
        prepRw(Uapi.IORING_OP_URING_CMD128(), fd, 0L, 0, 0L);
        mem.set(JAVA_INT, base + CMD_OP, op);
        cmd.fill((byte) 0);
        return this;
    }
}
