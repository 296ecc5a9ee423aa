package io.github.jring.bench.engine;

import io.github.jring.bindings.Uapi;
import io.github.jring.core.ErrnoException;
import io.github.jring.core.IoUring;
import io.github.jring.core.IoUringBuilder;


/**
 * Sets up the io_uring engines' rings as fio's io_uring engines do: {@code COOP_TASKRUN}, {@code SINGLE_ISSUER} and
 * {@code DEFER_TASKRUN} when the kernel takes them (each job is one platform thread that both submits and reaps),
 * with {@code TASKRUN_FLAG}, falling back on {@code EINVAL} first without {@code SINGLE_ISSUER|DEFER_TASKRUN}, then
 * without any ({@link IoUringBuilder#preferFlags});
 * plus {@code SQPOLL} for {@code --sqthread_poll} and {@code IOPOLL} for {@code --hipri}. A spec without
 * {@link JobSpec#deferTaskrun()} gets none of the three (the configuration ladder's first rung).
 */
final class FioRingSetup {
    private static final int COOP_TASKRUN = Uapi.IORING_SETUP_COOP_TASKRUN();
    private static final int SINGLE_ISSUER_DEFER_TASKRUN = Uapi.IORING_SETUP_SINGLE_ISSUER()
            | Uapi.IORING_SETUP_DEFER_TASKRUN();
    /**
     * Has the kernel raise {@code IORING_SQ_TASKRUN} while completions wait as task work, so that jring's submit
     * enters with {@code IORING_ENTER_GETEVENTS} (as fio's commit always does) and posts them in the same system
     * call. Without it a {@code DEFER_TASKRUN} ring's completions stay in the kernel until the next waiting enter: a
     * batch then costs a submitting and a waiting {@code io_uring_enter} where fio makes one.
     */
    private static final int TASKRUN_FLAG = Uapi.IORING_SETUP_TASKRUN_FLAG();

    private FioRingSetup() {
    }

    /**
     * @param b       a fresh builder with the engine's own flags (SQE128/CQE32 for passthrough)
     * @param entries SQ size (the job's iodepth; the kernel rounds up to a power of two)
     */
    static IoUring open(IoUringBuilder b, JobSpec spec, int entries) throws ErrnoException {
        if (spec.sqthreadPoll()) {
            b.sqPoll(0).preferFlags(COOP_TASKRUN); // never DEFER_TASKRUN with SQPOLL (6.18 refuses COOP too)
        } else if (!spec.deferTaskrun()) {
            // the ladder's first rung: io_uring_setup with no optional flags, task work by signal as before 5.19
        } else {
            b.preferFlags(COOP_TASKRUN | SINGLE_ISSUER_DEFER_TASKRUN | TASKRUN_FLAG, COOP_TASKRUN | TASKRUN_FLAG);
        }
        if (spec.hipri()) b.ioPoll();
        return b.build(entries);
    }
}
