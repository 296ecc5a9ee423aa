package io.github.jring.core;

import io.github.jring.bindings.Uapi;
import io.github.jring.bindings.io_uring_buf_reg;
import io.github.jring.bindings.io_uring_buf_status;
import io.github.jring.bindings.io_uring_files_update;
import io.github.jring.bindings.io_uring_probe;
import io.github.jring.bindings.io_uring_probe_op;
import io.github.jring.bindings.io_uring_rsrc_register;
import io.github.jring.bindings.io_uring_rsrc_update;
import io.github.jring.bindings.io_uring_rsrc_update2;
import io.github.jring.bindings.iovec;
import io.github.jring.bindings.io_uring_clock_register;
import io.github.jring.bindings.io_uring_clone_buffers;
import io.github.jring.bindings.io_uring_file_index_range;
import io.github.jring.bindings.io_uring_mem_region_reg;
import io.github.jring.bindings.io_uring_napi;
import io.github.jring.bindings.io_uring_region_desc;
import io.github.jring.bindings.io_uring_restriction;
import io.github.jring.bindings.io_uring_sync_cancel_reg;
import io.github.jring.core.internal.Syscalls;
import io.github.jring.core.internal.Unsigned;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.BitSet;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Everything {@code io_uring_register} does for a ring: fixed buffers and files, the ring fd's own registration,
 * the opcode probe, personalities, enabling a disabled ring, the eventfd. Each call builds its argument in a confined
 * arena of its own (registration is not on the hot path) and turns a negative result into an
 * {@link ErrnoException} naming the opcode. The public documentation of each is on {@link IoUring}.
 */
final class Registrar {

    /** Probe size: {@code struct io_uring_probe} with room for 256 ops (the opcode is a {@code __u8}). */
    private static final int PROBE_OPS = 256;

    private final int ringFd;

    Registrar(int ringFd) {
        this.ringFd = ringFd;
    }

    private int register(String what, int opcode, long arg, int nrArgs) throws ErrnoException {
        int ret = Syscalls.ioUringRegister(ringFd, opcode, arg, nrArgs);
        if (ret < 0) {
            throw new ErrnoException("io_uring_register(" + what + ")", -ret);
        }
        return ret;
    }

    private static MemorySegment iovecs(Arena arena, MemorySegment[] buffers) {
        MemorySegment iov = arena.allocate(iovec.layout(), Math.max(1, buffers.length));
        long size = iovec.layout().byteSize();
        for (int i = 0; i < buffers.length; i++) {
            MemorySegment b = buffers[i];
            MemorySegment slot = iov.asSlice(i * size, size);
            if (b == null) {
                iovec.iov_base(slot, MemorySegment.NULL);
                iovec.iov_len(slot, 0L);
                continue;
            }
            if (!b.isNative()) {
                throw new IllegalArgumentException("buffer " + i + " must be native memory to be registered");
            }
            if (!b.scope().isAlive()) {
                throw new IllegalStateException("buffer " + i + " belongs to a closed arena");
            }
            iovec.iov_base(slot, b);
            iovec.iov_len(slot, b.byteSize());
        }
        return iov;
    }

    void registerBuffers(MemorySegment[] buffers) throws ErrnoException {
        if (buffers.length == 0) {
            throw new IllegalArgumentException("registerBuffers needs at least one buffer");
        }
        try (Arena tmp = Arena.ofConfined()) {
            register("IORING_REGISTER_BUFFERS", Uapi.IORING_REGISTER_BUFFERS(), iovecs(tmp, buffers).address(),
                    buffers.length);
        }
    }

