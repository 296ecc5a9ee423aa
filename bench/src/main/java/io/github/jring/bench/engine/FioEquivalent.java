package io.github.jring.bench.engine;

import java.nio.file.Path;
import java.util.List;

/**
 * The fio job that measures the same thing as a jring engine, for {@code --vs-fio}: fio's {@code ioengine}, the
 * target path fio must open, and engine-specific fio options (e.g. {@code --cmd_type=nvme}); or why fio has none.
 *
 * @param ioengine          fio's engine name, or null when {@code unavailableReason} is set
 * @param filename          what fio opens
 * @param engineArgs        extra fio arguments, each a full {@code --name=value}
 * @param unavailableReason why there is no matching fio job, or null
 */
public record FioEquivalent(String ioengine, Path filename, List<String> engineArgs, String unavailableReason) {

    public FioEquivalent {
        engineArgs = List.copyOf(engineArgs);
    }

    public static FioEquivalent of(String ioengine, Path filename, List<String> engineArgs) {
        return new FioEquivalent(ioengine, filename, engineArgs, null);
    }

    public static FioEquivalent none(String reason) {
        return new FioEquivalent(null, null, List.of(), reason);
    }

    /**
     * Why no fio job matches a ring set up with none of the optional flags (the configuration ladder's first rung):
     * fio's io_uring engines always ask for {@code COOP_TASKRUN|SINGLE_ISSUER|DEFER_TASKRUN} where the kernel takes
     * them, with no option to leave them out (fio 3.33: {@code io_uring_setup} flags {@code CQSIZE|COOP_TASKRUN|0x3000}
     * under {@code strace}), so fio's figure there would be the next rung's ring beside jring's plain one.
     */
    public static final String NO_PLAIN_RING = "no fio job sets up a plain ring: fio's io_uring engines always ask for"
            + " COOP_TASKRUN|SINGLE_ISSUER|DEFER_TASKRUN, the next rung's ring, which is where fio's figure compares";

    /**
     * fio's io_uring engine {@code ioengine} on {@code filename} with {@code engineArgs}, or {@link #NO_PLAIN_RING}
     * when the spec's ring has none of fio's setup flags.
     */
    public static FioEquivalent ofRing(String ioengine, Path filename, JobSpec spec, List<String> engineArgs) {
        if (!spec.deferTaskrun() && !spec.sqthreadPoll()) return none(NO_PLAIN_RING);
        return of(ioengine, filename, engineArgs);
    }

    public boolean available() {
        return unavailableReason == null;
    }

    /** fio options shared by the io_uring engines (io_uring, io_uring_cmd), from the spec's tuning options. */
    public static List<String> uringArgs(JobSpec spec) {
        var args = new java.util.ArrayList<String>();
        if (spec.fixedbufs()) args.add("--fixedbufs=1");
        if (spec.registerfiles()) args.add("--registerfiles=1");
        if (spec.sqthreadPoll()) args.add("--sqthread_poll=1");
        if (spec.hipri()) args.add("--hipri=1");
        if (spec.batchSubmit() != 1) args.add("--iodepth_batch_submit=" + spec.batchSubmit());
        if (spec.batchComplete() > 1) args.add("--iodepth_batch_complete_min=" + spec.batchComplete());
        return args;
    }
}
