package io.github.jring.bench.engine;

import io.github.jring.bench.target.Target;
import io.github.jring.bindings.Uapi;
import io.github.jring.core.ErrnoException;
import io.github.jring.nvme.command.LbaCommand;
import io.github.jring.nvme.NvmeIoctl;
import io.github.jring.nvme.NvmeNamespace;
import io.github.jring.nvme.command.Read;
import io.github.jring.nvme.command.Write;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * Synchronous NVMe passthrough: one {@code ioctl(NVME_IOCTL_IO64_CMD)} per I/O on the namespace's generic char
 * device {@code /dev/ngXnY}, which blocks until the device completes the command, through jring-nvme's
 * {@link NvmeIoctl} (from {@link NvmeNamespace#newIoctl()}), with one reused {@link Read} and {@link Write}. No block
 * layer, no page cache, and no queue depth: it stays flat across QD, which is the point of the comparison with
 * {@code async-pt}.
 */
public final class SyncPassthroughEngine implements Engine {

    @Override
    public String name() {
        return "sync-pt";
    }

    @Override
    public String description() {
        return "NVMe read/write commands with ioctl(NVME_IOCTL_IO64_CMD) on /dev/ngXnY (jring-nvme's NvmeIoctl), one at a time (fio: none)";
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
        return PassthroughNamespace.unsupportedReason(target, spec);
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
        private static final int EINTR = Uapi.EINTR();

        private final JobContext ctx;
        private final Path path;
        private final NvmeNamespace ns;
        private final NvmeIoctl ioctl;
        private final int bs;
        private final int lbaShift;
        private final MemorySegment buf;
        private final Read read;
        private final Write write;

        Job(JobContext ctx) throws IOException {
            this.ctx = ctx;
            Target target = ctx.target();
            JobSpec spec = ctx.spec();
            this.path = target.charDevice();
            this.bs = spec.bs();
            int lbaSize = target.logicalBlockSize();
            this.lbaShift = Integer.numberOfTrailingZeros(lbaSize);
            this.buf = ctx.allocateBuffer(bs);
            this.ns = PassthroughNamespace.open(ctx);
            try {
                this.ioctl = ns.newIoctl();
            } catch (ErrnoException | RuntimeException e) {
                ns.close();
                throw e;
            }
            this.read = new Read(ns.nsid(), 0, bs / lbaSize, buf);
            this.write = new Write(ns.nsid(), 0, bs / lbaSize, buf);
        }

        @Override
        public void run() throws IOException {
            IoPattern pattern = ctx.pattern();
            while (true) {
                long start = System.nanoTime();
                if (!ctx.tryIssue(start)) {
                    return;
                }
                boolean isRead = pattern.next();
                long offset = pattern.offset();
                if (!isRead) {
                    ctx.prepareWrite(buf, bs, offset);
                }
                long slba = offset >>> lbaShift;
                LbaCommand<?> cmd = isRead ? read.slba(slba) : write.slba(slba);
                int rc;
                do {
                    rc = ioctl.submit(cmd);
                } while (rc == -EINTR);
                long end = System.nanoTime();
                if (rc != 0) {
                    String what = "ioctl(" + path + ", NVME_IOCTL_IO64_CMD, " + (isRead ? "read " : "write ") + bs
                            + " bytes at offset " + offset + ")";
                    if (rc < 0) {
                        throw new ErrnoException(what, -rc);
                    }
                    throw new IOException(what + ": " + PassthroughNamespace.describeStatus(rc));
                }
                if (isRead) {
                    ctx.checkRead(buf, bs, offset);
                }
                ctx.complete(isRead, bs, start, end);
            }
        }

        @Override
        public void close() {
            try {
                ioctl.close();
            } finally {
                ns.close();
            }
        }
    }
}
