package io.github.jring.nvme;

import io.github.jring.bindings.Uapi;
import io.github.jring.core.Posix;
import io.github.jring.core.ErrnoException;
import io.github.jring.core.Sqe;
import io.github.jring.core.async.AsyncRing;
import io.github.jring.core.async.AsyncRingBuilder;
import io.github.jring.core.async.RingRequest;
import io.github.jring.nvme.command.DatasetManagement;
import io.github.jring.nvme.command.Flush;
import io.github.jring.nvme.command.LbaCommand;
import io.github.jring.nvme.command.NvmeCommand;
import io.github.jring.nvme.command.Read;
import io.github.jring.nvme.command.Write;
import io.github.jring.nvme.command.WriteZeroes;
import io.github.jring.nvme.command.ZoneAction;
import io.github.jring.nvme.command.ZoneAppend;
import io.github.jring.nvme.command.ZoneManagementReceive;
import io.github.jring.nvme.command.ZoneManagementSend;
import io.github.jring.nvme.command.ZoneReportFilter;
import io.github.jring.nvme.data.IdentifyNamespace;
import io.github.jring.nvme.data.ZoneReport;
import io.github.jring.nvme.internal.CommandAccess;
import io.github.jring.nvme.internal.TransportAccess;
import io.github.jring.nvme.internal.UringCmdWords;
import io.github.jring.nvme.status.NvmeStatusException;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

/**
 * Asynchronous NVMe passthrough for applications: any {@link NvmeCommand} from any thread, as a
 * {@link CompletableFuture} of its result, or as a blocking call that parks the calling thread (cheaply, on a virtual
 * thread) while the command is in flight. Commands go to the namespace's generic device as
 * {@code IORING_OP_URING_CMD} (Linux 5.19) on one or more {@link AsyncRing}s (SQE128/CQE32), each owned by its
 * completion thread, which submits and reaps on behalf of every caller: a command is never cancelled because the
 * thread that asked for it exited, and a thousand virtual threads each blocked in {@link #readBlocking} keep a
 * thousand commands queued (at most {@link #maxInFlight()} in the kernel at once, later ones waiting in order).
 * {@snippet :
 * try (NvmeNamespace ns = NvmeNamespace.open("/dev/ng0n1");
 *      AsyncNamespace nvme = AsyncNamespace.open(ns);
 *      Arena arena = Arena.ofShared()) {
 *     MemorySegment buf = arena.allocate(4096, 4096);
 *     nvme.readBlocking(0, buf);                                     // parks this thread until done
 *     CompletableFuture<Long> lba = nvme.zoneAppend(0, buf);           // from any thread
 * }
 * }
 *
 * <p><b>Results.</b> {@link #execute} completes with the completion's Dword 0-1 (a Zone Append's assigned LBA, a
 * Get Features value), or exceptionally with an {@link NvmeStatusException} naming the command and its status, or an
 * {@link ErrnoException} naming the command and the kernel's errno. Misuse found before the kernel (a closed arena,
 * another namespace's NSID, a write through a read-only handle, a buffer shorter than the transfer, an admin command)
 * throws at once, as every jring transport does ({@code Preflight}).
 *
 * <p><b>Blocking forms.</b> Every future has one, named for it: {@link #executeBlocking}, {@link #readBlocking},
 * {@link #writeBlocking}, {@link #readBytesBlocking}, {@link #writeBytesBlocking}, {@link #flushBlocking},
 * {@link #writeZeroesBlocking}, {@link #deallocateBlocking}, {@link #zoneAppendBlocking}, {@link #resetZoneBlocking},
 * {@link #finishZoneBlocking} and {@link #reportZonesBlocking} ({@link #identify()} never waits for the device). Each
 * parks the calling thread (a virtual thread unmounts) until its commands are done and throws the
 * {@link NvmeStatusException} or {@link ErrnoException} itself, not wrapped. Where one command does the work the
 * thread parks on that command's request, which the completion unparks directly (no {@code CompletableFuture} waiter
 * node); a transfer split into several commands waits for all of them together.
 *
 * <p><b>Commands and buffers.</b> A command is encoded when it is submitted: the object may be changed and reused at
 * once. Its data and metadata buffers stay referenced until its completion, and are checked again for a closed arena
 * when the command enters the ring; an arena the caller closes explicitly must stay open until the future completes.
 *
 * <p><b>Cost.</b> A command allocates one object: the request, which is the future returned, the ring's entry
 * ({@link RingRequest}: it fills its SQE and completes from its CQE) and the holder of the command's encoding; a
 * {@link #read} or {@link #write} of at most one command's worth is encoded from a Read or Write that no thread
 * changes, so it allocates no command object, and a blocking call parks without a waiter node. Error messages are built only when a command fails, from the
 * encoding (the command object may have been changed since).
 *
 * <p><b>Rings.</b> {@link Builder#rings(int)} rings (default {@link #defaultRings()}), each with its own completion
 * thread and its own duplicate of the namespace's fd; commands are spread over them in turn. More rings use more
 * cores for submission and completion. Options: {@link Builder#registeredBuffers registered buffers} (a command
 * whose data lies in one is sent with {@code IORING_URING_CMD_FIXED}), {@link Builder#ioPoll() polled completions}
 * and {@link Builder#sqPoll(int) a kernel SQ thread}.
 *
 * <p><b>Closing.</b> {@link #close()} closes every ring: no new command is accepted, and the ring waits, at most the
 * {@link Builder#closeTimeout(Duration) close timeout}, for the commands in flight (NVMe commands cannot be
 * cancelled). A command still in flight then fails with {@code RingClosedException}, and its ring keeps the buffers
 * until the device answers: memory the device may still write is never released.
 */
public final class AsyncNamespace implements AutoCloseable {

