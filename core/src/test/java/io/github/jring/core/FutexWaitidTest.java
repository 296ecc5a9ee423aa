package io.github.jring.core;

import io.github.jring.bindings.Uapi;
import io.github.jring.bindings.futex_waitv;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The operations for runtimes (Linux 6.7): futex wait, wake and waitv, and waitid on a child process. */
class FutexWaitidTest {

    private static final int U32_PRIVATE = Uapi.FUTEX2_SIZE_U32() | Uapi.FUTEX2_PRIVATE();
    private static final long ANY = Integer.toUnsignedLong(Uapi.FUTEX_BITSET_MATCH_ANY());

    IoUring ring;
    Arena arena;

    @BeforeEach
    void open() throws ErrnoException {
        ring = IoUring.open(16);
        arena = Arena.ofConfined();
    }

    @AfterEach
    void close() {
        ring.close();
        arena.close();
    }

    @Test
    void futexWaitIsWokenByFutexWake() throws Exception {
        Supported.assumeOp(ring, Uapi.IORING_OP_FUTEX_WAIT(), "6.7");
        Supported.assumeOp(ring, Uapi.IORING_OP_FUTEX_WAKE(), "6.7");
        MemorySegment futex = arena.allocate(JAVA_INT);
        futex.set(JAVA_INT, 0, 7);
        ring.getSqe().prepFutexWait(futex, 7, ANY, U32_PRIVATE, 0).userData(1);
        ring.submit();
        assertNull(ring.waitCqe(50, TimeUnit.MILLISECONDS), "the futex holds 7: the wait sleeps");

        ring.getSqe().prepFutexWake(futex, 1, ANY, U32_PRIVATE, 0).userData(2);
        ring.submit();
        Map<Long, Integer> r = Reap.await(ring, 2);
        assertEquals(1, r.get(2L), "futex_wake: one waiter woken");
        assertEquals(0, r.get(1L), "futex_wait: woken");

        ring.getSqe().prepFutexWake(futex, 1, ANY, U32_PRIVATE, 0).userData(3);
        assertEquals(0, Reap.one(ring), "no waiter left");
        ring.getSqe().prepFutexWait(futex, 8, ANY, U32_PRIVATE, 0).userData(4);
        assertEquals(-Uapi.EAGAIN(), Reap.one(ring), "futex_wait: EAGAIN when the word does not hold the value");
        ring.getSqe().prepFutexWait(futex, 7, ANY, Uapi.FUTEX2_PRIVATE(), 0).userData(5);
        assertEquals(-Uapi.EINVAL(), Reap.one(ring), "no FUTEX2_SIZE_U32: the kernel has only 32-bit futexes");
    }

    @Test
    void futexWaitIsCancelledAndMasksSelectTheWaiter() throws Exception {
        Supported.assumeOp(ring, Uapi.IORING_OP_FUTEX_WAIT(), "6.7");
        MemorySegment futex = arena.allocate(JAVA_INT);
        ring.getSqe().prepFutexWait(futex, 0, 0b01, U32_PRIVATE, 0).userData(1);
        ring.getSqe().prepFutexWait(futex, 0, 0b10, U32_PRIVATE, 0).userData(2);
        ring.submit();
        ring.getSqe().prepFutexWake(futex, 10, 0b10, U32_PRIVATE, 0).userData(3);
        ring.submit();
        Map<Long, Integer> r = Reap.await(ring, 2);
        assertEquals(1, r.get(3L), "only the waiter whose mask shares a bit");
        assertEquals(0, r.get(2L));
        ring.getSqe().prepCancel(1, 0).userData(4);
        ring.submit();
        r = Reap.await(ring, 2);
        // The futex cancel path answers the number it cancelled, where other requests' cancel answers 0.
        assertEquals(1, r.get(4L), "cancel found the futex wait");
        assertEquals(-Uapi.ECANCELED(), r.get(1L));
    }

