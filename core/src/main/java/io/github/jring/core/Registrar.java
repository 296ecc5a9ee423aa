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
import io.github.jring.core.internal.Syscalls;
import io.github.jring.core.internal.Unsigned;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;

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
}
