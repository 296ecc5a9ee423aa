package io.github.jring.bench.jmh;

import io.github.jring.core.ErrnoException;
import io.github.jring.core.IoUring;
import io.github.jring.core.Sqe;
import io.github.jring.core.async.Completion;
import io.github.jring.core.async.RingRequest;
import io.github.jring.core.async.SqeHandler;
import io.github.jring.nvme.AsyncNamespace;
import io.github.jring.nvme.command.LbaCommand;
import io.github.jring.nvme.command.NvmeCommand;
import io.github.jring.nvme.command.Read;
import io.github.jring.nvme.internal.CommandAccess;
import io.github.jring.nvme.internal.TransportAccess;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * What {@link AsyncNamespace#read} itself does per 4 KiB read, without a device (so it runs on the host): the checks,
 * the request, its encoding, its SQE (one held slot of an SQE128 ring, never submitted, as in
 * {@code UringCmdPrepBenchmark}) and its completion (the ring's own costs are {@code AsyncNopBenchmark}'s).
 * {@link #request} is the library's path ({@code AsyncNamespace.Request}, a {@code RingRequest} encoded from a
 * template Read, completed from the CQE's words as the ring's completion thread does), reached through jring-nvme's
 * internal {@link TransportAccess} bridge, which runs the library's own code for each step; in {@link #before}, a plain
 * {@link CompletableFuture} stands in for the ring's future of that time and a {@link Completion} for its CQE.
 * {@link #before} is the path it replaced (issue 16), kept here as the baseline: a {@code List} and a
 * {@code Read} per transfer, a 72-byte encoding array and its segment, the description string built on every call, a
 * bound-method preparer, and {@code whenComplete} then {@code thenApply(r -> null)} on the caller's side.
 *
 * <p>Allocation per read is {@code -prof gc}'s {@code gc.alloc.rate.norm}.
 *
 * <pre>java -jar bench/target/jring-bench.jar jmh AsyncNamespaceRequestBenchmark -prof gc</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class AsyncNamespaceRequestBenchmark {
    private static final CommandAccess COMMANDS = CommandAccess.get();
    private static final TransportAccess TRANSPORT = TransportAccess.get();
    private static final int LBA = 512;
    private static final int BS = 4096;
    private static final int NSID = 1;
    /** Any fd: the entry is never submitted as a URING_CMD. */
    private static final int FD = 5;
    private static final Completion SUCCESS_CQE = new Completion(0, 0, 0, 0);

    /** An SQE128 ring with one slot taken and rewritten by each invocation, a buffer, and the template Read. */
    @State(Scope.Thread)
    public static class Held extends HeldSqe {
        Read template;
        long slba;

        @Setup(Level.Trial)
        public void setUp() throws ErrnoException {
            hold(IoUring.builder().sqe128().cqe32().build(8), Arena.ofShared(), BS);
            template = new Read(NSID, 0, 1);
        }

        long nextSlba() {
            return slba = (slba + BS / LBA) & 0xFF_FFFF;
        }
    }

    /**
     * The library: {@code AsyncNamespace.transfer}'s checks (whole blocks, native and alive buffer), one request
     * encoded from the template and aimed at the fd, the SQE written, the completion delivered. The caller's future
     * is the request.
     */
    @Benchmark
    public Object request(Held h, Blackhole bh) {
        MemorySegment buffer = h.buf;
        long size = buffer.byteSize();
        if (size % LBA != 0 || !buffer.isNative() || !buffer.scope().isAlive()) {
            throw new IllegalArgumentException();
        }
        RingRequest<Void> request = TRANSPORT.transferRequest(h.template, null, h.nextSlba(), (int) (size / LBA),
                buffer, FD);
        TRANSPORT.prepare(request, h.sqe);
        TRANSPORT.complete(request, 0, 0, 0, 0); // what the ring's completion thread does with the CQE
        return request;
    }

    /** The replaced path, step by step as {@code AsyncNamespace} did it before issue 16 (see the class comment). */
    @Benchmark
    public Object before(Held h, Blackhole bh) {
        MemorySegment buffer = h.buf;
        long size = buffer.byteSize();
        if (size % LBA != 0) {
            throw new IllegalArgumentException();
        }
        List<LbaCommand<?>> parts = new ArrayList<>(1);                          // NvmeNamespace.transferCommands
        parts.add(new Read(NSID, h.nextSlba(), (int) (size / LBA)).data(buffer, 0, (int) size));
        NvmeCommand<?> command = parts.get(0);
        TRANSPORT.preflight(command, null, LBA, 0);                              // AsyncNamespace.execute
        long[] encoded = new long[(NvmeCommand.URING_CMD_SIZE + 7) / 8];
        COMMANDS.encodeUringCmd(command, MemorySegment.ofArray(encoded), COMMANDS.wireDataLength(command, LBA),
                COMMANDS.wireMetadataLength(command, 0));
        OldRequest request = new OldRequest(command, TRANSPORT.cmdOp(command), FD, encoded);
        SqeHandler preparer = request::prepare;                                  // rings[r].submit(request::prepare)
        bh.consume(preparer);
        CompletableFuture<Completion> ring = new CompletableFuture<>();
        bh.consume(ring.whenComplete(request));                                  // .whenComplete(request)
        CompletableFuture<Void> caller = request.result.thenApply(r -> null);    // transfer: thenApply(r -> null)
        preparer.prepare(h.sqe);
        ring.complete(SUCCESS_CQE);
        return caller;
    }

    /** {@code AsyncNamespace.Request} before issue 16, verbatim but for the namespace (only used for errors). */
    private static final class OldRequest implements BiConsumer<Completion, Throwable> {
        final CompletableFuture<Long> result = new CompletableFuture<>();
        final String describe;
        final NvmeCommand<?> commandForAdvice;
        final long cmdOp;
        final int fd;
        final long[] encoded;
        final MemorySegment data;
        final MemorySegment metadata;

        OldRequest(NvmeCommand<?> command, long cmdOp, int fd, long[] encoded) {
            this.describe = command.describe();
            this.commandForAdvice = command;
            this.cmdOp = cmdOp;
            this.fd = fd;
            this.encoded = encoded;
            this.data = COMMANDS.data(command);
            this.metadata = COMMANDS.metadata(command);
        }

        void prepare(Sqe sqe) {
            if (data != null && !data.scope().isAlive() || metadata != null && !metadata.scope().isAlive()) {
                throw new IllegalStateException(describe + ": a buffer's arena was closed");
            }
            MemorySegment.copy(MemorySegment.ofArray(encoded), 0, TRANSPORT.startUringCmd(sqe, fd, cmdOp), 0,
                    NvmeCommand.URING_CMD_SIZE);
        }

        @Override
        public void accept(Completion c, Throwable failure) {
            if (failure != null) {
                result.completeExceptionally(failure);
            } else if (c.res() == 0) {
                result.complete(c.bigCqe0());
            } else {
                result.completeExceptionally(new IllegalStateException(describe + ": " + c.res()));
            }
        }
    }
}
