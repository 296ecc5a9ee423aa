package io.github.jring.bindings;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemoryLayout;
import org.junit.jupiter.api.Test;

/**
 * Pins the size of every struct jring relies on, the offset and size of each of their fields, and the value of every
 * io_uring and NVMe constant plus the libc ones jring uses, to what the C compiler says. If a regeneration (newer
 * headers, another jextract) moves any of them, this test fails and names it.
 *
 * <p>The expected numbers are literals, obtained once by compiling a throwaway C program with gcc 12.2 on x86-64
 * against the same {@code jextract/jring.h} (linux-libc-dev 7.3.4-1~bpo13+1, libc6-dev 2.36-9+deb12u14) that printed
 * {@code sizeof}, {@code offsetof} and each constant's value. {@link GccCrossCheckTest} repeats the comparison
 * against the compiler at test time, for every field of every generated struct and every generated constant.
 */
class LayoutAndConstantsTest {

    private static void assertSize(long expected, MemoryLayout layout, String what) {
        assertEquals(expected, layout.byteSize(), "sizeof(struct " + what + ")");
    }

    private static void assertField(long expectedOffset, long expectedSize, long offset, MemoryLayout layout, String what) {
        assertEquals(expectedOffset, offset, "offsetof " + what);
        assertEquals(expectedSize, layout.byteSize(), "sizeof " + what);
    }

    @Test
    void io_uring_sqe() {
        assertSize(64, io_uring_sqe.layout(), "io_uring_sqe");
        assertField(0, 1, io_uring_sqe.opcode$offset(), io_uring_sqe.opcode$layout(), "io_uring_sqe.opcode");
        assertField(1, 1, io_uring_sqe.flags$offset(), io_uring_sqe.flags$layout(), "io_uring_sqe.flags");
        assertField(2, 2, io_uring_sqe.ioprio$offset(), io_uring_sqe.ioprio$layout(), "io_uring_sqe.ioprio");
        assertField(4, 4, io_uring_sqe.fd$offset(), io_uring_sqe.fd$layout(), "io_uring_sqe.fd");
        assertField(8, 8, io_uring_sqe.off$offset(), io_uring_sqe.off$layout(), "io_uring_sqe.off");
        assertField(8, 8, io_uring_sqe.addr2$offset(), io_uring_sqe.addr2$layout(), "io_uring_sqe.addr2");
        assertField(8, 4, io_uring_sqe.cmd_op$offset(), io_uring_sqe.cmd_op$layout(), "io_uring_sqe.cmd_op");
        assertField(12, 4, io_uring_sqe.__pad1$offset(), io_uring_sqe.__pad1$layout(), "io_uring_sqe.__pad1");
        assertField(16, 8, io_uring_sqe.addr$offset(), io_uring_sqe.addr$layout(), "io_uring_sqe.addr");
        assertField(16, 8, io_uring_sqe.splice_off_in$offset(), io_uring_sqe.splice_off_in$layout(), "io_uring_sqe.splice_off_in");
        assertField(16, 4, io_uring_sqe.level$offset(), io_uring_sqe.level$layout(), "io_uring_sqe.level");
        assertField(20, 4, io_uring_sqe.optname$offset(), io_uring_sqe.optname$layout(), "io_uring_sqe.optname");
        assertField(24, 4, io_uring_sqe.len$offset(), io_uring_sqe.len$layout(), "io_uring_sqe.len");
        assertField(28, 4, io_uring_sqe.rw_flags$offset(), io_uring_sqe.rw_flags$layout(), "io_uring_sqe.rw_flags");
        assertField(28, 4, io_uring_sqe.fsync_flags$offset(), io_uring_sqe.fsync_flags$layout(), "io_uring_sqe.fsync_flags");
        assertField(28, 2, io_uring_sqe.poll_events$offset(), io_uring_sqe.poll_events$layout(), "io_uring_sqe.poll_events");
        assertField(28, 4, io_uring_sqe.poll32_events$offset(), io_uring_sqe.poll32_events$layout(), "io_uring_sqe.poll32_events");
        assertField(28, 4, io_uring_sqe.sync_range_flags$offset(), io_uring_sqe.sync_range_flags$layout(), "io_uring_sqe.sync_range_flags");
        assertField(28, 4, io_uring_sqe.msg_flags$offset(), io_uring_sqe.msg_flags$layout(), "io_uring_sqe.msg_flags");
        assertField(28, 4, io_uring_sqe.timeout_flags$offset(), io_uring_sqe.timeout_flags$layout(), "io_uring_sqe.timeout_flags");
        assertField(28, 4, io_uring_sqe.accept_flags$offset(), io_uring_sqe.accept_flags$layout(), "io_uring_sqe.accept_flags");
        assertField(28, 4, io_uring_sqe.cancel_flags$offset(), io_uring_sqe.cancel_flags$layout(), "io_uring_sqe.cancel_flags");
        assertField(28, 4, io_uring_sqe.open_flags$offset(), io_uring_sqe.open_flags$layout(), "io_uring_sqe.open_flags");
        assertField(28, 4, io_uring_sqe.statx_flags$offset(), io_uring_sqe.statx_flags$layout(), "io_uring_sqe.statx_flags");
        assertField(28, 4, io_uring_sqe.fadvise_advice$offset(), io_uring_sqe.fadvise_advice$layout(), "io_uring_sqe.fadvise_advice");
        assertField(28, 4, io_uring_sqe.splice_flags$offset(), io_uring_sqe.splice_flags$layout(), "io_uring_sqe.splice_flags");
        assertField(28, 4, io_uring_sqe.rename_flags$offset(), io_uring_sqe.rename_flags$layout(), "io_uring_sqe.rename_flags");
        assertField(28, 4, io_uring_sqe.unlink_flags$offset(), io_uring_sqe.unlink_flags$layout(), "io_uring_sqe.unlink_flags");
        assertField(28, 4, io_uring_sqe.hardlink_flags$offset(), io_uring_sqe.hardlink_flags$layout(), "io_uring_sqe.hardlink_flags");
        assertField(28, 4, io_uring_sqe.xattr_flags$offset(), io_uring_sqe.xattr_flags$layout(), "io_uring_sqe.xattr_flags");
        assertField(28, 4, io_uring_sqe.msg_ring_flags$offset(), io_uring_sqe.msg_ring_flags$layout(), "io_uring_sqe.msg_ring_flags");
        assertField(28, 4, io_uring_sqe.uring_cmd_flags$offset(), io_uring_sqe.uring_cmd_flags$layout(), "io_uring_sqe.uring_cmd_flags");
        assertField(28, 4, io_uring_sqe.waitid_flags$offset(), io_uring_sqe.waitid_flags$layout(), "io_uring_sqe.waitid_flags");
        assertField(28, 4, io_uring_sqe.futex_flags$offset(), io_uring_sqe.futex_flags$layout(), "io_uring_sqe.futex_flags");
        assertField(28, 4, io_uring_sqe.install_fd_flags$offset(), io_uring_sqe.install_fd_flags$layout(), "io_uring_sqe.install_fd_flags");
        assertField(28, 4, io_uring_sqe.nop_flags$offset(), io_uring_sqe.nop_flags$layout(), "io_uring_sqe.nop_flags");
        assertField(28, 4, io_uring_sqe.pipe_flags$offset(), io_uring_sqe.pipe_flags$layout(), "io_uring_sqe.pipe_flags");
        assertField(32, 8, io_uring_sqe.user_data$offset(), io_uring_sqe.user_data$layout(), "io_uring_sqe.user_data");
        assertField(40, 2, io_uring_sqe.buf_index$offset(), io_uring_sqe.buf_index$layout(), "io_uring_sqe.buf_index");
        assertField(40, 2, io_uring_sqe.buf_group$offset(), io_uring_sqe.buf_group$layout(), "io_uring_sqe.buf_group");
        assertField(42, 2, io_uring_sqe.personality$offset(), io_uring_sqe.personality$layout(), "io_uring_sqe.personality");
        assertField(44, 4, io_uring_sqe.splice_fd_in$offset(), io_uring_sqe.splice_fd_in$layout(), "io_uring_sqe.splice_fd_in");
        assertField(44, 4, io_uring_sqe.file_index$offset(), io_uring_sqe.file_index$layout(), "io_uring_sqe.file_index");
        assertField(44, 4, io_uring_sqe.zcrx_ifq_idx$offset(), io_uring_sqe.zcrx_ifq_idx$layout(), "io_uring_sqe.zcrx_ifq_idx");
        assertField(44, 4, io_uring_sqe.optlen$offset(), io_uring_sqe.optlen$layout(), "io_uring_sqe.optlen");
        assertField(44, 2, io_uring_sqe.addr_len$offset(), io_uring_sqe.addr_len$layout(), "io_uring_sqe.addr_len");
        assertField(46, 2, io_uring_sqe.__pad3$offset(), io_uring_sqe.__pad3$layout(), "io_uring_sqe.__pad3");
        assertField(44, 1, io_uring_sqe.write_stream$offset(), io_uring_sqe.write_stream$layout(), "io_uring_sqe.write_stream");
        assertField(45, 3, io_uring_sqe.__pad4$offset(), io_uring_sqe.__pad4$layout(), "io_uring_sqe.__pad4");
        assertField(48, 8, io_uring_sqe.addr3$offset(), io_uring_sqe.addr3$layout(), "io_uring_sqe.addr3");
        assertField(56, 8, io_uring_sqe.__pad2$offset(), io_uring_sqe.__pad2$layout(), "io_uring_sqe.__pad2");
        assertField(48, 8, io_uring_sqe.attr_ptr$offset(), io_uring_sqe.attr_ptr$layout(), "io_uring_sqe.attr_ptr");
        assertField(56, 8, io_uring_sqe.attr_type_mask$offset(), io_uring_sqe.attr_type_mask$layout(), "io_uring_sqe.attr_type_mask");
        assertField(48, 8, io_uring_sqe.optval$offset(), io_uring_sqe.optval$layout(), "io_uring_sqe.optval");
        assertField(48, 0, io_uring_sqe.cmd$offset(), io_uring_sqe.cmd$layout(), "io_uring_sqe.cmd");
    }

    @Test
    void io_uring_cqe() {
        assertSize(16, io_uring_cqe.layout(), "io_uring_cqe");
        assertField(0, 8, io_uring_cqe.user_data$offset(), io_uring_cqe.user_data$layout(), "io_uring_cqe.user_data");
        assertField(8, 4, io_uring_cqe.res$offset(), io_uring_cqe.res$layout(), "io_uring_cqe.res");
        assertField(12, 4, io_uring_cqe.flags$offset(), io_uring_cqe.flags$layout(), "io_uring_cqe.flags");
        assertField(16, 0, io_uring_cqe.big_cqe$offset(), io_uring_cqe.big_cqe$layout(), "io_uring_cqe.big_cqe");  // flexible array member: no size of its own
    }

    @Test
    void io_uring_params() {
        assertSize(120, io_uring_params.layout(), "io_uring_params");
        assertField(0, 4, io_uring_params.sq_entries$offset(), io_uring_params.sq_entries$layout(), "io_uring_params.sq_entries");
        assertField(4, 4, io_uring_params.cq_entries$offset(), io_uring_params.cq_entries$layout(), "io_uring_params.cq_entries");
        assertField(8, 4, io_uring_params.flags$offset(), io_uring_params.flags$layout(), "io_uring_params.flags");
        assertField(12, 4, io_uring_params.sq_thread_cpu$offset(), io_uring_params.sq_thread_cpu$layout(), "io_uring_params.sq_thread_cpu");
        assertField(16, 4, io_uring_params.sq_thread_idle$offset(), io_uring_params.sq_thread_idle$layout(), "io_uring_params.sq_thread_idle");
        assertField(20, 4, io_uring_params.features$offset(), io_uring_params.features$layout(), "io_uring_params.features");
        assertField(24, 4, io_uring_params.wq_fd$offset(), io_uring_params.wq_fd$layout(), "io_uring_params.wq_fd");
        assertField(28, 12, io_uring_params.resv$offset(), io_uring_params.resv$layout(), "io_uring_params.resv");
        assertField(40, 40, io_uring_params.sq_off$offset(), io_uring_params.sq_off$layout(), "io_uring_params.sq_off");
        assertField(80, 40, io_uring_params.cq_off$offset(), io_uring_params.cq_off$layout(), "io_uring_params.cq_off");
    }

