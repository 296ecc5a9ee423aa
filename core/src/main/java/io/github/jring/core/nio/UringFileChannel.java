package io.github.jring.core.nio;

import io.github.jring.bindings.Uapi;
import io.github.jring.core.ErrnoException;
import io.github.jring.core.Posix;
import io.github.jring.core.internal.NativeAccess;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.CompletionHandler;
import java.nio.channels.FileLock;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * {@link AsynchronousFileChannel} over io_uring: reads, writes and {@code force} are {@code IORING_OP_READ},
 * {@code IORING_OP_WRITE} and {@code IORING_OP_FSYNC} requests, with no thread blocked per operation. Code that only
 * knows the JDK's API gets it through {@link UringFileSystemProvider}; code that knows jring can call {@link #open}.
 * {@snippet :
 * try (AsynchronousFileChannel ch = UringFileChannel.open(path, StandardOpenOption.READ)) {
 *     ByteBuffer buf = ByteBuffer.allocateDirect(4096);
 *     int n = ch.read(buf, 0).get();                                // a Future, as the JDK's
 *     ch.read(buf.clear(), 4096, null, new CompletionHandler<Integer, Void>() {
 *         public void completed(Integer n, Void a) { ... }           // on the ring thread (no executor given)
 *         public void failed(Throwable e, Void a) { ... }
 *     });
 * }
 * }
 *
 * <h2>The JDK's contract, and where the threads differ</h2>
 * Every method behaves as {@link AsynchronousFileChannel} specifies, and as the JDK's Linux implementation does where
 * the specification leaves room (the tests run one contract suite against both): the same exceptions for the same
 * mistakes (a negative position, a read-only buffer, reading a write-only channel, a closed channel), buffer positions
 * advanced by the bytes transferred, -1 for a read at or past the end of the file, {@code OverlappingFileLockException}
 * for a second overlapping lock in this JVM, {@link AsynchronousCloseException} for every operation still pending when
 * the channel is closed. The difference is the threads: the JDK runs each operation as a blocking system call on a
 * thread of the channel's pool; here one thread, the ring's, submits every channel's requests and reaps their
 * completions. A channel opened with an executor has its handlers run on that executor, as the JDK's contract says; a
 * channel opened without one (the JDK's "default thread pool") has them run on the ring's thread itself, which costs
 * no hand-over: as the JDK asks of every handler, they must complete in a timely manner, and must not wait for the
 * {@link Future} of another operation (that future's {@code get} throws {@link IllegalStateException} there rather
 * than wait for ever). A handler that throws is reported to the thread's uncaught-exception handler and the ring goes
 * on. {@code lock} waits on a virtual thread, trying the lock again every few milliseconds (so that {@code close} can
 * end the wait); other processes' locks are POSIX record locks, as the JDK's are.
 *
 * <h2>Cost</h2>
 * An operation with a {@link CompletionHandler} and a direct buffer allocates nothing of jring's: the operation is a
 * pooled object from the call to the handler, and is itself the task handed to an executor. A heap buffer travels
 * through pooled native memory (copied in before a write, out after a read), so it allocates nothing either in a steady
 * state. The {@link Future} forms allocate the future and box the result, as the JDK's do.
 *
 * <h2>Closing</h2>
 * {@link #close()} fails every operation that has not reached the kernel with {@link AsynchronousCloseException}, and
 * those in the kernel too when they complete; it asks the kernel to cancel them ({@code IORING_OP_ASYNC_CANCEL} of
 * the descriptor, Linux 5.19), which ends what could wait for ever (a read of a FIFO nobody writes), while a read or
 * write of a regular file usually just finishes. It closes the file descriptor once the kernel is done with it, and
 * returns after that (when called on the ring's thread, in a handler, it returns at once and the last completion
 * closes the descriptor).
 */
public final class UringFileChannel extends AsynchronousFileChannel {

    static {
        NativeAccess.require();
    }

    private static final int F_RDLCK = Uapi.F_RDLCK();
    private static final int F_WRLCK = Uapi.F_WRLCK();
    private static final int F_UNLCK = Uapi.F_UNLCK();
    private static final int IORING_FSYNC_DATASYNC = Uapi.IORING_FSYNC_DATASYNC();

    private static final VarHandle PENDING;

    static {
        try {
            PENDING = MethodHandles.lookup().findVarHandle(UringFileChannel.class, "pending", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final ChannelRing ring;
    final int fd;
    final ExecutorService executor;
    private final Path path;
    private final boolean readable;
    private final boolean writable;
    private final boolean direct;
    private final int alignment;
    private final Object fileKey;

    private volatile boolean open = true;
    /** Operations accepted and not yet done, and blocking calls using the descriptor: it closes only at 0. */
    @SuppressWarnings("unused") // through PENDING
    private volatile int pending;
    private volatile boolean fdClosed;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();

    private UringFileChannel(ChannelRing ring, int fd, Path path, OpenFlags flags, ExecutorService executor,
                             int alignment, Object fileKey) {
        this.ring = ring;
        this.fd = fd;
        this.path = path;
        this.readable = flags.read();
        this.writable = flags.write();
        this.direct = flags.direct();
        this.executor = executor;
        this.alignment = alignment;
        this.fileKey = fileKey;
    }

    /**
     * Opens a file, as {@link AsynchronousFileChannel#open(Path, OpenOption...)} does, with handlers run on the
     * ring's thread.
     *
     * @param path    the file, of the default file system (or a {@link UringFileSystemProvider} path)
     * @param options {@link java.nio.file.StandardOpenOption}s, {@link java.nio.file.LinkOption#NOFOLLOW_LINKS},
     *                {@link JringOpenOption#DIRECT}
     * @return the channel
     * @throws IOException as the JDK's: {@link NoSuchFileException}, {@link FileAlreadyExistsException},
     *                     {@link AccessDeniedException}, or another {@link FileSystemException}
     */
    public static UringFileChannel open(Path path, OpenOption... options) throws IOException {
        return open(path, new HashSet<>(Arrays.asList(options)), null);
    }

    /**
     * Opens a file, as {@link AsynchronousFileChannel#open(Path, Set, ExecutorService, FileAttribute[])} does.
     *
     * @param path     the file, of the default file system (or a {@link UringFileSystemProvider} path)
     * @param options  {@link java.nio.file.StandardOpenOption}s ({@code APPEND} is refused, as by the JDK),
     *                 {@link java.nio.file.LinkOption#NOFOLLOW_LINKS}, {@link JringOpenOption#DIRECT}
     * @param executor runs the completion handlers; {@code null}: the ring's thread runs them
     * @param attrs    {@code posix:permissions} of a file the call creates
     * @return the channel
     * @throws IOException                   as the JDK's ({@link NoSuchFileException} ...)
     * @throws UnsupportedOperationException for an option or attribute the JDK's channel does not support either
     */
    public static UringFileChannel open(Path path, Set<? extends OpenOption> options, ExecutorService executor,
                                        FileAttribute<?>... attrs) throws IOException {
        Path file = UringPath.unwrap(Objects.requireNonNull(path, "path"));
        OpenFlags flags = OpenFlags.of(options, attrs);
        ChannelRing ring = ChannelRing.shared();
        int fd;
        try {
            fd = Posix.open(file.toString(), flags.flags(), flags.mode());
        } catch (ErrnoException e) {
            throw translate(e, file);
        }
        try {
            Object key = fileKey(file);
            if (flags.deleteOnClose()) {
                Files.deleteIfExists(file); // as the JDK on Linux: unlinked at once, gone when the last fd closes
            }
            int align = flags.direct() ? directAlignment(file) : 1;
            return new UringFileChannel(ring, fd, file, flags, executor, align, key);
        } catch (IOException | RuntimeException | Error e) {
            Posix.closeQuietly(fd);
            throw e;
        }
    }

    private static Object fileKey(Path file) throws IOException {
        Object key = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        return key != null ? key : file.toAbsolutePath().normalize();
    }

    private static int directAlignment(Path file) {
        int a = Posix.directIoAlignment(file);
        return a > 0 ? a : 512;
    }

    /** The JDK's exceptions for {@code open(2)}'s errors. */
    private static IOException translate(ErrnoException e, Path file) {
        String f = file.toString();
        String name = e.errnoName();
        return switch (name == null ? "" : name) {
            case "ENOENT" -> new NoSuchFileException(f);
            case "EEXIST" -> new FileAlreadyExistsException(f);
            case "EACCES", "EPERM" -> new AccessDeniedException(f);
            default -> {
                FileSystemException fse = new FileSystemException(f, null, e.getMessage());
                fse.initCause(e);
                yield fse;
            }
        };
    }

    /**
     * The direct-I/O alignment that {@link JringOpenOption#DIRECT} transfers must keep, 1 without it.
     *
     * @return bytes
     */
    public int directAlignment() {
        return alignment;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    // =================================================================================================================
    // Reads and writes
    // =================================================================================================================

    @Override
    public <A> void read(ByteBuffer dst, long position, A attachment,
                         CompletionHandler<Integer, ? super A> handler) {
        Objects.requireNonNull(handler, "'handler' is null");
        transfer(ChannelOp.READ, dst, position, attachment, handler);
    }

    @Override
    public Future<Integer> read(ByteBuffer dst, long position) {
        return transfer(ChannelOp.READ, dst, position, null, null);
    }

    @Override
    public <A> void write(ByteBuffer src, long position, A attachment,
                          CompletionHandler<Integer, ? super A> handler) {
        Objects.requireNonNull(handler, "'handler' is null");
        transfer(ChannelOp.WRITE, src, position, attachment, handler);
    }

    @Override
    public Future<Integer> write(ByteBuffer src, long position) {
        return transfer(ChannelOp.WRITE, src, position, null, null);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private <A> Future<Integer> transfer(int kind, ByteBuffer buf, long position, A attachment,
                                         CompletionHandler<Integer, ? super A> handler) {
        if (position < 0) {
            throw new IllegalArgumentException("Negative position");
        }
        if (kind == ChannelOp.READ) {
            if (!readable) {
                throw new NonReadableChannelException();
            }
            if (buf.isReadOnly()) {
                throw new IllegalArgumentException("Read-only buffer");
            }
        } else if (!writable) {
            throw new NonWritableChannelException();
        }
        int pos = buf.position();
        int len = buf.limit() - pos;
        long address = 0;
        if (buf.isDirect()) {
            MemorySegment seg = MemorySegment.ofBuffer(buf);
            if (!seg.scope().isAlive()) {
                throw new IllegalStateException("the buffer's memory belongs to a closed arena");
            }
            address = seg.address();
        }
        if (direct && len > 0) {
            checkAligned(buf, address, len, position);
        }
        ChannelOp op = ring.take();
        op.channel = this;
        op.handler = (CompletionHandler) handler;
        op.attachment = attachment;
        ChannelFuture<Integer> future = handler == null ? new ChannelFuture<>(ring) : null;
        op.future = (ChannelFuture) future;
        if (len == 0 || !acquire()) {
            op.kind = ChannelOp.SETTLED;
            if (!open) {
                op.failure = new ClosedChannelException();
            }
            ring.deliver(op);
            return future;
        }
        op.kind = kind;
        op.buffer = buf;
        op.bufferPosition = pos;
        op.length = len;
        op.position = position;
        if (address != 0) {
            op.address = address;
        } else {
            Bounce b = ring.bounces.take(len);
            if (kind == ChannelOp.WRITE) {
                b.view.put(0, buf, pos, len);
            }
            op.bounce = b;
            op.address = b.segment.address();
        }
        ring.enqueue(op);
        return future;
    }

    private void checkAligned(ByteBuffer buf, long address, int len, long position) {
        if (!buf.isDirect()) {
            throw new IllegalArgumentException("a channel opened with O_DIRECT (JringOpenOption.DIRECT) transfers "
                    + "only direct ByteBuffers aligned to " + alignment + " bytes, but this one is a heap buffer; "
                    + "use ByteBuffer.allocateDirect(n + " + alignment + ").alignedSlice(" + alignment + ")");
        }
        long a = alignment;
        if (address % a != 0 || len % a != 0 || position % a != 0) {
            throw new IllegalArgumentException("O_DIRECT transfers must be aligned to " + alignment + " bytes "
                    + "(the file's direct-I/O alignment): buffer address 0x" + Long.toHexString(address)
                    + (address % a != 0 ? " (not aligned)" : "") + ", remaining " + len
                    + (len % a != 0 ? " (not a multiple)" : "") + ", file position " + position
                    + (position % a != 0 ? " (not a multiple)" : ""));
        }
    }

    /**
     * The ring thread's part of a completed read, write or fsync: the result, the buffer's position, the copy out of
     * native memory for a heap buffer.
     */
    void completed(ChannelOp op, int res) {
        if (!open) {
            op.failure = new AsynchronousCloseException();
        } else if (res < 0) {
            op.failure = new ErrnoException(describe(op), -res);
        } else if (op.kind == ChannelOp.FSYNC) {
            op.result = res;
        } else if (res == 0 && op.kind == ChannelOp.READ) {
            op.result = -1; // end of file (an empty buffer never reaches the kernel)
        } else {
            if (op.bounce != null && op.kind == ChannelOp.READ) {
                op.buffer.put(op.bufferPosition, op.bounce.view, 0, res);
            }
            op.buffer.position(op.bufferPosition + res);
            op.result = res;
        }
    }

    private String describe(ChannelOp op) {
        return switch (op.kind) {
            case ChannelOp.READ -> "read (" + path + ", " + op.length + " bytes at " + op.position + ")";
            case ChannelOp.WRITE -> "write (" + path + ", " + op.length + " bytes at " + op.position + ")";
            default -> "fsync (" + path + ")";
        };
    }

    // =================================================================================================================
    // Size, truncate, force
    // =================================================================================================================

    @Override
    public long size() throws IOException {
        begin();
        try {
            return FileCalls.size(fd);
        } finally {
            operationDone();
        }
    }

    @Override
    public AsynchronousFileChannel truncate(long size) throws IOException {
        if (size < 0) {
            throw new IllegalArgumentException("Negative size");
        }
        if (!writable) {
            throw new NonWritableChannelException();
        }
        begin();
        try {
            if (size < FileCalls.size(fd)) {
                FileCalls.ftruncate(fd, size);
            }
            return this;
        } finally {
            operationDone();
        }
    }

    /**
     * {@code IORING_OP_FSYNC}, with {@code IORING_FSYNC_DATASYNC} ({@code fdatasync}) when {@code metaData} is false;
     * the caller parks until it completes (on the ring's own thread, in a handler, it is a plain {@code fsync} or
     * {@code fdatasync} call instead). Not interruptible, as the JDK's.
     */
    @Override
    public void force(boolean metaData) throws IOException {
        if (Thread.currentThread() == ring.thread()) {
            begin();
            try {
                FileCalls.fsync(fd, metaData);
            } finally {
                operationDone();
            }
            return;
        }
        if (!acquire()) {
            throw new ClosedChannelException();
        }
        ChannelOp op = ring.take();
        ChannelFuture<Object> f = new ChannelFuture<>(ring);
        op.channel = this;
        op.kind = ChannelOp.FSYNC;
        op.fsyncFlags = metaData ? 0 : IORING_FSYNC_DATASYNC;
        op.future = f;
        ring.enqueue(op);
        try {
            f.join();
        } catch (java.util.concurrent.CompletionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) {
                throw io;
            }
            throw e;
        }
    }

    // =================================================================================================================
    // Locks
    // =================================================================================================================

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public <A> void lock(long position, long size, boolean shared, A attachment,
                         CompletionHandler<FileLock, ? super A> handler) {
        Objects.requireNonNull(handler, "'handler' is null");
        lockAsync(position, size, shared, attachment, (CompletionHandler) handler);
    }

    @Override
    public Future<FileLock> lock(long position, long size, boolean shared) {
        return lockAsync(position, size, shared, null, null);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Future<FileLock> lockAsync(long position, long size, boolean shared, Object attachment,
                                       CompletionHandler<Object, Object> handler) {
        ChannelLock lock = newLock(position, size, shared);
        ChannelOp op = ring.take();
        op.channel = this;
        op.kind = ChannelOp.SETTLED;
        op.handler = handler;
        op.attachment = attachment;
        ChannelFuture<FileLock> future = handler == null ? new ChannelFuture<>(ring) : null;
        op.future = (ChannelFuture) future;
        if (lock == null) {
            op.failure = new ClosedChannelException();
            ring.deliver(op);
            return future;
        }
        Thread.ofVirtual().name("jring-file-lock").start(() -> {
            try {
                waitForLock(lock);
                op.value = lock;
            } catch (Throwable t) {
                LockTable.remove(fileKey, lock);
                op.failure = t;
            }
            ring.deliver(op);
        });
        return future;
    }

    /** Tries {@code F_SETLK} until it succeeds or the channel closes; no thread blocks in the kernel. */
    private void waitForLock(ChannelLock lock) throws IOException, InterruptedException {
        long sleepMillis = 1;
        for (;;) {
            if (!acquire()) {
                throw new AsynchronousCloseException();
            }
            int r;
            try {
                r = FileCalls.lock(fd, lock.isShared() ? F_RDLCK : F_WRLCK, lock.position(), lock.size(), false);
            } finally {
                operationDone();
            }
            if (r == 0) {
                if (!open) {
                    throw new AsynchronousCloseException();
                }
                return;
            }
            if (r != -FileCalls.EAGAIN && r != -FileCalls.EACCES && r != -FileCalls.EINTR) {
                throw new ErrnoException("fcntl F_SETLK (" + path + ")", -r);
            }
            TimeUnit.MILLISECONDS.sleep(sleepMillis);
            sleepMillis = Math.min(16, sleepMillis * 2);
        }
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
        ChannelLock lock = newLock(position, size, shared);
        if (lock == null) {
            throw new ClosedChannelException();
        }
        boolean ok = false;
        try {
            begin();
            int r;
            try {
                r = FileCalls.lock(fd, shared ? F_RDLCK : F_WRLCK, position, size, false);
            } finally {
                operationDone();
            }
            if (r == -FileCalls.EAGAIN || r == -FileCalls.EACCES) {
                return null;
            }
            if (r < 0) {
                throw new ErrnoException("fcntl F_SETLK (" + path + ")", -r);
            }
            ok = true;
            return lock;
        } finally {
            if (!ok) {
                LockTable.remove(fileKey, lock);
            }
        }
    }

    /** Checks as the JDK does and enters the lock in this JVM's table; {@code null} if the channel is closed. */
    private ChannelLock newLock(long position, long size, boolean shared) {
        if (position < 0) {
            throw new IllegalArgumentException("Negative position");
        }
        if (size < 0) {
            throw new IllegalArgumentException("Negative size");
        }
        if (position + size < 0) {
            throw new IllegalArgumentException("Negative position + size");
        }
        if (shared && !readable) {
            throw new NonReadableChannelException();
        }
        if (!shared && !writable) {
            throw new NonWritableChannelException();
        }
        if (!open) {
            return null;
        }
        ChannelLock lock = new ChannelLock(this, position, size, shared);
        LockTable.add(fileKey, lock);
        return lock;
    }

    void unlock(ChannelLock lock) throws IOException {
        begin();
        try {
            int r = FileCalls.lock(fd, F_UNLCK, lock.position(), lock.size(), false);
            if (r < 0) {
                throw new ErrnoException("fcntl F_UNLCK (" + path + ")", -r);
            }
        } finally {
            operationDone();
            LockTable.remove(fileKey, lock);
        }
    }

    // =================================================================================================================
    // Closing
    // =================================================================================================================

    /** Counts a use of the descriptor; false (and nothing counted) once the channel is closed. */
    private boolean acquire() {
        PENDING.getAndAdd(this, 1);
        if (!open) {
            operationDone();
            return false;
        }
        return true;
    }

    /** {@link #acquire()} for blocking calls: {@link ClosedChannelException} once closed. */
    private void begin() throws ClosedChannelException {
        if (!acquire()) {
            throw new ClosedChannelException();
        }
    }

    /** Ends a use of the descriptor; the last one after {@link #close()} closes it. */
    void operationDone() {
        if ((int) PENDING.getAndAdd(this, -1) == 1 && !open) {
            closeDescriptor();
        }
    }

    private void closeDescriptor() {
        synchronized (closed) {
            if (fdClosed) {
                return;
            }
            fdClosed = true;
        }
        Posix.closeQuietly(fd);
        closed.complete(null);
    }

    @Override
    public void close() throws IOException {
        if (!open) {
            return;
        }
        boolean cancel;
        synchronized (closed) {
            if (!open) {
                return;
            }
            cancel = pending > 0;
            if (cancel) {
                PENDING.getAndAdd(this, 1); // the cancel's own use of the descriptor
            }
            open = false;
        }
        LockTable.removeAll(fileKey, this);
        if (cancel) {
            // what waits in the kernel for ever (a read of a FIFO nobody writes) must not hold close up
            ChannelOp op = ring.take();
            op.channel = this;
            op.kind = ChannelOp.CANCEL;
            ring.enqueue(op);
        } else if (pending == 0) {
            closeDescriptor();
        }
        if (Thread.currentThread() != ring.thread()) {
            closed.join(); // the kernel is done with the descriptor
        }
    }

    @Override
    public String toString() {
        return "UringFileChannel[" + path + ", fd " + fd + (open ? "" : ", closed") + "]";
    }
}
