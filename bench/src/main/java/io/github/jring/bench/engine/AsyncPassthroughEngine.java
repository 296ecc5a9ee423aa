package io.github.jring.bench.engine;

import io.github.jring.bench.sys.Libc;
import io.github.jring.bench.sys.NvmeIoctl;
import io.github.jring.bench.target.Target;
import io.github.jring.bindings.Uapi;
import io.github.jring.bindings.nvme_uring_cmd;
import io.github.jring.core.IoUring;
import io.github.jring.core.Sqe;
import io.github.jring.core.ErrnoException;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Asynchronous NVMe passthrough: NVMe Read/Write commands as {@code IORING_OP_URING_CMD} with
 * {@code NVME_URING_CMD_IO} (Linux 5.19) on the namespace's generic char device {@code /dev/ngXnY}, on an
 * {@code SQE128|CQE32} ring, {@code iodepth} in flight. The 72-byte {@code struct nvme_uring_cmd} goes into the SQE's
 * command area; {@code --fixedbufs} sets {@code IORING_URING_CMD_FIXED} with the slot's buffer index (6.1);
 * {@code --hipri} makes an IOPOLL ring (6.1; the driver needs poll queues). A completion's {@code res} is 0 on
 * success, the NVMe status field when the device failed the command, or {@code -errno}. fio's equivalent is
 * {@code io_uring_cmd} with {@code cmd_type=nvme}.
 */
public final class AsyncPassthroughEngine implements Engine {
    private static final long CMD_OPCODE = nvme_uring_cmd.opcode$offset();
    private static final long CMD_NSID = nvme_uring_cmd.nsid$offset();
    private static final long CMD_ADDR = nvme_uring_cmd.addr$offset();
    private static final long CMD_DATA_LEN = nvme_uring_cmd.data_len$offset();
    private static final long CMD_CDW10 = nvme_uring_cmd.cdw10$offset();
    private static final long CMD_CDW11 = nvme_uring_cmd.cdw11$offset();
    private static final long CMD_CDW12 = nvme_uring_cmd.cdw12$offset();
    private static final long NVME_URING_CMD_IO = Uapi.NVME_URING_CMD_IO();
    private static final int URING_CMD_FIXED = Uapi.IORING_URING_CMD_FIXED();

    @Override
    public String name() {
        return "async-pt";
    }

    @Override
    public String description() {
        return "NVMe read/write as io_uring URING_CMD on /dev/ngXnY (jring-core's ring), iodepth in flight (fio: io_uring_cmd)";
    }

    @Override
    public Set<Tuning> honours() {
        return EnumSet.allOf(Tuning.class);
    }

    @Override
    public int order() {
        return 30;
    }

    @Override
    public boolean inDefaultSet(Target target) {
        return target.hasCharDevice();
    }

    @Override
    public String unsupportedReason(Target target, JobSpec spec) {
        return Passthrough.unsupportedReason(target, spec);
    }

    @Override
    public FioEquivalent fioEquivalent(Target target, JobSpec spec) {
        // Passthrough is direct by nature, and fio refuses O_DIRECT on the char device: --direct=0 there.
        List<String> args = new java.util.ArrayList<>(List.of("--cmd_type=nvme", "--direct=0"));
        args.addAll(FioEquivalent.uringArgs(spec));
        return FioEquivalent.of("io_uring_cmd", target.charDevice(), args);
    }

    @Override
    public EngineJob open(JobContext ctx) throws IOException {
        JobSpec spec = ctx.spec();
        Path path = ctx.target().charDevice();
        int fd = Libc.open(path, spec.writes() ? Libc.O_RDWR : Libc.O_RDONLY, 0);
        IoUring ring = null;
        try {
            ring = Rings.open(() -> IoUring.builder().sqe128().cqe32(), spec, spec.iodepth());
            return new Job(ctx, ring, fd, path);
        } catch (IOException | RuntimeException e) {
            if (ring != null) ring.close();
            Libc.close(fd);
            throw e;
        }
    }

    private static final class Job extends UringJob {
        private final int fd;
        private final int sqeFd;
        private final boolean fixedFile;
        private final boolean fixedBufs;
        private final Path path;
        private final int nsid;
        private final int lbaShift;
        private final int nlb0;

        Job(JobContext ctx, IoUring ring, int fd, Path path) throws IOException {
            super(ctx, ring);
            this.fd = fd;
            this.path = path;
            Target t = ctx.target();
            JobSpec spec = ctx.spec();
            this.nsid = t.nsid();
            this.lbaShift = Integer.numberOfTrailingZeros(t.logicalBlockSize());
            this.nlb0 = (bs >>> lbaShift) - 1;
            this.fixedFile = spec.registerfiles();
            this.fixedBufs = spec.fixedbufs();
            if (fixedFile) ring.registerFiles(fd);
            if (fixedBufs) ring.registerBuffers(slotBuffers);
            this.sqeFd = fixedFile ? 0 : fd;
        }

        @Override
        protected void prepare(Sqe sqe, int slot, boolean isRead, long offset) {
            sqe.prepUringCmd(NVME_URING_CMD_IO, sqeFd);
            MemorySegment cmd = sqe.cmd();
            long slba = offset >>> lbaShift;
            cmd.set(JAVA_BYTE, CMD_OPCODE, isRead ? NvmeIoctl.OPC_READ : NvmeIoctl.OPC_WRITE);
            cmd.set(JAVA_INT, CMD_NSID, nsid);
            cmd.set(JAVA_LONG, CMD_ADDR, slotAddress[slot]);
            cmd.set(JAVA_INT, CMD_DATA_LEN, bs);
            cmd.set(JAVA_INT, CMD_CDW10, (int) slba);
            cmd.set(JAVA_INT, CMD_CDW11, (int) (slba >>> 32));
            cmd.set(JAVA_INT, CMD_CDW12, nlb0);
            if (fixedBufs) {
                sqe.opFlags(URING_CMD_FIXED);
                sqe.bufIndex(slot);
            }
            if (fixedFile) sqe.fixedFile();
        }

        @Override
        protected IOException failure(int res, boolean isRead, long offset) {
            if (res == 0) return null;
            String what = "NVMe " + (isRead ? "read" : "write") + " via URING_CMD on " + path + " (" + bs
                    + " bytes at offset " + offset + ")";
            if (res > 0) return new IOException(what + ": " + NvmeIoctl.describeStatus(res));
            String hint = -res == Uapi.EOPNOTSUPP() && ctx.spec().hipri()
                    ? "--hipri (IOPOLL) passthrough needs Linux 6.1 and NVMe poll queues (nvme.poll_queues=N)"
                    : -res == Uapi.EINVAL() && ctx.spec().fixedbufs()
                    ? "fixed-buffer passthrough needs Linux 6.1" : null;
            return new ErrnoException(what, -res, hint);
        }

        @Override
        protected void closeResources() throws IOException {
            Libc.close(fd);
        }
    }
}
