package io.github.jring.core.async;

import io.github.jring.core.internal.NativeAccess;
import io.github.jring.bindings.Uapi;
import io.github.jring.core.ErrnoException;
import io.github.jring.core.IoUring;
import io.github.jring.core.KernelTimespec;
import io.github.jring.core.Sqe;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.LockSupport;

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
 * <p><b>Cost.</b> A request made through a future costs one object (the future, 64 bytes) and the boxed result
 * (none for results up to 127); {@link #await} on it parks without a waiter node (the completion unparks the one
 * waiting thread). A {@link RingRequest} sent with {@link #send(RingRequest)} is its own future and fills its own
 * SQE, for libraries that send many requests of one kind: one object per request, no preparer lambda, no
 * {@link Completion}. The blocking forms of {@code nop}, {@code read}, {@code write} and {@code fsync}
 * allocate nothing: their request carries the waiting thread and the {@code int} result instead of a future, and once
 * the caller has its result the ring reuses the request for the next blocking call. Every other future has a
 * blocking form too ({@code acceptBlocking}, {@code recvBlocking}, {@code openatBlocking} ... {@code submitBlocking}),
 * which waits for the future's request as {@link #await} does, with no waiter node, and throws its failure unwrapped.
 * What dominates is the hand-over between threads. After a burst the completion thread keeps watching the queue for
 * {@link AsyncRingBuilder#spin(Duration) spin} (default 20 µs), and a platform thread waiting for a result watches it
 * as long, so requests that come one at a time cost a hand-over between two awake cores (well under a
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
 * the request holds the buffer segment (or the {@link SqeHandler} with everything it captured) until its completion
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
 * {@link #read}, {@link #write}, {@link #nop}, {@link #fsync}, {@link #cmdSock} and the socket, file and time
 * operations ({@link #accept}, {@link #connect}, {@link #send(int, MemorySegment, int) send}, {@link #recv},
 * {@link #openat}, {@link #closeFd}, {@link #statx}, {@link #timeout} (0 once its time has passed), {@link #splice})
 * complete with {@code res}, or exceptionally with an {@link ErrnoException} naming the request and the errno ({@code "read (fd 7, 4096 bytes at
 * offset 0): EBADF (Bad file descriptor)"}) when {@code res < 0}. {@link #uringCmd} completes with a
 * {@link Completion} ({@code res} and, on a CQE32 ring, the big-CQE words), or an {@code ErrnoException} for
 * {@code res < 0}. {@link #submit(SqeHandler)} completes with the {@link Completion} whatever {@code res} is, as some
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

    private static final int ECANCELED = Uapi.ECANCELED();

    /** The completion thread and the ring it owns. */
    private final RingDriver driver;

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
        this.driver = new RingDriver(b);
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
        return driver.ringFlags();
    }

    /**
     * The kernel's {@code IORING_FEAT_*} bits for this ring.
     *
     * @return the features
     */
    public int features() {
        return driver.features();
    }

    /**
     * SQ entries.
     *
     * @return entries
     */
    public int sqEntries() {
        return driver.sqEntries();
    }

    /**
     * CQ entries.
     *
     * @return entries
     */
    public int cqEntries() {
        return driver.cqEntries();
    }

    /**
     * SQE size, 64 or 128: the {@code uring_cmd} area is 16 or 80 bytes.
     *
     * @return bytes
     */
    public int sqeSize() {
        return driver.sqeSize();
    }

    /**
     * CQE size, 16 or 32: with 32, completions carry {@link Completion#bigCqe0()} and {@link Completion#bigCqe1()}.
     *
     * @return bytes
     */
    public int cqeSize() {
        return driver.cqeSize();
    }

    /**
     * The most requests in the kernel at once.
     *
     * @return the limit
     */
    public int maxInFlight() {
        return driver.maxInFlight();
    }

    /**
     * Whether {@link #close()} was called or the ring failed: new requests are refused.
     *
     * @return true once closing or closed
     */
    public boolean isClosed() {
        return driver.isClosed();
    }

    /**
     * Completes when the ring has been unmapped and every buffer reference dropped, after {@link #close()} (or after a
     * failure of the ring). Normally right when {@code close()} returns; later if a request outlived the close timeout.
     *
     * @return the future
     */
    public CompletableFuture<Void> terminated() {
        return driver.terminated();
    }

    /**
     * The completion thread (for diagnostics and tests: stack traces, checking where callbacks run).
     *
     * @return the thread
     */
    public Thread completionThread() {
        return driver.thread();
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
        return driver.enqueue(Op.nop(driver));
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
        return driver.enqueue(Op.read(driver, fd, buffer, checkBuffer(buffer, "read buffer"), offset));
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
        return driver.enqueue(Op.write(driver, fd, buffer, checkBuffer(buffer, "write buffer"), offset));
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
        return driver.enqueue(Op.fsync(driver, fd, fsyncFlags));
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
    public CompletableFuture<Completion> uringCmd(long cmdOp, int fd, SqeHandler cmd) {
        if ((cmdOp >>> 32) != 0) {
            throw new IllegalArgumentException("uring_cmd cmd_op must fit 32 bits: 0x" + Long.toHexString(cmdOp));
        }
        return driver.enqueue(Op.uringCmd(driver, cmdOp, fd, cmd));
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
        return driver.enqueue(Op.cmdSock(driver, cmdOp, fd, level, optname, optval));
    }

    // ---- sockets, files and time: typed futures of res (one object per request: a RingRequest) ----

    /**
     * {@code IORING_OP_ACCEPT} (5.5): accepts a connection on listening socket {@code fd}.
     *
     * @param fd      listening socket
     * @param addr    native buffer for the peer's address, or {@code null}; referenced until the completion
     * @param addrLen native {@code socklen_t} holding {@code addr}'s size (updated), or {@code null}
     * @param flags   {@code accept4} flags ({@code SOCK_CLOEXEC} ...)
     * @return the future of the new socket's fd; fails with {@link ErrnoException}
     */
    public CompletableFuture<Integer> accept(int fd, MemorySegment addr, MemorySegment addrLen, int flags) {
        if (addr != null) {
            checkBuffer(addr, "accept address");
        }
        if (addrLen != null) {
            checkBuffer(addrLen, "accept address length");
        }
        return send(TypedRequest.accept(fd, addr, addrLen, flags));
    }

    /**
     * {@code IORING_OP_CONNECT} (5.5): connects socket {@code fd} to {@code addr}.
     *
     * @param fd   socket
     * @param addr native socket address, its whole size the address length; referenced until the completion
     * @return the future of 0; fails with {@link ErrnoException}
     */
    public CompletableFuture<Integer> connect(int fd, MemorySegment addr) {
        checkBuffer(addr, "socket address");
        return send(TypedRequest.connect(fd, addr));
    }

    /**
     * {@code IORING_OP_SEND} (5.6): sends {@code buf} on socket {@code fd}.
     *
     * @param fd    socket
     * @param buf   native memory, referenced until the completion
     * @param flags {@code MSG_*}
     * @return the future of the bytes sent; fails with {@link ErrnoException}
     */
    public CompletableFuture<Integer> send(int fd, MemorySegment buf, int flags) {
        checkBuffer(buf, "send buffer");
        return send(TypedRequest.send(fd, buf, flags));
    }

    /**
     * {@code IORING_OP_RECV} (5.6): receives into {@code buf} from socket {@code fd}.
     *
     * @param fd    socket
     * @param buf   native memory, referenced until the completion
     * @param flags {@code MSG_*}
     * @return the future of the bytes received (0 at end of stream); fails with {@link ErrnoException}
     */
    public CompletableFuture<Integer> recv(int fd, MemorySegment buf, int flags) {
        checkBuffer(buf, "receive buffer");
        return send(TypedRequest.recv(fd, buf, flags));
    }

    /**
     * {@code IORING_OP_OPENAT} (5.6): {@code openat(dfd, path, flags, mode)}.
     *
     * @param dfd   directory fd, or {@code AT_FDCWD}
     * @param path  native NUL-terminated path, referenced until the completion
     * @param flags {@code O_*}
     * @param mode  permissions for a created file
     * @return the future of the new fd; fails with {@link ErrnoException}
     */
    public CompletableFuture<Integer> openat(int dfd, MemorySegment path, int flags, int mode) {
        checkBuffer(path, "path");
        return send(TypedRequest.openat(dfd, path, flags, mode));
    }

    /**
     * {@code IORING_OP_CLOSE} (5.6): closes {@code fd} (named so beside {@link #close()}, which closes the ring).
     *
     * @param fd the file descriptor
     * @return the future of 0; fails with {@link ErrnoException}
     */
    public CompletableFuture<Integer> closeFd(int fd) {
        return send(TypedRequest.close(fd));
    }

    /**
     * {@code IORING_OP_STATX} (5.6): {@code statx(dfd, path, flags, mask, statxbuf)}.
     *
     * @param dfd      directory fd, or {@code AT_FDCWD}
     * @param path     native NUL-terminated path, referenced until the completion
     * @param flags    {@code AT_*}
     * @param mask     {@code STATX_*} fields wanted
     * @param statxbuf native {@code struct statx} (256 bytes), written by the kernel; referenced until the completion
     * @return the future of 0; fails with {@link ErrnoException}
     */
    public CompletableFuture<Integer> statx(int dfd, MemorySegment path, int flags, int mask, MemorySegment statxbuf) {
        checkBuffer(path, "path");
        checkBuffer(statxbuf, "statx buffer");
        return send(TypedRequest.statx(dfd, path, flags, mask, statxbuf));
    }

    /**
     * {@code IORING_OP_TIMEOUT} (5.4): completes after {@code time}.
     *
     * @param time how long, not negative
     * @return the future of 0 when the time has passed; fails with {@link ErrnoException} (as
     *         {@code ECANCELED} when cancelled)
     */
    public CompletableFuture<Integer> timeout(Duration time) {
        if (time.isNegative()) {
            throw new IllegalArgumentException("a timeout must not be negative: " + time);
        }
        return send(TypedRequest.timeout(KernelTimespec.allocate(Arena.ofAuto(), time)));
    }

    /**
     * {@code IORING_OP_SPLICE} (5.7): moves up to {@code nbytes} from {@code fdIn} to {@code fdOut}, one of which
     * must be a pipe.
     *
     * @param fdIn   source
     * @param offIn  source offset, or -1 (a pipe, or the file position)
     * @param fdOut  destination
     * @param offOut destination offset, or -1
     * @param nbytes bytes to move
     * @param flags  {@code SPLICE_F_*}
     * @return the future of the bytes moved; fails with {@link ErrnoException}
     */
    public CompletableFuture<Integer> splice(int fdIn, long offIn, int fdOut, long offOut, int nbytes, int flags) {
        return send(TypedRequest.splice(fdIn, offIn, fdOut, offOut, nbytes, flags));
    }

    /**
     * Any request: {@code preparer} fills the SQE on the completion thread (see {@link SqeHandler}), and the future
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
    public CompletableFuture<Completion> submit(SqeHandler preparer) {
        Objects.requireNonNull(preparer, "preparer");
        return driver.enqueue(Op.generic(driver, preparer));
    }

    /**
     * Submits a request that fills its own SQE and completes itself from its CQE ({@link RingRequest}): the one
     * object is the request, the slot's entry and the caller's future. Misuse found on the completion thread (a
     * refused SQE flag, an exception from {@code prepare}) fails the request.
     *
     * @param request a request not submitted before
     * @param <T>     its result
     * @return {@code request}, which completes when the kernel has answered
     * @throws IllegalStateException if {@code request} was submitted before
     */
    public <T> RingRequest<T> send(RingRequest<T> request) {
        request.bind(driver);
        return (RingRequest<T>) driver.enqueue(request);
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
    public <T> CompletableFuture<T> onRing(RingHandler<T> task) {
        Objects.requireNonNull(task, "task");
        return driver.enqueue(Op.task(driver, task));
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
        return call(driver.pool().take().reset(Op.NOP, -1, 0, 0L, null));
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
        int length = checkBuffer(buffer, "read buffer");
        return call(driver.pool().take().reset(Op.READ, fd, length, offset, buffer));
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
        int length = checkBuffer(buffer, "write buffer");
        return call(driver.pool().take().reset(Op.WRITE, fd, length, offset, buffer));
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
        return fsyncBlocking(fd, 0);
    }

    /**
     * {@link #fsync(int, int)}, waiting for the result.
     *
     * @param fd         file descriptor
     * @param fsyncFlags 0 or {@code IORING_FSYNC_DATASYNC}
     * @return {@code res} (0)
     * @throws IOException {@link ErrnoException}, {@link RingClosedException}, or {@link InterruptedIOException}
     *                     (see {@link #await(CompletableFuture)})
     */
    public int fsyncBlocking(int fd, int fsyncFlags) throws IOException {
        return call(driver.pool().take().reset(Op.FSYNC, fd, fsyncFlags, 0L, null));
    }

    /**
     * {@link #uringCmd(long, int, SqeHandler)}, waiting for the result.
     *
     * @param cmdOp the driver's command
     * @param fd    the device or socket
     * @param cmd   fills the command area, or {@code null}
     * @return the completion
     * @throws IOException {@link ErrnoException}, {@link RingClosedException}, or {@link InterruptedIOException}
     *                     (see {@link #await(CompletableFuture)})
     */
    public Completion uringCmdBlocking(long cmdOp, int fd, SqeHandler cmd) throws IOException {
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

    // ---- sockets, files and time: each waits for its typed request as await does (no waiter node) ----

    /**
     * {@link #accept(int, MemorySegment, MemorySegment, int)}, waiting for a connection.
     *
     * @param fd      listening socket
     * @param addr    native buffer for the peer's address, or {@code null}
     * @param addrLen native {@code socklen_t} holding {@code addr}'s size (updated), or {@code null}
     * @param flags   {@code accept4} flags ({@code SOCK_CLOEXEC} ...)
     * @return the new socket's fd
     * @throws IOException {@link ErrnoException}, {@link RingClosedException}, or {@link InterruptedIOException}
     *                     (see {@link #await(CompletableFuture)})
     */
    public int acceptBlocking(int fd, MemorySegment addr, MemorySegment addrLen, int flags) throws IOException {
        return await(accept(fd, addr, addrLen, flags));
    }

    /**
     * {@link #connect(int, MemorySegment)}, waiting until the socket is connected.
     *
     * @param fd   socket
     * @param addr native socket address, its whole size the address length
     * @return 0
     * @throws IOException {@link ErrnoException} ({@code ECONNREFUSED} ...), {@link RingClosedException}, or
     *                     {@link InterruptedIOException} (see {@link #await(CompletableFuture)})
     */
    public int connectBlocking(int fd, MemorySegment addr) throws IOException {
        return await(connect(fd, addr));
    }

    /**
     * {@link #send(int, MemorySegment, int)}, waiting for the result.
     *
     * @param fd    socket
     * @param buf   native memory
     * @param flags {@code MSG_*}
     * @return the bytes sent
     * @throws IOException {@link ErrnoException}, {@link RingClosedException}, or {@link InterruptedIOException}
     *                     (see {@link #await(CompletableFuture)})
     */
    public int sendBlocking(int fd, MemorySegment buf, int flags) throws IOException {
        return await(send(fd, buf, flags));
    }

    /**
     * {@link #recv(int, MemorySegment, int)}, waiting for data.
     *
     * @param fd    socket
     * @param buf   native memory
     * @param flags {@code MSG_*}
     * @return the bytes received (0 at end of stream)
     * @throws IOException {@link ErrnoException}, {@link RingClosedException}, or {@link InterruptedIOException}
     *                     (see {@link #await(CompletableFuture)})
     */
    public int recvBlocking(int fd, MemorySegment buf, int flags) throws IOException {
        return await(recv(fd, buf, flags));
    }

    /**
     * {@link #openat(int, MemorySegment, int, int)}, waiting for the result.
     *
     * @param dfd   directory fd, or {@code AT_FDCWD}
     * @param path  native NUL-terminated path
     * @param flags {@code O_*}
     * @param mode  permissions for a created file
     * @return the new fd
     * @throws IOException {@link ErrnoException} ({@code ENOENT} ...), {@link RingClosedException}, or
     *                     {@link InterruptedIOException} (see {@link #await(CompletableFuture)})
     */
    public int openatBlocking(int dfd, MemorySegment path, int flags, int mode) throws IOException {
        return await(openat(dfd, path, flags, mode));
    }

    /**
     * {@link #closeFd(int)}, waiting for the result.
     *
     * @param fd the file descriptor
     * @return 0
     * @throws IOException {@link ErrnoException} ({@code EBADF} ...), {@link RingClosedException}, or
     *                     {@link InterruptedIOException} (see {@link #await(CompletableFuture)})
     */
    public int closeFdBlocking(int fd) throws IOException {
        return await(closeFd(fd));
    }

    /**
     * {@link #statx(int, MemorySegment, int, int, MemorySegment)}, waiting for the result.
     *
     * @param dfd      directory fd, or {@code AT_FDCWD}
     * @param path     native NUL-terminated path
     * @param flags    {@code AT_*}
     * @param mask     {@code STATX_*} fields wanted
     * @param statxbuf native {@code struct statx} (256 bytes), written by the kernel
     * @return 0
     * @throws IOException {@link ErrnoException}, {@link RingClosedException}, or {@link InterruptedIOException}
     *                     (see {@link #await(CompletableFuture)})
     */
    public int statxBlocking(int dfd, MemorySegment path, int flags, int mask, MemorySegment statxbuf)
            throws IOException {
        return await(statx(dfd, path, flags, mask, statxbuf));
    }

    /**
     * {@link #timeout(Duration)}, waiting until the time has passed: a sleep that the ring's kernel timer ends.
     *
     * @param time how long, not negative
     * @return 0
     * @throws IOException {@link ErrnoException}, {@link RingClosedException}, or {@link InterruptedIOException}
     *                     when interrupted (the timeout is cancelled; see {@link #await(CompletableFuture)})
     */
    public int timeoutBlocking(Duration time) throws IOException {
        return await(timeout(time));
    }

    /**
     * {@link #splice(int, long, int, long, int, int)}, waiting for the result.
     *
     * @param fdIn   source
     * @param offIn  source offset, or -1 (a pipe, or the file position)
     * @param fdOut  destination
     * @param offOut destination offset, or -1
     * @param nbytes bytes to move
     * @param flags  {@code SPLICE_F_*}
     * @return the bytes moved
     * @throws IOException {@link ErrnoException}, {@link RingClosedException}, or {@link InterruptedIOException}
     *                     (see {@link #await(CompletableFuture)})
     */
    public int spliceBlocking(int fdIn, long offIn, int fdOut, long offOut, int nbytes, int flags)
            throws IOException {
        return await(splice(fdIn, offIn, fdOut, offOut, nbytes, flags));
    }

    /**
     * {@link #submit(SqeHandler)}, waiting for the result.
     *
     * @param preparer fills the SQE
     * @return the completion, whatever its {@code res}
     * @throws IOException {@link RingClosedException}, or {@link InterruptedIOException}
     *                     (see {@link #await(CompletableFuture)})
     */
    public Completion submitBlocking(SqeHandler preparer) throws IOException {
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
        if (Thread.currentThread() == driver.thread()) {
            throw new IllegalStateException("a blocking call on the ring's completion thread would wait for itself; "
                    + "use the future (or a *Async stage) in completion callbacks");
        }
        if (future instanceof Op<T> op && op.driver != null && op.kind <= Op.LAST_REQUEST && op.claimWaiter()) {
            return awaitOp(op);
        }
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw unwrap(e.getCause());
        } catch (InterruptedException e) {
            return awaitAfterInterrupt(future);
        }
    }

    /**
     * Runs a blocking request: queues it and parks until the completion thread has stored its outcome in it (no
     * future, no boxing), with {@link #await}'s handling of interrupts; then hands the request back to the pool
     * unless anything else may still refer to it.
     */
    private int call(BlockingOp op) throws IOException {
        if (Thread.currentThread() == driver.thread()) {
            throw new IllegalStateException("a blocking call on the ring's completion thread would wait for itself; "
                    + "use the future (or a *Async stage) in completion callbacks");
        }
        driver.enqueue(op);
        boolean interrupted = false;
        if (!op.settled()) {
            op.spinUntilDone();
            while (!op.settled()) {
                LockSupport.park(this);
                if (Thread.interrupted()) {
                    if (!interrupted) {
                        driver.cancelInKernel(op); // the cancel refers to op: it is not pooled again
                    }
                    interrupted = true;
                }
            }
        }
        if (op.succeeded()) {
            int res = op.result();
            if (interrupted) {
                Thread.currentThread().interrupt();
            } else {
                driver.pool().give(op);
            }
            return res;
        }
        Throwable f = op.failure();
        if (interrupted) {
            Thread.currentThread().interrupt();
            if (f instanceof ErrnoException ee && ee.errno() == ECANCELED) {
                InterruptedIOException ie = new InterruptedIOException(
                        ee.operation() + ": interrupted; the request was cancelled");
                ie.initCause(ee);
                throw ie;
            }
        }
        throw unwrap(f);
    }

    /**
     * Waits for one of the rings' requests as its one parked waiter: the completion unparks this thread directly
     * ({@link Op#waiter}), so waiting makes no {@code CompletableFuture} waiter node. Spins first on a platform
     * thread ({@link Op#spinUntilDone()}). Interrupts as {@link #await}: cancel in the kernel, keep waiting.
     */
    private static <T> T awaitOp(Op<T> op) throws IOException {
        boolean interrupted = false;
        if (!op.isDone()) {
            op.spinUntilDone();
            while (!op.isDone()) {
                LockSupport.park(op);
                if (Thread.interrupted() && !interrupted) {
                    interrupted = true;
                    op.driver.cancelInKernel(op);
                }
            }
        }
        // A completed future need not keep this thread reachable (a completer that still reads the field unparks
        // this thread at worst once more: a spurious wakeup, which every park loop allows for).
        Op.WAITER.setOpaque(op, null);
        try {
            return op.getNow(null); // complete: its result, or its failure wrapped in a CompletionException
        } catch (CompletionException e) {
            Throwable c = e.getCause();
            if (interrupted && c instanceof ErrnoException ee && ee.errno() == ECANCELED) {
                InterruptedIOException ie = new InterruptedIOException(
                        ee.operation() + ": interrupted; the request was cancelled");
                ie.initCause(ee);
                throw ie;
            }
            throw unwrap(c);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private <T> T awaitAfterInterrupt(CompletableFuture<T> future) throws IOException {
        if (future instanceof Op<T> op && op.driver != null && op.kind <= Op.LAST_REQUEST) {
            op.driver.cancelInKernel(op);
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
    // Checks before a request is queued (any thread)
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
        driver.close();
    }

    @Override
    public String toString() {
        return "AsyncRing[" + driver.thread().getName() + ", sqe=" + driver.sqeSize() + "B, cqe=" + driver.cqeSize()
                + "B, flags=" + IoUring.setupFlagNames(driver.ringFlags()) + ", maxInFlight=" + driver.maxInFlight()
                + (driver.isClosed() ? ", closed" : "") + "]";
    }
}