    void registerBuffersSparse(int nr) throws ErrnoException {
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment rr = tmp.allocate(io_uring_rsrc_register.layout());
            io_uring_rsrc_register.nr(rr, Unsigned.checkU32(nr, "nr"));
            io_uring_rsrc_register.flags(rr, Uapi.IORING_RSRC_REGISTER_SPARSE());
            register("IORING_REGISTER_BUFFERS2 sparse", Uapi.IORING_REGISTER_BUFFERS2(), rr.address(),
                    (int) rr.byteSize());
        }
    }

    int updateBuffers(int offset, MemorySegment[] buffers) throws ErrnoException {
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment up = tmp.allocate(io_uring_rsrc_update2.layout());
            io_uring_rsrc_update2.offset(up, offset);
            io_uring_rsrc_update2.data(up, iovecs(tmp, buffers).address());
            io_uring_rsrc_update2.nr(up, buffers.length);
            return register("IORING_REGISTER_BUFFERS_UPDATE", Uapi.IORING_REGISTER_BUFFERS_UPDATE(), up.address(),
                    (int) up.byteSize());
        }
    }

    void unregisterBuffers() throws ErrnoException {
        register("IORING_UNREGISTER_BUFFERS", Uapi.IORING_UNREGISTER_BUFFERS(), 0L, 0);
    }

    void registerFiles(int[] fds) throws ErrnoException {
        if (fds.length == 0) {
            throw new IllegalArgumentException("registerFiles needs at least one fd (or use registerFilesSparse)");
        }
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment arr = tmp.allocateFrom(JAVA_INT, fds);
            register("IORING_REGISTER_FILES", Uapi.IORING_REGISTER_FILES(), arr.address(), fds.length);
        }
    }

    void registerFilesSparse(int nr) throws ErrnoException {
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment rr = tmp.allocate(io_uring_rsrc_register.layout());
            io_uring_rsrc_register.nr(rr, Unsigned.checkU32(nr, "nr"));
            io_uring_rsrc_register.flags(rr, Uapi.IORING_RSRC_REGISTER_SPARSE());
            register("IORING_REGISTER_FILES2 sparse", Uapi.IORING_REGISTER_FILES2(), rr.address(),
                    (int) rr.byteSize());
        }
    }

    int updateFiles(int offset, int[] fds) throws ErrnoException {
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment arr = tmp.allocateFrom(JAVA_INT, fds.length == 0 ? new int[1] : fds);
            MemorySegment up = tmp.allocate(io_uring_files_update.layout());
            io_uring_files_update.offset(up, offset);
            io_uring_files_update.fds(up, arr.address());
            return register("IORING_REGISTER_FILES_UPDATE", Uapi.IORING_REGISTER_FILES_UPDATE(), up.address(),
                    fds.length);
        }
    }

    void unregisterFiles() throws ErrnoException {
        register("IORING_UNREGISTER_FILES", Uapi.IORING_UNREGISTER_FILES(), 0L, 0);
    }

    /** Registers the ring fd for the calling task; returns the index the kernel picked. */
    int registerRingFd() throws ErrnoException {
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment up = tmp.allocate(io_uring_rsrc_update.layout());
            io_uring_rsrc_update.offset(up, -1); // let the kernel pick a slot
            io_uring_rsrc_update.data(up, ringFd);
            register("IORING_REGISTER_RING_FDS", Uapi.IORING_REGISTER_RING_FDS(), up.address(), 1);
            return io_uring_rsrc_update.offset(up);
        }
    }

    void unregisterRingFd(int index) throws ErrnoException {
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment up = tmp.allocate(io_uring_rsrc_update.layout());
            io_uring_rsrc_update.offset(up, index);
            register("IORING_UNREGISTER_RING_FDS", Uapi.IORING_UNREGISTER_RING_FDS(), up.address(), 1);
        }
    }

    Probe probe() throws ErrnoException {
        try (Arena tmp = Arena.ofConfined()) {
            long opSize = io_uring_probe_op.layout().byteSize();
            MemorySegment p = tmp.allocate(io_uring_probe.layout().byteSize() + PROBE_OPS * opSize, 8);
            register("IORING_REGISTER_PROBE", Uapi.IORING_REGISTER_PROBE(), p.address(), PROBE_OPS);
            int lastOp = Byte.toUnsignedInt(io_uring_probe.last_op(p));
            int opsLen = Byte.toUnsignedInt(io_uring_probe.ops_len(p));
            boolean[] supported = new boolean[PROBE_OPS];
            long ops = io_uring_probe.ops$offset();
            int flagSupported = Uapi.IO_URING_OP_SUPPORTED();
            for (int i = 0; i < opsLen; i++) {
                MemorySegment op = p.asSlice(ops + i * opSize, opSize);
                int code = Byte.toUnsignedInt(io_uring_probe_op.op(op));
                if ((io_uring_probe_op.flags(op) & flagSupported) != 0) {
                    supported[code] = true;
                }
            }
            return new Probe(lastOp, supported);
        }
    }

    int registerPersonality() throws ErrnoException {
        return register("IORING_REGISTER_PERSONALITY", Uapi.IORING_REGISTER_PERSONALITY(), 0L, 0);
    }

    void unregisterPersonality(int id) throws ErrnoException {
        register("IORING_UNREGISTER_PERSONALITY", Uapi.IORING_UNREGISTER_PERSONALITY(), 0L, id);
    }

    void enableRings() throws ErrnoException {
        register("IORING_REGISTER_ENABLE_RINGS", Uapi.IORING_REGISTER_ENABLE_RINGS(), 0L, 0);
    }

    void registerEventFd(int eventFd) throws ErrnoException {
        try (Arena tmp = Arena.ofConfined()) {
            register("IORING_REGISTER_EVENTFD", Uapi.IORING_REGISTER_EVENTFD(),
                    tmp.allocateFrom(JAVA_INT, eventFd).address(), 1);
        }
    }

    void unregisterEventFd() throws ErrnoException {
        register("IORING_UNREGISTER_EVENTFD", Uapi.IORING_UNREGISTER_EVENTFD(), 0L, 0);
    }

    // ---- buffer rings (used by BufferRing) ----

    /**
     * {@code IORING_REGISTER_PBUF_RING} (Linux 5.19): registers {@code entries} ring entries at {@code ringAddr}
     * (page-aligned, {@code entries * 16} bytes) as buffer group {@code groupId}; {@code flags} are
     * {@code IOU_PBUF_RING_*}.
     */
    void registerPbufRing(long ringAddr, int entries, int groupId, int flags) throws ErrnoException {
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment reg = tmp.allocate(io_uring_buf_reg.layout());
            io_uring_buf_reg.ring_addr(reg, ringAddr);
            io_uring_buf_reg.ring_entries(reg, entries);
            io_uring_buf_reg.bgid(reg, (short) Unsigned.checkU16(groupId, "buffer group"));
            io_uring_buf_reg.flags(reg, (short) Unsigned.checkU16(flags, "IOU_PBUF_RING flags"));
            register("IORING_REGISTER_PBUF_RING", Uapi.IORING_REGISTER_PBUF_RING(), reg.address(), 1);
        }
    }

    /** {@code IORING_UNREGISTER_PBUF_RING} (Linux 5.19). */
    void unregisterPbufRing(int groupId) throws ErrnoException {
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment reg = tmp.allocate(io_uring_buf_reg.layout());
            io_uring_buf_reg.bgid(reg, (short) Unsigned.checkU16(groupId, "buffer group"));
            register("IORING_UNREGISTER_PBUF_RING", Uapi.IORING_UNREGISTER_PBUF_RING(), reg.address(), 1);
        }
    }

    /** {@code IORING_REGISTER_PBUF_STATUS} (Linux 6.8): the kernel's head of buffer group {@code groupId}. */
    int pbufRingHead(int groupId) throws ErrnoException {
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment st = tmp.allocate(io_uring_buf_status.layout());
            io_uring_buf_status.buf_group(st, groupId);
            register("IORING_REGISTER_PBUF_STATUS", Uapi.IORING_REGISTER_PBUF_STATUS(), st.address(), 1);
            return io_uring_buf_status.head(st);
        }
    }

    // ---- Restrictions, io-wq, file-alloc range, sync cancel, clock, NAPI, clone buffers, send-msg-ring, regions ----

    void registerRestrictions(Restrictions r) throws ErrnoException {
        int[][] entries = r.entries();
        try (Arena tmp = Arena.ofConfined()) {
            long size = io_uring_restriction.layout().byteSize();
            MemorySegment arr = tmp.allocate(io_uring_restriction.layout(), Math.max(1, entries.length));
            for (int i = 0; i < entries.length; i++) {
                MemorySegment e = arr.asSlice(i * size, size);
                io_uring_restriction.opcode(e, (short) entries[i][0]);
                // register_op, sqe_op and sqe_flags share one byte (a union)
                io_uring_restriction.register_op(e, (byte) entries[i][1]);
            }
            register("IORING_REGISTER_RESTRICTIONS", Uapi.IORING_REGISTER_RESTRICTIONS(), arr.address(),
                    entries.length);
        }
    }

    /** Sets the io-wq worker limits (0 leaves one as it is) and returns the previous ones. */
    int[] ioWqMaxWorkers(int bounded, int unbounded) throws ErrnoException {
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment v = tmp.allocateFrom(JAVA_INT, bounded, unbounded);
            register("IORING_REGISTER_IOWQ_MAX_WORKERS", Uapi.IORING_REGISTER_IOWQ_MAX_WORKERS(), v.address(), 2);
            return new int[] {v.getAtIndex(JAVA_INT, 0), v.getAtIndex(JAVA_INT, 1)};
        }
    }

    void registerIoWqAffinity(BitSet cpus) throws ErrnoException {
        long[] words = cpus.toLongArray();
        if (words.length == 0) {
            throw new IllegalArgumentException("the io-wq affinity needs at least one CPU");
        }
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment mask = tmp.allocateFrom(JAVA_LONG, words);
            register("IORING_REGISTER_IOWQ_AFF", Uapi.IORING_REGISTER_IOWQ_AFF(), mask.address(),
                    (int) mask.byteSize());
        }
    }

    void unregisterIoWqAffinity() throws ErrnoException {
        register("IORING_UNREGISTER_IOWQ_AFF", Uapi.IORING_UNREGISTER_IOWQ_AFF(), 0L, 0);
    }

    void registerFileAllocRange(int offset, int length) throws ErrnoException {
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment r = tmp.allocate(io_uring_file_index_range.layout());
            io_uring_file_index_range.off(r, offset);
            io_uring_file_index_range.len(r, length);
            register("IORING_REGISTER_FILE_ALLOC_RANGE", Uapi.IORING_REGISTER_FILE_ALLOC_RANGE(), r.address(), 0);
        }
    }

    /** {@code IORING_REGISTER_SYNC_CANCEL}; {@code timeoutNanos < 0}: no limit. */
    int syncCancel(long userData, int fd, int flags, int opcode, long timeoutNanos) throws ErrnoException {
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment r = tmp.allocate(io_uring_sync_cancel_reg.layout());
            io_uring_sync_cancel_reg.addr(r, userData);
            io_uring_sync_cancel_reg.fd(r, fd);
            io_uring_sync_cancel_reg.flags(r, flags);
            io_uring_sync_cancel_reg.opcode(r, (byte) opcode);
            MemorySegment ts = io_uring_sync_cancel_reg.timeout(r);
            if (timeoutNanos < 0) {
                ts.set(JAVA_LONG, 0L, -1L); // {-1, -1}: wait as long as it takes
                ts.set(JAVA_LONG, 8L, -1L);
            } else {
                KernelTimespec.set(ts, timeoutNanos);
            }
            return register("IORING_REGISTER_SYNC_CANCEL", Uapi.IORING_REGISTER_SYNC_CANCEL(), r.address(), 1);
        }
    }

    void registerClock(int clockId) throws ErrnoException {
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment r = tmp.allocate(io_uring_clock_register.layout());
            io_uring_clock_register.clockid(r, clockId);
            register("IORING_REGISTER_CLOCK", Uapi.IORING_REGISTER_CLOCK(), r.address(), 0);
        }
    }

    /** Registers NAPI busy polling, or with {@code register == false} unregisters it; returns the settings before. */
    long napi(boolean register, int busyPollMicros, boolean preferBusyPoll) throws ErrnoException {
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment n = tmp.allocate(io_uring_napi.layout());
            io_uring_napi.busy_poll_to(n, busyPollMicros);
            io_uring_napi.prefer_busy_poll(n, (byte) (preferBusyPoll ? 1 : 0));
            if (register) {
                register("IORING_REGISTER_NAPI", Uapi.IORING_REGISTER_NAPI(), n.address(), 1);
            } else {
                register("IORING_UNREGISTER_NAPI", Uapi.IORING_UNREGISTER_NAPI(), n.address(), 1);
            }
            return Integer.toUnsignedLong(io_uring_napi.busy_poll_to(n))
                    | (io_uring_napi.prefer_busy_poll(n) != 0 ? 1L << 32 : 0L);
        }
    }

    void cloneBuffers(int srcRingFd, int srcOffset, int dstOffset, int nr, int flags) throws ErrnoException {
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment c = tmp.allocate(io_uring_clone_buffers.layout());
            io_uring_clone_buffers.src_fd(c, srcRingFd);
            io_uring_clone_buffers.flags(c, flags);
            io_uring_clone_buffers.src_off(c, srcOffset);
            io_uring_clone_buffers.dst_off(c, dstOffset);
            io_uring_clone_buffers.nr(c, nr);
            register("IORING_REGISTER_CLONE_BUFFERS", Uapi.IORING_REGISTER_CLONE_BUFFERS(), c.address(), 1);
        }
    }

    /** {@code IORING_REGISTER_SEND_MSG_RING}, "blind" (no ring of the caller's: fd -1) with a MSG_RING SQE. */
    static void sendMsgRing(int targetRingFd, int res, long userData, int flags) throws ErrnoException {
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment sqe = tmp.allocate(Sqe.SQE_SIZE, 8);
            new Sqe(sqe, 0, Sqe.SQE_SIZE).prepMsgRing(targetRingFd, res, userData, flags);
            int ret = Syscalls.ioUringRegister(-1, Uapi.IORING_REGISTER_SEND_MSG_RING(), sqe.address(), 1);
            if (ret < 0) {
                throw new ErrnoException("io_uring_register(IORING_REGISTER_SEND_MSG_RING)", -ret);
            }
        }
    }

    /**
     * {@code IORING_REGISTER_RESIZE_RINGS} (Linux 6.13): {@code params} is a {@code struct io_uring_params} with the
     * new {@code sq_entries} and {@code cq_entries}, {@code IORING_SETUP_CQSIZE}/{@code CLAMP} in {@code flags} and,
     * for a {@code NO_MMAP} ring, the new memory's addresses; the kernel writes the new sizes and offsets back into
     * it. On success the old rings are the kernel's no more.
     */
    void resizeRings(MemorySegment params) throws ErrnoException {
        int ret = Syscalls.ioUringRegister(ringFd, Uapi.IORING_REGISTER_RESIZE_RINGS(), params.address(), 1);
        if (ret < 0) {
            throw new ErrnoException("io_uring_register(IORING_REGISTER_RESIZE_RINGS)", -ret, resizeAdvice(-ret));
        }
    }

    /** What the kernel's refusals of a resize mean ({@code io_register_resize_rings}). */
    private static String resizeAdvice(int errno) {
        if (errno == Uapi.EINVAL()) {
            return "only a ring set up with IORING_SETUP_DEFER_TASKRUN can be resized, to 1 to 32768 SQ entries and"
                    + " at least as many CQ entries, at most 65536 (kernels before 6.13 know no resize at all)";
        } else if (errno == Uapi.EOVERFLOW()) {
            return "the new rings cannot hold the SQEs submitted and not consumed, or the CQEs not reaped: reap"
                    + " (or submit) first; the ring is unchanged";
        } else if (errno == Uapi.EEXIST()) {
            return "a SINGLE_ISSUER ring (DEFER_TASKRUN implies it) is resized only by its submitting thread";
        }
        return "";
    }

    /** Registers {@code region} (page-aligned native memory) as the ring's registered wait arguments. */
    void registerWaitRegion(MemorySegment region) throws ErrnoException {
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment d = tmp.allocate(io_uring_region_desc.layout());
            io_uring_region_desc.user_addr(d, region.address());
            io_uring_region_desc.size(d, region.byteSize());
            io_uring_region_desc.flags(d, Uapi.IORING_MEM_REGION_TYPE_USER());
            MemorySegment r = tmp.allocate(io_uring_mem_region_reg.layout());
            io_uring_mem_region_reg.region_uptr(r, d.address());
            io_uring_mem_region_reg.flags(r, Uapi.IORING_MEM_REGION_REG_WAIT_ARG());
            register("IORING_REGISTER_MEM_REGION", Uapi.IORING_REGISTER_MEM_REGION(), r.address(), 1);
        }
    }
}
