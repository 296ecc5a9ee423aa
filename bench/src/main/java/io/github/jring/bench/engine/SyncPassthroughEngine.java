package io.github.jring.bench.engine;

import io.github.jring.bench.sys.Libc;
import io.github.jring.bench.sys.NvmeIoctl;
import io.github.jring.bench.target.Target;
import io.github.jring.core.ErrnoException;
import io.github.jring.bindings.Uapi;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * Synchronous NVMe passthrough: one {@code ioctl(NVME_IOCTL_IO64_CMD)} per I/O on the namespace's generic char
 * device {@code /dev/ngXnY}, which blocks until the device completes the command. No block layer, no page cache,
 * and no queue depth: it stays flat across QD, which is the point of the comparison with {@code async-pt}.
 */
public final class SyncPassthroughEngine implements Engine {

    @Override
    public String name() {
        return "sync-pt";
    }

    @Override
    public String description() {
        return "NVMe read/write commands with ioctl(NVME_IOCTL_IO64_CMD) on /dev/ngXnY, one at a time (fio: none)";
    }

    @Override
    public boolean synchronous() {
        return true;
    }

    @Override
    public int order() {
        return 10;
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
        return FioEquivalent.none("fio has no synchronous NVMe passthrough engine (io_uring_cmd is asynchronous; sg speaks SCSI)");
    }

    @Override
    public EngineJob open(JobContext ctx) throws IOException {
        return new Job(ctx);
    }

    private static final class Job implements EngineJob {
        private final JobContext ctx;
        private final Path path;
        private final int fd;
        private final int bs;
        private final int lbaShift;
        private final MemorySegment buf;
        private final MemorySegment cmd;
        private final MemorySegment callState;

        Job(JobContext ctx) throws IOException {
            this.ctx = ctx;
            Target target = ctx.target();
            JobSpec spec = ctx.spec();
            this.path = target.charDevice();
            this.bs = spec.bs();
            this.lbaShift = Integer.numberOfTrailingZeros(target.logicalBlockSize());
            this.buf = ctx.allocateBuffer(bs);
            this.cmd = ctx.arena().allocate(NvmeIoctl.CMD_SIZE, 8);
            this.callState = Libc.newCallState(ctx.arena());
            NvmeIoctl.prepareIo(cmd, target.nsid(), buf, bs, target.logicalBlockSize());
            this.fd = Libc.open(path, spec.writes() ? Libc.O_RDWR : Libc.O_RDONLY, 0);
        }

        @Override
        public void run() throws IOException {
            IoPattern pattern = ctx.pattern();
            while (true) {
                long start = System.nanoTime();
                if (!ctx.tryIssue(start)) {
                    return;
                }
                boolean read = pattern.next();
                long offset = pattern.offset();
                if (!read) {
                    ctx.prepareWrite(buf, bs, offset);
                }
                NvmeIoctl.setIo(cmd, read ? NvmeIoctl.OPC_READ : NvmeIoctl.OPC_WRITE, offset >>> lbaShift);
                int rc;
                do {
                    rc = Libc.ioctl(callState, fd, NvmeIoctl.NVME_IOCTL_IO64_CMD, cmd);
                } while (rc < 0 && Libc.errno(callState) == Uapi.EINTR());
                long end = System.nanoTime();
                if (rc != 0) {
                    String what = "ioctl(" + path + ", NVME_IOCTL_IO64_CMD, " + (read ? "read " : "write ") + bs
                            + " bytes at offset " + offset + ")";
                    if (rc < 0) {
                        throw new ErrnoException(what, Libc.errno(callState), null);
                    }
                    throw new IOException(what + ": " + NvmeIoctl.describeStatus(rc));
                }
                if (read) {
                    ctx.checkRead(buf, bs, offset);
                }
                ctx.complete(read, bs, start, end);
            }
        }

        @Override
        public void close() throws ErrnoException {
            Libc.close(fd);
        }
    }
}
