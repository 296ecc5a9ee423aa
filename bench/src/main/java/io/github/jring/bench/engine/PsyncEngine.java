package io.github.jring.bench.engine;

import io.github.jring.bench.sys.Open;
import io.github.jring.core.Posix;
import io.github.jring.bench.target.Target;
import io.github.jring.bindings.Uapi;
import io.github.jring.core.ErrnoException;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code pread(2)}/{@code pwrite(2)} on an fd from {@code open(2)} (with {@code O_DIRECT} when {@code --direct=1}),
 * one I/O at a time, as fio's {@code psync} engine. The baseline every other engine is read against.
 */
public final class PsyncEngine implements Engine {

    @Override
    public String name() {
        return "psync";
    }

    @Override
    public String description() {
        return "pread/pwrite through FFM on a file or block device, one I/O at a time (fio: psync)";
    }

    @Override
    public boolean synchronous() {
        return true;
    }

    @Override
    public int order() {
        return 40;
    }

    @Override
    public boolean inDefaultSet(Target target) {
        return !target.hasCharDevice();
    }

    @Override
    public String unsupportedReason(Target target, JobSpec spec) {
        return BlockIo.unsupportedReason(target, spec);
    }

    @Override
    public FioEquivalent fioEquivalent(Target target, JobSpec spec) {
        return FioEquivalent.of("psync", target.blockPath(), List.of());
    }

    @Override
    public EngineJob open(JobContext ctx) throws IOException {
        return new Job(ctx);
    }

    private static final class Job implements EngineJob {
        private static final int EINTR = Uapi.EINTR();

        private final JobContext ctx;
        private final Path path;
        private final int fd;
        private final int bs;
        private final MemorySegment buf;
        private final MemorySegment callState;

        Job(JobContext ctx) throws IOException {
            this.ctx = ctx;
            JobSpec spec = ctx.spec();
            this.path = ctx.target().blockPath();
            this.bs = spec.bs();
            this.buf = ctx.allocateBuffer(bs);
            this.callState = Posix.allocateErrnoState(ctx.arena());
            this.fd = Open.file(path, (spec.writes() ? Posix.O_RDWR : Posix.O_RDONLY) | (spec.direct() ? Posix.O_DIRECT : 0), 0);
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
                long n;
                if (read) {
                    do {
                        n = Posix.pread(callState, fd, buf, bs, offset);
                    } while (n == -EINTR);
                } else {
                    ctx.prepareWrite(buf, bs, offset);
                    do {
                        n = Posix.pwrite(callState, fd, buf, bs, offset);
                    } while (n == -EINTR);
                }
                long end = System.nanoTime();
                if (n != bs) {
                    throw BlockIo.failure(read ? "pread" : "pwrite", path, bs, offset, n,
                            n < 0 ? (int) -n : 0, ctx);
                }
                if (read) {
                    ctx.checkRead(buf, bs, offset);
                }
                ctx.complete(read, n, start, end);
            }
        }

        @Override
        public void close() throws ErrnoException {
            Posix.close(fd);
        }
    }
}
