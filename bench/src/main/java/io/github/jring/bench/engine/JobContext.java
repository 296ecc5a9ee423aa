package io.github.jring.bench.engine;

import io.github.jring.bench.target.Target;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Everything one job of an {@link Engine} gets from the framework, and where it reports. Created by the framework on
 * the job's thread; an engine never creates one. Not thread-safe: one thread at a time calls it (the job's thread, or
 * an engine's own threads under one lock, as {@link VirtualThreadsJob}'s and the
 * {@link AsyncFileChannelEngine}'s completion handlers do), except
 * {@link #progressIos()}/{@link #progressBytes()} which the progress line reads from another thread, and
 * {@link #prepareWrite}/{@link #checkRead}, which touch only the buffer they are given and may run on any thread.
 *
 * <p>Per I/O the engine calls {@link #tryIssue(long)} and {@link #complete}; neither allocates.
 */
public final class JobContext {
    /** Alignment of every buffer from {@link #allocateBuffer}: a page, enough for O_DIRECT and NVMe PRPs. */
    public static final long BUFFER_ALIGNMENT = 4096;

    private static final VarHandle PROGRESS_IOS;
    private static final VarHandle PROGRESS_BYTES;
    private static final VarHandle PROGRESS_ISSUED;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            PROGRESS_IOS = l.findVarHandle(JobContext.class, "progressIos", long.class);
            PROGRESS_BYTES = l.findVarHandle(JobContext.class, "progressBytes", long.class);
            PROGRESS_ISSUED = l.findVarHandle(JobContext.class, "progressIssued", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Target target;
    private final JobSpec spec;
    private final int jobIndex;
    private final RunControl control;
    private final Arena arena;
    private final IoPattern pattern;
    private final IoStats read = new IoStats();
    private final IoStats write = new IoStats();

    private long measureStart = Long.MIN_VALUE;
    private long deadline = Long.MAX_VALUE;
    private long issued;
    private long completedIos;
    private long completedBytes;
    @SuppressWarnings("unused") // written with setOpaque, read with getOpaque
    private long progressIos;
    @SuppressWarnings("unused")
    private long progressBytes;
    @SuppressWarnings("unused")
    private long progressIssued;

    /** Framework use: one per job, on the job's thread; {@code arena} holds the job's buffers and outlives the engine job. */
    public JobContext(Target target, JobSpec spec, int jobIndex, RunControl control, Arena arena) {
        this.target = target;
        this.spec = spec;
        this.jobIndex = jobIndex;
        this.control = control;
        this.arena = arena;
        this.pattern = new IoPattern(spec, jobIndex);
    }

    public Target target() {
        return target;
    }

    public JobSpec spec() {
        return spec;
    }

    /** 0 .. numjobs-1. */
    public int jobIndex() {
        return jobIndex;
    }

    /** This job's offsets and read/write choices. */
    public IoPattern pattern() {
        return pattern;
    }

    /** The job's arena (confined to the job's thread), closed by the framework after the engine job is closed. */
    public Arena arena() {
        return arena;
    }

    /**
     * A page-aligned buffer of {@code bytes} from the job's arena, filled with non-zero pattern data (so writes without
     * {@code --verify} do not write zeros, which some devices short-cut). Freed after the engine job closes.
     */
    public MemorySegment allocateBuffer(long bytes) {
        MemorySegment buf = arena.allocate(bytes, BUFFER_ALIGNMENT);
        DataPattern.fill(buf, bytes, 0x5a5a5a5a00000000L + jobIndex * bytes, DataPattern.DEFAULT_SEED + 1);
        return buf;
    }

    /**
     * Asks whether another I/O may start; {@code now} is {@link System#nanoTime()} (an engine passes the same value as
     * the I/O's start). False once the runtime is over, {@code --number_ios} are issued, or the run is stopped.
     */
    public boolean tryIssue(long now) {
        if (now >= deadline || control.stopped() || (spec.numberIos() > 0 && issued >= spec.numberIos())) {
            return false;
        }
        issued++;
        PROGRESS_ISSUED.setOpaque(this, issued); // the runner's watchdog counts the I/Os in flight
        return true;
    }

    /** True when the run was stopped from outside (error in another job, Ctrl-C): drain without waiting long. */
    public boolean stopRequested() {
        return control.stopped();
    }

    /**
     * Reports one completed I/O: its direction, the bytes it actually moved (the engine has checked they are
     * {@code bs}) and its start and end {@link System#nanoTime()}. I/Os that complete during the ramp time count
     * toward the progress line and CPU per I/O but not toward the results.
     */
    public void complete(boolean isRead, long bytes, long startNanos, long endNanos) {
        completedIos++;
        completedBytes += bytes;
        PROGRESS_IOS.setOpaque(this, completedIos);
        PROGRESS_BYTES.setOpaque(this, completedBytes);
        if (endNanos >= measureStart) {
            (isRead ? read : write).record(bytes, endNanos - startNanos);
        }
    }

    /** With {@code --verify=pattern}: fills {@code buf[0, length)} with the data that belongs at {@code offset}. */
    public void prepareWrite(MemorySegment buf, long length, long offset) {
        if (spec.verify()) {
            DataPattern.fill(buf, length, offset, DataPattern.DEFAULT_SEED);
        }
    }

    /** With {@code --verify=pattern}: checks {@code buf[0, length)} just read from {@code offset}; throws on a mismatch. */
    public void checkRead(MemorySegment buf, long length, long offset) throws VerifyException {
        if (spec.verify()) {
            long at = DataPattern.firstMismatch(buf, length, offset, DataPattern.DEFAULT_SEED);
            if (at >= 0) {
                throw new VerifyException(String.format(
                        "verify: %s holds wrong data at offset %d (in the %d-byte block at %d): expected 0x%016x, read 0x%016x",
                        target.path(), offset + at, length, offset, DataPattern.word(DataPattern.DEFAULT_SEED, offset + at),
                        buf.get(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, at)));
            }
        }
    }

    // ---- framework side ----

    /** Framework use: the run starts now; results count I/Os completing from {@code measureStart}, issue stops at {@code deadline}. */
    public void begin(long measureStart, long deadline) {
        this.measureStart = measureStart;
        this.deadline = deadline;
    }

    /** Completed I/Os so far, ramp included; safe to call from another thread. */
    public long progressIos() {
        return (long) PROGRESS_IOS.getOpaque(this);
    }

    /** I/Os issued so far ({@link #tryIssue} said yes), ramp included; safe to call from another thread. */
    public long progressIssued() {
        return (long) PROGRESS_ISSUED.getOpaque(this);
    }

    /** Completed bytes so far, ramp included; safe to call from another thread. */
    public long progressBytes() {
        return (long) PROGRESS_BYTES.getOpaque(this);
    }

    /** Completed I/Os including the ramp (after the job ended). */
    public long completedIos() {
        return completedIos;
    }

    public IoStats readStats() {
        return read;
    }

    public IoStats writeStats() {
        return write;
    }
}
