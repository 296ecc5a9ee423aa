package io.github.jring.bench.engine;

import io.github.jring.bindings.Uapi;
import io.github.jring.core.ErrnoException;
import io.github.jring.core.IoUring;
import io.github.jring.core.IoUringBuilder;

import java.util.function.Supplier;

/**
 * Sets up the io_uring engines' rings as fio's io_uring engines do: {@code COOP_TASKRUN}, {@code SINGLE_ISSUER} and
 * {@code DEFER_TASKRUN} when the kernel takes them (each job is one platform thread that both submits and reaps),
 * falling back on {@code EINVAL} first without the last two, then without any; plus {@code SQPOLL} for
 * {@code --sqthread_poll} and {@code IOPOLL} for {@code --hipri}.
 */
final class Rings {
    private static final int EINVAL = Uapi.EINVAL();

    private Rings() {
    }

    /**
     * @param base    a fresh builder with the engine's own flags (SQE128/CQE32 for passthrough), called once per try
     * @param entries SQ size (the job's iodepth; the kernel rounds up to a power of two)
     */
    static IoUring open(Supplier<IoUringBuilder> base, JobSpec spec, int entries) throws ErrnoException {
        ErrnoException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            IoUringBuilder b = base.get();
            if (spec.sqthreadPoll()) b.sqPoll(0);
            if (spec.hipri()) b.ioPoll();
            if (attempt < 2) b.coopTaskrun();
            if (attempt < 1 && !spec.sqthreadPoll()) b.singleIssuer().deferTaskrun();
            try {
                return b.build(entries);
            } catch (ErrnoException e) {
                if (e.errno() != EINVAL) throw e;
                last = e;
            }
        }
        throw last;
    }
}