    @Test
    void io_sqring_offsets() {
        assertSize(40, io_sqring_offsets.layout(), "io_sqring_offsets");
        assertField(0, 4, io_sqring_offsets.head$offset(), io_sqring_offsets.head$layout(), "io_sqring_offsets.head");
        assertField(4, 4, io_sqring_offsets.tail$offset(), io_sqring_offsets.tail$layout(), "io_sqring_offsets.tail");
        assertField(8, 4, io_sqring_offsets.ring_mask$offset(), io_sqring_offsets.ring_mask$layout(), "io_sqring_offsets.ring_mask");
        assertField(12, 4, io_sqring_offsets.ring_entries$offset(), io_sqring_offsets.ring_entries$layout(), "io_sqring_offsets.ring_entries");
        assertField(16, 4, io_sqring_offsets.flags$offset(), io_sqring_offsets.flags$layout(), "io_sqring_offsets.flags");
        assertField(20, 4, io_sqring_offsets.dropped$offset(), io_sqring_offsets.dropped$layout(), "io_sqring_offsets.dropped");
        assertField(24, 4, io_sqring_offsets.array$offset(), io_sqring_offsets.array$layout(), "io_sqring_offsets.array");
        assertField(28, 4, io_sqring_offsets.resv1$offset(), io_sqring_offsets.resv1$layout(), "io_sqring_offsets.resv1");
        assertField(32, 8, io_sqring_offsets.user_addr$offset(), io_sqring_offsets.user_addr$layout(), "io_sqring_offsets.user_addr");
    }

    @Test
    void io_cqring_offsets() {
        assertSize(40, io_cqring_offsets.layout(), "io_cqring_offsets");
        assertField(0, 4, io_cqring_offsets.head$offset(), io_cqring_offsets.head$layout(), "io_cqring_offsets.head");
        assertField(4, 4, io_cqring_offsets.tail$offset(), io_cqring_offsets.tail$layout(), "io_cqring_offsets.tail");
        assertField(8, 4, io_cqring_offsets.ring_mask$offset(), io_cqring_offsets.ring_mask$layout(), "io_cqring_offsets.ring_mask");
        assertField(12, 4, io_cqring_offsets.ring_entries$offset(), io_cqring_offsets.ring_entries$layout(), "io_cqring_offsets.ring_entries");
        assertField(16, 4, io_cqring_offsets.overflow$offset(), io_cqring_offsets.overflow$layout(), "io_cqring_offsets.overflow");
        assertField(20, 4, io_cqring_offsets.cqes$offset(), io_cqring_offsets.cqes$layout(), "io_cqring_offsets.cqes");
        assertField(24, 4, io_cqring_offsets.flags$offset(), io_cqring_offsets.flags$layout(), "io_cqring_offsets.flags");
        assertField(28, 4, io_cqring_offsets.resv1$offset(), io_cqring_offsets.resv1$layout(), "io_cqring_offsets.resv1");
        assertField(32, 8, io_cqring_offsets.user_addr$offset(), io_cqring_offsets.user_addr$layout(), "io_cqring_offsets.user_addr");
    }

    @Test
    void io_uring_probe() {
        assertSize(16, io_uring_probe.layout(), "io_uring_probe");
        assertField(0, 1, io_uring_probe.last_op$offset(), io_uring_probe.last_op$layout(), "io_uring_probe.last_op");
        assertField(1, 1, io_uring_probe.ops_len$offset(), io_uring_probe.ops_len$layout(), "io_uring_probe.ops_len");
        assertField(2, 2, io_uring_probe.resv$offset(), io_uring_probe.resv$layout(), "io_uring_probe.resv");
        assertField(4, 12, io_uring_probe.resv2$offset(), io_uring_probe.resv2$layout(), "io_uring_probe.resv2");
        assertField(16, 0, io_uring_probe.ops$offset(), io_uring_probe.ops$layout(), "io_uring_probe.ops");  // flexible array member: no size of its own
    }

    @Test
    void io_uring_probe_op() {
        assertSize(8, io_uring_probe_op.layout(), "io_uring_probe_op");
        assertField(0, 1, io_uring_probe_op.op$offset(), io_uring_probe_op.op$layout(), "io_uring_probe_op.op");
        assertField(1, 1, io_uring_probe_op.resv$offset(), io_uring_probe_op.resv$layout(), "io_uring_probe_op.resv");
        assertField(2, 2, io_uring_probe_op.flags$offset(), io_uring_probe_op.flags$layout(), "io_uring_probe_op.flags");
        assertField(4, 4, io_uring_probe_op.resv2$offset(), io_uring_probe_op.resv2$layout(), "io_uring_probe_op.resv2");
    }

    @Test
    void io_uring_rsrc_register() {
        assertSize(32, io_uring_rsrc_register.layout(), "io_uring_rsrc_register");
        assertField(0, 4, io_uring_rsrc_register.nr$offset(), io_uring_rsrc_register.nr$layout(), "io_uring_rsrc_register.nr");
        assertField(4, 4, io_uring_rsrc_register.flags$offset(), io_uring_rsrc_register.flags$layout(), "io_uring_rsrc_register.flags");
        assertField(8, 8, io_uring_rsrc_register.resv2$offset(), io_uring_rsrc_register.resv2$layout(), "io_uring_rsrc_register.resv2");
        assertField(16, 8, io_uring_rsrc_register.data$offset(), io_uring_rsrc_register.data$layout(), "io_uring_rsrc_register.data");
        assertField(24, 8, io_uring_rsrc_register.tags$offset(), io_uring_rsrc_register.tags$layout(), "io_uring_rsrc_register.tags");
    }

    @Test
    void io_uring_rsrc_update() {
        assertSize(16, io_uring_rsrc_update.layout(), "io_uring_rsrc_update");
        assertField(0, 4, io_uring_rsrc_update.offset$offset(), io_uring_rsrc_update.offset$layout(), "io_uring_rsrc_update.offset");
        assertField(4, 4, io_uring_rsrc_update.resv$offset(), io_uring_rsrc_update.resv$layout(), "io_uring_rsrc_update.resv");
        assertField(8, 8, io_uring_rsrc_update.data$offset(), io_uring_rsrc_update.data$layout(), "io_uring_rsrc_update.data");
    }

    @Test
    void io_uring_rsrc_update2() {
        assertSize(32, io_uring_rsrc_update2.layout(), "io_uring_rsrc_update2");
        assertField(0, 4, io_uring_rsrc_update2.offset$offset(), io_uring_rsrc_update2.offset$layout(), "io_uring_rsrc_update2.offset");
        assertField(4, 4, io_uring_rsrc_update2.resv$offset(), io_uring_rsrc_update2.resv$layout(), "io_uring_rsrc_update2.resv");
        assertField(8, 8, io_uring_rsrc_update2.data$offset(), io_uring_rsrc_update2.data$layout(), "io_uring_rsrc_update2.data");
        assertField(16, 8, io_uring_rsrc_update2.tags$offset(), io_uring_rsrc_update2.tags$layout(), "io_uring_rsrc_update2.tags");
        assertField(24, 4, io_uring_rsrc_update2.nr$offset(), io_uring_rsrc_update2.nr$layout(), "io_uring_rsrc_update2.nr");
        assertField(28, 4, io_uring_rsrc_update2.resv2$offset(), io_uring_rsrc_update2.resv2$layout(), "io_uring_rsrc_update2.resv2");
    }

    @Test
    void io_uring_files_update() {
        assertSize(16, io_uring_files_update.layout(), "io_uring_files_update");
        assertField(0, 4, io_uring_files_update.offset$offset(), io_uring_files_update.offset$layout(), "io_uring_files_update.offset");
        assertField(4, 4, io_uring_files_update.resv$offset(), io_uring_files_update.resv$layout(), "io_uring_files_update.resv");
        assertField(8, 8, io_uring_files_update.fds$offset(), io_uring_files_update.fds$layout(), "io_uring_files_update.fds");
    }

    @Test
    void io_uring_buf_reg() {
        assertSize(40, io_uring_buf_reg.layout(), "io_uring_buf_reg");
        assertField(0, 8, io_uring_buf_reg.ring_addr$offset(), io_uring_buf_reg.ring_addr$layout(), "io_uring_buf_reg.ring_addr");
        assertField(8, 4, io_uring_buf_reg.ring_entries$offset(), io_uring_buf_reg.ring_entries$layout(), "io_uring_buf_reg.ring_entries");
        assertField(12, 2, io_uring_buf_reg.bgid$offset(), io_uring_buf_reg.bgid$layout(), "io_uring_buf_reg.bgid");
        assertField(14, 2, io_uring_buf_reg.flags$offset(), io_uring_buf_reg.flags$layout(), "io_uring_buf_reg.flags");
        assertField(16, 4, io_uring_buf_reg.min_left$offset(), io_uring_buf_reg.min_left$layout(), "io_uring_buf_reg.min_left");
        assertField(20, 20, io_uring_buf_reg.resv$offset(), io_uring_buf_reg.resv$layout(), "io_uring_buf_reg.resv");
    }

    @Test
    void io_uring_buf() {
        assertSize(16, io_uring_buf.layout(), "io_uring_buf");
        assertField(0, 8, io_uring_buf.addr$offset(), io_uring_buf.addr$layout(), "io_uring_buf.addr");
        assertField(8, 4, io_uring_buf.len$offset(), io_uring_buf.len$layout(), "io_uring_buf.len");
        assertField(12, 2, io_uring_buf.bid$offset(), io_uring_buf.bid$layout(), "io_uring_buf.bid");
        assertField(14, 2, io_uring_buf.resv$offset(), io_uring_buf.resv$layout(), "io_uring_buf.resv");
    }

    @Test
    void io_uring_buf_ring() {
        assertSize(16, io_uring_buf_ring.layout(), "io_uring_buf_ring");
        assertField(0, 8, io_uring_buf_ring.resv1$offset(), io_uring_buf_ring.resv1$layout(), "io_uring_buf_ring.resv1");
        assertField(8, 4, io_uring_buf_ring.resv2$offset(), io_uring_buf_ring.resv2$layout(), "io_uring_buf_ring.resv2");
        assertField(12, 2, io_uring_buf_ring.resv3$offset(), io_uring_buf_ring.resv3$layout(), "io_uring_buf_ring.resv3");
        assertField(14, 2, io_uring_buf_ring.tail$offset(), io_uring_buf_ring.tail$layout(), "io_uring_buf_ring.tail");
        assertField(0, 0, io_uring_buf_ring.__empty_bufs$offset(), io_uring_buf_ring.__empty_bufs$layout(), "io_uring_buf_ring.__empty_bufs");
        assertField(0, 0, io_uring_buf_ring.bufs$offset(), io_uring_buf_ring.bufs$layout(), "io_uring_buf_ring.bufs");  // flexible array member: no size of its own
    }

    @Test
    void io_uring_getevents_arg() {
        assertSize(24, io_uring_getevents_arg.layout(), "io_uring_getevents_arg");
        assertField(0, 8, io_uring_getevents_arg.sigmask$offset(), io_uring_getevents_arg.sigmask$layout(), "io_uring_getevents_arg.sigmask");
        assertField(8, 4, io_uring_getevents_arg.sigmask_sz$offset(), io_uring_getevents_arg.sigmask_sz$layout(), "io_uring_getevents_arg.sigmask_sz");
        assertField(12, 4, io_uring_getevents_arg.min_wait_usec$offset(), io_uring_getevents_arg.min_wait_usec$layout(), "io_uring_getevents_arg.min_wait_usec");
        assertField(16, 8, io_uring_getevents_arg.ts$offset(), io_uring_getevents_arg.ts$layout(), "io_uring_getevents_arg.ts");
    }