    private static final int URING_CMD_FIXED = Uapi.IORING_URING_CMD_FIXED();
    /** The commands' encoding and buffers, which are not public API (see CommandAccess). */
    private static final CommandAccess COMMANDS = CommandAccess.get();

    static {
        // What jring's benchmarks drive without a device (see TransportAccess); nothing else uses it.
        TransportAccess.install(new TransportAccess() {
            @Override
            public RingRequest<Void> transferRequest(LbaCommand<?> template, NvmeNamespace ns, long slba, int blocks,
                                                     MemorySegment buffer, int fd) {
                Request<Void> request = Request.transfer(template, ns, slba, blocks, buffer);
                request.target(fd, NvmeQueue.cmdOp(template), buffer, null, -1);
                return request;
            }

            @Override
            public void prepare(RingRequest<?> request, Sqe sqe) {
                ((Request<?>) request).prepare(sqe);
            }

            @Override
            public void complete(RingRequest<?> request, int res, int flags, long bigCqe0, long bigCqe1) {
                ((Request<?>) request).onCompletion(res, flags, bigCqe0, bigCqe1);
            }

            @Override
            public void preflight(NvmeCommand<?> command, NvmeDevice device, int blockBytes, int metaBytes) {
                Preflight.check(command, device, blockBytes, metaBytes);
            }

            @Override
            public long cmdOp(NvmeCommand<?> command) {
                return NvmeQueue.cmdOp(command);
            }

            @Override
            public MemorySegment startUringCmd(Sqe sqe, int fd, long cmdOp) {
                return NvmeQueue.startUringCmd(sqe, fd, cmdOp);
            }
        });
    }