    @Test
    void futexWaitvReportsWhichFutexWasWoken() throws Exception {
        Supported.assumeOp(ring, Uapi.IORING_OP_FUTEX_WAITV(), "6.7");
        MemorySegment words = arena.allocate(JAVA_INT, 3);
        MemorySegment v = arena.allocate(futex_waitv.layout(), 3);
        for (int i = 0; i < 3; i++) {
            MemorySegment e = futex_waitv.asSlice(v, i);
            futex_waitv.val(e, 0);
            futex_waitv.uaddr(e, words.address() + 4L * i);
            futex_waitv.flags(e, U32_PRIVATE);
        }
        ring.getSqe().prepFutexWaitv(v, 3, 0).userData(1);
        ring.submit();
        assertNull(ring.waitCqe(50, TimeUnit.MILLISECONDS));
        ring.getSqe().prepFutexWake(words.asSlice(8, 4), 1, ANY, U32_PRIVATE, 0).userData(2);
        ring.submit();
        Map<Long, Integer> r = Reap.await(ring, 2);
        assertEquals(1, r.get(2L));
        assertEquals(2, r.get(1L), "futex_waitv: res is the index of the woken futex");

        words.setAtIndex(JAVA_INT, 1, 5);
        ring.getSqe().prepFutexWaitv(v, 3, 0).userData(3);
        assertEquals(-Uapi.EAGAIN(), Reap.one(ring), "futex_waitv: EAGAIN when one word does not hold its value");
        ring.getSqe().prepFutexWaitv(v, 0, 0).userData(4);
        assertEquals(-Uapi.EINVAL(), Reap.one(ring), "futex_waitv: EINVAL for no futexes");
    }

    @Test
    void waitidReapsAChild() throws Throwable {
        Supported.assumeOp(ring, Uapi.IORING_OP_WAITID(), "6.7");
        // A child of posix_spawn: the JVM's process reaper does not wait for it, so only the ring does.
        int pid = TestLibc.spawnShell("sleep 0.1; exit 7");
        MemorySegment info = SigInfo.allocate(arena);
        ring.getSqe().prepWaitid(SigInfo.P_PID, pid, info, SigInfo.WEXITED | SigInfo.WNOWAIT, 0).userData(1);
        assertEquals(0, Reap.one(ring), "waitid: the child exited");
        assertEquals(SigInfo.SIGCHLD, SigInfo.signo(info));
        assertEquals(SigInfo.CLD_EXITED, SigInfo.code(info));
        assertEquals(pid, SigInfo.pid(info));
        assertEquals(7, SigInfo.status(info), "the exit status");

        // WNOWAIT left it waitable; this one reaps it.
        info.fill((byte) 0);
        ring.getSqe().prepWaitid(SigInfo.P_PID, pid, info, SigInfo.WEXITED, 0).userData(2);
        assertEquals(0, Reap.one(ring));
        assertEquals(7, SigInfo.status(info));
        ring.getSqe().prepWaitid(SigInfo.P_PID, pid, info, SigInfo.WEXITED, 0).userData(3);
        assertEquals(-Uapi.ECHILD(), Reap.one(ring), "waitid(2): ECHILD once the child is reaped");
        ring.getSqe().prepWaitid(SigInfo.P_PID, 1, info, SigInfo.WEXITED, 0).userData(4);
        assertEquals(-Uapi.ECHILD(), Reap.one(ring), "waitid(2): ECHILD for a process that is not our child");
        ring.getSqe().prepWaitid(SigInfo.P_PID, pid, info, 0, 0).userData(5);
        assertEquals(-Uapi.EINVAL(), Reap.one(ring), "waitid(2): EINVAL without WEXITED/WSTOPPED/WCONTINUED");
    }

    @Test
    void waitidWithWnohangDoesNotWaitAndWithoutItWaitsForTheExit() throws Throwable {
        Supported.assumeOp(ring, Uapi.IORING_OP_WAITID(), "6.7");
        int pid = TestLibc.spawnShell("sleep 0.3; exit 3");
        MemorySegment info = SigInfo.allocate(arena);
        ring.getSqe().prepWaitid(SigInfo.P_PID, pid, info, SigInfo.WEXITED | SigInfo.WNOHANG, 0).userData(1);
        assertEquals(0, Reap.one(ring), "WNOHANG: completes at once while the child runs");
        // P_PID rather than P_ALL: P_ALL could reap a child of the JVM's own (a Process of another test).
        ring.getSqe().prepWaitid(SigInfo.P_PID, pid, info, SigInfo.WEXITED, 0).userData(2);
        ring.submit();
        assertNull(ring.waitCqe(50, TimeUnit.MILLISECONDS), "without WNOHANG the request waits for the exit");
        assertEquals(0, Reap.await(ring, 1).get(2L));
        assertEquals(pid, SigInfo.pid(info));
        assertEquals(3, SigInfo.status(info));
    }

    @Test
    void waitidReportsAKilledChild() throws Throwable {
        Supported.assumeOp(ring, Uapi.IORING_OP_WAITID(), "6.7");
        int pid = TestLibc.spawnShell("kill -9 $$");
        MemorySegment info = SigInfo.allocate(arena);
        ring.getSqe().prepWaitid(SigInfo.P_PID, pid, info, SigInfo.WEXITED, 0).userData(1);
        assertEquals(0, Reap.one(ring));
        assertEquals(SigInfo.CLD_KILLED, SigInfo.code(info));
        assertEquals(9, SigInfo.status(info), "the signal that killed it");
    }
}
