package io.github.jring.bench.engine;

import com.sun.nio.file.ExtendedOpenOption;
import io.github.jring.bench.target.Target;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The JDK's own {@link FileChannel}: positional {@code read}/{@code write} on a direct, page-aligned
 * {@link ByteBuffer}, with {@link ExtendedOpenOption#DIRECT} when {@code --direct=1}. One I/O at a time; what a Java
 * user gets without jring. Note that with DIRECT the JDK demands offsets and lengths aligned to the file store's block
 * size (often 4096), which may be stricter than the device's logical block size.
 */
public final class FileChannelEngine implements Engine {

    @Override
    public String name() {
        return "filechannel";
    }

    @Override
    public String description() {
        return "java.nio FileChannel positional read/write (ExtendedOpenOption.DIRECT with --direct=1), one I/O at a time (fio: psync)";
    }

    @Override
    public boolean synchronous() {
        return true;
    }

    @Override
    public int order() {
        return 50;
    }

    @Override
    public boolean inDefaultSet(Target target) {
        return !target.hasCharDevice();
    }

    @Override
    public String unsupportedReason(Target target, JobSpec spec) {
        String why = BlockIo.unsupportedReason(target, spec);
        if (why != null || !spec.direct()) return why;
        // With DIRECT the JDK checks lengths and positions against the file store's block size (statvfs f_bsize),
        // which may be larger than the device's logical block size.
        try {
            long fsBlock = java.nio.file.Files.getFileStore(target.blockPath()).getBlockSize();
            if (spec.bs() % fsBlock != 0) {
                return "with --direct=1 the JDK needs bs to be a multiple of the file store's block size " + fsBlock
                        + " (bs is " + spec.bs() + ")";
            }
        } catch (IOException | UnsupportedOperationException e) {
            return null; // let the open say what is wrong
        }
        return null;
    }

    @Override
    public FioEquivalent fioEquivalent(Target target, JobSpec spec) {
        // FileChannel's positional read/write is pread/pwrite underneath.
        return FioEquivalent.of("psync", target.blockPath(), List.of());
    }

    @Override
    public EngineJob open(JobContext ctx) throws IOException {
        return new Job(ctx);
    }

    private static final class Job implements EngineJob {
        private final JobContext ctx;
        private final Path path;
        private final FileChannel channel;
        private final int bs;
        private final ByteBuffer buf;
        private final MemorySegment bufSegment;

        Job(JobContext ctx) throws IOException {
            this.ctx = ctx;
            JobSpec spec = ctx.spec();
            this.path = ctx.target().blockPath();
            this.bs = spec.bs();
            List<OpenOption> options = new ArrayList<>();
            options.add(StandardOpenOption.READ);
            if (spec.writes()) options.add(StandardOpenOption.WRITE);
            if (spec.direct()) options.add(ExtendedOpenOption.DIRECT);
            this.channel = FileChannel.open(path, options.toArray(OpenOption[]::new));
            // A page-aligned direct buffer of exactly bs bytes, so that clear() restores the full transfer size.
            this.buf = ByteBuffer.allocateDirect(bs + (int) JobContext.BUFFER_ALIGNMENT)
                    .alignedSlice((int) JobContext.BUFFER_ALIGNMENT).slice(0, bs);
            this.bufSegment = MemorySegment.ofBuffer(buf);
            MemorySegment.copy(ctx.allocateBuffer(bs), 0, bufSegment, 0, bs);
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
                buf.clear();
                int n;
                try {
                    if (read) {
                        n = channel.read(buf, offset);
                    } else {
                        ctx.prepareWrite(bufSegment, bs, offset);
                        n = channel.write(buf, offset);
                    }
                } catch (IOException e) {
                    throw new IOException("FileChannel." + (read ? "read" : "write") + "(" + path + ", " + bs
                            + " bytes at offset " + offset + "): " + e.getMessage(), e);
                }
                long end = System.nanoTime();
                if (n != bs) {
                    throw BlockIo.failure("FileChannel." + (read ? "read" : "write"), path, bs, offset, n, 0, ctx);
                }
                if (read) {
                    ctx.checkRead(bufSegment, bs, offset);
                }
                ctx.complete(read, n, start, end);
            }
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
