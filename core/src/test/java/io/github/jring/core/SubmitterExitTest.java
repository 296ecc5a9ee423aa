package io.github.jring.core;

import io.github.jring.core.internal.Syscalls;
import io.github.jring.bindings.Uapi;
import io.github.jring.core.async.AsyncRing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The kernel rule that decides {@link AsyncRing}'s threading: a request belongs to the thread that submitted it, and
 * when that thread exits the kernel cancels its requests still waiting ({@code -ECANCELED}), even though the ring
 * lives on. So an API that let any application thread submit would lose requests whenever a pool retires a thread;
 * {@code AsyncRing} submits from its own completion thread only, which lives as long as the ring.
 */
@SuppressWarnings("restricted") // one downcall, gettid(2), to see the thread's exit in /proc
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SubmitterExitTest {

    private static final byte[] DATA = "after the submitter exited".getBytes();

    @Test
    void theKernelCancelsTheRequestsOfAThreadThatExits() throws Exception {
        int[] pollPipe = Posix.pipe(0);
        int[] workerPipe = Posix.pipe(0);
        try (IoUring ring = IoUring.open(8); Arena arena = Arena.ofShared()) {
            MemorySegment buf = arena.allocate(64);
            MemorySegment buf2 = arena.allocate(64);
            AtomicReference<Throwable> failed = new AtomicReference<>();
            int[] tid = new int[1];
            Thread submitter = Thread.ofPlatform().start(() -> {
                try {
                    tid[0] = gettid();
                    // Waits for data by polling the pipe (a poll wakeup retries it as task work of its submitter).
                    ring.getSqe().prepRead(pollPipe[0], buf, 0L).userData(1);
                    // Waits for data in an io-wq worker, and io-wq workers belong to the submitting thread.
                    ring.getSqe().prepRead(workerPipe[0], buf2, 0L).flags(Uapi.IOSQE_ASYNC()).userData(2);
                    assertEquals(2, ring.submit());
                    assertEquals(0, ring.cqReady(), "both reads wait for data");
                } catch (Throwable t) {
                    failed.set(t);
                }
            });
            submitter.join();
            if (failed.get() != null) {
                throw new AssertionError("submitting failed", failed.get());
            }
            // join() returns when the Java thread is done; its OS thread ends just after. Wait until it is gone.
            Path task = Path.of("/proc/self/task/" + tid[0]);
            for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10); Files.exists(task); ) {
                assertTrue(System.nanoTime() < deadline, task + " still exists");
                Thread.sleep(1);
            }
            // The data arrives: each read must now finish in its submitter's context, which is gone. (The io-wq read
            // may already have been cancelled when the thread's workers exited.)
            TestFds.write(pollPipe[1], DATA);
            TestFds.write(workerPipe[1], DATA);
            Map<Long, Integer> res = Reap.await(ring, 2);
            assertEquals(Map.of(1L, -Uapi.ECANCELED(), 2L, -Uapi.ECANCELED()), res, () -> "res: " + res);
        } finally {
            for (int fd : new int[] {pollPipe[0], pollPipe[1], workerPipe[0], workerPipe[1]}) {
                Posix.closeQuietly(fd);
            }
        }
    }

    private static int gettid() throws Throwable {
        MethodHandle h = Syscalls.link("gettid", FunctionDescriptor.of(JAVA_INT));
        return (int) h.invokeExact();
    }

    @Test
    void asyncRingRequestsOutliveTheThreadsThatMadeThem() throws Exception {
        int[] pipe = Posix.pipe(0);
        try (AsyncRing ring = AsyncRing.open(8); Arena arena = Arena.ofShared()) {
            MemorySegment buf = arena.allocate(64);
            AtomicReference<CompletableFuture<Integer>> read = new AtomicReference<>();
            Thread submitter = Thread.ofPlatform().start(() -> read.set(ring.read(pipe[0], buf, -1L)));
            submitter.join();
            Thread.sleep(50); // the read is in the kernel, waiting for data, its submitter gone
            TestFds.write(pipe[1], DATA);
            assertEquals(DATA.length, read.get().get(5, TimeUnit.SECONDS));
            assertEquals(new String(DATA), new String(buf.asSlice(0, DATA.length).toArray(JAVA_BYTE)));
        } finally {
            Posix.closeQuietly(pipe[0]);
            Posix.closeQuietly(pipe[1]);
        }
    }
}
