package io.github.jring.core;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * The {@code siginfo_t} that {@link Sqe#prepWaitid} fills (128 bytes), with the {@code waitid(2)} constants the
 * bindings lack. Only the fields {@code waitid} writes are named: {@code si_signo} ({@code SIGCHLD}),
 * {@code si_code} ({@code CLD_EXITED}, {@code CLD_KILLED} ...), {@code si_pid}, {@code si_uid} and
 * {@code si_status} (the exit status, or the signal for {@code CLD_KILLED}). The layout is the one of Linux on
 * 64-bit architectures: three {@code int}s, padding to 8 bytes, then the union whose {@code SIGCHLD} member starts
 * with pid, uid and status.
 * {@snippet :
 * MemorySegment info = SigInfo.allocate(arena);
 * sqe.prepWaitid(SigInfo.P_PID, pid, info, SigInfo.WEXITED, 0);
 * // ... after the completion:
 * int status = SigInfo.status(info);
 * }
 */
public final class SigInfo {

    /** The size of {@code siginfo_t} ({@code SI_MAX_SIZE}). */
    private static final long SIZE = 128;

    /** {@code siginfo_t} as {@code waitid} fills it; the rest of the 128 bytes is padding. */
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_INT.withName("si_signo"),
            JAVA_INT.withName("si_errno"),
            JAVA_INT.withName("si_code"),
            MemoryLayout.paddingLayout(4),
            JAVA_INT.withName("si_pid"),
            JAVA_INT.withName("si_uid"),
            JAVA_INT.withName("si_status"),
            MemoryLayout.paddingLayout(SIZE - 28)).withName("siginfo_t");

    private static final long SI_SIGNO = LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("si_signo"));
    private static final long SI_CODE = LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("si_code"));
    private static final long SI_PID = LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("si_pid"));
    private static final long SI_UID = LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("si_uid"));
    private static final long SI_STATUS = LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("si_status"));

    /** {@code P_ALL}: wait for any child. */
    public static final int P_ALL = 0;
    /** {@code P_PID}: wait for the child whose pid is {@code id}. */
    public static final int P_PID = 1;
    /** {@code P_PGID}: wait for any child in process group {@code id}. */
    public static final int P_PGID = 2;
    /** {@code P_PIDFD} (Linux 5.4): wait for the child that pidfd {@code id} refers to. */
    public static final int P_PIDFD = 3;

    /** {@code WNOHANG}: complete at once, with {@code res} 0, if no child has changed state yet. */
    public static final int WNOHANG = 1;
    /** {@code WSTOPPED}: report children stopped by a signal. */
    public static final int WSTOPPED = 2;
    /** {@code WEXITED}: report children that have exited. */
    public static final int WEXITED = 4;
    /** {@code WCONTINUED}: report stopped children resumed by {@code SIGCONT}. */
    public static final int WCONTINUED = 8;
    /** {@code WNOWAIT}: leave the child waitable; a later wait reports it again. */
    public static final int WNOWAIT = 0x0100_0000;

    /** {@code SIGCHLD}, the {@code si_signo} of every {@code waitid} report (17 on x86_64 and aarch64). */
    public static final int SIGCHLD = 17;
    /** {@code CLD_EXITED}: the child called {@code _exit}; {@code si_status} is its exit status. */
    public static final int CLD_EXITED = 1;
    /** {@code CLD_KILLED}: a signal killed the child; {@code si_status} is the signal. */
    public static final int CLD_KILLED = 2;
    /** {@code CLD_DUMPED}: a signal killed the child and it dumped core. */
    public static final int CLD_DUMPED = 3;
    /** {@code CLD_STOPPED}: a signal stopped the child. */
    public static final int CLD_STOPPED = 5;
    /** {@code CLD_CONTINUED}: {@code SIGCONT} resumed the child. */
    public static final int CLD_CONTINUED = 6;

    private SigInfo() {
    }

    /**
     * Allocates a zeroed {@code siginfo_t}.
     *
     * @param allocator where to allocate (an {@link java.lang.foreign.Arena})
     * @return the native struct
     */
    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate(LAYOUT);
    }

    /**
     * {@code si_signo}: {@link #SIGCHLD} once {@code waitid} reported a child.
     *
     * @param info a {@code siginfo_t}
     * @return the signal number
     */
    public static int signo(MemorySegment info) {
        return info.get(JAVA_INT, SI_SIGNO);
    }

    /**
     * {@code si_code}: {@link #CLD_EXITED}, {@link #CLD_KILLED} ...
     *
     * @param info a {@code siginfo_t}
     * @return the code
     */
    public static int code(MemorySegment info) {
        return info.get(JAVA_INT, SI_CODE);
    }

    /**
     * {@code si_pid}: the child's pid.
     *
     * @param info a {@code siginfo_t}
     * @return the pid
     */
    public static int pid(MemorySegment info) {
        return info.get(JAVA_INT, SI_PID);
    }

    /**
     * {@code si_uid}: the child's real user id.
     *
     * @param info a {@code siginfo_t}
     * @return the uid
     */
    public static int uid(MemorySegment info) {
        return info.get(JAVA_INT, SI_UID);
    }

    /**
     * {@code si_status}: the exit status for {@link #CLD_EXITED}, the signal for {@link #CLD_KILLED},
     * {@link #CLD_DUMPED} and {@link #CLD_STOPPED}.
     *
     * @param info a {@code siginfo_t}
     * @return the status
     */
    public static int status(MemorySegment info) {
        return info.get(JAVA_INT, SI_STATUS);
    }
}