    @Test
    void io_uring_restriction() {
        assertSize(16, io_uring_restriction.layout(), "io_uring_restriction");
        assertField(0, 2, io_uring_restriction.opcode$offset(), io_uring_restriction.opcode$layout(), "io_uring_restriction.opcode");
        assertField(2, 1, io_uring_restriction.register_op$offset(), io_uring_restriction.register_op$layout(), "io_uring_restriction.register_op");
        assertField(2, 1, io_uring_restriction.sqe_op$offset(), io_uring_restriction.sqe_op$layout(), "io_uring_restriction.sqe_op");
        assertField(2, 1, io_uring_restriction.sqe_flags$offset(), io_uring_restriction.sqe_flags$layout(), "io_uring_restriction.sqe_flags");
        assertField(3, 1, io_uring_restriction.resv$offset(), io_uring_restriction.resv$layout(), "io_uring_restriction.resv");
        assertField(4, 12, io_uring_restriction.resv2$offset(), io_uring_restriction.resv2$layout(), "io_uring_restriction.resv2");
    }

    @Test
    void io_uring_sync_cancel_reg() {
        assertSize(64, io_uring_sync_cancel_reg.layout(), "io_uring_sync_cancel_reg");
        assertField(0, 8, io_uring_sync_cancel_reg.addr$offset(), io_uring_sync_cancel_reg.addr$layout(), "io_uring_sync_cancel_reg.addr");
        assertField(8, 4, io_uring_sync_cancel_reg.fd$offset(), io_uring_sync_cancel_reg.fd$layout(), "io_uring_sync_cancel_reg.fd");
        assertField(12, 4, io_uring_sync_cancel_reg.flags$offset(), io_uring_sync_cancel_reg.flags$layout(), "io_uring_sync_cancel_reg.flags");
        assertField(16, 16, io_uring_sync_cancel_reg.timeout$offset(), io_uring_sync_cancel_reg.timeout$layout(), "io_uring_sync_cancel_reg.timeout");
        assertField(32, 1, io_uring_sync_cancel_reg.opcode$offset(), io_uring_sync_cancel_reg.opcode$layout(), "io_uring_sync_cancel_reg.opcode");
        assertField(33, 7, io_uring_sync_cancel_reg.pad$offset(), io_uring_sync_cancel_reg.pad$layout(), "io_uring_sync_cancel_reg.pad");
        assertField(40, 24, io_uring_sync_cancel_reg.pad2$offset(), io_uring_sync_cancel_reg.pad2$layout(), "io_uring_sync_cancel_reg.pad2");
    }

    @Test
    void nvme_uring_cmd() {
        assertSize(72, nvme_uring_cmd.layout(), "nvme_uring_cmd");
        assertField(0, 1, nvme_uring_cmd.opcode$offset(), nvme_uring_cmd.opcode$layout(), "nvme_uring_cmd.opcode");
        assertField(1, 1, nvme_uring_cmd.flags$offset(), nvme_uring_cmd.flags$layout(), "nvme_uring_cmd.flags");
        assertField(2, 2, nvme_uring_cmd.rsvd1$offset(), nvme_uring_cmd.rsvd1$layout(), "nvme_uring_cmd.rsvd1");
        assertField(4, 4, nvme_uring_cmd.nsid$offset(), nvme_uring_cmd.nsid$layout(), "nvme_uring_cmd.nsid");
        assertField(8, 4, nvme_uring_cmd.cdw2$offset(), nvme_uring_cmd.cdw2$layout(), "nvme_uring_cmd.cdw2");
        assertField(12, 4, nvme_uring_cmd.cdw3$offset(), nvme_uring_cmd.cdw3$layout(), "nvme_uring_cmd.cdw3");
        assertField(16, 8, nvme_uring_cmd.metadata$offset(), nvme_uring_cmd.metadata$layout(), "nvme_uring_cmd.metadata");
        assertField(24, 8, nvme_uring_cmd.addr$offset(), nvme_uring_cmd.addr$layout(), "nvme_uring_cmd.addr");
        assertField(32, 4, nvme_uring_cmd.metadata_len$offset(), nvme_uring_cmd.metadata_len$layout(), "nvme_uring_cmd.metadata_len");
        assertField(36, 4, nvme_uring_cmd.data_len$offset(), nvme_uring_cmd.data_len$layout(), "nvme_uring_cmd.data_len");
        assertField(40, 4, nvme_uring_cmd.cdw10$offset(), nvme_uring_cmd.cdw10$layout(), "nvme_uring_cmd.cdw10");
        assertField(44, 4, nvme_uring_cmd.cdw11$offset(), nvme_uring_cmd.cdw11$layout(), "nvme_uring_cmd.cdw11");
        assertField(48, 4, nvme_uring_cmd.cdw12$offset(), nvme_uring_cmd.cdw12$layout(), "nvme_uring_cmd.cdw12");
        assertField(52, 4, nvme_uring_cmd.cdw13$offset(), nvme_uring_cmd.cdw13$layout(), "nvme_uring_cmd.cdw13");
        assertField(56, 4, nvme_uring_cmd.cdw14$offset(), nvme_uring_cmd.cdw14$layout(), "nvme_uring_cmd.cdw14");
        assertField(60, 4, nvme_uring_cmd.cdw15$offset(), nvme_uring_cmd.cdw15$layout(), "nvme_uring_cmd.cdw15");
        assertField(64, 4, nvme_uring_cmd.timeout_ms$offset(), nvme_uring_cmd.timeout_ms$layout(), "nvme_uring_cmd.timeout_ms");
        assertField(68, 4, nvme_uring_cmd.rsvd2$offset(), nvme_uring_cmd.rsvd2$layout(), "nvme_uring_cmd.rsvd2");
    }

    @Test
    void nvme_passthru_cmd64() {
        assertSize(80, nvme_passthru_cmd64.layout(), "nvme_passthru_cmd64");
        assertField(0, 1, nvme_passthru_cmd64.opcode$offset(), nvme_passthru_cmd64.opcode$layout(), "nvme_passthru_cmd64.opcode");
        assertField(1, 1, nvme_passthru_cmd64.flags$offset(), nvme_passthru_cmd64.flags$layout(), "nvme_passthru_cmd64.flags");
        assertField(2, 2, nvme_passthru_cmd64.rsvd1$offset(), nvme_passthru_cmd64.rsvd1$layout(), "nvme_passthru_cmd64.rsvd1");
        assertField(4, 4, nvme_passthru_cmd64.nsid$offset(), nvme_passthru_cmd64.nsid$layout(), "nvme_passthru_cmd64.nsid");
        assertField(8, 4, nvme_passthru_cmd64.cdw2$offset(), nvme_passthru_cmd64.cdw2$layout(), "nvme_passthru_cmd64.cdw2");
        assertField(12, 4, nvme_passthru_cmd64.cdw3$offset(), nvme_passthru_cmd64.cdw3$layout(), "nvme_passthru_cmd64.cdw3");
        assertField(16, 8, nvme_passthru_cmd64.metadata$offset(), nvme_passthru_cmd64.metadata$layout(), "nvme_passthru_cmd64.metadata");
        assertField(24, 8, nvme_passthru_cmd64.addr$offset(), nvme_passthru_cmd64.addr$layout(), "nvme_passthru_cmd64.addr");
        assertField(32, 4, nvme_passthru_cmd64.metadata_len$offset(), nvme_passthru_cmd64.metadata_len$layout(), "nvme_passthru_cmd64.metadata_len");
        assertField(36, 4, nvme_passthru_cmd64.data_len$offset(), nvme_passthru_cmd64.data_len$layout(), "nvme_passthru_cmd64.data_len");
        assertField(36, 4, nvme_passthru_cmd64.vec_cnt$offset(), nvme_passthru_cmd64.vec_cnt$layout(), "nvme_passthru_cmd64.vec_cnt");
        assertField(40, 4, nvme_passthru_cmd64.cdw10$offset(), nvme_passthru_cmd64.cdw10$layout(), "nvme_passthru_cmd64.cdw10");
        assertField(44, 4, nvme_passthru_cmd64.cdw11$offset(), nvme_passthru_cmd64.cdw11$layout(), "nvme_passthru_cmd64.cdw11");
        assertField(48, 4, nvme_passthru_cmd64.cdw12$offset(), nvme_passthru_cmd64.cdw12$layout(), "nvme_passthru_cmd64.cdw12");
        assertField(52, 4, nvme_passthru_cmd64.cdw13$offset(), nvme_passthru_cmd64.cdw13$layout(), "nvme_passthru_cmd64.cdw13");
        assertField(56, 4, nvme_passthru_cmd64.cdw14$offset(), nvme_passthru_cmd64.cdw14$layout(), "nvme_passthru_cmd64.cdw14");
        assertField(60, 4, nvme_passthru_cmd64.cdw15$offset(), nvme_passthru_cmd64.cdw15$layout(), "nvme_passthru_cmd64.cdw15");
        assertField(64, 4, nvme_passthru_cmd64.timeout_ms$offset(), nvme_passthru_cmd64.timeout_ms$layout(), "nvme_passthru_cmd64.timeout_ms");
        assertField(68, 4, nvme_passthru_cmd64.rsvd2$offset(), nvme_passthru_cmd64.rsvd2$layout(), "nvme_passthru_cmd64.rsvd2");
        assertField(72, 8, nvme_passthru_cmd64.result$offset(), nvme_passthru_cmd64.result$layout(), "nvme_passthru_cmd64.result");
    }

    @Test
    void nvme_passthru_cmd() {
        assertSize(72, nvme_passthru_cmd.layout(), "nvme_passthru_cmd");
        assertField(0, 1, nvme_passthru_cmd.opcode$offset(), nvme_passthru_cmd.opcode$layout(), "nvme_passthru_cmd.opcode");
        assertField(1, 1, nvme_passthru_cmd.flags$offset(), nvme_passthru_cmd.flags$layout(), "nvme_passthru_cmd.flags");
        assertField(2, 2, nvme_passthru_cmd.rsvd1$offset(), nvme_passthru_cmd.rsvd1$layout(), "nvme_passthru_cmd.rsvd1");
        assertField(4, 4, nvme_passthru_cmd.nsid$offset(), nvme_passthru_cmd.nsid$layout(), "nvme_passthru_cmd.nsid");
        assertField(8, 4, nvme_passthru_cmd.cdw2$offset(), nvme_passthru_cmd.cdw2$layout(), "nvme_passthru_cmd.cdw2");
        assertField(12, 4, nvme_passthru_cmd.cdw3$offset(), nvme_passthru_cmd.cdw3$layout(), "nvme_passthru_cmd.cdw3");
        assertField(16, 8, nvme_passthru_cmd.metadata$offset(), nvme_passthru_cmd.metadata$layout(), "nvme_passthru_cmd.metadata");
        assertField(24, 8, nvme_passthru_cmd.addr$offset(), nvme_passthru_cmd.addr$layout(), "nvme_passthru_cmd.addr");
        assertField(32, 4, nvme_passthru_cmd.metadata_len$offset(), nvme_passthru_cmd.metadata_len$layout(), "nvme_passthru_cmd.metadata_len");
        assertField(36, 4, nvme_passthru_cmd.data_len$offset(), nvme_passthru_cmd.data_len$layout(), "nvme_passthru_cmd.data_len");
        assertField(40, 4, nvme_passthru_cmd.cdw10$offset(), nvme_passthru_cmd.cdw10$layout(), "nvme_passthru_cmd.cdw10");
        assertField(44, 4, nvme_passthru_cmd.cdw11$offset(), nvme_passthru_cmd.cdw11$layout(), "nvme_passthru_cmd.cdw11");
        assertField(48, 4, nvme_passthru_cmd.cdw12$offset(), nvme_passthru_cmd.cdw12$layout(), "nvme_passthru_cmd.cdw12");
        assertField(52, 4, nvme_passthru_cmd.cdw13$offset(), nvme_passthru_cmd.cdw13$layout(), "nvme_passthru_cmd.cdw13");
        assertField(56, 4, nvme_passthru_cmd.cdw14$offset(), nvme_passthru_cmd.cdw14$layout(), "nvme_passthru_cmd.cdw14");
        assertField(60, 4, nvme_passthru_cmd.cdw15$offset(), nvme_passthru_cmd.cdw15$layout(), "nvme_passthru_cmd.cdw15");
        assertField(64, 4, nvme_passthru_cmd.timeout_ms$offset(), nvme_passthru_cmd.timeout_ms$layout(), "nvme_passthru_cmd.timeout_ms");
        assertField(68, 4, nvme_passthru_cmd.result$offset(), nvme_passthru_cmd.result$layout(), "nvme_passthru_cmd.result");
    }

