package io.github.jring.core.nio;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.CompletionHandler;
import java.nio.channels.FileLock;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static java.nio.file.StandardOpenOption.APPEND;
import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.DELETE_ON_CLOSE;
import static java.nio.file.StandardOpenOption.DSYNC;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.SYNC;
import static java.nio.file.StandardOpenOption.TRUNCATE_EXISTING;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link AsynchronousFileChannel}'s documented contract, method by method, run against the JDK's implementation and
 * jring's: one class, two providers, so that any difference in behaviour shows as one of them failing.
 */
@Timeout(60)
class AsynchronousFileChannelContractTest {

    private static final int SIZE = 10_000;
    private static ExecutorService executor;

    @TempDir
    Path dir;

    @BeforeAll
    static void startExecutor() {
        executor = Executors.newFixedThreadPool(2, r -> new Thread(r, "contract-executor"));
    }

    @AfterAll
    static void stopExecutor() {
        executor.shutdownNow();
    }

    private static byte[] pattern(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
    }

    private Path file(int size) throws IOException {
        Path f = Files.createTempFile(dir, "contract", ".bin");
        Files.write(f, pattern(size, 7));
        return f;
    }

    private static Throwable cause(Future<?> f) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
        return e.getCause();
    }

    /** A handler that records its outcome and the thread it ran on. */
    static final class Recorder<V> implements CompletionHandler<V, Object> {
        final CompletableFuture<V> result = new CompletableFuture<>();
        volatile Object attachment;
        volatile Thread thread;

        @Override
        public void completed(V v, Object a) {
            attachment = a;
            thread = Thread.currentThread();
            result.complete(v);
        }

        @Override
        public void failed(Throwable e, Object a) {
            attachment = a;
            thread = Thread.currentThread();
            result.completeExceptionally(e);
        }

        V get() throws Exception {
            return result.get(10, TimeUnit.SECONDS);
        }

        Throwable failure() {
            ExecutionException e = assertThrows(ExecutionException.class, () -> result.get(10, TimeUnit.SECONDS));
            return e.getCause();
        }
    }

    // ---- read --------------------------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(ChannelKind.class)
    void readFutureFillsTheBufferAndAdvancesItsPosition(ChannelKind kind) throws Exception {
        Path f = file(SIZE);
        byte[] expected = pattern(SIZE, 7);
        try (AsynchronousFileChannel ch = kind.open(f, READ)) {
            for (ByteBuffer buf : List.of(ByteBuffer.allocate(4096 + 10), ByteBuffer.allocateDirect(4096 + 10))) {
                buf.position(10);
                assertEquals(4096, ch.read(buf, 100).get());
                assertEquals(4096 + 10, buf.position());
                byte[] got = new byte[4096];
                buf.get(10, got);
                assertArrayEquals(java.util.Arrays.copyOfRange(expected, 100, 4196), got);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(ChannelKind.class)
    void readNearTheEndIsPartialAndAtTheEndIsMinusOne(ChannelKind kind) throws Exception {
        Path f = file(SIZE);
        try (AsynchronousFileChannel ch = kind.open(f, READ)) {
            ByteBuffer buf = ByteBuffer.allocate(4096);
            assertEquals(100, ch.read(buf, SIZE - 100).get());
            assertEquals(100, buf.position());
            buf.clear();
            assertEquals(-1, ch.read(buf, SIZE).get());
            assertEquals(-1, ch.read(buf, SIZE + 12345).get());
            assertEquals(0, buf.position());
            Recorder<Integer> r = new Recorder<>();
            ch.read(buf, SIZE, "eof", r);
            assertEquals(-1, r.get());
            assertEquals("eof", r.attachment);
        }
    }

    @ParameterizedTest
    @EnumSource(ChannelKind.class)
    void readIntoAFullBufferReturnsZero(ChannelKind kind) throws Exception {
        try (AsynchronousFileChannel ch = kind.open(file(SIZE), READ)) {
            assertEquals(0, ch.read(ByteBuffer.allocate(0), 0).get());
            Recorder<Integer> r = new Recorder<>();
            ch.read(ByteBuffer.allocateDirect(8).position(8), 0, null, r);
            assertEquals(0, r.get());
        }
    }

    @ParameterizedTest
    @EnumSource(ChannelKind.class)
    void readChecksItsArguments(ChannelKind kind) throws Exception {
        try (AsynchronousFileChannel ch = kind.open(file(SIZE), READ)) {
            ByteBuffer buf = ByteBuffer.allocate(16);
            assertThrows(IllegalArgumentException.class, () -> ch.read(buf, -1));
            assertThrows(IllegalArgumentException.class, () -> ch.read(buf, -1, null, new Recorder<>()));
            assertThrows(IllegalArgumentException.class, () -> ch.read(buf.asReadOnlyBuffer(), 0));
            assertThrows(NullPointerException.class, () -> ch.read(null, 0));
            assertThrows(NullPointerException.class, () -> ch.read(buf, 0, null, null));
            assertThrows(NonWritableChannelException.class, () -> ch.write(buf, 0));
            assertThrows(NonWritableChannelException.class, () -> ch.write(buf, 0, null, new Recorder<>()));
        }
    }

    // ---- write -------------------------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(ChannelKind.class)
    void writeFutureWritesTheRemainingBytesAndAdvancesThePosition(ChannelKind kind) throws Exception {
        Path f = dir.resolve("w-" + kind);
        byte[] data = pattern(5000, 3);
        try (AsynchronousFileChannel ch = kind.open(f, WRITE, CREATE)) {
            ByteBuffer heap = ByteBuffer.wrap(data, 1000, 4000);
            assertEquals(4000, ch.write(heap, 8192).get());
            assertEquals(5000, heap.position());
            ByteBuffer direct = ByteBuffer.allocateDirect(1000).put(0, data, 0, 1000);
            assertEquals(1000, ch.write(direct, 8192 - 1000).get());
            assertEquals(1000, direct.position());
            ByteBuffer readOnly = ByteBuffer.wrap(data).asReadOnlyBuffer().limit(10);
            assertEquals(10, ch.write(readOnly, 0).get());
            assertEquals(8192 + 4000, ch.size());
        }
        byte[] all = Files.readAllBytes(f);
        assertEquals(8192 + 4000, all.length);
        assertArrayEquals(java.util.Arrays.copyOf(data, 10), java.util.Arrays.copyOf(all, 10));
        assertEquals(0, all[10]);
        assertArrayEquals(data, java.util.Arrays.copyOfRange(all, 8192 - 1000, 8192 + 4000));
    }

    @ParameterizedTest
    @EnumSource(ChannelKind.class)
    void writeChecksItsArguments(ChannelKind kind) throws Exception {
        try (AsynchronousFileChannel ch = kind.open(dir.resolve("wa"), WRITE, CREATE)) {
            ByteBuffer buf = ByteBuffer.allocate(16);
            assertThrows(IllegalArgumentException.class, () -> ch.write(buf, -1));
            assertThrows(IllegalArgumentException.class, () -> ch.write(buf, -5, null, new Recorder<>()));
            assertThrows(NullPointerException.class, () -> ch.write(buf, 0, null, null));
            assertThrows(NonReadableChannelException.class, () -> ch.read(buf, 0));
            assertThrows(NonReadableChannelException.class, () -> ch.read(buf, 0, null, new Recorder<>()));
            assertEquals(0, ch.write(ByteBuffer.allocate(0), 0).get());
        }
    }

    // ---- handlers ----------------------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(ChannelKind.class)
    void handlersRunOnTheExecutorGivenWithTheirAttachment(ChannelKind kind) throws Exception {
        Path f = file(SIZE);
        try (AsynchronousFileChannel ch = kind.open(f, Set.of(READ, WRITE), executor)) {
            Recorder<Integer> r = new Recorder<>();
            ch.read(ByteBuffer.allocate(100), 0, "att", r);
            assertEquals(100, r.get());
            assertEquals("att", r.attachment);
            assertEquals("contract-executor", r.thread.getName());
            Recorder<Integer> w = new Recorder<>();
            ch.write(ByteBuffer.allocateDirect(10), 0, 42, w);
            assertEquals(10, w.get());
            assertEquals(42, w.attachment);
            assertEquals("contract-executor", w.thread.getName());
        }
    }

    @ParameterizedTest
    @EnumSource(ChannelKind.class)
    void handlersWithoutAnExecutorRunOnAnotherThreadThanTheCaller(ChannelKind kind) throws Exception {
        try (AsynchronousFileChannel ch = kind.open(file(SIZE), READ)) {
            Recorder<Integer> r = new Recorder<>();
            ch.read(ByteBuffer.allocate(100), 0, null, r);
            assertEquals(100, r.get());
            assertNotEquals(Thread.currentThread(), r.thread);
        }
    }

    @ParameterizedTest
    @EnumSource(ChannelKind.class)
    void aHandlerThatThrowsLeavesTheChannelWorking(ChannelKind kind) throws Exception {
        try (AsynchronousFileChannel ch = kind.open(file(SIZE), READ)) {
            CompletableFuture<Integer> thrown = new CompletableFuture<>();
            for (int i = 0; i < 3; i++) {
                ch.read(ByteBuffer.allocate(10), 0, null, new CompletionHandler<Integer, Object>() {
                    @Override
                    public void completed(Integer n, Object a) {
                        thrown.complete(n);
                        throw new IllegalStateException("a handler's bug (expected in this test)");
                    }

                    @Override
                    public void failed(Throwable e, Object a) {
                        thrown.completeExceptionally(e);
                    }
                });
            }
            assertEquals(10, thrown.get(10, TimeUnit.SECONDS));
            Recorder<Integer> r = new Recorder<>();
            ch.read(ByteBuffer.allocate(20), 0, null, r);
            assertEquals(20, r.get());
            assertEquals(20, ch.read(ByteBuffer.allocate(20), 0).get());
        }
    }

    // ---- size, truncate, force ---------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(ChannelKind.class)
    void sizeTruncateAndForce(ChannelKind kind) throws Exception {
        Path f = file(SIZE);
        try (AsynchronousFileChannel ch = kind.open(f, READ, WRITE)) {
            assertEquals(SIZE, ch.size());
            assertSame(ch, ch.truncate(SIZE + 1000));
            assertEquals(SIZE, ch.size(), "truncate to a larger size changes nothing");
            assertSame(ch, ch.truncate(1000));
            assertEquals(1000, ch.size());
            assertEquals(1000, Files.size(f));
            assertThrows(IllegalArgumentException.class, () -> ch.truncate(-1));
            ch.force(true);
            ch.force(false);
        }
        try (AsynchronousFileChannel ch = kind.open(f, READ)) {
            assertThrows(NonWritableChannelException.class, () -> ch.truncate(0));
            ch.force(true); // fsync of a read-only descriptor is allowed
        }
    }

    // ---- locks -------------------------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(ChannelKind.class)
    void locksFollowTheRegionRules(ChannelKind kind) throws Exception {
        Path f = file(SIZE);
        try (AsynchronousFileChannel ch = kind.open(f, READ, WRITE);
             AsynchronousFileChannel other = kind.open(f, READ, WRITE)) {
            FileLock a = ch.lock(0, 100, false).get();
            assertTrue(a.isValid());
            assertFalse(a.isShared());
            assertSame(ch, a.acquiredBy());
            assertEquals(0, a.position());
            assertEquals(100, a.size());
            assertThrows(OverlappingFileLockException.class, () -> ch.tryLock(50, 100, false));
            assertThrows(OverlappingFileLockException.class, () -> ch.lock(99, 1, false));
            assertThrows(OverlappingFileLockException.class, () -> other.tryLock(0, 1, true),
                    "within one JVM, another channel's lock on the same file overlaps too");
            FileLock b = ch.tryLock(100, 100, true);
            assertNotNull(b);
            assertTrue(b.isShared());
            Recorder<FileLock> r = new Recorder<>();
            ch.lock(200, 50, false, "lock", r);
            FileLock c = r.get();
            assertEquals("lock", r.attachment);
            assertTrue(c.isValid());
            a.release();
            assertFalse(a.isValid());
            a.release(); // releasing twice does nothing
            FileLock again = other.tryLock(0, 100, false);
            assertNotNull(again);
            again.release();
            ch.close();
            assertFalse(b.isValid());
            assertFalse(c.isValid());
            assertThrows(ClosedChannelException.class, b::release);
            FileLock whole = other.lock().get();
            assertEquals(Long.MAX_VALUE, whole.size());
            whole.close();
        }
    }

    @ParameterizedTest
    @EnumSource(ChannelKind.class)
    void lockChecksItsArguments(ChannelKind kind) throws Exception {
        Path f = file(SIZE);
        try (AsynchronousFileChannel ro = kind.open(f, READ);
             AsynchronousFileChannel wo = kind.open(f, WRITE)) {
            assertThrows(IllegalArgumentException.class, () -> ro.tryLock(-1, 10, true));
            assertThrows(IllegalArgumentException.class, () -> ro.tryLock(0, -10, true));
            assertThrows(IllegalArgumentException.class, () -> ro.lock(Long.MAX_VALUE, 10, true));
            assertThrows(NonWritableChannelException.class, () -> ro.tryLock(0, 10, false));
            assertThrows(NonWritableChannelException.class, () -> ro.lock(0, 10, false));
            assertThrows(NonReadableChannelException.class, () -> wo.tryLock(0, 10, true));
            assertThrows(NonReadableChannelException.class, () -> wo.lock(0, 10, true, null, new Recorder<>()));
            FileLock shared = ro.lock(0, 10, true).get();
            assertTrue(shared.isShared());
            shared.release();
        }
    }

    // ---- closing -----------------------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(ChannelKind.class)
    void everyOperationOfAClosedChannelFailsWithClosedChannelException(ChannelKind kind) throws Exception {
        AsynchronousFileChannel ch = kind.open(file(SIZE), READ, WRITE);
        ch.close();
        ch.close(); // no effect
        assertFalse(ch.isOpen());
        ByteBuffer buf = ByteBuffer.allocate(16);
        assertInstanceOf(ClosedChannelException.class, cause(ch.read(buf, 0)));
        assertInstanceOf(ClosedChannelException.class, cause(ch.write(buf, 0)));
        assertInstanceOf(ClosedChannelException.class, cause(ch.lock()));
        Recorder<Integer> r = new Recorder<>();
        ch.read(buf, 0, "a", r);
        assertInstanceOf(ClosedChannelException.class, r.failure());
        assertEquals("a", r.attachment);
        Recorder<Integer> w = new Recorder<>();
        ch.write(buf, 0, null, w);
        assertInstanceOf(ClosedChannelException.class, w.failure());
        Recorder<FileLock> l = new Recorder<>();
        ch.lock(null, l);
        assertInstanceOf(ClosedChannelException.class, l.failure());
        assertThrows(ClosedChannelException.class, ch::size);
        assertThrows(ClosedChannelException.class, () -> ch.truncate(0));
        assertThrows(ClosedChannelException.class, () -> ch.force(true));
        assertThrows(ClosedChannelException.class, () -> ch.tryLock());
        // the argument checks come first, as the JDK's
        assertThrows(IllegalArgumentException.class, () -> ch.read(buf, -1));
    }

    @ParameterizedTest
    @EnumSource(ChannelKind.class)
    void closeCompletesOrFailsEveryPendingOperationWithAsynchronousCloseException(ChannelKind kind)
            throws Exception {
        Path f = file(1 << 20);
        AsynchronousFileChannel ch = kind.open(f, READ);
        List<Future<Integer>> futures = new ArrayList<>();
        List<Recorder<Integer>> handlers = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            futures.add(ch.read(ByteBuffer.allocate(4096), (long) i * 4096));
            Recorder<Integer> r = new Recorder<>();
            ch.read(ByteBuffer.allocateDirect(4096), (long) i * 4096, null, r);
            handlers.add(r);
        }
        ch.close();
        int failed = 0;
        for (Future<Integer> fu : futures) {
            try {
                assertEquals(4096, fu.get(10, TimeUnit.SECONDS));
            } catch (ExecutionException e) {
                assertInstanceOf(AsynchronousCloseException.class, e.getCause());
                failed++;
            }
        }
        for (Recorder<Integer> r : handlers) {
            try {
                assertEquals(4096, r.get());
            } catch (ExecutionException e) {
                assertInstanceOf(AsynchronousCloseException.class, e.getCause());
                failed++;
            }
        }
        System.out.println(kind + ": " + failed + " of 400 pending reads failed with AsynchronousCloseException");
    }

    // ---- open options ------------------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(ChannelKind.class)
    void openOptionsMeanWhatTheyMeanForTheJdk(ChannelKind kind) throws Exception {
        Path missing = dir.resolve("missing-" + kind);
        assertThrows(NoSuchFileException.class, () -> kind.open(missing, READ));
        assertThrows(NoSuchFileException.class, () -> kind.open(missing, WRITE));
        assertThrows(UnsupportedOperationException.class, () -> kind.open(missing, WRITE, APPEND, CREATE));
        Path existing = file(SIZE);
        assertThrows(FileAlreadyExistsException.class, () -> kind.open(existing, WRITE, CREATE_NEW));
        try (AsynchronousFileChannel ch = kind.open(existing)) { // READ by default
            assertEquals(10, ch.read(ByteBuffer.allocate(10), 0).get());
            assertThrows(NonWritableChannelException.class, () -> ch.write(ByteBuffer.allocate(1), 0));
        }
        try (AsynchronousFileChannel ch = kind.open(existing, WRITE, TRUNCATE_EXISTING, DSYNC)) {
            assertEquals(0, ch.size());
            assertEquals(3, ch.write(ByteBuffer.wrap(new byte[] {1, 2, 3}), 0).get());
        }
        try (AsynchronousFileChannel ch = kind.open(existing, READ, TRUNCATE_EXISTING)) {
            assertEquals(3, ch.size(), "TRUNCATE_EXISTING is ignored without WRITE");
        }
        try (AsynchronousFileChannel ch = kind.open(existing, WRITE, SYNC)) {
            assertEquals(1, ch.write(ByteBuffer.wrap(new byte[] {9}), 0).get());
        }
        assertArrayEquals(new byte[] {9, 2, 3}, Files.readAllBytes(existing));
        Path created = dir.resolve("created-" + kind);
        Set<PosixFilePermission> perms = PosixFilePermissions.fromString("rw-------");
        try (AsynchronousFileChannel ch = kind.open(created, Set.of(WRITE, CREATE_NEW), null,
                PosixFilePermissions.asFileAttribute(perms))) {
            assertEquals(0, ch.size());
        }
        assertEquals(perms, Files.getPosixFilePermissions(created));
        Path temp = dir.resolve("temp-" + kind);
        try (AsynchronousFileChannel ch = kind.open(temp, WRITE, CREATE, DELETE_ON_CLOSE)) {
            assertEquals(1, ch.write(ByteBuffer.wrap(new byte[] {1}), 0).get());
        }
        assertFalse(Files.exists(temp));
    }
}