    private final NvmeNamespace ns;
    private final AsyncRing[] rings;
    private final int[] fds;
    private final int lbaSize;
    private final int metadataSize;
    /** The most bytes one Read or Write moves; a larger buffer is split. 0 when blocks hold metadata too. */
    private final long maxSingleTransfer;
    /** What every single-command {@link #read} and {@link #write} is encoded from; never changed. */
    private final Read readTemplate;
    private final Write writeTemplate;
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** The registered buffers ({@link Builder#registeredBuffers}), referenced for as long as the rings are open. */
    private final MemorySegment[] fixed;
    /** Their addresses, for finding the buffer a command's data lies in. */
    private final long[] fixedStart;
    private final long[] fixedEnd;
    private final boolean ioPoll;
    private final int sqPollIdle;

    private AsyncNamespace(Builder o) throws ErrnoException {
        NvmeNamespace ns = o.ns;
        int ringCount = o.rings;
        if (ns.isBlockDevice()) {
            throw new IllegalArgumentException(ns.path() + " is the namespace's block device, whose uring_cmd answers"
                    + " EOPNOTSUPP: open its generic device (/dev/ngXnY) for asynchronous passthrough");
        }
        this.ns = ns;
        this.lbaSize = ns.transferBlockSize();
        this.metadataSize = ns.separateMetadataSize();
        int lba = ns.lbaSize();
        long chunk = ns.maxTransferBytes() - ns.maxTransferBytes() % lba;
        // With metadata in the blocks (extended LBAs) the data length is not blocks times the LBA size: split path.
        this.maxSingleTransfer = lba != lbaSize ? 0 : Math.min(chunk, (long) LbaCommand.MAX_BLOCKS * lba);
        this.readTemplate = new Read(ns.nsid(), 0, 1);
        this.writeTemplate = new Write(ns.nsid(), 0, 1);
        this.fixed = o.fixed;
        this.fixedStart = new long[fixed.length];
        this.fixedEnd = new long[fixed.length];
        for (int i = 0; i < fixed.length; i++) {
            fixedStart[i] = fixed[i].address();
            fixedEnd[i] = fixed[i].address() + fixed[i].byteSize();
        }
        this.ioPoll = o.ioPoll;
        this.sqPollIdle = o.sqPollIdle;
        this.rings = new AsyncRing[ringCount];
        this.fds = new int[ringCount];
        try {
            for (int i = 0; i < ringCount; i++) {
                fds[i] = -1;
                AsyncRingBuilder b = AsyncRing.builder().sqe128().cqe32().entries(o.entries)
                        .threadName("jring-nvme-" + ns.path().getFileName() + "-" + i);
                if (o.closeTimeout != null) {
                    b.closeTimeout(o.closeTimeout);
                }
                if (o.ioPoll || o.sqPollIdle >= 0) {
                    b.ring(rb -> {
                        if (o.ioPoll) {
                            rb.ioPoll();
                        }
                        if (o.sqPollIdle >= 0) {
                            rb.sqPoll(o.sqPollIdle);
                        }
                    });
                }
                rings[i] = b.build();
                fds[i] = Posix.dup(ns.fd());
                if (fixed.length > 0) {
                    register(rings[i], fixed);
                }
            }
        } catch (ErrnoException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Registers {@code buffers} with {@code ring}, on its completion thread (its only submitter). */
    private static void register(AsyncRing ring, MemorySegment[] buffers) throws ErrnoException {
        try {
            ring.onRing(io -> {
                io.registerBuffers(buffers);
                return null;
            }).join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof ErrnoException ee) {
                throw ee;
            }
            throw e;
        }
    }

    /**
     * The asynchronous form of {@code ns}, with {@link #defaultRings()} rings of 128 entries.
     *
     * @param ns a namespace opened on its generic device ({@code /dev/ngXnY})
     * @return the asynchronous namespace; close it before {@code ns}
     * @throws ErrnoException if a ring cannot be set up or the fd duplicated
     */
    public static AsyncNamespace open(NvmeNamespace ns) throws ErrnoException {
        return builder(ns).build();
    }

    /**
     * A builder for the asynchronous form of {@code ns}.
     *
     * @param ns a namespace opened on its generic device
     * @return the builder
     */
    public static Builder builder(NvmeNamespace ns) {
        return new Builder(Objects.requireNonNull(ns, "ns"));
    }

    /**
     * The default number of rings: one per four available processors, at least one and at most eight (each ring's
     * completion thread can keep a device's queue full; more of them only help when one core cannot).
     *
     * @return the count
     */
    public static int defaultRings() {
        return Math.max(1, Math.min(8, Runtime.getRuntime().availableProcessors() / 4));
    }

    /** Options of an {@link AsyncNamespace}. */
    public static final class Builder {
        private final NvmeNamespace ns;
        private int rings = defaultRings();
        private int entries = 128;
        private Duration closeTimeout;
        private MemorySegment[] fixed = new MemorySegment[0];
        private boolean ioPoll;
        private int sqPollIdle = -1;

        private Builder(NvmeNamespace ns) {
            this.ns = ns;
        }

        /**
         * Registers {@code buffers} with every ring ({@code IORING_REGISTER_BUFFERS}): a command whose data lies
         * wholly inside one of them is sent with {@code IORING_URING_CMD_FIXED} and that buffer's index (Linux 6.1),
         * so the kernel does not pin and map its pages for each command. Other commands are sent as before. The
         * buffers stay registered, and referenced, until the rings close. Vectored commands never use them (the
         * kernel refuses vectored fixed passthrough before 6.16).
         *
         * @param buffers native segments, at most 16384 (the kernel's limit), each at most 1 GiB
         * @return this builder
         * @throws IllegalArgumentException if one is not native
         */
        public Builder registeredBuffers(MemorySegment... buffers) {
            for (MemorySegment b : buffers) {
                if (!b.isNative()) {
                    throw new IllegalArgumentException("a registered buffer must be native memory: " + b);
                }
            }
            this.fixed = buffers.clone();
            return this;
        }

        /**
         * Polled completions ({@code IORING_SETUP_IOPOLL}, Linux 6.1 for passthrough): each ring's completion thread
         * polls the device's poll queue while commands are in flight instead of waiting for interrupts, and parks
         * when none is. The controller must have poll queues ({@code nvme.poll_queues=N}); without them the
         * commands complete by interrupt and are only found by polling. Costs a core per ring while busy.
         *
         * @return this builder
         */
        public Builder ioPoll() {
            this.ioPoll = true;
            return this;
        }

        /**
         * A kernel SQ thread per ring submits the commands ({@code IORING_SETUP_SQPOLL}): the completion thread makes
         * no system call to submit while that thread is awake. The rings then run without {@code DEFER_TASKRUN}.
         *
         * @param idleMillis how long the SQ thread polls without work before it sleeps (0: the kernel's default)
         * @return this builder
         */
        public Builder sqPoll(int idleMillis) {
            if (idleMillis < 0) {
                throw new IllegalArgumentException("SQPOLL idle time must not be negative: " + idleMillis);
            }
            this.sqPollIdle = idleMillis;
            return this;
        }

        /**
         * How many rings (default {@link #defaultRings()}).
         *
         * @param rings 1 or more
         * @return this builder
         */
        public Builder rings(int rings) {
            if (rings < 1) {
                throw new IllegalArgumentException("rings must be at least 1: " + rings);
            }
            this.rings = rings;
            return this;
        }

        /**
         * SQ entries of each ring (default 128): also how many commands each ring has in the kernel at once.
         *
         * @param entries a power of two, 1 to 32768
         * @return this builder
         */
        public Builder entries(int entries) {
            this.entries = entries;
            return this;
        }

        /**
         * How long {@link AsyncNamespace#close()} waits for the commands in flight on each ring (default the
         * {@link AsyncRing}'s, 10 s).
         *
         * @param timeout the bound
         * @return this builder
         */
        public Builder closeTimeout(Duration timeout) {
            this.closeTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * Sets up the rings.
         *
         * @return the asynchronous namespace
         * @throws ErrnoException if a ring cannot be set up
         */
        public AsyncNamespace build() throws ErrnoException {
            return new AsyncNamespace(this);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Any command
    // ---------------------------------------------------------------------------------------------------------------

    /**
     * Sends {@code command} from any thread.
     *
     * @param command an I/O command for this namespace (the object may be reused as soon as this returns)
     * @return the future of the completion's Dword 0 (low half) and Dword 1 (high half): a Zone Append's LBA, for
     *         instance; fails with {@link NvmeStatusException} or {@link ErrnoException}, or with
     *         {@code RingClosedException} once closed
     * @throws IllegalArgumentException if the command is an admin command, carries another NSID, or its buffer is
     *                                  shorter than its transfer
     * @throws IllegalStateException    if this or the namespace is closed, a buffer's arena is closed, or the command
     *                                  writes the medium of a namespace opened read-only
     */
    public CompletableFuture<Long> execute(NvmeCommand<?> command) {
        return send(command, Request.dwords(command, ns));
    }

    /**
     * Sends {@code command} and waits for it, parking the calling thread.
     *
     * @param command an I/O command for this namespace
     * @return the completion's Dword 0-1
     * @throws NvmeStatusException if the controller completed it with an error status
     * @throws ErrnoException      if the kernel failed it
     * @throws IOException         if this was closed while it was in flight ({@code RingClosedException}); an
     *                             interrupt does not end the wait (see {@link #await})
     */
    public long executeBlocking(NvmeCommand<?> command) throws IOException {
        return await(execute(command));
    }

    /** {@link #execute}, completing with {@code null} instead of the result dwords. */
    private CompletableFuture<Void> executeVoid(NvmeCommand<?> command) {
        return send(command, Request.noResult(command, ns));
    }

    private <T> CompletableFuture<T> send(NvmeCommand<?> command, Request<T> request) {
        checkOpen();
        if (command.isAdmin()) {
            throw new IllegalArgumentException(command.describe() + ": admin commands go to the controller device, not"
                    + " to a namespace's rings; send it with NvmeNamespace.execute (the synchronous ioctl)");
        }
        int blockBytes = Preflight.dataBlockBytes(command, ns, lbaSize, metadataSize);
        int metaBytes = Preflight.metadataBlockBytes(command, ns, metadataSize);
        Preflight.check(command, ns, blockBytes, metaBytes);
        COMMANDS.encodeUringCmd(command, request, COMMANDS.wireDataLength(command, blockBytes),
                COMMANDS.wireMetadataLength(command, metaBytes));
        MemorySegment data = COMMANDS.data(command);
        return submit(request, NvmeQueue.cmdOp(command), data, COMMANDS.metadata(command),
                command.isVectored() ? -1 : fixedIndex(data));
    }

    /** Hands an encoded request to the next ring, which completes it from its CQE. */
    private <T> CompletableFuture<T> submit(Request<T> request, long cmdOp, MemorySegment data,
                                            MemorySegment metadata, int bufIndex) {
        int r = rings.length == 1 ? 0 : Math.floorMod(next.getAndIncrement(), rings.length);
        request.target(fds[r], cmdOp, data, metadata, bufIndex);
        return rings[r].send(request);
    }

    /** The registered buffer that {@code data} lies wholly in, or -1. */
    private int fixedIndex(MemorySegment data) {
        if (data == null) {
            return -1;
        }
        long start = data.address();
        long end = start + data.byteSize();
        for (int i = 0; i < fixedStart.length; i++) {
            if (start >= fixedStart[i] && end <= fixedEnd[i]) {
                return i;
            }
        }
        return -1;
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new IllegalStateException(this + " is closed");
        }
        if (!ns.isOpen()) {
            throw new IllegalStateException(this + ": its namespace " + ns.path() + " was closed; close the"
                    + " AsyncNamespace before its NvmeNamespace");
        }
    }

    /**
     * One command in flight, and the future its caller gets: its SQE's content (the command's encoding in nine
     * fields, copied when it was submitted) and the buffers it keeps alive. It is the ring's request itself
     * ({@link RingRequest}): it fills its SQE and completes from its CQE on the completion thread, so a command is
     * this one object and nothing else. The command's description is built only for an error, from the encoding, as
     * the caller may have changed the command object since. (Bench's {@code AsyncNamespaceRequestBenchmark} measures
     * it without a device, through {@code TransportAccess}.)
     */
    static final class Request<T> extends RingRequest<T> implements UringCmdWords {
        /** The command object that was encoded, or the template of a transfer: only for describing an error. */
        private final NvmeCommand<?> command;
        private final NvmeNamespace ns;
        /** Complete with {@code null} (a read or a write) rather than the completion's Dword 0-1. */
        private final boolean noResult;
        // Written by the submitting thread before the request is queued, read by the completion thread after: the
        // ring's queue orders them.
        private int fd;
        /** The registered buffer holding the data ({@code IORING_URING_CMD_FIXED}), or -1. */
        private int bufIndex;
        private long cmdOp;
        private MemorySegment data;
        private MemorySegment metadata;
        private long w0;
        private long w1;
        private long w2;
        private long w3;
        private long w4;
        private long w5;
        private long w6;
        private long w7;
        private long w8;

        private Request(NvmeCommand<?> command, NvmeNamespace ns, boolean noResult) {
            this.command = command;
            this.ns = ns;
            this.noResult = noResult;
        }

        static Request<Long> dwords(NvmeCommand<?> command, NvmeNamespace ns) {
            return new Request<>(command, ns, false);
        }

        static Request<Void> noResult(NvmeCommand<?> command, NvmeNamespace ns) {
            return new Request<>(command, ns, true);
        }

        /**
         * A one-command read or write encoded from {@code template}, which stays unchanged, for {@code blocks} blocks
         * from {@code slba} and {@code buffer} (checked by the caller).
         */
        static Request<Void> transfer(LbaCommand<?> template, NvmeNamespace ns, long slba, int blocks,
                                      MemorySegment buffer) {
            Request<Void> request = noResult(template, ns);
            COMMANDS.encodeTransfer(template, request, slba, blocks, buffer.address(), (int) buffer.byteSize());
            return request;
        }

        void target(int fd, long cmdOp, MemorySegment data, MemorySegment metadata, int bufIndex) {
            this.fd = fd;
            this.bufIndex = bufIndex;
            this.cmdOp = cmdOp;
            this.data = data;
            this.metadata = metadata;
        }

        @Override
        public void words(long w0, long w1, long w2, long w3, long w4, long w5, long w6, long w7, long w8) {
            this.w0 = w0;
            this.w1 = w1;
            this.w2 = w2;
            this.w3 = w3;
            this.w4 = w4;
            this.w5 = w5;
            this.w6 = w6;
            this.w7 = w7;
            this.w8 = w8;
        }

        /** On the completion thread, as the command enters the ring. */
        @Override
        protected void prepare(Sqe sqe) {
            if (data != null && !data.scope().isAlive() || metadata != null && !metadata.scope().isAlive()) {
                throw new IllegalStateException(describe() + ": a buffer's arena was closed before the command"
                        + " reached the ring; keep the arena open until the command has completed");
            }
            MemorySegment area = bufIndex < 0 ? NvmeQueue.startUringCmd(sqe, fd, cmdOp)
                    : NvmeQueue.startUringCmd(sqe, 0, fd, cmdOp, URING_CMD_FIXED, bufIndex);
            area.set(JAVA_LONG_UNALIGNED, 0, w0);
            area.set(JAVA_LONG_UNALIGNED, 8, w1);
            area.set(JAVA_LONG_UNALIGNED, 16, w2);
            area.set(JAVA_LONG_UNALIGNED, 24, w3);
            area.set(JAVA_LONG_UNALIGNED, 32, w4);
            area.set(JAVA_LONG_UNALIGNED, 40, w5);
            area.set(JAVA_LONG_UNALIGNED, 48, w6);
            area.set(JAVA_LONG_UNALIGNED, 56, w7);
            area.set(JAVA_LONG_UNALIGNED, 64, w8);
        }

        /** On the completion thread: the device answered (or the kernel failed the command). */
        @Override
        @SuppressWarnings("unchecked")
        protected void onCompletion(int res, int flags, long bigCqe0, long bigCqe1) {
            if (res == 0) {
                complete(noResult ? null : (T) Long.valueOf(bigCqe0));
            } else if (res > 0) {
                completeExceptionally(new NvmeStatusException(describe(), res));
            } else {
                NvmeCommand<?> sent = sent();
                completeExceptionally(Preflight.failure("NVME_URING_CMD_IO " + sent.describe(), -res, sent, ns));
            }
        }

        /** The command as it was encoded (for messages; allocates). */
        private NvmeCommand<?> sent() {
            long[] image = {w0, w1, w2, w3, w4, w5, w6, w7, w8};
            return COMMANDS.asSent(command, MemorySegment.ofArray(image));
        }

        @Override
        protected String describe() {
            return sent().describe();
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // What applications do
    // ---------------------------------------------------------------------------------------------------------------

    /**
     * Reads {@code buffer.byteSize()} bytes from LBA {@code slba}: Read commands, split at the maximum transfer size,
     * all in flight at once.
     *
     * @param slba   the first block
     * @param buffer native memory, a whole number of blocks
     * @return the future, done when every part is
     * @throws IllegalArgumentException if the size is not a whole number of blocks or the range is past the end
     */
    public CompletableFuture<Void> read(long slba, MemorySegment buffer) {
        return transfer(false, slba, buffer);
    }

    /**
     * {@link #read}, parking the calling thread until it is done.
     *
     * @param slba   the first block
     * @param buffer native memory, a whole number of blocks
     * @throws NvmeStatusException if the controller failed a command
     * @throws ErrnoException      if the kernel failed a command
     * @throws IOException         if this was closed while a command was in flight; an interrupt does not end the
     *                             wait (see {@link #await})
     */
    public void readBlocking(long slba, MemorySegment buffer) throws IOException {
        await(read(slba, buffer));
    }

    /**
     * Writes {@code buffer} at LBA {@code slba}: Write commands split at the maximum transfer size, all in flight at
     * once (so on a zoned namespace, where writes must come in order at the write pointer, use one command's worth or
     * {@link #zoneAppend}).
     *
     * @param slba   the first block
     * @param buffer native memory, a whole number of blocks
     * @return the future, done when every part is
     * @throws IllegalArgumentException if the size is not a whole number of blocks or the range is past the end
     */
    public CompletableFuture<Void> write(long slba, MemorySegment buffer) {
        return transfer(true, slba, buffer);
    }

    /**
     * {@link #write}, parking the calling thread until it is done.
     *
     * @param slba   the first block
     * @param buffer native memory, a whole number of blocks
     * @throws NvmeStatusException if the controller failed a command
     * @throws ErrnoException      if the kernel failed a command
     * @throws IOException         if this was closed while a command was in flight; an interrupt does not end the
     *                             wait (see {@link #await})
     */
    public void writeBlocking(long slba, MemorySegment buffer) throws IOException {
        await(write(slba, buffer));
    }

    /**
     * {@link #read} at a byte offset that is a multiple of the LBA size.
     *
     * @param offset byte offset in the namespace
     * @param buffer native memory
     * @return the future
     */
    public CompletableFuture<Void> readBytes(long offset, MemorySegment buffer) {
        return read(ns.toLba(offset), buffer);
    }

    /**
     * {@link #readBytes}, parking the calling thread until it is done.
     *
     * @param offset byte offset in the namespace, a multiple of the LBA size
     * @param buffer native memory, a whole number of blocks
     * @throws NvmeStatusException if the controller failed a command
     * @throws ErrnoException      if the kernel failed a command
     * @throws IOException         if this was closed while a command was in flight (see {@link #await})
     */
    public void readBytesBlocking(long offset, MemorySegment buffer) throws IOException {
        await(readBytes(offset, buffer));
    }

    /**
     * {@link #write} at a byte offset that is a multiple of the LBA size.
     *
     * @param offset byte offset in the namespace
     * @param buffer native memory
     * @return the future
     */
    public CompletableFuture<Void> writeBytes(long offset, MemorySegment buffer) {
        return write(ns.toLba(offset), buffer);
    }

    /**
     * {@link #writeBytes}, parking the calling thread until it is done.
     *
     * @param offset byte offset in the namespace, a multiple of the LBA size
     * @param buffer native memory, a whole number of blocks
     * @throws NvmeStatusException if the controller failed a command
     * @throws ErrnoException      if the kernel failed a command
     * @throws IOException         if this was closed while a command was in flight (see {@link #await})
     */
    public void writeBytesBlocking(long offset, MemorySegment buffer) throws IOException {
        await(writeBytes(offset, buffer));
    }

    private CompletableFuture<Void> transfer(boolean write, long slba, MemorySegment buffer) {
        long size = buffer.byteSize();
        if (size == 0 || size > maxSingleTransfer || size % lbaSize != 0 || !buffer.isNative()
                || !buffer.scope().isAlive() || write && !ns.isWritable()) {
            return transferCommands(write, slba, buffer); // also each refusal, worded as the commands' checks word it
        }
        int blocks = (int) (size / lbaSize);
        ns.checkRange(slba, blocks);
        checkOpen();
        // One command whose buffer is checked above and whose NSID is the namespace's: encoded from a template that
        // nothing changes, so no command object per transfer.
        LbaCommand<?> template = write ? writeTemplate : readTemplate;
        return submit(Request.transfer(template, ns, slba, blocks, buffer), NvmeQueue.cmdOp(template), buffer, null,
                fixedIndex(buffer));
    }

    /**
     * A transfer as {@link NvmeNamespace#transferCommands} splits it, one command object each: for a buffer larger
     * than one command moves, a format with metadata in the data blocks, and every buffer the quick path refuses.
     */
    private CompletableFuture<Void> transferCommands(boolean write, long slba, MemorySegment buffer) {
        return executeAll(ns.transferCommands(write, slba, buffer));
    }

    /**
     * Sends {@code parts}, the commands of one transfer: one command's own request when there is one (waited on
     * without a waiter node), else a future of them all (done at once when there are none).
     */
    private CompletableFuture<Void> executeAll(List<LbaCommand<?>> parts) {
        if (parts.size() == 1) {
            return executeVoid(parts.get(0));
        }
        CompletableFuture<?>[] all = new CompletableFuture<?>[parts.size()];
        for (int i = 0; i < all.length; i++) {
            all[i] = executeVoid(parts.get(i));
        }
        return CompletableFuture.allOf(all);
    }

    /**
     * Flushes the volatile write cache (Flush).
     *
     * @return the future
     */
    public CompletableFuture<Void> flush() {
        return executeVoid(new Flush(ns.nsid()));
    }

    /**
     * {@link #flush}, parking the calling thread until the write cache is on the medium.
     *
     * @throws NvmeStatusException if the controller failed it
     * @throws ErrnoException      if the kernel failed it
     * @throws IOException         if this was closed while it was in flight (see {@link #await})
     */
    public void flushBlocking() throws IOException {
        await(flush());
    }

    /**
     * Writes zeroes to {@code blocks} blocks from {@code slba} (Write Zeroes, split at 65,536 blocks a command).
     *
     * @param slba   the first block
     * @param blocks how many
     * @return the future
     */
    public CompletableFuture<Void> writeZeroes(long slba, long blocks) {
        ns.checkRange(slba, blocks);
        int parts = (int) ((blocks + LbaCommand.MAX_BLOCKS - 1) / LbaCommand.MAX_BLOCKS);
        List<LbaCommand<?>> commands = new ArrayList<>(parts);      // none for 0 blocks: done at once
        for (int i = 0; i < parts; i++) {
            long at = slba + (long) i * LbaCommand.MAX_BLOCKS;
            commands.add(new WriteZeroes(ns.nsid(), at, (int) Math.min(LbaCommand.MAX_BLOCKS, slba + blocks - at)));
        }
        return executeAll(commands);
    }

    /**
     * {@link #writeZeroes}, parking the calling thread until every command is done.
     *
     * @param slba   the first block
     * @param blocks how many
     * @throws NvmeStatusException if the controller failed a command
     * @throws ErrnoException      if the kernel failed a command
     * @throws IOException         if this was closed while a command was in flight (see {@link #await})
     */
    public void writeZeroesBlocking(long slba, long blocks) throws IOException {
        await(writeZeroes(slba, blocks));
    }

    /**
     * Deallocates (trims) {@code blocks} blocks from {@code slba} (Dataset Management with Deallocate, one range);
     * they then read as Identify Namespace's DLFEAT says.
     *
     * @param slba   the first block
     * @param blocks how many, at most 2<sup>32</sup> - 1
     * @return the future
     */
    public CompletableFuture<Void> deallocate(long slba, long blocks) {
        ns.checkRange(slba, blocks);
        if (blocks < 1 || blocks > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("one range deallocates 1 to 4294967295 blocks: " + blocks);
        }
        MemorySegment range = Arena.ofAuto().allocate(DatasetManagement.RANGE_SIZE, 16);
        DatasetManagement.range(range, 0, slba, (int) blocks);
        return executeVoid(new DatasetManagement(ns.nsid(), 1, range).deallocate(true));
    }

    /**
     * {@link #deallocate}, parking the calling thread until it is done.
     *
     * @param slba   the first block
     * @param blocks how many, at most 2<sup>32</sup> - 1
     * @throws NvmeStatusException if the controller failed it
     * @throws ErrnoException      if the kernel failed it
     * @throws IOException         if this was closed while it was in flight (see {@link #await})
     */
    public void deallocateBlocking(long slba, long blocks) throws IOException {
        await(deallocate(slba, blocks));
    }

    /**
     * Appends {@code buffer} to the zone starting at {@code zslba} (Zone Append, one command).
     *
     * @param zslba  the zone's start LBA
     * @param buffer native memory, a whole number of blocks
     * @return the future of the LBA the controller wrote the data at; fails with {@code ZONE_IS_FULL} and such
     */
    public CompletableFuture<Long> zoneAppend(long zslba, MemorySegment buffer) {
        return execute(new ZoneAppend(ns.nsid(), zslba, blocksOf(buffer), buffer));
    }

    /**
     * {@link #zoneAppend}, parking the calling thread until it is done.
     *
     * @param zslba  the zone's start LBA
     * @param buffer native memory, a whole number of blocks
     * @return the LBA the data was written at
     * @throws NvmeStatusException if the controller failed it ({@code ZONE_IS_FULL} ...)
     * @throws ErrnoException      if the kernel failed it
     * @throws IOException         if this was closed while it was in flight (see {@link #await})
     */
    public long zoneAppendBlocking(long zslba, MemorySegment buffer) throws IOException {
        return await(zoneAppend(zslba, buffer));
    }

    /**
     * Resets the zone starting at {@code zslba} (Zone Management Send, Reset Zone).
     *
     * @param zslba the zone's start LBA
     * @return the future
     */
    public CompletableFuture<Void> resetZone(long zslba) {
        return executeVoid(new ZoneManagementSend(ns.nsid(), zslba, ZoneAction.RESET));
    }

    /**
     * {@link #resetZone}, parking the calling thread until it is done.
     *
     * @param zslba the zone's start LBA
     * @throws NvmeStatusException if the controller failed it
     * @throws ErrnoException      if the kernel failed it
     * @throws IOException         if this was closed while it was in flight (see {@link #await})
     */
    public void resetZoneBlocking(long zslba) throws IOException {
        await(resetZone(zslba));
    }

    /**
     * Finishes the zone starting at {@code zslba} (Zone Management Send, Finish Zone): it becomes Full.
     *
     * @param zslba the zone's start LBA
     * @return the future
     */
    public CompletableFuture<Void> finishZone(long zslba) {
        return executeVoid(new ZoneManagementSend(ns.nsid(), zslba, ZoneAction.FINISH));
    }

    /**
     * {@link #finishZone}, parking the calling thread until it is done.
     *
     * @param zslba the zone's start LBA
     * @throws NvmeStatusException if the controller failed it
     * @throws ErrnoException      if the kernel failed it
     * @throws IOException         if this was closed while it was in flight (see {@link #await})
     */
    public void finishZoneBlocking(long zslba) throws IOException {
        await(finishZone(zslba));
    }

    /**
     * Reports the zones from the one containing {@code slba} (Zone Management Receive), decoded.
     *
     * @param slba     an LBA in the first zone to report
     * @param maxZones how many descriptors to ask for
     * @param filter   which zones
     * @return the future of the report
     */
    public CompletableFuture<ZoneReport> reportZones(long slba, int maxZones, ZoneReportFilter filter) {
        MemorySegment buf = zoneReportBuffer(maxZones);
        return execute(new ZoneManagementReceive(ns.nsid(), slba, buf).filter(filter))
                .thenApply(r -> ZoneReport.decode(buf, 0));
    }

    /**
     * {@link #reportZones}, parking the calling thread until the report is in.
     *
     * @param slba     an LBA in the first zone to report
     * @param maxZones how many descriptors to ask for
     * @param filter   which zones
     * @return the report
     * @throws NvmeStatusException if the controller failed it
     * @throws ErrnoException      if the kernel failed it
     * @throws IOException         if this was closed while it was in flight (see {@link #await})
     */
    public ZoneReport reportZonesBlocking(long slba, int maxZones, ZoneReportFilter filter) throws IOException {
        MemorySegment buf = zoneReportBuffer(maxZones);
        await(execute(new ZoneManagementReceive(ns.nsid(), slba, buf).filter(filter))); // the request: no stage
        return ZoneReport.decode(buf, 0);
    }

    /** The buffer for {@code maxZones} zone descriptors, after the header; only on a zoned namespace. */
    private MemorySegment zoneReportBuffer(int maxZones) {
        if (!ns.isZoned()) {
            throw new IllegalStateException(ns.path() + " is not a zoned namespace");
        }
        return Arena.ofAuto().allocate(ZoneReport.bufferSize(maxZones), 4096);
    }

    /**
     * The namespace's Identify data (read when it was opened; Identify is an admin command, which goes to the
     * controller, not to these rings). It never waits for the device, so it needs no blocking form.
     *
     * @return Identify Namespace
     */
    public IdentifyNamespace identify() {
        return ns.identify();
    }

    /**
     * Waits for {@code future} (one of this class's), parking the calling thread, and throws what it failed with:
     * {@link NvmeStatusException}, {@link ErrnoException}, or another {@link IOException}. An interrupt does not end
     * the wait: an NVMe command cannot be cancelled, and its buffer must not be reused or freed while the device may
     * still use it; the thread's interrupt status is set again when the command is done ({@link AsyncRing#await}).
     *
     * @param future the future
     * @param <T>    its result
     * @return its result
     * @throws IOException           if it failed
     * @throws IllegalStateException on one of this object's completion threads (a callback), which would wait for
     *                               itself
     */
    public <T> T await(CompletableFuture<T> future) throws IOException {
        Thread me = Thread.currentThread();
        for (AsyncRing r : rings) {
            if (r.completionThread() == me) {
                throw new IllegalStateException("a blocking call on " + me.getName() + ", a completion thread of "
                        + this + ", would wait for itself; use the future in completion callbacks");
            }
        }
        return rings[0].await(future);
    }

    /** The whole, non-zero number of blocks {@code buffer} holds (one Zone Append's worth). */
    private int blocksOf(MemorySegment buffer) {
        int lba = ns.lbaSize();
        long size = buffer.byteSize();
        if (size == 0) {
            throw new IllegalArgumentException("the buffer is empty: a transfer is at least one " + lba + "-byte block");
        }
        if (size % lba != 0) {
            throw new IllegalArgumentException("buffer of " + size + " bytes is not a whole number of " + lba
                    + "-byte blocks");
        }
        return (int) (size / lba);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // End-to-end protection per call: PI-aware forms of read and write (kept in this section of their own)
    // ---------------------------------------------------------------------------------------------------------------

    /**
     * {@link #read(long, MemorySegment)} with end-to-end protection: each Read carries {@code prinfo}, the expected
     * initial Reference Tag (one more per block for Types 1 and 2, so a transfer split at the maximum transfer size
     * gives each part its own), the expected Application Tag and mask. Without PRACT the protection information
     * arrives with the data, in {@code buffer} for an extended-LBA format and in {@code metadata} otherwise, for the
     * host to check ({@link io.github.jring.nvme.pi.PiLayout#verify}); with PRACT on a format whose metadata is the
     * tuple alone, the controller checks and strips it and {@code buffer} holds only data. Allocates a command per
     * part, as the split transfers of {@link #read(long, MemorySegment)} do.
     *
     * @param slba         the first block
     * @param buffer       native memory, a whole number of blocks of
     *                     {@link io.github.jring.nvme.pi.PiLayout#dataBytesPerBlock} bytes
     * @param metadata     the separate metadata, {@link io.github.jring.nvme.pi.PiLayout#metadataBytesPerBlock} bytes
     *                     per block, or {@code null} where none moves
     * @param prinfo       {@link io.github.jring.nvme.pi.Prinfo#PRACT} and the {@code Prinfo.CHECK_*} bits
     * @param referenceTag the first block's expected Reference Tag
     * @param appTag       the expected Application Tag, 0 to FFFFh
     * @param appMask      which Application Tag bits are checked, 0 to FFFFh
     * @return the future, done when every part is; a failed check completes it with the
     *         {@link NvmeStatusException} that names it
     * @throws IllegalArgumentException if the buffers do not fit the namespace's format and {@code prinfo}, or the
     *                                  namespace has no protection information and {@code prinfo} is not 0
     */
    public CompletableFuture<Void> read(long slba, MemorySegment buffer, MemorySegment metadata, int prinfo,
                                        long referenceTag, int appTag, int appMask) {
        return protectedTransfer(false, slba, buffer, metadata, prinfo, referenceTag, appTag, appMask);
    }

    /**
     * {@link #write(long, MemorySegment)} with end-to-end protection: each Write carries {@code prinfo}, the initial
     * Reference Tag (one more per block for Types 1 and 2), the Application Tag and mask. Without PRACT the host
     * supplies the protection information ({@link io.github.jring.nvme.pi.PiLayout#generate}), in {@code buffer} for
     * an extended-LBA format and in {@code metadata} otherwise; with PRACT the controller computes it.
     *
     * @param slba         the first block
     * @param buffer       native memory, a whole number of blocks of
     *                     {@link io.github.jring.nvme.pi.PiLayout#dataBytesPerBlock} bytes
     * @param metadata     the separate metadata, or {@code null} where none moves
     * @param prinfo       {@link io.github.jring.nvme.pi.Prinfo#PRACT} and the {@code Prinfo.CHECK_*} bits
     * @param referenceTag the first block's Reference Tag (for Type 1, the SLBA's low bits)
     * @param appTag       the Application Tag, 0 to FFFFh
     * @param appMask      which Application Tag bits the controller checks, 0 to FFFFh
     * @return the future, done when every part is
     * @throws IllegalArgumentException as {@link #read(long, MemorySegment, MemorySegment, int, long, int, int)}
     */
    public CompletableFuture<Void> write(long slba, MemorySegment buffer, MemorySegment metadata, int prinfo,
                                         long referenceTag, int appTag, int appMask) {
        return protectedTransfer(true, slba, buffer, metadata, prinfo, referenceTag, appTag, appMask);
    }

    /**
     * {@link #read(long, MemorySegment, MemorySegment, int, long, int, int)}, parking the calling thread until it is
     * done.
     *
     * @param slba         the first block
     * @param buffer       the data (and extended metadata)
     * @param metadata     the separate metadata, or {@code null}
     * @param prinfo       PRACT and the PRCHK bits
     * @param referenceTag the first block's expected Reference Tag
     * @param appTag       the expected Application Tag
     * @param appMask      its mask
     * @throws IOException if a command fails ({@link NvmeStatusException} names a failed check)
     */
    public void readBlocking(long slba, MemorySegment buffer, MemorySegment metadata, int prinfo, long referenceTag,
                             int appTag, int appMask) throws IOException {
        await(read(slba, buffer, metadata, prinfo, referenceTag, appTag, appMask));
    }

    /**
     * {@link #write(long, MemorySegment, MemorySegment, int, long, int, int)}, parking the calling thread until it is
     * done.
     *
     * @param slba         the first block
     * @param buffer       the data (and extended metadata)
     * @param metadata     the separate metadata, or {@code null}
     * @param prinfo       PRACT and the PRCHK bits
     * @param referenceTag the first block's Reference Tag
     * @param appTag       the Application Tag
     * @param appMask      its mask
     * @throws IOException if a command fails
     */
    public void writeBlocking(long slba, MemorySegment buffer, MemorySegment metadata, int prinfo, long referenceTag,
                              int appTag, int appMask) throws IOException {
        await(write(slba, buffer, metadata, prinfo, referenceTag, appTag, appMask));
    }

    private CompletableFuture<Void> protectedTransfer(boolean write, long slba, MemorySegment buffer,
                                                      MemorySegment metadata, int prinfo, long referenceTag,
                                                      int appTag, int appMask) {
        return executeAll(ns.protectedTransferCommands(write, slba, buffer, metadata, prinfo, referenceTag, appTag,
                appMask));
    }

    // ---------------------------------------------------------------------------------------------------------------

    /**
     * How many rings carry the commands.
     *
     * @return the count
     */
    public int rings() {
        return rings.length;
    }

    /**
     * How many commands can be in the kernel at once, over all rings.
     *
     * @return the bound
     */
    public int maxInFlight() {
        int n = 0;
        for (AsyncRing r : rings) {
            n += r == null ? 0 : r.maxInFlight();
        }
        return n;
    }

    /**
     * The namespace.
     *
     * @return it
     */
    public NvmeNamespace namespace() {
        return ns;
    }

    /**
     * Closes every ring (see the class comment: bounded waits, memory the device may still write kept until it
     * answers), then each ring's fd once its ring is gone. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (int i = 0; i < rings.length; i++) {
            AsyncRing r = rings[i];
            int fd = fds[i];
            if (r != null) {
                r.close();
                if (fd >= 0) {
                    r.terminated().whenComplete((v, t) -> Posix.closeQuietly(fd));
                }
            } else if (fd >= 0) {
                Posix.closeQuietly(fd);
            }
        }
    }

    @Override
    public String toString() {
        return "AsyncNamespace[" + ns.path() + " (nsid " + ns.nsid() + "), " + rings.length + " ring"
                + (rings.length == 1 ? "" : "s") + (ioPoll ? ", IOPOLL" : "") + (sqPollIdle >= 0 ? ", SQPOLL" : "")
                + (fixed.length > 0 ? ", " + fixed.length + " registered buffers" : "")
                + (closed.get() ? ", closed]" : "]");
    }
}
