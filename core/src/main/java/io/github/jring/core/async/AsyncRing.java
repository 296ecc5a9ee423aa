package io.github.jring.core.async;

import io.github.jring.core.internal.NativeAccess;
import io.github.jring.bindings.Uapi;
import io.github.jring.core.Cqe;
import io.github.jring.core.CqeConsumer;
import io.github.jring.core.ErrnoException;
import io.github.jring.core.IoUring;
import io.github.jring.core.IoUringBuilder;
import io.github.jring.core.Sqe;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * An io_uring for applications: submit an operation from any thread and get a {@link CompletableFuture} of its
 * result, or call the blocking form, which parks the calling thread (cheaply, on a virtual thread) until the result
 * is there.
 * {@snippet :
 * try (AsyncRing ring = AsyncRing.open(); Arena arena = Arena.ofShared()) {
 *     MemorySegment buf = arena.allocate(4096);
 *     CompletableFuture<Integer> n = ring.read(fd, buf, 0);          // from any thread
 *     int m = ring.writeBlocking(fd2, buf.asSlice(0, n.join()), 0);    // parks until done
 *     try (var vts = Executors.newVirtualThreadPerTaskExecutor()) {
 *         vts.submit(() -> ring.readBlocking(fd, buf2, 8192));          // one virtual thread per request is fine
 *     }
 * }
 * }
 *
 * <h2>Threads</h2>
 * Each ring has one <em>completion thread</em> (a daemon platform thread) that owns the {@link IoUring}: it sets it
 * up, moves submitted requests into SQEs, submits them and waits for completions in one {@code io_uring_enter}, and
 * completes the futures. Submitting threads never touch the ring: they append the request to a lock-free
 * multi-producer queue (one atomic exchange) and, only if the completion thread is asleep in the kernel, wake it.
 * That hand-off, rather than a lock around {@code getSqe}/{@code submit}, gives three things: requests from many
 * threads are batched into one {@code io_uring_enter}; the ring has exactly one submitting and waiting task, so it is
 * set up with {@code IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN} (6.0/6.1, falling back when the kernel
 * refuses) and completions are processed when that thread waits instead of interrupting it; and the registry of
 * requests in flight is touched by one thread only, so it needs no synchronization.
 *
 * <p><b>Wakeup.</b> The completion thread keeps an {@code IORING_OP_READ} of an eventfd in flight. Before it sleeps
 * it publishes "sleeping" and re-checks the queue; a submitter that finds it sleeping writes the eventfd (one short
 * system call, at most once per sleep), which completes that read and ends the wait. A submitter that finds it awake
 * makes no system call at all.
 *
 * <p><b>Why one submitting thread.</b> The kernel ties a request to the thread that submitted it: a request that must
 * be retried or completed in its submitter's context (a read that waited for data, work done by the submitter's
 * io-wq workers) fails with {@code ECANCELED} once that thread has exited, although the ring lives on
 * ({@code SubmitterExitTest} shows it). Letting application threads submit directly would lose requests whenever a
 * pool retired a thread; the completion thread lives exactly as long as the ring.
 *
 * <p><b>Cost.</b> A request costs one object (the future, 56 bytes) and the boxed result (none for results up to
 * 127). What dominates is the hand-over between threads. After a burst the completion thread keeps watching the
 * queue for {@link AsyncRingBuilder#spin(Duration) spin} (default 20 µs), and a platform thread waiting for a result
 * watches it as long, so requests that come one at a time cost a hand-over between two awake cores (well under a
 * microsecond) instead of two thread wakeups (tens of microseconds in a virtual machine). When many are in flight
 * (many virtual threads, or a caller that submits a batch before it waits) the completion thread finds them queued and
 * submits them in one {@code io_uring_enter}: submitting while awake, it never shows "sleeping", so submitters make no
 * system call. The raw {@link IoUring} remains the zero-allocation, no-hand-over path for a thread that drives its own
 * ring; {@code docs/benchmarks.md} sets the two side by side.
 *
 * <p><b>Callbacks.</b> Futures are completed on the completion thread, so dependent stages added without an
 * executor ({@code thenApply}, {@code whenComplete} ...) run there: keep them short and non-blocking (or use the
 * {@code *Async} forms). The futures of one reaping round are completed last first, so that a caller joining a batch
 * in submission order watches one future until the batch is done instead of chasing the completion thread through
 * the others' cache lines; io_uring gives independent requests' completions no order to keep. The blocking methods
 * must not be called from such a callback: they would wait for the very thread they block, and throw
 * {@link IllegalStateException} instead.
 *
 * <h2>Requests in flight and their memory</h2>
 * A request in flight has a slot in a preallocated array; its {@code user_data} is the slot index with a
 * generation count in the upper half (a free list of indices, no map, no boxing). The slot holds the request, and
 * the request holds the buffer segment (or the {@link SqePreparer} with everything it captured) until its completion
 * has been reaped: a buffer from {@link Arena#ofAuto()} stays allocated for as long as the kernel may write it, even
 * if the caller drops every reference. A buffer from an arena the caller closes explicitly must not be closed before
 * the future completes (Java offers no way to hold such an arena open); the ring checks that it is alive when the
 * request is submitted and again when it enters the SQ. Buffers must be native memory.
 *
 * <p>At most {@link #maxInFlight()} requests are in the kernel at once; later ones wait in order, in the ring, for
 * room. {@link CompletableFuture#cancel(boolean)} on a returned future completes it at once and asks the kernel to
 * cancel the request ({@code IORING_OP_ASYNC_CANCEL}); its buffer stays referenced until the kernel's own completion
 * arrives.
 *
 * <h2>Results and errors</h2>
 * {@link #read}, {@link #write}, {@link #nop}, {@link #fsync} and {@link #cmdSock} complete with {@code res}, or
 * exceptionally with an {@link ErrnoException} naming the request and the errno ({@code "read (fd 7, 4096 bytes at
 * offset 0): EBADF (Bad file descriptor)"}) when {@code res < 0}. {@link #uringCmd} completes with a
 * {@link Completion} ({@code res} and, on a CQE32 ring, the big-CQE words), or an {@code ErrnoException} for
 * {@code res < 0}. {@link #submit(SqePreparer)} completes with the {@link Completion} whatever {@code res} is, as some
 * requests answer with a negative {@code res} by design (a timeout's {@code -ETIME}). Misuse found before the kernel
 * (a heap buffer, a closed arena) throws {@link IllegalArgumentException} / {@link IllegalStateException} at once.
 *
 * <h2>Closing</h2>
 * {@link #close()} stops accepting requests (later ones fail with {@link RingClosedException}), fails those not yet
 * submitted, asks the kernel to cancel everything in flight ({@code IORING_ASYNC_CANCEL_ANY}, 5.19; one cancel per
 * request on older kernels), and waits, at most {@link AsyncRingBuilder#closeTimeout(Duration)}, for every
 * completion. A request that the cancellation stopped fails with {@link RingClosedException} (its cause the
 * {@code ECANCELED}); one that completed anyway reports its real result. Only when every completion is in does it
 * unmap the ring and drop the buffer references. If the kernel has not answered within the timeout (a request that
 * cannot be cancelled, such as an NVMe command the device has not answered), its future fails with
 * {@link RingClosedException}, {@code close()} returns, and the completion thread keeps the ring and the buffers until
 * the kernel answers: memory the kernel may still write is never released. {@link #terminated()} completes when the
 * ring is really gone. {@code close()} never waits longer than the close timeout plus a second or so.
 */
public final class AsyncRing implements AutoCloseable {

    static {
        NativeAccess.require(); // first: a JVM that denies native access gets one clear error, not one from the bindings
    }

    /** The eventfd read that wakes the completion thread. */
    private static final long WAKE_UD = -2L;
    /** Requests whose completion only needs counting: cancels of single requests, NOPs replacing failed preps. */
    private static final long IGNORE_UD = -3L;
    /** The close's IORING_ASYNC_CANCEL_ANY. */
    private static final long CANCEL_ALL_UD = -4L;

    // Lifecycle (state).
    private static final int OPEN = 0;
    private static final int CLOSING = 1;
    private static final int CLOSED = 2;
    // The completion thread (driverState).
    private static final int RUNNING = 0;
    private static final int SLEEPING = 1;
    private static final int NOTIFIED = 2;
    private static final int EXITED = 3;

    private static final int ECANCELED = Uapi.ECANCELED();
    private static final int EINTR = Uapi.EINTR();
    private static final int EAGAIN = Uapi.EAGAIN();
    private static final int EBUSY = Uapi.EBUSY();
    private static final int EINVAL = Uapi.EINVAL();
    private static final int CANCEL_ANY = Uapi.IORING_ASYNC_CANCEL_ANY();
    private static final int CQE_F_MORE = Uapi.IORING_CQE_F_MORE();
    private static final int SQ_TASKRUN = Uapi.IORING_SQ_TASKRUN();
    /** IOSQE flags a caller's preparer may not set: links would tie other callers' requests, skip would lose one. */
    private static final int FORBIDDEN_SQE_FLAGS = Uapi.IOSQE_IO_LINK() | Uapi.IOSQE_IO_HARDLINK()
            | Uapi.IOSQE_CQE_SKIP_SUCCESS();
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private static final VarHandle STATE;
    private static final VarHandle DRIVER_STATE;
    private static final VarHandle SIGNALERS;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            STATE = l.findVarHandle(AsyncRing.class, "state", int.class);
            DRIVER_STATE = l.findVarHandle(AsyncRing.class, "driverState", int.class);
            SIGNALERS = l.findVarHandle(AsyncRing.class, "signalers", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    // ---- shared between submitting threads and the completion thread ----
    private final OpQueue queue = new OpQueue();
    private final int eventFd;
    private final Thread driver;
    private final long closeTimeoutNanos;
    /** How long the completion thread watches for new requests before it sleeps in the kernel. */
    private final long spinNanos;
    /** Counted down when close() may return: every future is complete (or the ring could not close). */
    private final CountDownLatch closeDone = new CountDownLatch(1);
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private volatile int state;
    private volatile int driverState;
    /** Submitters between "found it sleeping" and the end of their eventfd write; the eventfd closes only at 0. */
    private volatile int signalers;
    /** Why the ring stopped, if it failed rather than being closed. */
    private volatile Throwable failure;
    /** After the completion thread exited, late submitters fail what they queued themselves, under this lock. */
    private final Object exitLock = new Object();
    private boolean driverExited;

    // ---- fixed at setup ----
    private final int ringFlags;
    private final int features;
    private final int sqEntries;
    private final int cqEntries;
    private final int sqeSize;
    private final int cqeSize;
    private final int maxInFlight;

    // ---- completion thread only ----
    private IoUring ring;
    private Arena arena;
    private MemorySegment wakeBuf;
    /** The requests in the kernel, by user_data. */
    private SlotTable slots;
    /** Completions reaped in this round, whose futures are completed at its end. */
    private CompletionBatch staged;
    /** Internal requests whose completion is still to come (cancels, replacement NOPs, the close's cancel-all). */
    private int internalInFlight;
    private boolean wakeArmed;
    private boolean bigCqe;
    /** The completion thread is closing: ECANCELED now means "cancelled by the close". */
    private boolean closing;
    /** The kernel refused IORING_ASYNC_CANCEL_ANY (before 5.19): cancel one by one. */
    private boolean cancelAnyRefused;
    /** The close's cancel-all was refused: cancel again, one by one, now. */
    private boolean recancel;
    /** A failure found while reaping, thrown after the reaping loop. */
    private ErrnoException reapFailure;
    /** Requests that wait for a slot or an SQE, in order. */
    private final ArrayDeque<Op<?>> waiting = new ArrayDeque<>();
    /** Kernel cancels that found no SQE; retried first. */
    private final ArrayDeque<Op<?>> cancelRetry = new ArrayDeque<>();
    private final CqeConsumer onCqe = this::onCqe;

    /**
     * Opens a ring with default options: 256 SQ entries, {@code SINGLE_ISSUER|DEFER_TASKRUN} where the kernel has
     * them.
     *
     * @return the open ring
     * @throws ErrnoException if the ring cannot be set up
     */
    public static AsyncRing open() throws ErrnoException {
        return builder().build();
    }

    /**
     * Opens a ring with {@code entries} SQ entries and default options.
     *
     * @param entries SQ entries
     * @return the open ring
     * @throws ErrnoException if the ring cannot be set up
     */
    public static AsyncRing open(int entries) throws ErrnoException {
        return builder().entries(entries).build();
    }

    /**
     * A builder for a ring with options.
     *
     * @return a new builder
     */
    public static AsyncRingBuilder builder() {
        return new AsyncRingBuilder();
    }

    AsyncRing(AsyncRingBuilder b) throws ErrnoException {
        this.closeTimeoutNanos = b.closeTimeout.toNanos();
        this.spinNanos = b.spin.toNanos();
        this.eventFd = EventFd.create(Uapi.EFD_CLOEXEC());
        CompletableFuture<int[]> started = new CompletableFuture<>();
        this.driver = Thread.ofPlatform().daemon().name(b.threadName != null ? b.threadName : "jring-async-setup")
                .unstarted(() -> run(b, started));
        driver.start();
        int[] info;
        try {
            info = started.join();
        } catch (CompletionException e) {
            EventFd.close(eventFd);
            Throwable c = e.getCause();
            if (c instanceof ErrnoException ee) {
                throw ee;
            }
            if (c instanceof RuntimeException re) {
                throw re;
            }
            if (c instanceof Error er) {
                throw er;
            }
            throw new IllegalStateException("setting up the ring failed", c);
        }
        this.ringFlags = info[0];
        this.features = info[1];
        this.sqEntries = info[2];
        this.cqEntries = info[3];
        this.sqeSize = info[4];
        this.cqeSize = info[5];
        this.maxInFlight = info[6];
        if (b.threadName == null) {
            driver.setName("jring-async-" + info[7]);
        }
    }

    // =================================================================================================================
    // Properties
    // =================================================================================================================

    /**
     * The setup flags the kernel accepted ({@link IoUring#flags()}), for example whether {@code DEFER_TASKRUN} is on.
     *
     * @return {@code IORING_SETUP_*} bits
     */
    public int ringFlags() {
        return ringFlags;
    }

    /**
     * The kernel's {@code IORING_FEAT_*} bits for this ring.
     *
     * @return the features
     */
    public int features() {
        return features;
    }

    /**
     * SQ entries.
     *
     * @return entries
     */
    public int sqEntries() {
        return sqEntries;
    }

    /**
     * CQ entries.
     *
     * @return entries
     */
    public int cqEntries() {
        return cqEntries;
    }

    /**
     * SQE size, 64 or 128: the {@code uring_cmd} area is 16 or 80 bytes.
     *
     * @return bytes
     */
    public int sqeSize() {
        return sqeSize;
    }

    /**
     * CQE size, 16 or 32: with 32, completions carry {@link Completion#bigCqe0()} and {@link Completion#bigCqe1()}.
     *
     * @return bytes
     */
    public int cqeSize() {
        return cqeSize;
    }

    /**
     * The most requests in the kernel at once.
     *
     * @return the limit
     */
    public int maxInFlight() {
        return maxInFlight;
    }

    /**
     * Whether {@link #close()} was called or the ring failed: new requests are refused.
     *
     * @return true once closing or closed
     */
    public boolean isClosed() {
        return state != OPEN;
    }

    /**
     * Completes when the ring has been unmapped and every buffer reference dropped, after {@link #close()} (or after a
     * failure of the ring). Normally right when {@code close()} returns; later if a request outlived the close timeout.
     *
     * @return the future
     */
    public CompletableFuture<Void> terminated() {
        return terminated.copy();
    }

    /**
     * The completion thread (for diagnostics and tests: stack traces, checking where callbacks run).
     *
     * @return the thread
     */
    public Thread completionThread() {
        return driver;
    }

    // =================================================================================================================
    // Futures
    // =================================================================================================================

    /**
     * {@code IORING_OP_NOP} (5.1): completes with 0. Measures the round trip.
     *
     * @return the future of {@code res}
     */
    public CompletableFuture<Integer> nop() {
        return enqueue(new Op<Integer>(this, Op.NOP, -1, 0, 0L, 0, null));
    }

    /**
     * {@code IORING_OP_READ} (5.6): reads up to {@code buffer.byteSize()} bytes at {@code offset} (-1: the file
     * position) into {@code buffer}.
     *
     * @param fd     file descriptor
     * @param buffer native memory, referenced until the completion
     * @param offset file offset, or -1
     * @return the future of the number of bytes read; fails with {@link ErrnoException} on error
     * @throws IllegalArgumentException if {@code buffer} is not native or larger than 4 GiB - 1
     * @throws IllegalStateException    if {@code buffer}'s arena is closed
     */
    public CompletableFuture<Integer> read(int fd, MemorySegment buffer, long offset) {
        return enqueue(new Op<Integer>(this, Op.READ, fd, checkBuffer(buffer, "read buffer"), offset, 0, buffer));
    }

    /**
     * {@code IORING_OP_WRITE} (5.6): writes {@code buffer} at {@code offset} (-1: the file position).
     *
     * @param fd     file descriptor
     * @param buffer native memory, referenced until the completion
     * @param offset file offset, or -1
     * @return the future of the number of bytes written; fails with {@link ErrnoException} on error
     * @throws IllegalArgumentException if {@code buffer} is not native or larger than 4 GiB - 1
     * @throws IllegalStateException    if {@code buffer}'s arena is closed
     */
    public CompletableFuture<Integer> write(int fd, MemorySegment buffer, long offset) {
        return enqueue(new Op<Integer>(this, Op.WRITE, fd, checkBuffer(buffer, "write buffer"), offset, 0, buffer));
    }

    /**
     * {@code IORING_OP_FSYNC} (5.1): {@code fsync(fd)}. Not ordered after other requests: call it once the writes it
     * must cover have completed.
     *
     * @param fd file descriptor
     * @return the future of {@code res} (0)
     */
    public CompletableFuture<Integer> fsync(int fd) {
        return fsync(fd, 0);
    }

    /**
     * {@code IORING_OP_FSYNC} (5.1) with flags: {@code IORING_FSYNC_DATASYNC} for {@code fdatasync}.
     *
     * @param fd         file descriptor
     * @param fsyncFlags 0 or {@code IORING_FSYNC_DATASYNC}
     * @return the future of {@code res} (0)
     */
    public CompletableFuture<Integer> fsync(int fd, int fsyncFlags) {
        return enqueue(new Op<Integer>(this, Op.FSYNC, fd, fsyncFlags, 0L, 0, null));
    }

    /**
     * {@code IORING_OP_URING_CMD} (5.19): a driver command, as NVMe passthrough ({@code NVME_URING_CMD_IO} on
     * {@code /dev/ngXnY}, with an {@link AsyncRingBuilder#sqe128() SQE128} and {@link AsyncRingBuilder#cqe32() CQE32}
     * ring) or socket commands (6.7). The ring calls {@link Sqe#prepUringCmd(long, int)}, then {@code cmd} on the
     * completion thread to fill {@link Sqe#cmd()} (16 bytes, or 80 on an SQE128 ring; zeroed) and any other field.
     * The {@code cmd} preparer and what it captures (the data buffer the command points to) stay referenced until
     * the completion.
     *
     * @param cmdOp the driver's command, a {@code __u32}
     * @param fd    the device or socket
     * @param cmd   fills the command area; {@code null} leaves it zero
     * @return the future of the completion: {@code res} (for NVMe, 0 or the NVMe status), and on a CQE32 ring
     *         {@link Completion#bigCqe0()} (for NVMe, the result dword); fails with {@link ErrnoException} when
     *         {@code res < 0}
     */
    public CompletableFuture<Completion> uringCmd(long cmdOp, int fd, SqePreparer cmd) {
        if ((cmdOp >>> 32) != 0) {
            throw new IllegalArgumentException("uring_cmd cmd_op must fit 32 bits: 0x" + Long.toHexString(cmdOp));
        }
        return enqueue(new Op<Completion>(this, Op.URING_CMD, fd, 0, cmdOp, 0, cmd));
    }

    /**
     * A socket {@code uring_cmd} (6.7, liburing's {@code io_uring_prep_cmd_sock}): {@code SOCKET_URING_OP_SIOCINQ}
     * and {@code SIOCOUTQ} complete with the byte count, {@code GETSOCKOPT} with the option's length (its value in
     * {@code optval}), {@code SETSOCKOPT} with 0. Only {@code SOL_SOCKET} options are supported by the kernel.
     *
     * @param cmdOp   {@code SOCKET_URING_OP_*}
     * @param fd      socket
     * @param level   option level, or 0
     * @param optname option name, or 0
     * @param optval  native option buffer (its size is {@code optlen}), referenced until the completion; or
     *                {@code null}
     * @return the future of {@code res}
     * @throws IllegalArgumentException if {@code optval} is not native
     * @throws IllegalStateException    if {@code optval}'s arena is closed
     */
    public CompletableFuture<Integer> cmdSock(int cmdOp, int fd, int level, int optname, MemorySegment optval) {
        if (optval != null) {
            checkBuffer(optval, "socket option buffer");
        }
        return enqueue(new Op<Integer>(this, Op.CMD_SOCK, fd, optname, Integer.toUnsignedLong(cmdOp), level,
                optval));
    }

    /**
     * Any request: {@code preparer} fills the SQE on the completion thread (see {@link SqePreparer}), and the future
     * completes with the kernel's {@link Completion}, whatever its {@code res} (check {@link Completion#isError()} or
     * call {@link Completion#resOrThrow(String)}). The preparer and what it captures stay referenced until the
     * completion. The future takes the first completion; a request that answers more than once (multishot, or a
     * zero-copy send with its notification: {@code IORING_CQE_F_MORE}) keeps its slot and its buffers until the
     * completion without {@code F_MORE}, whose result is not reported. Links and {@code IOSQE_CQE_SKIP_SUCCESS} are
     * refused ({@link IllegalArgumentException} in the future).
     *
     * @param preparer fills the SQE
     * @return the future of the completion
     */
    public CompletableFuture<Completion> submit(SqePreparer preparer) {
        Objects.requireNonNull(preparer, "preparer");
        return enqueue(new Op<Completion>(this, Op.GENERIC, -1, 0, 0L, 0, preparer));
    }

    /**
     * Runs {@code task} on the completion thread with the underlying {@link IoUring}, between two batches: to
     * register buffers or files ({@code IORING_SETUP_SINGLE_ISSUER} requires the registering task to be the ring's
     * submitter), or to probe opcodes.
     *
     * @param task the work; must not submit, reap or close
     * @param <T>  its result
     * @return the future of its result
     */
    public <T> CompletableFuture<T> onRing(RingTask<T> task) {
        Objects.requireNonNull(task, "task");
        return enqueue(new Op<T>(this, Op.TASK, -1, 0, 0L, 0, task));
    }

    // =================================================================================================================
    // Blocking forms
    // =================================================================================================================

    /**
     * {@link #nop()}, waiting for the result.
     *
     * @return {@code res} (0)
     * @throws IOException {@link ErrnoException}, {@link RingClosedException}, or {@link InterruptedIOException}
     *                     (see {@link #await(CompletableFuture)})
     */
    public int nopBlocking() throws IOException {
        return await(nop());
    }

    /**
     * {@link #read(int, MemorySegment, long)}, waiting for the result: parks the calling thread (a virtual thread
     * unmounts; no carrier is pinned).
     *
     * @param fd     file descriptor
     * @param buffer native memory
     * @param offset file offset, or -1
     * @return bytes read
     * @throws IOException {@link ErrnoException}, {@link RingClosedException}, or {@link InterruptedIOException}
     *                     (see {@link #await(CompletableFuture)})
     */
    public int readBlocking(int fd, MemorySegment buffer, long offset) throws IOException {
        return await(read(fd, buffer, offset));
    }

    /**
     * {@link #write(int, MemorySegment, long)}, waiting for the result.
     *
     * @param fd     file descriptor
     * @param buffer native memory
     * @param offset file offset, or -1
     * @return bytes written
     * @throws IOException {@link ErrnoException}, {@link RingClosedException}, or {@link InterruptedIOException}
     *                     (see {@link #await(CompletableFuture)})
     */
    public int writeBlocking(int fd, MemorySegment buffer, long offset) throws IOException {
        return await(write(fd, buffer, offset));
    }

    /**
     * {@link #fsync(int)}, waiting for the result.
     *
     * @param fd file descriptor
     * @return {@code res} (0)
     * @throws IOException {@link ErrnoException}, {@link RingClosedException}, or {@link InterruptedIOException}
     *                     (see {@link #await(CompletableFuture)})
     */
    public int fsyncBlocking(int fd) throws IOException {
        return await(fsync(fd, 0));
    }

    /**
     * {@link #uringCmd(long, int, SqePreparer)}, waiting for the result.
     *
     * @param cmdOp the driver's command
     * @param fd    the device or socket
     * @param cmd   fills the command area, or {@code null}
     * @return the completion
     * @throws IOException {@link ErrnoException}, {@link RingClosedException}, or {@link InterruptedIOException}
     *                     (see {@link #await(CompletableFuture)})
     */
    public Completion uringCmdBlocking(long cmdOp, int fd, SqePreparer cmd) throws IOException {
        return await(uringCmd(cmdOp, fd, cmd));
    }

    /**
     * {@link #cmdSock(int, int, int, int, MemorySegment)}, waiting for the result.
     *
     * @param cmdOp   {@code SOCKET_URING_OP_*}
     * @param fd      socket
     * @param level   option level, or 0
     * @param optname option name, or 0
     * @param optval  native option buffer, or {@code null}
     * @return {@code res}
     * @throws IOException {@link ErrnoException}, {@link RingClosedException}, or {@link InterruptedIOException}
     *                     (see {@link #await(CompletableFuture)})
     */
    public int cmdSockBlocking(int cmdOp, int fd, int level, int optname, MemorySegment optval) throws IOException {
        return await(cmdSock(cmdOp, fd, level, optname, optval));
    }

    /**
     * {@link #submit(SqePreparer)}, waiting for the result.
     *
     * @param preparer fills the SQE
     * @return the completion, whatever its {@code res}
     * @throws IOException {@link RingClosedException}, or {@link InterruptedIOException}
     *                     (see {@link #await(CompletableFuture)})
     */
    public Completion submitBlocking(SqePreparer preparer) throws IOException {
        return await(submit(preparer));
    }

    /**
     * Waits for a future of this ring and returns its result, parking the calling thread (a virtual thread unmounts
     * and frees its carrier). Failures come out unwrapped: an {@link ErrnoException} naming the request and errno, a
     * {@link RingClosedException}, or the unchecked exception a preparer or task threw.
     *
     * <p>If the waiting thread is interrupted, the ring asks the kernel to cancel the request and keeps waiting,
     * uninterruptibly, for the kernel's completion, so that when this method returns the kernel no longer uses the
     * buffer. It then restores the interrupt status and throws {@link InterruptedIOException} if the request was
     * cancelled, or returns (or throws) its real outcome if it completed anyway.
     *
     * @param future a future returned by this ring (others are simply waited for)
     * @param <T>    the result type
     * @return the result
     * @throws IOException           as above
     * @throws CancellationException if the future was cancelled
     * @throws IllegalStateException if called on the completion thread (it would wait for itself)
     */
    public <T> T await(CompletableFuture<T> future) throws IOException {
        if (Thread.currentThread() == driver) {
            throw new IllegalStateException("a blocking call on the ring's completion thread would wait for itself; "
                    + "use the future (or a *Async stage) in completion callbacks");
        }
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw unwrap(e.getCause());
        } catch (InterruptedException e) {
            return awaitAfterInterrupt(future);
        }
    }

    private <T> T awaitAfterInterrupt(CompletableFuture<T> future) throws IOException {
        if (future instanceof Op<T> op && op.ring == this && op.kind <= Op.LAST_REQUEST) {
            cancelInKernel(op);
        }
        try {
            for (;;) {
                try {
                    return future.get();
                } catch (InterruptedException again) {
                    // keep waiting: the kernel may still use the buffer
                } catch (ExecutionException e) {
                    Throwable c = e.getCause();
                    if (c instanceof ErrnoException ee && ee.errno() == ECANCELED) {
                        InterruptedIOException ie = new InterruptedIOException(
                                ee.operation() + ": interrupted; the request was cancelled");
                        ie.initCause(ee);
                        throw ie;
                    }
                    throw unwrap(c);
                }
            }
        } finally {
            Thread.currentThread().interrupt();
        }
    }

    private static IOException unwrap(Throwable c) {
        if (c instanceof IOException io) {
            return io;
        }
        if (c instanceof RuntimeException re) {
            throw re;
        }
        if (c instanceof Error er) {
            throw er;
        }
        return new IOException(c);
    }

    // =================================================================================================================
    // Submission (any thread)
    // =================================================================================================================

    /** Checks a buffer for the kernel and returns its length as the SQE's {@code __u32 len}. */
    private static int checkBuffer(MemorySegment buffer, String what) {
        if (!buffer.isNative()) {
            throw new IllegalArgumentException(what + " must be native memory (the kernel uses it by address), but is "
                    + "a heap segment");
        }
        if (!buffer.scope().isAlive()) {
            throw new IllegalStateException(what + " belongs to a closed arena");
        }
        if (buffer.byteSize() > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException(what + " of " + buffer.byteSize() + " bytes is larger than an io_uring "
                    + "length (4 GiB - 1)");
        }
        return (int) buffer.byteSize();
    }

    private <T> Op<T> enqueue(Op<T> op) {
        if (state != OPEN) {
            op.fail(closedException(op, "submitted after the ring was closed"));
            return op;
        }
        queue.offer(op);
        if (state != OPEN) {
            // close() may have begun before the completion thread saw this request: if that thread is already
            // gone, nobody else will fail it.
            failLateSubmissions();
        } else {
            signal();
        }
        return op;
    }

    /** Asks the completion thread to cancel {@code op} in the kernel (after {@code cancel} or an interrupt). */
    void cancelInKernel(Op<?> op) {
        if (state == OPEN) {
            enqueue(new Op<Void>(null, Op.CANCEL, -1, 0, 0L, 0, op));
        }
    }

    /** Wakes the completion thread if it sleeps in the kernel; at most one eventfd write per sleep. */
    private void signal() {
        if (driverState != SLEEPING) {
            return;
        }
        SIGNALERS.getAndAdd(this, 1);
        try {
            if (DRIVER_STATE.compareAndSet(this, SLEEPING, NOTIFIED)) {
                EventFd.signal(eventFd);
            }
        } finally {
            SIGNALERS.getAndAdd(this, -1);
        }
    }

    private void failLateSubmissions() {
        synchronized (exitLock) {
            if (driverExited) {
                Op<?> op;
                while ((op = queue.poll()) != null) {
                    op.fail(closedException(op, "submitted while the ring was closing"));
                }
            }
        }
    }

    private RingClosedException closedException(Op<?> op, String what) {
        Throwable f = failure;
        return new RingClosedException(op.describe() + ": " + what + (f != null ? " (the ring failed: " + f + ")" : ""),
                f);
    }

    // =================================================================================================================
    // Closing
    // =================================================================================================================

    /**
     * Closes the ring: refuses new requests, cancels what is in flight, completes every future, waits (bounded) for
     * the kernel's completions, then unmaps the ring; see the class description. Idempotent. Called from a callback on
     * the completion thread, it starts the close and returns without waiting.
     */
    @Override
    public void close() {
        if (STATE.compareAndSet(this, OPEN, CLOSING)) {
            signal();
        }
        if (Thread.currentThread() == driver) {
            return;
        }
        long deadline = System.nanoTime() + closeTimeoutNanos + 2 * SECOND;
        boolean interrupted = false;
        try {
            for (;;) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                try {
                    if (closeDone.await(left, TimeUnit.NANOSECONDS)) {
                        return;
                    }
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // =================================================================================================================
    // The completion thread
    // =================================================================================================================

    private void run(AsyncRingBuilder b, CompletableFuture<int[]> started) {
        try {
            ring = setUp(b);
            arena = Arena.ofShared();
            wakeBuf = arena.allocate(8, 8);
            int cap = b.maxInFlight > 0 ? b.maxInFlight : ring.cqEntries();
            slots = new SlotTable(cap);
            staged = new CompletionBatch(cap);
            bigCqe = ring.cqeSize() > 16;
        } catch (Throwable t) {
            if (ring != null) {
                ring.close();
            }
            if (arena != null) {
                arena.close();
            }
            started.completeExceptionally(t);
            return;
        }
        started.complete(new int[] {ring.flags(), ring.features(), ring.sqEntries(), ring.cqEntries(), ring.sqeSize(),
            ring.cqeSize(), slots.capacity(), ring.fd()});
        Throwable cause = null;
        try {
            loop();
        } catch (Throwable t) {
            cause = t;
            failure = t;
            STATE.compareAndSet(this, OPEN, CLOSING);
        } finally {
            DRIVER_STATE.setVolatile(this, RUNNING);
        }
        shutDown(cause);
    }

    private static IoUring setUp(AsyncRingBuilder b) throws ErrnoException {
        int[] extras = b.deferTaskrun
                ? new int[] {Uapi.IORING_SETUP_SINGLE_ISSUER() | Uapi.IORING_SETUP_DEFER_TASKRUN()
                        | Uapi.IORING_SETUP_TASKRUN_FLAG() | Uapi.IORING_SETUP_SUBMIT_ALL(),
                    Uapi.IORING_SETUP_COOP_TASKRUN() | Uapi.IORING_SETUP_SUBMIT_ALL(), 0}
                : new int[] {Uapi.IORING_SETUP_COOP_TASKRUN() | Uapi.IORING_SETUP_SUBMIT_ALL(), 0};
        ErrnoException last = null;
        for (int extra : extras) {
            IoUringBuilder rb = IoUring.builder();
            if (b.ringOptions != null) {
                b.ringOptions.accept(rb);
            }
            if (b.sqe128) {
                rb.sqe128();
            }
            if (b.cqe32) {
                rb.cqe32();
            }
            rb.flags(extra);
            try {
                return rb.build(b.entries);
            } catch (ErrnoException e) {
                if (e.errno() != EINVAL) {
                    throw e;
                }
                last = e; // an older kernel, or a combination (SQPOLL) that refuses the extra flags: try fewer
            }
        }
        throw last;
    }

    private void loop() throws ErrnoException {
        while (state == OPEN) {
            int prepared = fill();
            if (!wakeArmed) {
                prepared += armWake();
            }
            boolean reapable = completionsPending();
            if (prepared > 0) {
                if (spinNanos == 0 && !reapable && queue.isEmpty()) {
                    sleepInKernel(); // submit and wait in one io_uring_enter
                } else {
                    // Awake, and more requests or completions may follow at once: submit without waiting, and
                    // without showing "sleeping" (which would make every submitter meanwhile write the eventfd).
                    enter(false);
                }
            } else if (!reapable && (spinNanos == 0 || !spinForWork())) {
                sleepInKernel();
            }
            reap();
        }
    }

    /**
     * Waits in the kernel for a completion (the eventfd read is one). Publishes "sleeping" first, then looks at the
     * queue once more: a submitter publishes its request, then looks at driverState; one of the two sees the other.
     */
    private void sleepInKernel() throws ErrnoException {
        DRIVER_STATE.setVolatile(this, SLEEPING);
        try {
            if (queue.isEmpty() && state == OPEN) {
                enter(true);
            } else {
                enter(false);
            }
        } finally {
            DRIVER_STATE.setVolatile(this, RUNNING);
        }
    }

    /** Completions to reap: in the CQ, or (DEFER_TASKRUN with TASKRUN_FLAG) waiting for this thread to enter. */
    private boolean completionsPending() {
        return ring.cqReady() > 0 || (ring.sqFlags() & SQ_TASKRUN) != 0;
    }

    long spinNanos() {
        return spinNanos;
    }

    /**
     * Nothing to submit or reap: watches the queue and the CQ (and {@code IORING_SQ_TASKRUN}, which says deferred
     * completions wait for this thread to enter) for up to {@link #spinNanos} before going to sleep, so that a
     * submitter that comes back within that time costs neither an eventfd write nor a thread wakeup.
     *
     * @return whether work arrived
     */
    private boolean spinForWork() {
        long deadline = System.nanoTime() + spinNanos;
        do {
            if (queue.hasNext() || state != OPEN || completionsPending()) {
                return true;
            }
            Thread.onSpinWait();
        } while (System.nanoTime() - deadline < 0);
        return false;
    }

    private void enter(boolean wait) throws ErrnoException {
        try {
            if (wait) {
                ring.submitAndWait(1);
            } else {
                ring.submit();
            }
        } catch (ErrnoException e) {
            if (e.errno() != EAGAIN && e.errno() != EBUSY) {
                throw e;
            }
            // Out of resources or the CQ is full: the entries stay queued; reap, and the next round submits again.
            Thread.yield();
        }
    }

    private void reap() throws ErrnoException {
        reapAll();
        ErrnoException f = reapFailure;
        if (f != null) {
            reapFailure = null;
            throw f;
        }
    }

    /** Moves queued requests into SQEs; returns how many SQEs were prepared. */
    private int fill() {
        int n = 0;
        while (!cancelRetry.isEmpty()) {
            int r = startCancel(cancelRetry.peekFirst());
            if (r < 0) {
                return n;
            }
            cancelRetry.pollFirst();
            n += r;
        }
        while (!waiting.isEmpty() && slots.hasFree()) {
            int r = start(waiting.peekFirst());
            if (r < 0) {
                return n;
            }
            waiting.pollFirst();
            n += r;
        }
        Op<?> op;
        while ((op = queue.poll()) != null) {
            switch (op.kind) {
                case Op.TASK -> runTask(op);
                case Op.CANCEL -> {
                    int r = startCancel(op);
                    if (r < 0) {
                        cancelRetry.addLast(op);
                    } else {
                        n += r;
                    }
                }
                default -> {
                    int r = !waiting.isEmpty() || !slots.hasFree() ? -1 : start(op);
                    if (r < 0) {
                        waiting.addLast(op);
                    } else {
                        n += r;
                    }
                }
            }
        }
        return n;
    }

    /** A free SQE, submitting what is queued if the SQ is full; {@code null} if the kernel takes nothing now. */
    private Sqe nextSqe() {
        Sqe sqe = ring.getSqe();
        if (sqe == null) {
            try {
                ring.submit();
            } catch (ErrnoException e) {
                return null; // EAGAIN/EBUSY: later. Anything else fails the next submit in the loop.
            }
            sqe = ring.getSqe();
        }
        return sqe;
    }

    /** Puts a request into an SQE: 1 if prepared, 0 if dropped (already cancelled), -1 if no SQE. */
    private int start(Op<?> op) {
        if (op.isDone()) {
            op.keep = null; // cancelled before it reached the kernel
            return 0;
        }
        Sqe sqe = nextSqe();
        if (sqe == null) {
            return -1;
        }
        try {
            prepare(sqe, op);
        } catch (RuntimeException | Error e) {
            // The SQE is taken and cannot be given back: make it a NOP whose completion is only counted.
            sqe.prepNop().userData(IGNORE_UD);
            internalInFlight++;
            op.fail(e);
            return 1;
        }
        sqe.userData(slots.take(op));
        return 1;
    }

    private static void prepare(Sqe sqe, Op<?> op) {
        // The common kinds first, in a method small enough for the JIT to inline into the completion loop.
        switch (op.kind) {
            case Op.NOP -> sqe.prepNop();
            case Op.READ -> sqe.prepRead(op.fd, (MemorySegment) op.keep, op.len, op.off);
            case Op.WRITE -> sqe.prepWrite(op.fd, (MemorySegment) op.keep, op.len, op.off);
            default -> prepareOther(sqe, op);
        }
    }

    private static void prepareOther(Sqe sqe, Op<?> op) {
        switch (op.kind) {
            case Op.FSYNC -> sqe.prepFsync(op.fd, op.len);
            case Op.URING_CMD -> {
                sqe.prepUringCmd(op.off, op.fd);
                if (op.keep != null) {
                    ((SqePreparer) op.keep).prepare(sqe);
                }
            }
            case Op.CMD_SOCK -> sqe.prepCmdSock((int) op.off, op.fd, op.arg, op.len, (MemorySegment) op.keep);
            case Op.GENERIC -> ((SqePreparer) op.keep).prepare(sqe);
            default -> throw new AssertionError("kind " + op.kind);
        }
        if (op.kind >= Op.URING_CMD) {
            int f = sqe.flags();
            if ((f & FORBIDDEN_SQE_FLAGS) != 0) {
                throw new IllegalArgumentException("an AsyncRing request may not set IOSQE_IO_LINK, IOSQE_IO_HARDLINK "
                        + "or IOSQE_CQE_SKIP_SUCCESS (flags 0x" + Integer.toHexString(f) + ")");
            }
        }
    }

    /** A kernel cancel of {@code cancel.keep}: 1 if an SQE was prepared, 0 if nothing to do, -1 if no SQE. */
    private int startCancel(Op<?> cancel) {
        Op<?> target = (Op<?>) cancel.keep;
        long ud = slots.userDataOf(target);
        if (ud >= 0) {
            Sqe sqe = nextSqe();
            if (sqe == null) {
                return -1;
            }
            sqe.prepCancel(ud, 0).userData(IGNORE_UD);
            internalInFlight++;
            cancel.keep = null;
            return 1;
        }
        if (waiting.remove(target)) {
            // Never reached the kernel: answer as the kernel would have (an interrupted blocking call waits for it).
            target.fail(new ErrnoException(target.describe() + " (cancelled before it was submitted)", ECANCELED));
        }
        cancel.keep = null;
        return 0;
    }

    @SuppressWarnings("unchecked")
    private void runTask(Op<?> op) {
        RingTask<Object> task = (RingTask<Object>) op.keep;
        op.keep = null;
        try {
            ((Op<Object>) op).complete(task.run(ring));
        } catch (Throwable t) {
            op.completeExceptionally(t);
        }
    }

    private int armWake() {
        Sqe sqe = nextSqe();
        if (sqe == null) {
            return 0;
        }
        sqe.prepRead(eventFd, wakeBuf, 0L).userData(WAKE_UD);
        wakeArmed = true;
        return 1;
    }

    private void onCqe(Cqe c) {
        long ud = c.userData();
        if (ud < 0) {
            onInternalCqe(ud, c.res());
            return;
        }
        Op<?> op = slots.get(ud);
        if (op == null) {
            return; // not one of ours: cannot happen (every request keeps its slot until its last completion)
        }
        int res = c.res();
        int flags = c.flags();
        long big0 = bigCqe ? c.bigCqe0() : 0;
        long big1 = bigCqe ? c.bigCqe1() : 0;
        if ((flags & CQE_F_MORE) == 0) {
            slots.release(ud);
            op.keep = null; // the kernel is done with the buffer
            staged.add(op, res, flags, big0, big1);
        } else if (!op.isDone()) {
            op.finish(res, flags, big0, big1, closing); // the first of several: the future takes it now
        }
        // else a later completion of a multishot request, or the result of a zero-copy send before its notification:
        // the slot, and so the buffer, stay until the completion without F_MORE
    }

    /** Reaps every completion in the CQ and completes the futures of the batch, last first. */
    private void reapAll() throws ErrnoException {
        try {
            ring.forEachCqe(onCqe);
        } finally {
            staged.completeLastFirst(closing);
        }
    }

    private void onInternalCqe(long ud, int res) {
        if (ud == WAKE_UD) {
            wakeArmed = false;
            if (res < 0 && res != -ECANCELED && res != -EINTR && res != -EAGAIN && !closing && reapFailure == null) {
                reapFailure = new ErrnoException("read of the ring's wakeup eventfd", -res);
            }
        } else if (ud == IGNORE_UD) {
            internalInFlight--;
        } else if (ud == CANCEL_ALL_UD) {
            internalInFlight--;
            if (res == -EINVAL && !cancelAnyRefused) {
                cancelAnyRefused = true; // before 5.19: the close cancels one by one
                recancel = true;
            }
        }
    }

    // ---- closing, on the completion thread ----

    private void shutDown(Throwable cause) {
        closing = true;
        boolean released = false;
        boolean leak = false;
        try {
            failUnsubmitted(cause);
            long start = System.nanoTime();
            long deadline = start + closeTimeoutNanos;
            long lastCancel = start;
            if (busy()) {
                cancelAll();
            }
            while (busy()) {
                failUnsubmitted(cause);
                long now = System.nanoTime();
                if (!released && now - deadline >= 0) {
                    failInFlight("still in flight " + Duration.ofNanos(closeTimeoutNanos) + " after the close "
                            + "cancelled it; the ring and the buffer are kept until the kernel completes it", cause);
                    released = true;
                    closeDone.countDown();
                }
                if (recancel || now - lastCancel >= SECOND) {
                    recancel = false;
                    cancelAll(); // again: some requests only become cancellable later (or need one cancel each)
                    lastCancel = now;
                }
                long wait = released ? SECOND : Math.min(SECOND, Math.max(1, deadline - now));
                ring.submitAndWait(1, wait, TimeUnit.NANOSECONDS);
                reapAll();
            }
        } catch (Throwable t) {
            // The ring itself failed: nothing tells any more when the kernel is done with the buffers. Keep the
            // ring mapped and every buffer referenced for the life of the process, and fail the futures.
            leak = true;
            failure = failure != null ? failure : t;
            failInFlight("the ring failed while closing (" + t + "); the ring and the buffer are kept", t);
        }
        if (!leak) {
            try {
                ring.close(); // nothing is in flight: IoUring.close()'s own cancel-and-drain finds nothing to wait for
            } catch (RuntimeException e) {
                // IoUring.close() refuses to unmap while its count says the kernel still holds requests: then keep
                // the ring, the wakeup buffer and the slots (and so the buffers) for good, like a failed ring.
                leak = true;
                failure = failure != null ? failure : e;
            }
        }
        if (!leak) {
            arena.close();
            slots.clear();
        }
        DRIVER_STATE.setVolatile(this, EXITED);
        while (signalers != 0) {
            Thread.onSpinWait(); // a submitter is between "found it sleeping" and its eventfd write
        }
        if (!leak) {
            EventFd.close(eventFd);
        }
        synchronized (exitLock) {
            driverExited = true;
            failUnsubmitted(cause);
        }
        state = CLOSED;
        if (leak) {
            terminated.completeExceptionally(new RingClosedException("the ring failed while closing; its memory "
                    + "is kept", failure));
        } else {
            terminated.complete(null);
        }
        closeDone.countDown();
    }

    private boolean busy() {
        return slots.inFlight() > 0 || wakeArmed || internalInFlight > 0;
    }

    private void failUnsubmitted(Throwable cause) {
        String what = cause != null ? "not submitted: the ring failed" : "not submitted: the ring was closed";
        Op<?> op;
        while ((op = cancelRetry.pollFirst()) != null) {
            op.keep = null;
        }
        while ((op = waiting.pollFirst()) != null) {
            op.fail(new RingClosedException(op.describe() + ": " + what, cause));
        }
        while ((op = queue.poll()) != null) {
            if (op.kind != Op.CANCEL) {
                op.fail(new RingClosedException(op.describe() + ": " + what, cause));
            }
        }
    }

    /** Fails the futures of requests in flight but keeps their slots (and buffers) until their completions. */
    private void failInFlight(String what, Throwable cause) {
        for (int i = 0; i < slots.capacity(); i++) {
            Op<?> op = slots.at(i);
            if (op != null && !op.isDone()) {
                op.completeExceptionally(new RingClosedException(op.describe() + ": " + what, cause));
            }
        }
    }

    /** Cancels everything in flight, the wakeup read included. */
    private void cancelAll() throws ErrnoException {
        if (!cancelAnyRefused) {
            Sqe sqe = nextSqe();
            if (sqe != null) {
                sqe.prepCancel(0L, CANCEL_ANY).userData(CANCEL_ALL_UD);
                internalInFlight++;
            }
        } else {
            for (int i = 0; i < slots.capacity(); i++) {
                if (slots.at(i) != null) {
                    Sqe sqe = nextSqe();
                    if (sqe == null) {
                        break;
                    }
                    sqe.prepCancel(slots.userData(i), 0).userData(IGNORE_UD);
                    internalInFlight++;
                }
            }
            if (wakeArmed) {
                Sqe sqe = nextSqe();
                if (sqe != null) {
                    sqe.prepCancel(WAKE_UD, 0).userData(IGNORE_UD);
                    internalInFlight++;
                }
            }
        }
        ring.submit();
    }

    @Override
    public String toString() {
        return "AsyncRing[" + driver.getName() + ", sqe=" + sqeSize + "B, cqe=" + cqeSize + "B, flags="
                + IoUring.setupFlagNames(ringFlags) + ", maxInFlight=" + maxInFlight
                + (state != OPEN ? ", closed" : "") + "]";
    }
}
