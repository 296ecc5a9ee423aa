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
