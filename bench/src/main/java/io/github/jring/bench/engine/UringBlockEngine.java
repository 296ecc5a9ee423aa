package io.github.jring.bench.engine;

import io.github.jring.bench.sys.Open;
import io.github.jring.core.Posix;
import io.github.jring.bench.target.Target;
import io.github.jring.core.IoUring;
import io.github.jring.core.Sqe;

import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;

/**
 * io_uring block I/O with jring's ring: {@code IORING_OP_READ}/{@code WRITE} (the {@code _FIXED} variants with
 * {@code --fixedbufs}) on the block device or file, opened with {@code O_DIRECT} when {@code --direct=1}, keeping
 * {@code iodepth} I/Os in flight. fio's equivalent is its {@code io_uring} engine. With {@code --api futures} or
 * {@code vthreads} the same I/O goes through jring-core's {@code AsyncRing} instead ({@link AsyncRingIo}).
 */
public final class UringBlockEngine implements Engine {

    @Override
    public String name() {
        return "uring-block";
    }

    @Override
    public String description() {
        return "io_uring READ/WRITE (jring-core's ring) on a file or block device, iodepth in flight (fio: io_uring)";
    }

    @Override
    public Set<Tuning> honours() {
        return EnumSet.allOf(Tuning.class);
    }

    @Override
    public Set<Api> apis() {
        return EnumSet.allOf(Api.class);
    }

    @Override
    public int order() {
        return 20;
    }

    @Override
    public boolean inDefaultSet(Target target) {
        return target.hasBlockPath();
    }

    @Override
    public String unsupportedReason(Target target, JobSpec spec) {
        return BlockIo.unsupportedReason(target, spec);
    }

    @Override
    public FioEquivalent fioEquivalent(Target target, JobSpec spec) {
        return FioEquivalent.ofRing("io_uring", target.blockPath(), spec, FioEquivalent.uringArgs(spec));
    }

    @Override
    public EngineJob open(JobContext ctx) throws IOException {
        JobSpec spec = ctx.spec();
        switch (spec.api()) {
            case FUTURES -> {
                return new FuturesJob(ctx, AsyncRingIo.open(ctx));
            }
            case VTHREADS -> {
                return new VirtualThreadsJob(ctx, AsyncRingIo.open(ctx));
            }
            case RAW -> {
            }
        }
        Path path = ctx.target().blockPath();
        int fd = Open.file(path, (spec.writes() ? Posix.O_RDWR : Posix.O_RDONLY) | (spec.direct() ? Posix.O_DIRECT : 0), 0);
        IoUring ring = null;
        try {
            ring = FioRingSetup.open(IoUring.builder(), spec, spec.iodepth());
            return new Job(ctx, ring, fd, path);
        } catch (IOException | RuntimeException e) {
            if (ring != null) ring.close();
            Posix.close(fd);
            throw e;
        }
    }

    private static final class Job extends UringJob {
        private final int fd;
        private final int sqeFd;
        private final boolean fixedFile;
        private final boolean fixedBufs;
        private final Path path;

        Job(JobContext ctx, IoUring ring, int fd, Path path) throws IOException {
            super(ctx, ring);
            this.fd = fd;
            this.path = path;
            JobSpec spec = ctx.spec();
            this.fixedFile = spec.registerfiles();
            this.fixedBufs = spec.fixedbufs();
            if (fixedFile) ring.registerFiles(fd);
            if (fixedBufs) ring.registerBuffers(slotBuffers);
            this.sqeFd = fixedFile ? 0 : fd;
        }

        @Override
        protected void prepare(Sqe sqe, int slot, boolean isRead, long offset) {
            long addr = slotAddress[slot];
            if (fixedBufs) {
                if (isRead) sqe.prepReadFixed(sqeFd, addr, bs, offset, slot);
                else sqe.prepWriteFixed(sqeFd, addr, bs, offset, slot);
            } else {
                if (isRead) sqe.prepRead(sqeFd, addr, bs, offset);
                else sqe.prepWrite(sqeFd, addr, bs, offset);
            }
            if (fixedFile) sqe.fixedFile();
        }

        @Override
        protected IOException failure(int res, boolean isRead, long offset) {
            return res == bs ? null : BlockIo.failure(isRead ? "io_uring read" : "io_uring write", path, bs, offset,
                    res < 0 ? -1 : res, -res, ctx);
        }

        @Override
        protected void closeResources() throws IOException {
            Posix.close(fd);
        }
    }
}
