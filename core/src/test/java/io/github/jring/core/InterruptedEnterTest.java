package io.github.jring.core;

import io.github.jring.core.internal.Syscalls;
import io.github.jring.bindings.Uapi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code io_uring_enter} interrupted by a signal: the kernel ends a wait for completions with {@code EINTR} when a
 * signal with a handler arrives (io_uring does not restart it), and the ring must wait again instead of failing or
 * returning early. The signal is {@code SIGPIPE}, for which the JVM installs a handler that ignores it, sent with
 * {@code tgkill(2)} to the waiting thread only. Each interrupted wait costs one more {@code io_uring_enter}, which
 * {@link IoUring#enterCount()} shows.
 */
@SuppressWarnings("restricted") // gettid, getpid and tgkill downcalls, to signal one thread
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class InterruptedEnterTest {

    private static final int SIGPIPE = 13;
    private static final MethodHandle GETTID = libc("gettid", FunctionDescriptor.of(JAVA_INT));
    private static final MethodHandle GETPID = libc("getpid", FunctionDescriptor.of(JAVA_INT));
    private static final MethodHandle TGKILL = libc("tgkill",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));

    private static MethodHandle libc(String name, FunctionDescriptor fd) {
        return Syscalls.link(name, fd);
    }

    private interface Wait {
        void run(IoUring ring) throws Exception;
    }

    /**
     * Runs {@code wait} on a new thread, which must end when the ring's 400 ms timeout completes, while this thread
     * signals it every 20 ms; returns the enters the waiting thread made beyond the first. {@code t0} is taken before
     * the timeout is submitted (its 400 ms count from there): under tcg, starting the waiter can take tens of ms.
     */
    private static long signalWhileWaiting(IoUring ring, long t0, Wait wait) throws Throwable {
        int[] tid = new int[1];
        CountDownLatch started = new CountDownLatch(1);
        AtomicReference<Throwable> failed = new AtomicReference<>();
        long enters = ring.enterCount();
        Thread waiter = Thread.ofPlatform().start(() -> {
            try {
                tid[0] = (int) GETTID.invokeExact();
                started.countDown();
                wait.run(ring);
            } catch (Throwable t) {
                failed.set(t);
            }
        });
        started.await();
        int pid = (int) GETPID.invokeExact();
        int sent = 0;
        while (waiter.isAlive() && sent < 10) {
            Thread.sleep(20);
            if ((int) TGKILL.invokeExact(pid, tid[0], SIGPIPE) == 0) {
                sent++;
            }
        }
        waiter.join();
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertNull(failed.get(), () -> "the wait failed: " + failed.get());
        assertTrue(sent >= 5, "signals sent during the wait: " + sent);
        assertTrue(ms >= 390, "the wait ended after " + ms + " ms, before the timeout completed");
        return ring.enterCount() - enters - 1;
    }

    @Test
    void waitCqeWaitsAgainAfterEintr() throws Throwable {
        try (IoUring ring = IoUring.open(4); Arena arena = Arena.ofShared()) {
            MemorySegment ts = KernelTimespec.allocate(arena, Duration.ofMillis(400));
            ring.getSqe().prepTimeout(ts, 0, 0).userData(9);
            long t0 = System.nanoTime();
            ring.submit();
            long retries = signalWhileWaiting(ring, t0, r -> {
                Cqe c = r.waitCqe();
                assertEquals(9, c.userData());
                assertEquals(-Uapi.ETIME(), c.res());
                r.cqeSeen(c);
            });
            assertTrue(retries >= 1, "io_uring_enter retries after EINTR: " + retries);
        }
    }

    private interface SubmitAndWait {
        int call(IoUring ring) throws ErrnoException;
    }

    /** Queues a 400 ms timeout, submits it and waits with {@code call} while signals arrive; checks one return. */
    private static void submitAndWaitThroughSignals(SubmitAndWait call) throws Throwable {
        try (IoUring ring = IoUring.open(4); Arena arena = Arena.ofShared()) {
            MemorySegment ts = KernelTimespec.allocate(arena, Duration.ofMillis(400));
            long retries = signalWhileWaiting(ring, System.nanoTime(), r -> {
                r.getSqe().prepTimeout(ts, 0, 0).userData(5);
                assertEquals(1, call.call(r), "the timeout is submitted once, not again after EINTR");
                assertEquals(1, r.cqReady(), "returned before the completion");
                Cqe c = r.peekCqe();
                assertEquals(5, c.userData());
                assertEquals(-Uapi.ETIME(), c.res());
                r.cqeSeen(c);
            });
            assertTrue(retries >= 1, "io_uring_enter retries after EINTR: " + retries);
        }
    }

    @Test
    void submitAndWaitWaitsAgainAfterEintr() throws Throwable {
        submitAndWaitThroughSignals(r -> r.submitAndWait(1));
    }

    @Test
    void timedSubmitAndWaitWaitsAgainAfterEintr() throws Throwable {
        submitAndWaitThroughSignals(r -> r.submitAndWait(1, 10, TimeUnit.SECONDS)); // ends long before its limit
    }
}