    @Test
    void nvme_user_io() {
        assertSize(48, nvme_user_io.layout(), "nvme_user_io");
        assertField(0, 1, nvme_user_io.opcode$offset(), nvme_user_io.opcode$layout(), "nvme_user_io.opcode");
        assertField(1, 1, nvme_user_io.flags$offset(), nvme_user_io.flags$layout(), "nvme_user_io.flags");
        assertField(2, 2, nvme_user_io.control$offset(), nvme_user_io.control$layout(), "nvme_user_io.control");
        assertField(4, 2, nvme_user_io.nblocks$offset(), nvme_user_io.nblocks$layout(), "nvme_user_io.nblocks");
        assertField(6, 2, nvme_user_io.rsvd$offset(), nvme_user_io.rsvd$layout(), "nvme_user_io.rsvd");
        assertField(8, 8, nvme_user_io.metadata$offset(), nvme_user_io.metadata$layout(), "nvme_user_io.metadata");
        assertField(16, 8, nvme_user_io.addr$offset(), nvme_user_io.addr$layout(), "nvme_user_io.addr");
        assertField(24, 8, nvme_user_io.slba$offset(), nvme_user_io.slba$layout(), "nvme_user_io.slba");
        assertField(32, 4, nvme_user_io.dsmgmt$offset(), nvme_user_io.dsmgmt$layout(), "nvme_user_io.dsmgmt");
        assertField(36, 4, nvme_user_io.reftag$offset(), nvme_user_io.reftag$layout(), "nvme_user_io.reftag");
        assertField(40, 2, nvme_user_io.apptag$offset(), nvme_user_io.apptag$layout(), "nvme_user_io.apptag");
        assertField(42, 2, nvme_user_io.appmask$offset(), nvme_user_io.appmask$layout(), "nvme_user_io.appmask");
    }

    @Test
    void kernel_timespec() {
        assertSize(16, __kernel_timespec.layout(), "__kernel_timespec");
        assertField(0, 8, __kernel_timespec.tv_sec$offset(), __kernel_timespec.tv_sec$layout(), "__kernel_timespec.tv_sec");
        assertField(8, 8, __kernel_timespec.tv_nsec$offset(), __kernel_timespec.tv_nsec$layout(), "__kernel_timespec.tv_nsec");
    }

    @Test
    void iovec() {
        assertSize(16, iovec.layout(), "iovec");
        assertField(0, 8, iovec.iov_base$offset(), iovec.iov_base$layout(), "iovec.iov_base");
        assertField(8, 8, iovec.iov_len$offset(), iovec.iov_len$layout(), "iovec.iov_len");
    }

    @Test
    void open_how() {
        assertSize(24, open_how.layout(), "open_how");
        assertField(0, 8, open_how.flags$offset(), open_how.flags$layout(), "open_how.flags");
        assertField(8, 8, open_how.mode$offset(), open_how.mode$layout(), "open_how.mode");
        assertField(16, 8, open_how.resolve$offset(), open_how.resolve$layout(), "open_how.resolve");
    }

    @Test
    void msghdr() {
        assertSize(56, msghdr.layout(), "msghdr");
        assertField(0, 8, msghdr.msg_name$offset(), msghdr.msg_name$layout(), "msghdr.msg_name");
        assertField(8, 4, msghdr.msg_namelen$offset(), msghdr.msg_namelen$layout(), "msghdr.msg_namelen");
        assertField(16, 8, msghdr.msg_iov$offset(), msghdr.msg_iov$layout(), "msghdr.msg_iov");
        assertField(24, 8, msghdr.msg_iovlen$offset(), msghdr.msg_iovlen$layout(), "msghdr.msg_iovlen");
        assertField(32, 8, msghdr.msg_control$offset(), msghdr.msg_control$layout(), "msghdr.msg_control");
        assertField(40, 8, msghdr.msg_controllen$offset(), msghdr.msg_controllen$layout(), "msghdr.msg_controllen");
        assertField(48, 4, msghdr.msg_flags$offset(), msghdr.msg_flags$layout(), "msghdr.msg_flags");
    }

    @Test
    void sockaddr_in() {
        assertSize(16, sockaddr_in.layout(), "sockaddr_in");
        assertField(0, 2, sockaddr_in.sin_family$offset(), sockaddr_in.sin_family$layout(), "sockaddr_in.sin_family");
        assertField(2, 2, sockaddr_in.sin_port$offset(), sockaddr_in.sin_port$layout(), "sockaddr_in.sin_port");
        assertField(4, 4, sockaddr_in.sin_addr$offset(), sockaddr_in.sin_addr$layout(), "sockaddr_in.sin_addr");
        assertField(8, 8, sockaddr_in.sin_zero$offset(), sockaddr_in.sin_zero$layout(), "sockaddr_in.sin_zero");
    }

    @Test
    void statx() {
        assertSize(256, statx.layout(), "statx");
        assertField(0, 4, statx.stx_mask$offset(), statx.stx_mask$layout(), "statx.stx_mask");
        assertField(4, 4, statx.stx_blksize$offset(), statx.stx_blksize$layout(), "statx.stx_blksize");
        assertField(8, 8, statx.stx_attributes$offset(), statx.stx_attributes$layout(), "statx.stx_attributes");
        assertField(16, 4, statx.stx_nlink$offset(), statx.stx_nlink$layout(), "statx.stx_nlink");
        assertField(20, 4, statx.stx_uid$offset(), statx.stx_uid$layout(), "statx.stx_uid");
        assertField(24, 4, statx.stx_gid$offset(), statx.stx_gid$layout(), "statx.stx_gid");
        assertField(28, 2, statx.stx_mode$offset(), statx.stx_mode$layout(), "statx.stx_mode");
        assertField(30, 2, statx.__spare0$offset(), statx.__spare0$layout(), "statx.__spare0");
        assertField(32, 8, statx.stx_ino$offset(), statx.stx_ino$layout(), "statx.stx_ino");
        assertField(40, 8, statx.stx_size$offset(), statx.stx_size$layout(), "statx.stx_size");
        assertField(48, 8, statx.stx_blocks$offset(), statx.stx_blocks$layout(), "statx.stx_blocks");
        assertField(56, 8, statx.stx_attributes_mask$offset(), statx.stx_attributes_mask$layout(), "statx.stx_attributes_mask");
        assertField(64, 16, statx.stx_atime$offset(), statx.stx_atime$layout(), "statx.stx_atime");
        assertField(80, 16, statx.stx_btime$offset(), statx.stx_btime$layout(), "statx.stx_btime");
        assertField(96, 16, statx.stx_ctime$offset(), statx.stx_ctime$layout(), "statx.stx_ctime");
        assertField(112, 16, statx.stx_mtime$offset(), statx.stx_mtime$layout(), "statx.stx_mtime");
        assertField(128, 4, statx.stx_rdev_major$offset(), statx.stx_rdev_major$layout(), "statx.stx_rdev_major");
        assertField(132, 4, statx.stx_rdev_minor$offset(), statx.stx_rdev_minor$layout(), "statx.stx_rdev_minor");
        assertField(136, 4, statx.stx_dev_major$offset(), statx.stx_dev_major$layout(), "statx.stx_dev_major");
        assertField(140, 4, statx.stx_dev_minor$offset(), statx.stx_dev_minor$layout(), "statx.stx_dev_minor");
        assertField(144, 8, statx.stx_mnt_id$offset(), statx.stx_mnt_id$layout(), "statx.stx_mnt_id");
        assertField(152, 4, statx.stx_dio_mem_align$offset(), statx.stx_dio_mem_align$layout(), "statx.stx_dio_mem_align");
        assertField(156, 4, statx.stx_dio_offset_align$offset(), statx.stx_dio_offset_align$layout(), "statx.stx_dio_offset_align");
        assertField(160, 8, statx.stx_subvol$offset(), statx.stx_subvol$layout(), "statx.stx_subvol");
        assertField(168, 4, statx.stx_atomic_write_unit_min$offset(), statx.stx_atomic_write_unit_min$layout(), "statx.stx_atomic_write_unit_min");
        assertField(172, 4, statx.stx_atomic_write_unit_max$offset(), statx.stx_atomic_write_unit_max$layout(), "statx.stx_atomic_write_unit_max");
        assertField(176, 4, statx.stx_atomic_write_segments_max$offset(), statx.stx_atomic_write_segments_max$layout(), "statx.stx_atomic_write_segments_max");
        assertField(180, 4, statx.stx_dio_read_offset_align$offset(), statx.stx_dio_read_offset_align$layout(), "statx.stx_dio_read_offset_align");
        assertField(184, 4, statx.stx_atomic_write_unit_max_opt$offset(), statx.stx_atomic_write_unit_max_opt$layout(), "statx.stx_atomic_write_unit_max_opt");
        assertField(188, 4, statx.__spare2$offset(), statx.__spare2$layout(), "statx.__spare2");
        assertField(192, 64, statx.__spare3$offset(), statx.__spare3$layout(), "statx.__spare3");
    }

    @Test
    void epoll_event() {
        assertSize(12, epoll_event.layout(), "epoll_event");
        assertField(0, 4, epoll_event.events$offset(), epoll_event.events$layout(), "epoll_event.events");
        assertField(4, 8, epoll_event.data$offset(), epoll_event.data$layout(), "epoll_event.data");
    }

    @Test
    void pollfd() {
        assertSize(8, pollfd.layout(), "pollfd");
        assertField(0, 4, pollfd.fd$offset(), pollfd.fd$layout(), "pollfd.fd");
        assertField(4, 2, pollfd.events$offset(), pollfd.events$layout(), "pollfd.events");
        assertField(6, 2, pollfd.revents$offset(), pollfd.revents$layout(), "pollfd.revents");
    }

    @Test
    void constants() {
        assertEquals(2, Uapi.IORING_ACCEPT_DONTWAIT(), "IORING_ACCEPT_DONTWAIT");
        assertEquals(1, Uapi.IORING_ACCEPT_MULTISHOT(), "IORING_ACCEPT_MULTISHOT");
        assertEquals(4, Uapi.IORING_ACCEPT_POLL_FIRST(), "IORING_ACCEPT_POLL_FIRST");
        assertEquals(1, Uapi.IORING_ASYNC_CANCEL_ALL(), "IORING_ASYNC_CANCEL_ALL");
        assertEquals(4, Uapi.IORING_ASYNC_CANCEL_ANY(), "IORING_ASYNC_CANCEL_ANY");
        assertEquals(2, Uapi.IORING_ASYNC_CANCEL_FD(), "IORING_ASYNC_CANCEL_FD");
        assertEquals(8, Uapi.IORING_ASYNC_CANCEL_FD_FIXED(), "IORING_ASYNC_CANCEL_FD_FIXED");
        assertEquals(0x20, Uapi.IORING_ASYNC_CANCEL_OP(), "IORING_ASYNC_CANCEL_OP");
        assertEquals(0x10, Uapi.IORING_ASYNC_CANCEL_USERDATA(), "IORING_ASYNC_CANCEL_USERDATA");
        assertEquals(0x10, Uapi.IORING_CQE_BUFFER_SHIFT(), "IORING_CQE_BUFFER_SHIFT");
        assertEquals(0x8000, Uapi.IORING_CQE_F_32(), "IORING_CQE_F_32");
        assertEquals(1, Uapi.IORING_CQE_F_BUFFER(), "IORING_CQE_F_BUFFER");
        assertEquals(0x10, Uapi.IORING_CQE_F_BUF_MORE(), "IORING_CQE_F_BUF_MORE");
        assertEquals(2, Uapi.IORING_CQE_F_MORE(), "IORING_CQE_F_MORE");
        assertEquals(8, Uapi.IORING_CQE_F_NOTIF(), "IORING_CQE_F_NOTIF");
        assertEquals(0x20, Uapi.IORING_CQE_F_SKIP(), "IORING_CQE_F_SKIP");
        assertEquals(4, Uapi.IORING_CQE_F_SOCK_NONEMPTY(), "IORING_CQE_F_SOCK_NONEMPTY");
        assertEquals(0x10000, Uapi.IORING_CQE_F_TSTAMP_HW(), "IORING_CQE_F_TSTAMP_HW");
        assertEquals(1, Uapi.IORING_CQ_EVENTFD_DISABLED(), "IORING_CQ_EVENTFD_DISABLED");
        assertEquals(0x20, Uapi.IORING_ENTER_ABS_TIMER(), "IORING_ENTER_ABS_TIMER");
        assertEquals(8, Uapi.IORING_ENTER_EXT_ARG(), "IORING_ENTER_EXT_ARG");
        assertEquals(0x40, Uapi.IORING_ENTER_EXT_ARG_REG(), "IORING_ENTER_EXT_ARG_REG");
        assertEquals(1, Uapi.IORING_ENTER_GETEVENTS(), "IORING_ENTER_GETEVENTS");
        assertEquals(0x80, Uapi.IORING_ENTER_NO_IOWAIT(), "IORING_ENTER_NO_IOWAIT");
        assertEquals(0x10, Uapi.IORING_ENTER_REGISTERED_RING(), "IORING_ENTER_REGISTERED_RING");
        assertEquals(4, Uapi.IORING_ENTER_SQ_WAIT(), "IORING_ENTER_SQ_WAIT");
        assertEquals(2, Uapi.IORING_ENTER_SQ_WAKEUP(), "IORING_ENTER_SQ_WAKEUP");
        assertEquals(0x800, Uapi.IORING_FEAT_CQE_SKIP(), "IORING_FEAT_CQE_SKIP");
        assertEquals(0x10, Uapi.IORING_FEAT_CUR_PERSONALITY(), "IORING_FEAT_CUR_PERSONALITY");
        assertEquals(0x100, Uapi.IORING_FEAT_EXT_ARG(), "IORING_FEAT_EXT_ARG");
        assertEquals(0x20, Uapi.IORING_FEAT_FAST_POLL(), "IORING_FEAT_FAST_POLL");
        assertEquals(0x1000, Uapi.IORING_FEAT_LINKED_FILE(), "IORING_FEAT_LINKED_FILE");
        assertEquals(0x8000, Uapi.IORING_FEAT_MIN_TIMEOUT(), "IORING_FEAT_MIN_TIMEOUT");
        assertEquals(0x200, Uapi.IORING_FEAT_NATIVE_WORKERS(), "IORING_FEAT_NATIVE_WORKERS");
        assertEquals(2, Uapi.IORING_FEAT_NODROP(), "IORING_FEAT_NODROP");
        assertEquals(0x20000, Uapi.IORING_FEAT_NO_IOWAIT(), "IORING_FEAT_NO_IOWAIT");
        assertEquals(0x40, Uapi.IORING_FEAT_POLL_32BITS(), "IORING_FEAT_POLL_32BITS");
        assertEquals(0x4000, Uapi.IORING_FEAT_RECVSEND_BUNDLE(), "IORING_FEAT_RECVSEND_BUNDLE");
        assertEquals(0x2000, Uapi.IORING_FEAT_REG_REG_RING(), "IORING_FEAT_REG_REG_RING");
        assertEquals(0x400, Uapi.IORING_FEAT_RSRC_TAGS(), "IORING_FEAT_RSRC_TAGS");
        assertEquals(0x10000, Uapi.IORING_FEAT_RW_ATTR(), "IORING_FEAT_RW_ATTR");
        assertEquals(8, Uapi.IORING_FEAT_RW_CUR_POS(), "IORING_FEAT_RW_CUR_POS");
        assertEquals(1, Uapi.IORING_FEAT_SINGLE_MMAP(), "IORING_FEAT_SINGLE_MMAP");
        assertEquals(0x80, Uapi.IORING_FEAT_SQPOLL_NONFIXED(), "IORING_FEAT_SQPOLL_NONFIXED");
        assertEquals(4, Uapi.IORING_FEAT_SUBMIT_STABLE(), "IORING_FEAT_SUBMIT_STABLE");
        assertEquals(0xffffffff, Uapi.IORING_FILE_INDEX_ALLOC(), "IORING_FILE_INDEX_ALLOC");
        assertEquals(1, Uapi.IORING_FIXED_FD_NO_CLOEXEC(), "IORING_FIXED_FD_NO_CLOEXEC");
        assertEquals(1, Uapi.IORING_FSYNC_DATASYNC(), "IORING_FSYNC_DATASYNC");
        assertEquals(0x10, Uapi.IORING_LINK_TIMEOUT_UPDATE(), "IORING_LINK_TIMEOUT_UPDATE");
        assertEquals(1, Uapi.IORING_MEM_REGION_REG_WAIT_ARG(), "IORING_MEM_REGION_REG_WAIT_ARG");
        assertEquals(1, Uapi.IORING_MEM_REGION_TYPE_USER(), "IORING_MEM_REGION_TYPE_USER");
        assertEquals(0, Uapi.IORING_MSG_DATA(), "IORING_MSG_DATA");
        assertEquals(1, Uapi.IORING_MSG_RING_CQE_SKIP(), "IORING_MSG_RING_CQE_SKIP");
        assertEquals(2, Uapi.IORING_MSG_RING_FLAGS_PASS(), "IORING_MSG_RING_FLAGS_PASS");
        assertEquals(1, Uapi.IORING_MSG_SEND_FD(), "IORING_MSG_SEND_FD");
        assertEquals(0x20, Uapi.IORING_NOP_CQE32(), "IORING_NOP_CQE32");
        assertEquals(2, Uapi.IORING_NOP_FILE(), "IORING_NOP_FILE");
        assertEquals(8, Uapi.IORING_NOP_FIXED_BUFFER(), "IORING_NOP_FIXED_BUFFER");
        assertEquals(4, Uapi.IORING_NOP_FIXED_FILE(), "IORING_NOP_FIXED_FILE");
        assertEquals(1, Uapi.IORING_NOP_INJECT_RESULT(), "IORING_NOP_INJECT_RESULT");
        assertEquals(0x10, Uapi.IORING_NOP_TW(), "IORING_NOP_TW");
        assertEquals(0x80000000, Uapi.IORING_NOTIF_USAGE_ZC_COPIED(), "IORING_NOTIF_USAGE_ZC_COPIED");
        assertEquals(0x8000000L, Uapi.IORING_OFF_CQ_RING(), "IORING_OFF_CQ_RING");
        assertEquals(0xf8000000L, Uapi.IORING_OFF_MMAP_MASK(), "IORING_OFF_MMAP_MASK");
        assertEquals(0x80000000L, Uapi.IORING_OFF_PBUF_RING(), "IORING_OFF_PBUF_RING");
        assertEquals(0x10, Uapi.IORING_OFF_PBUF_SHIFT(), "IORING_OFF_PBUF_SHIFT");
        assertEquals(0x10000000L, Uapi.IORING_OFF_SQES(), "IORING_OFF_SQES");
        assertEquals(0L, Uapi.IORING_OFF_SQ_RING(), "IORING_OFF_SQ_RING");
        assertEquals(0xd, Uapi.IORING_OP_ACCEPT(), "IORING_OP_ACCEPT");
        assertEquals(0xe, Uapi.IORING_OP_ASYNC_CANCEL(), "IORING_OP_ASYNC_CANCEL");
        assertEquals(0x38, Uapi.IORING_OP_BIND(), "IORING_OP_BIND");
        assertEquals(0x13, Uapi.IORING_OP_CLOSE(), "IORING_OP_CLOSE");
        assertEquals(0x10, Uapi.IORING_OP_CONNECT(), "IORING_OP_CONNECT");
        assertEquals(0x1d, Uapi.IORING_OP_EPOLL_CTL(), "IORING_OP_EPOLL_CTL");
        assertEquals(0x3b, Uapi.IORING_OP_EPOLL_WAIT(), "IORING_OP_EPOLL_WAIT");
        assertEquals(0x18, Uapi.IORING_OP_FADVISE(), "IORING_OP_FADVISE");
        assertEquals(0x11, Uapi.IORING_OP_FALLOCATE(), "IORING_OP_FALLOCATE");
        assertEquals(0x2b, Uapi.IORING_OP_FGETXATTR(), "IORING_OP_FGETXATTR");
        assertEquals(0x14, Uapi.IORING_OP_FILES_UPDATE(), "IORING_OP_FILES_UPDATE");
        assertEquals(0x36, Uapi.IORING_OP_FIXED_FD_INSTALL(), "IORING_OP_FIXED_FD_INSTALL");
        assertEquals(0x29, Uapi.IORING_OP_FSETXATTR(), "IORING_OP_FSETXATTR");
        assertEquals(3, Uapi.IORING_OP_FSYNC(), "IORING_OP_FSYNC");
        assertEquals(0x37, Uapi.IORING_OP_FTRUNCATE(), "IORING_OP_FTRUNCATE");
        assertEquals(0x33, Uapi.IORING_OP_FUTEX_WAIT(), "IORING_OP_FUTEX_WAIT");
        assertEquals(0x35, Uapi.IORING_OP_FUTEX_WAITV(), "IORING_OP_FUTEX_WAITV");
        assertEquals(0x34, Uapi.IORING_OP_FUTEX_WAKE(), "IORING_OP_FUTEX_WAKE");
        assertEquals(0x2c, Uapi.IORING_OP_GETXATTR(), "IORING_OP_GETXATTR");
        assertEquals(0x41, Uapi.IORING_OP_LAST(), "IORING_OP_LAST");
        assertEquals(0x27, Uapi.IORING_OP_LINKAT(), "IORING_OP_LINKAT");
        assertEquals(0xf, Uapi.IORING_OP_LINK_TIMEOUT(), "IORING_OP_LINK_TIMEOUT");
        assertEquals(0x39, Uapi.IORING_OP_LISTEN(), "IORING_OP_LISTEN");
        assertEquals(0x19, Uapi.IORING_OP_MADVISE(), "IORING_OP_MADVISE");
        assertEquals(0x25, Uapi.IORING_OP_MKDIRAT(), "IORING_OP_MKDIRAT");
        assertEquals(0x28, Uapi.IORING_OP_MSG_RING(), "IORING_OP_MSG_RING");
        assertEquals(0, Uapi.IORING_OP_NOP(), "IORING_OP_NOP");
        assertEquals(0x3f, Uapi.IORING_OP_NOP128(), "IORING_OP_NOP128");
        assertEquals(0x12, Uapi.IORING_OP_OPENAT(), "IORING_OP_OPENAT");
        assertEquals(0x1c, Uapi.IORING_OP_OPENAT2(), "IORING_OP_OPENAT2");
        assertEquals(0x3e, Uapi.IORING_OP_PIPE(), "IORING_OP_PIPE");
        assertEquals(6, Uapi.IORING_OP_POLL_ADD(), "IORING_OP_POLL_ADD");
        assertEquals(7, Uapi.IORING_OP_POLL_REMOVE(), "IORING_OP_POLL_REMOVE");
        assertEquals(0x1f, Uapi.IORING_OP_PROVIDE_BUFFERS(), "IORING_OP_PROVIDE_BUFFERS");
        assertEquals(0x16, Uapi.IORING_OP_READ(), "IORING_OP_READ");
        assertEquals(1, Uapi.IORING_OP_READV(), "IORING_OP_READV");
        assertEquals(0x3c, Uapi.IORING_OP_READV_FIXED(), "IORING_OP_READV_FIXED");
        assertEquals(4, Uapi.IORING_OP_READ_FIXED(), "IORING_OP_READ_FIXED");
        assertEquals(0x31, Uapi.IORING_OP_READ_MULTISHOT(), "IORING_OP_READ_MULTISHOT");
        assertEquals(0x1b, Uapi.IORING_OP_RECV(), "IORING_OP_RECV");
        assertEquals(0xa, Uapi.IORING_OP_RECVMSG(), "IORING_OP_RECVMSG");
        assertEquals(0x3a, Uapi.IORING_OP_RECV_ZC(), "IORING_OP_RECV_ZC");
        assertEquals(0x20, Uapi.IORING_OP_REMOVE_BUFFERS(), "IORING_OP_REMOVE_BUFFERS");
        assertEquals(0x23, Uapi.IORING_OP_RENAMEAT(), "IORING_OP_RENAMEAT");
        assertEquals(0x1a, Uapi.IORING_OP_SEND(), "IORING_OP_SEND");
        assertEquals(9, Uapi.IORING_OP_SENDMSG(), "IORING_OP_SENDMSG");
        assertEquals(0x30, Uapi.IORING_OP_SENDMSG_ZC(), "IORING_OP_SENDMSG_ZC");
        assertEquals(0x2f, Uapi.IORING_OP_SEND_ZC(), "IORING_OP_SEND_ZC");
        assertEquals(0x2a, Uapi.IORING_OP_SETXATTR(), "IORING_OP_SETXATTR");
        assertEquals(0x22, Uapi.IORING_OP_SHUTDOWN(), "IORING_OP_SHUTDOWN");
        assertEquals(0x2d, Uapi.IORING_OP_SOCKET(), "IORING_OP_SOCKET");
        assertEquals(0x1e, Uapi.IORING_OP_SPLICE(), "IORING_OP_SPLICE");
        assertEquals(0x15, Uapi.IORING_OP_STATX(), "IORING_OP_STATX");
        assertEquals(0x26, Uapi.IORING_OP_SYMLINKAT(), "IORING_OP_SYMLINKAT");
        assertEquals(8, Uapi.IORING_OP_SYNC_FILE_RANGE(), "IORING_OP_SYNC_FILE_RANGE");
        assertEquals(0x21, Uapi.IORING_OP_TEE(), "IORING_OP_TEE");
        assertEquals(0xb, Uapi.IORING_OP_TIMEOUT(), "IORING_OP_TIMEOUT");
        assertEquals(0xc, Uapi.IORING_OP_TIMEOUT_REMOVE(), "IORING_OP_TIMEOUT_REMOVE");
        assertEquals(0x24, Uapi.IORING_OP_UNLINKAT(), "IORING_OP_UNLINKAT");
        assertEquals(0x2e, Uapi.IORING_OP_URING_CMD(), "IORING_OP_URING_CMD");
        assertEquals(0x40, Uapi.IORING_OP_URING_CMD128(), "IORING_OP_URING_CMD128");
        assertEquals(0x32, Uapi.IORING_OP_WAITID(), "IORING_OP_WAITID");
        assertEquals(0x17, Uapi.IORING_OP_WRITE(), "IORING_OP_WRITE");
        assertEquals(2, Uapi.IORING_OP_WRITEV(), "IORING_OP_WRITEV");
        assertEquals(0x3d, Uapi.IORING_OP_WRITEV_FIXED(), "IORING_OP_WRITEV_FIXED");
        assertEquals(5, Uapi.IORING_OP_WRITE_FIXED(), "IORING_OP_WRITE_FIXED");
        assertEquals(8, Uapi.IORING_POLL_ADD_LEVEL(), "IORING_POLL_ADD_LEVEL");
        assertEquals(1, Uapi.IORING_POLL_ADD_MULTI(), "IORING_POLL_ADD_MULTI");
        assertEquals(2, Uapi.IORING_POLL_UPDATE_EVENTS(), "IORING_POLL_UPDATE_EVENTS");
        assertEquals(4, Uapi.IORING_POLL_UPDATE_USER_DATA(), "IORING_POLL_UPDATE_USER_DATA");
        assertEquals(0x10, Uapi.IORING_RECVSEND_BUNDLE(), "IORING_RECVSEND_BUNDLE");
        assertEquals(4, Uapi.IORING_RECVSEND_FIXED_BUF(), "IORING_RECVSEND_FIXED_BUF");
        assertEquals(1, Uapi.IORING_RECVSEND_POLL_FIRST(), "IORING_RECVSEND_POLL_FIRST");
        assertEquals(2, Uapi.IORING_RECV_MULTISHOT(), "IORING_RECV_MULTISHOT");
        assertEquals(0x25, Uapi.IORING_REGISTER_BPF_FILTER(), "IORING_REGISTER_BPF_FILTER");
        assertEquals(0, Uapi.IORING_REGISTER_BUFFERS(), "IORING_REGISTER_BUFFERS");
        assertEquals(0xf, Uapi.IORING_REGISTER_BUFFERS2(), "IORING_REGISTER_BUFFERS2");
        assertEquals(0x10, Uapi.IORING_REGISTER_BUFFERS_UPDATE(), "IORING_REGISTER_BUFFERS_UPDATE");
        assertEquals(0x1d, Uapi.IORING_REGISTER_CLOCK(), "IORING_REGISTER_CLOCK");
        assertEquals(0x1e, Uapi.IORING_REGISTER_CLONE_BUFFERS(), "IORING_REGISTER_CLONE_BUFFERS");
        assertEquals(2, Uapi.IORING_REGISTER_DST_REPLACE(), "IORING_REGISTER_DST_REPLACE");
        assertEquals(0xc, Uapi.IORING_REGISTER_ENABLE_RINGS(), "IORING_REGISTER_ENABLE_RINGS");
        assertEquals(4, Uapi.IORING_REGISTER_EVENTFD(), "IORING_REGISTER_EVENTFD");
        assertEquals(7, Uapi.IORING_REGISTER_EVENTFD_ASYNC(), "IORING_REGISTER_EVENTFD_ASYNC");
        assertEquals(2, Uapi.IORING_REGISTER_FILES(), "IORING_REGISTER_FILES");
        assertEquals(0xd, Uapi.IORING_REGISTER_FILES2(), "IORING_REGISTER_FILES2");
        assertEquals(-2, Uapi.IORING_REGISTER_FILES_SKIP(), "IORING_REGISTER_FILES_SKIP");
        assertEquals(6, Uapi.IORING_REGISTER_FILES_UPDATE(), "IORING_REGISTER_FILES_UPDATE");
        assertEquals(0xe, Uapi.IORING_REGISTER_FILES_UPDATE2(), "IORING_REGISTER_FILES_UPDATE2");
        assertEquals(0x19, Uapi.IORING_REGISTER_FILE_ALLOC_RANGE(), "IORING_REGISTER_FILE_ALLOC_RANGE");
        assertEquals(0x11, Uapi.IORING_REGISTER_IOWQ_AFF(), "IORING_REGISTER_IOWQ_AFF");
        assertEquals(0x13, Uapi.IORING_REGISTER_IOWQ_MAX_WORKERS(), "IORING_REGISTER_IOWQ_MAX_WORKERS");
        assertEquals(0x26, Uapi.IORING_REGISTER_LAST(), "IORING_REGISTER_LAST");
        assertEquals(0x22, Uapi.IORING_REGISTER_MEM_REGION(), "IORING_REGISTER_MEM_REGION");
        assertEquals(0x1b, Uapi.IORING_REGISTER_NAPI(), "IORING_REGISTER_NAPI");
        assertEquals(0x16, Uapi.IORING_REGISTER_PBUF_RING(), "IORING_REGISTER_PBUF_RING");
        assertEquals(0x1a, Uapi.IORING_REGISTER_PBUF_STATUS(), "IORING_REGISTER_PBUF_STATUS");
        assertEquals(9, Uapi.IORING_REGISTER_PERSONALITY(), "IORING_REGISTER_PERSONALITY");
        assertEquals(8, Uapi.IORING_REGISTER_PROBE(), "IORING_REGISTER_PROBE");
        assertEquals(0x23, Uapi.IORING_REGISTER_QUERY(), "IORING_REGISTER_QUERY");
        assertEquals(0x21, Uapi.IORING_REGISTER_RESIZE_RINGS(), "IORING_REGISTER_RESIZE_RINGS");
        assertEquals(0xb, Uapi.IORING_REGISTER_RESTRICTIONS(), "IORING_REGISTER_RESTRICTIONS");
        assertEquals(0x14, Uapi.IORING_REGISTER_RING_FDS(), "IORING_REGISTER_RING_FDS");
        assertEquals(0x1f, Uapi.IORING_REGISTER_SEND_MSG_RING(), "IORING_REGISTER_SEND_MSG_RING");
        assertEquals(1, Uapi.IORING_REGISTER_SRC_REGISTERED(), "IORING_REGISTER_SRC_REGISTERED");
        assertEquals(0x18, Uapi.IORING_REGISTER_SYNC_CANCEL(), "IORING_REGISTER_SYNC_CANCEL");
        assertEquals(0x80000000, Uapi.IORING_REGISTER_USE_REGISTERED_RING(), "IORING_REGISTER_USE_REGISTERED_RING");
        assertEquals(0x24, Uapi.IORING_REGISTER_ZCRX_CTRL(), "IORING_REGISTER_ZCRX_CTRL");
        assertEquals(0x20, Uapi.IORING_REGISTER_ZCRX_IFQ(), "IORING_REGISTER_ZCRX_IFQ");
        assertEquals(1, Uapi.IORING_REG_WAIT_TS(), "IORING_REG_WAIT_TS");
        assertEquals(4, Uapi.IORING_RESTRICTION_LAST(), "IORING_RESTRICTION_LAST");
        assertEquals(0, Uapi.IORING_RESTRICTION_REGISTER_OP(), "IORING_RESTRICTION_REGISTER_OP");
        assertEquals(2, Uapi.IORING_RESTRICTION_SQE_FLAGS_ALLOWED(), "IORING_RESTRICTION_SQE_FLAGS_ALLOWED");
        assertEquals(3, Uapi.IORING_RESTRICTION_SQE_FLAGS_REQUIRED(), "IORING_RESTRICTION_SQE_FLAGS_REQUIRED");
        assertEquals(1, Uapi.IORING_RESTRICTION_SQE_OP(), "IORING_RESTRICTION_SQE_OP");
        assertEquals(1, Uapi.IORING_RSRC_REGISTER_SPARSE(), "IORING_RSRC_REGISTER_SPARSE");
        assertEquals(1, Uapi.IORING_RW_ATTR_FLAG_PI(), "IORING_RW_ATTR_FLAG_PI");
        assertEquals(0x20, Uapi.IORING_SEND_VECTORIZED(), "IORING_SEND_VECTORIZED");
        assertEquals(8, Uapi.IORING_SEND_ZC_REPORT_USAGE(), "IORING_SEND_ZC_REPORT_USAGE");
        assertEquals(0x20, Uapi.IORING_SETUP_ATTACH_WQ(), "IORING_SETUP_ATTACH_WQ");
        assertEquals(0x10, Uapi.IORING_SETUP_CLAMP(), "IORING_SETUP_CLAMP");
        assertEquals(0x100, Uapi.IORING_SETUP_COOP_TASKRUN(), "IORING_SETUP_COOP_TASKRUN");
        assertEquals(0x800, Uapi.IORING_SETUP_CQE32(), "IORING_SETUP_CQE32");
        assertEquals(0x40000, Uapi.IORING_SETUP_CQE_MIXED(), "IORING_SETUP_CQE_MIXED");
        assertEquals(8, Uapi.IORING_SETUP_CQSIZE(), "IORING_SETUP_CQSIZE");
        assertEquals(0x2000, Uapi.IORING_SETUP_DEFER_TASKRUN(), "IORING_SETUP_DEFER_TASKRUN");
        assertEquals(0x20000, Uapi.IORING_SETUP_HYBRID_IOPOLL(), "IORING_SETUP_HYBRID_IOPOLL");
        assertEquals(1, Uapi.IORING_SETUP_IOPOLL(), "IORING_SETUP_IOPOLL");
        assertEquals(0x4000, Uapi.IORING_SETUP_NO_MMAP(), "IORING_SETUP_NO_MMAP");
        assertEquals(0x10000, Uapi.IORING_SETUP_NO_SQARRAY(), "IORING_SETUP_NO_SQARRAY");
        assertEquals(0x8000, Uapi.IORING_SETUP_REGISTERED_FD_ONLY(), "IORING_SETUP_REGISTERED_FD_ONLY");
        assertEquals(0x40, Uapi.IORING_SETUP_R_DISABLED(), "IORING_SETUP_R_DISABLED");
        assertEquals(0x1000, Uapi.IORING_SETUP_SINGLE_ISSUER(), "IORING_SETUP_SINGLE_ISSUER");
        assertEquals(0x400, Uapi.IORING_SETUP_SQE128(), "IORING_SETUP_SQE128");
        assertEquals(0x80000, Uapi.IORING_SETUP_SQE_MIXED(), "IORING_SETUP_SQE_MIXED");
        assertEquals(2, Uapi.IORING_SETUP_SQPOLL(), "IORING_SETUP_SQPOLL");
        assertEquals(4, Uapi.IORING_SETUP_SQ_AFF(), "IORING_SETUP_SQ_AFF");
        assertEquals(0x100000, Uapi.IORING_SETUP_SQ_REWIND(), "IORING_SETUP_SQ_REWIND");
        assertEquals(0x80, Uapi.IORING_SETUP_SUBMIT_ALL(), "IORING_SETUP_SUBMIT_ALL");
        assertEquals(0x200, Uapi.IORING_SETUP_TASKRUN_FLAG(), "IORING_SETUP_TASKRUN_FLAG");
        assertEquals(2, Uapi.IORING_SQ_CQ_OVERFLOW(), "IORING_SQ_CQ_OVERFLOW");
        assertEquals(1, Uapi.IORING_SQ_NEED_WAKEUP(), "IORING_SQ_NEED_WAKEUP");
        assertEquals(4, Uapi.IORING_SQ_TASKRUN(), "IORING_SQ_TASKRUN");
        assertEquals(1, Uapi.IORING_TIMEOUT_ABS(), "IORING_TIMEOUT_ABS");
        assertEquals(4, Uapi.IORING_TIMEOUT_BOOTTIME(), "IORING_TIMEOUT_BOOTTIME");
        assertEquals(0xc, Uapi.IORING_TIMEOUT_CLOCK_MASK(), "IORING_TIMEOUT_CLOCK_MASK");
        assertEquals(0x20, Uapi.IORING_TIMEOUT_ETIME_SUCCESS(), "IORING_TIMEOUT_ETIME_SUCCESS");
        assertEquals(0x80, Uapi.IORING_TIMEOUT_IMMEDIATE_ARG(), "IORING_TIMEOUT_IMMEDIATE_ARG");
        assertEquals(0x40, Uapi.IORING_TIMEOUT_MULTISHOT(), "IORING_TIMEOUT_MULTISHOT");
        assertEquals(8, Uapi.IORING_TIMEOUT_REALTIME(), "IORING_TIMEOUT_REALTIME");
        assertEquals(2, Uapi.IORING_TIMEOUT_UPDATE(), "IORING_TIMEOUT_UPDATE");
        assertEquals(0x12, Uapi.IORING_TIMEOUT_UPDATE_MASK(), "IORING_TIMEOUT_UPDATE_MASK");
        assertEquals(0x10, Uapi.IORING_TIMESTAMP_HW_SHIFT(), "IORING_TIMESTAMP_HW_SHIFT");
        assertEquals(0x11, Uapi.IORING_TIMESTAMP_TYPE_SHIFT(), "IORING_TIMESTAMP_TYPE_SHIFT");
        assertEquals(1, Uapi.IORING_UNREGISTER_BUFFERS(), "IORING_UNREGISTER_BUFFERS");
        assertEquals(5, Uapi.IORING_UNREGISTER_EVENTFD(), "IORING_UNREGISTER_EVENTFD");
        assertEquals(3, Uapi.IORING_UNREGISTER_FILES(), "IORING_UNREGISTER_FILES");
        assertEquals(0x12, Uapi.IORING_UNREGISTER_IOWQ_AFF(), "IORING_UNREGISTER_IOWQ_AFF");
        assertEquals(0x1c, Uapi.IORING_UNREGISTER_NAPI(), "IORING_UNREGISTER_NAPI");
        assertEquals(0x17, Uapi.IORING_UNREGISTER_PBUF_RING(), "IORING_UNREGISTER_PBUF_RING");
        assertEquals(0xa, Uapi.IORING_UNREGISTER_PERSONALITY(), "IORING_UNREGISTER_PERSONALITY");
        assertEquals(0x15, Uapi.IORING_UNREGISTER_RING_FDS(), "IORING_UNREGISTER_RING_FDS");
        assertEquals(1, Uapi.IORING_URING_CMD_FIXED(), "IORING_URING_CMD_FIXED");
        assertEquals(3, Uapi.IORING_URING_CMD_MASK(), "IORING_URING_CMD_MASK");
        assertEquals(2, Uapi.IORING_URING_CMD_MULTISHOT(), "IORING_URING_CMD_MULTISHOT");
        assertEquals(0x10, Uapi.IOSQE_ASYNC(), "IOSQE_ASYNC");
        assertEquals(4, Uapi.IOSQE_ASYNC_BIT(), "IOSQE_ASYNC_BIT");
        assertEquals(0x20, Uapi.IOSQE_BUFFER_SELECT(), "IOSQE_BUFFER_SELECT");
        assertEquals(5, Uapi.IOSQE_BUFFER_SELECT_BIT(), "IOSQE_BUFFER_SELECT_BIT");
        assertEquals(0x40, Uapi.IOSQE_CQE_SKIP_SUCCESS(), "IOSQE_CQE_SKIP_SUCCESS");
        assertEquals(6, Uapi.IOSQE_CQE_SKIP_SUCCESS_BIT(), "IOSQE_CQE_SKIP_SUCCESS_BIT");
        assertEquals(1, Uapi.IOSQE_FIXED_FILE(), "IOSQE_FIXED_FILE");
        assertEquals(0, Uapi.IOSQE_FIXED_FILE_BIT(), "IOSQE_FIXED_FILE_BIT");
        assertEquals(2, Uapi.IOSQE_IO_DRAIN(), "IOSQE_IO_DRAIN");
        assertEquals(1, Uapi.IOSQE_IO_DRAIN_BIT(), "IOSQE_IO_DRAIN_BIT");
        assertEquals(8, Uapi.IOSQE_IO_HARDLINK(), "IOSQE_IO_HARDLINK");
        assertEquals(3, Uapi.IOSQE_IO_HARDLINK_BIT(), "IOSQE_IO_HARDLINK_BIT");
        assertEquals(4, Uapi.IOSQE_IO_LINK(), "IOSQE_IO_LINK");
        assertEquals(2, Uapi.IOSQE_IO_LINK_BIT(), "IOSQE_IO_LINK_BIT");
        assertEquals(2, Uapi.IOU_PBUF_RING_INC(), "IOU_PBUF_RING_INC");
        assertEquals(1, Uapi.IOU_PBUF_RING_MMAP(), "IOU_PBUF_RING_MMAP");
        assertEquals(0, Uapi.IO_URING_NAPI_REGISTER_OP(), "IO_URING_NAPI_REGISTER_OP");
        assertEquals(1, Uapi.IO_URING_NAPI_STATIC_ADD_ID(), "IO_URING_NAPI_STATIC_ADD_ID");
        assertEquals(2, Uapi.IO_URING_NAPI_STATIC_DEL_ID(), "IO_URING_NAPI_STATIC_DEL_ID");
        assertEquals(0, Uapi.IO_URING_NAPI_TRACKING_DYNAMIC(), "IO_URING_NAPI_TRACKING_DYNAMIC");
        assertEquals(0xff, Uapi.IO_URING_NAPI_TRACKING_INACTIVE(), "IO_URING_NAPI_TRACKING_INACTIVE");
        assertEquals(1, Uapi.IO_URING_NAPI_TRACKING_STATIC(), "IO_URING_NAPI_TRACKING_STATIC");
        assertEquals(1, Uapi.IO_URING_OP_SUPPORTED(), "IO_URING_OP_SUPPORTED");
        assertEquals(0, Uapi.IO_WQ_BOUND(), "IO_WQ_BOUND");
        assertEquals(1, Uapi.IO_WQ_UNBOUND(), "IO_WQ_UNBOUND");
        assertEquals(5, Uapi.SOCKET_URING_OP_GETSOCKNAME(), "SOCKET_URING_OP_GETSOCKNAME");
        assertEquals(2, Uapi.SOCKET_URING_OP_GETSOCKOPT(), "SOCKET_URING_OP_GETSOCKOPT");
        assertEquals(3, Uapi.SOCKET_URING_OP_SETSOCKOPT(), "SOCKET_URING_OP_SETSOCKOPT");
        assertEquals(0, Uapi.SOCKET_URING_OP_SIOCINQ(), "SOCKET_URING_OP_SIOCINQ");
        assertEquals(1, Uapi.SOCKET_URING_OP_SIOCOUTQ(), "SOCKET_URING_OP_SIOCOUTQ");
        assertEquals(4, Uapi.SOCKET_URING_OP_TX_TIMESTAMP(), "SOCKET_URING_OP_TX_TIMESTAMP");
        assertEquals(0x80000000, Uapi.SPLICE_F_FD_IN_FIXED(), "SPLICE_F_FD_IN_FIXED");
        assertEquals(1, Uapi.IORING_ZCRX_AREA_DMABUF(), "IORING_ZCRX_AREA_DMABUF");
        assertEquals(-281474976710656L, Uapi.IORING_ZCRX_AREA_MASK(), "IORING_ZCRX_AREA_MASK");
        assertEquals(0x30, Uapi.IORING_ZCRX_AREA_SHIFT(), "IORING_ZCRX_AREA_SHIFT");
        assertEquals(3, Uapi.ZCRX_CTRL_ADD_AREA(), "ZCRX_CTRL_ADD_AREA");
        assertEquals(2, Uapi.ZCRX_CTRL_ARM_EVENT(), "ZCRX_CTRL_ARM_EVENT");
        assertEquals(1, Uapi.ZCRX_CTRL_EXPORT(), "ZCRX_CTRL_EXPORT");
        assertEquals(0, Uapi.ZCRX_CTRL_FLUSH_RQ(), "ZCRX_CTRL_FLUSH_RQ");
        assertEquals(0, Uapi.ZCRX_EVENT_ALLOC_FAIL(), "ZCRX_EVENT_ALLOC_FAIL");
        assertEquals(1, Uapi.ZCRX_EVENT_COPY(), "ZCRX_EVENT_COPY");
        assertEquals(1, Uapi.ZCRX_EVENT_DESC_FLAG_STATS(), "ZCRX_EVENT_DESC_FLAG_STATS");
        assertEquals(2, Uapi.ZCRX_FEATURE_EVENT(), "ZCRX_FEATURE_EVENT");
        assertEquals(1, Uapi.ZCRX_FEATURE_RX_PAGE_SIZE(), "ZCRX_FEATURE_RX_PAGE_SIZE");
        assertEquals(1, Uapi.ZCRX_REG_IMPORT(), "ZCRX_REG_IMPORT");
        assertEquals(2, Uapi.ZCRX_REG_NODEV(), "ZCRX_REG_NODEV");
        assertEquals(4, Uapi.__ZCRX_CTRL_LAST(), "__ZCRX_CTRL_LAST");
        assertEquals(2, Uapi.__ZCRX_EVENT_TYPE_LAST(), "__ZCRX_EVENT_TYPE_LAST");
        assertEquals(0xc0504e47L, Uapi.NVME_IOCTL_ADMIN64_CMD(), "NVME_IOCTL_ADMIN64_CMD");
        assertEquals(0xc0484e41L, Uapi.NVME_IOCTL_ADMIN_CMD(), "NVME_IOCTL_ADMIN_CMD");
        assertEquals(0x4e40, Uapi.NVME_IOCTL_ID(), "NVME_IOCTL_ID");
        assertEquals(0xc0504e48L, Uapi.NVME_IOCTL_IO64_CMD(), "NVME_IOCTL_IO64_CMD");
        assertEquals(0xc0504e49L, Uapi.NVME_IOCTL_IO64_CMD_VEC(), "NVME_IOCTL_IO64_CMD_VEC");
        assertEquals(0xc0484e43L, Uapi.NVME_IOCTL_IO_CMD(), "NVME_IOCTL_IO_CMD");
        assertEquals(0x4e46, Uapi.NVME_IOCTL_RESCAN(), "NVME_IOCTL_RESCAN");
        assertEquals(0x4e44, Uapi.NVME_IOCTL_RESET(), "NVME_IOCTL_RESET");
        assertEquals(0x40304e42L, Uapi.NVME_IOCTL_SUBMIT_IO(), "NVME_IOCTL_SUBMIT_IO");
        assertEquals(0x4e45, Uapi.NVME_IOCTL_SUBSYS_RESET(), "NVME_IOCTL_SUBSYS_RESET");
        assertEquals(0xc0484e82L, Uapi.NVME_URING_CMD_ADMIN(), "NVME_URING_CMD_ADMIN");
        assertEquals(0xc0484e83L, Uapi.NVME_URING_CMD_ADMIN_VEC(), "NVME_URING_CMD_ADMIN_VEC");
        assertEquals(0xc0484e80L, Uapi.NVME_URING_CMD_IO(), "NVME_URING_CMD_IO");
        assertEquals(0xc0484e81L, Uapi.NVME_URING_CMD_IO_VEC(), "NVME_URING_CMD_IO_VEC");
        assertEquals(0x1a9, Uapi.__NR_io_uring_setup(), "__NR_io_uring_setup");
        assertEquals(0x1aa, Uapi.__NR_io_uring_enter(), "__NR_io_uring_enter");
        assertEquals(0x1ab, Uapi.__NR_io_uring_register(), "__NR_io_uring_register");
        assertEquals(0, Uapi.O_RDONLY(), "O_RDONLY");
        assertEquals(1, Uapi.O_WRONLY(), "O_WRONLY");
        assertEquals(2, Uapi.O_RDWR(), "O_RDWR");
        assertEquals(0x40, Uapi.O_CREAT(), "O_CREAT");
        assertEquals(0x80, Uapi.O_EXCL(), "O_EXCL");
        assertEquals(0x200, Uapi.O_TRUNC(), "O_TRUNC");
        assertEquals(0x400, Uapi.O_APPEND(), "O_APPEND");
        assertEquals(0x800, Uapi.O_NONBLOCK(), "O_NONBLOCK");
        assertEquals(0x4000, Uapi.O_DIRECT(), "O_DIRECT");
        assertEquals(0x80000, Uapi.O_CLOEXEC(), "O_CLOEXEC");
        assertEquals(0x10000, Uapi.O_DIRECTORY(), "O_DIRECTORY");
        assertEquals(0x1000, Uapi.O_DSYNC(), "O_DSYNC");
        assertEquals(0x101000, Uapi.O_SYNC(), "O_SYNC");
        assertEquals(0x410000, Uapi.O_TMPFILE(), "O_TMPFILE");
        assertEquals(0x200000, Uapi.O_PATH(), "O_PATH");
        assertEquals(0x40000, Uapi.O_NOATIME(), "O_NOATIME");
        assertEquals(0, Uapi.PROT_NONE(), "PROT_NONE");
        assertEquals(1, Uapi.PROT_READ(), "PROT_READ");
        assertEquals(2, Uapi.PROT_WRITE(), "PROT_WRITE");
        assertEquals(1, Uapi.MAP_SHARED(), "MAP_SHARED");
        assertEquals(2, Uapi.MAP_PRIVATE(), "MAP_PRIVATE");
        assertEquals(0x20, Uapi.MAP_ANONYMOUS(), "MAP_ANONYMOUS");
        assertEquals(0x8000, Uapi.MAP_POPULATE(), "MAP_POPULATE");
        assertEquals(0x10, Uapi.MAP_FIXED(), "MAP_FIXED");
        assertEquals(0x40000, Uapi.MAP_HUGETLB(), "MAP_HUGETLB");
        assertEquals(0x4000, Uapi.MAP_NORESERVE(), "MAP_NORESERVE");
        assertEquals(-100, Uapi.AT_FDCWD(), "AT_FDCWD");
        assertEquals(0x1000, Uapi.AT_EMPTY_PATH(), "AT_EMPTY_PATH");
        assertEquals(0x200, Uapi.AT_REMOVEDIR(), "AT_REMOVEDIR");
        assertEquals(0, Uapi.AT_STATX_SYNC_AS_STAT(), "AT_STATX_SYNC_AS_STAT");
        assertEquals(0x541b, Uapi.FIONREAD(), "FIONREAD");
        assertEquals(0x5421, Uapi.FIONBIO(), "FIONBIO");
        assertEquals(0x541b, Uapi.SIOCINQ(), "SIOCINQ");
        assertEquals(0x5411, Uapi.SIOCOUTQ(), "SIOCOUTQ");
        assertEquals(1, Uapi.POLLIN(), "POLLIN");
        assertEquals(4, Uapi.POLLOUT(), "POLLOUT");
        assertEquals(8, Uapi.POLLERR(), "POLLERR");
        assertEquals(0x10, Uapi.POLLHUP(), "POLLHUP");
        assertEquals(1, Uapi.EPOLLIN(), "EPOLLIN");
        assertEquals(4, Uapi.EPOLLOUT(), "EPOLLOUT");
        assertEquals(0x80000000, Uapi.EPOLLET(), "EPOLLET");
        assertEquals(1, Uapi.EPOLL_CTL_ADD(), "EPOLL_CTL_ADD");
        assertEquals(1, Uapi.SPLICE_F_MOVE(), "SPLICE_F_MOVE");
        assertEquals(2, Uapi.SPLICE_F_NONBLOCK(), "SPLICE_F_NONBLOCK");
        assertEquals(4, Uapi.SPLICE_F_MORE(), "SPLICE_F_MORE");
        assertEquals(0x80000000, Uapi.SPLICE_F_FD_IN_FIXED(), "SPLICE_F_FD_IN_FIXED");
        assertEquals(1, Uapi.FALLOC_FL_KEEP_SIZE(), "FALLOC_FL_KEEP_SIZE");
        assertEquals(2, Uapi.FALLOC_FL_PUNCH_HOLE(), "FALLOC_FL_PUNCH_HOLE");
        assertEquals(0x10, Uapi.FALLOC_FL_ZERO_RANGE(), "FALLOC_FL_ZERO_RANGE");
        assertEquals(1, Uapi.RESOLVE_NO_XDEV(), "RESOLVE_NO_XDEV");
        assertEquals(2, Uapi.RESOLVE_NO_MAGICLINKS(), "RESOLVE_NO_MAGICLINKS");
        assertEquals(4, Uapi.RESOLVE_NO_SYMLINKS(), "RESOLVE_NO_SYMLINKS");
        assertEquals(8, Uapi.RESOLVE_BENEATH(), "RESOLVE_BENEATH");
        assertEquals(0x10, Uapi.RESOLVE_IN_ROOT(), "RESOLVE_IN_ROOT");
        assertEquals(0x20, Uapi.RESOLVE_CACHED(), "RESOLVE_CACHED");
        assertEquals(1, Uapi.STATX_TYPE(), "STATX_TYPE");
        assertEquals(2, Uapi.STATX_MODE(), "STATX_MODE");
        assertEquals(0x200, Uapi.STATX_SIZE(), "STATX_SIZE");
        assertEquals(0x7ff, Uapi.STATX_BASIC_STATS(), "STATX_BASIC_STATS");
        assertEquals(0x2000, Uapi.STATX_DIOALIGN(), "STATX_DIOALIGN");
        assertEquals(1, Uapi.SOL_SOCKET(), "SOL_SOCKET");
        assertEquals(2, Uapi.SO_REUSEADDR(), "SO_REUSEADDR");
        assertEquals(8, Uapi.SO_RCVBUF(), "SO_RCVBUF");
        assertEquals(7, Uapi.SO_SNDBUF(), "SO_SNDBUF");
        assertEquals(9, Uapi.SO_KEEPALIVE(), "SO_KEEPALIVE");
        assertEquals(2, Uapi.AF_INET(), "AF_INET");
        assertEquals(0xa, Uapi.AF_INET6(), "AF_INET6");
        assertEquals(1, Uapi.AF_UNIX(), "AF_UNIX");
        assertEquals(1, Uapi.SOCK_STREAM(), "SOCK_STREAM");
        assertEquals(2, Uapi.SOCK_DGRAM(), "SOCK_DGRAM");
        assertEquals(0x800, Uapi.SOCK_NONBLOCK(), "SOCK_NONBLOCK");
        assertEquals(0x80000, Uapi.SOCK_CLOEXEC(), "SOCK_CLOEXEC");
        assertEquals(6, Uapi.IPPROTO_TCP(), "IPPROTO_TCP");
        assertEquals(0x11, Uapi.IPPROTO_UDP(), "IPPROTO_UDP");
        assertEquals(0x7f000001, Uapi.INADDR_LOOPBACK(), "INADDR_LOOPBACK");
        assertEquals(0, Uapi.INADDR_ANY(), "INADDR_ANY");
        assertEquals(1, Uapi.SHUT_WR(), "SHUT_WR");
        assertEquals(0x100, Uapi.MSG_WAITALL(), "MSG_WAITALL");
        assertEquals(0x4000, Uapi.MSG_NOSIGNAL(), "MSG_NOSIGNAL");
        assertEquals(0x80000, Uapi.EFD_CLOEXEC(), "EFD_CLOEXEC");
        assertEquals(0x800, Uapi.EFD_NONBLOCK(), "EFD_NONBLOCK");
        assertEquals(1, Uapi.RWF_HIPRI(), "RWF_HIPRI");
        assertEquals(8, Uapi.RWF_NOWAIT(), "RWF_NOWAIT");
        assertEquals(2, Uapi.RWF_DSYNC(), "RWF_DSYNC");
        assertEquals(2, Uapi.FUTEX2_SIZE_U32(), "FUTEX2_SIZE_U32");
        assertEquals(0x80, Uapi.FUTEX2_PRIVATE(), "FUTEX2_PRIVATE");
        assertEquals(0xffffffff, Uapi.FUTEX_BITSET_MATCH_ANY(), "FUTEX_BITSET_MATCH_ANY");
        assertEquals(0x1e, Uapi._SC_PAGESIZE(), "_SC_PAGESIZE");
        assertEquals(0x80081272L, Uapi.BLKGETSIZE64(), "BLKGETSIZE64");
        assertEquals(0x1268, Uapi.BLKSSZGET(), "BLKSSZGET");
        assertEquals(1, Uapi.EPERM(), "EPERM");
        assertEquals(2, Uapi.ENOENT(), "ENOENT");
        assertEquals(4, Uapi.EINTR(), "EINTR");
        assertEquals(5, Uapi.EIO(), "EIO");
        assertEquals(6, Uapi.ENXIO(), "ENXIO");
        assertEquals(9, Uapi.EBADF(), "EBADF");
        assertEquals(0xb, Uapi.EAGAIN(), "EAGAIN");
        assertEquals(0xc, Uapi.ENOMEM(), "ENOMEM");
        assertEquals(0xd, Uapi.EACCES(), "EACCES");
        assertEquals(0xe, Uapi.EFAULT(), "EFAULT");
        assertEquals(0x10, Uapi.EBUSY(), "EBUSY");
        assertEquals(0x11, Uapi.EEXIST(), "EEXIST");
        assertEquals(0x13, Uapi.ENODEV(), "ENODEV");
        assertEquals(0x16, Uapi.EINVAL(), "EINVAL");
        assertEquals(0x1c, Uapi.ENOSPC(), "ENOSPC");
        assertEquals(0x20, Uapi.EPIPE(), "EPIPE");
        assertEquals(0x26, Uapi.ENOSYS(), "ENOSYS");
        assertEquals(0x5f, Uapi.EOPNOTSUPP(), "EOPNOTSUPP");
        assertEquals(0x3e, Uapi.ETIME(), "ETIME");
        assertEquals(0x7d, Uapi.ECANCELED(), "ECANCELED");
        assertEquals(0x72, Uapi.EALREADY(), "EALREADY");
        assertEquals(0x6e, Uapi.ETIMEDOUT(), "ETIMEDOUT");
        assertEquals(0x4b, Uapi.EOVERFLOW(), "EOVERFLOW");
        assertEquals(0x4d, Uapi.EBADFD(), "EBADFD");
        assertEquals(0x69, Uapi.ENOBUFS(), "ENOBUFS");
    }

    @Test
    void mapFailedIsMinusOne() {
        assertEquals(-1L, Uapi.MAP_FAILED().address(), "MAP_FAILED is (void *) -1");
    }
}
