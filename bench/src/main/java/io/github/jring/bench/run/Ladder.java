package io.github.jring.bench.run;

import io.github.jring.bench.engine.Engine;
import io.github.jring.bench.engine.Engines;
import io.github.jring.bench.engine.JobSpec;
import io.github.jring.bench.target.BlockDevices;
import io.github.jring.bench.target.Target;

import java.util.ArrayList;
import java.util.List;

/**
 * The configuration ladder ({@code --ladder}): what each io_uring feature buys on one core, each rung the one below
 * plus one feature, measured in turn on the same target with one job. The rungs follow the published ladders (VLDB'26,
 * "High-Performance DBMSs with io_uring"; fio's {@code t/io_uring}): a ring with no optional flags;
 * {@code + COOP_TASKRUN|SINGLE_ISSUER|DEFER_TASKRUN}; {@code + registered ring fd and file}; {@code + registered
 * buffers}; {@code + batched submit and complete}; on an NVMe namespace {@code + NVMe passthrough} (URING_CMD on the
 * char device of the same namespace); {@code + IOPOLL} where the device polls; and {@code + SQPOLL} beside the top
 * rung, as its own column, since its kernel thread takes a second core. The block-layer rungs run {@code uring-block}
 * on the target's file or block device, the passthrough rungs {@code async-pt}.
 *
 * <p>{@code --peak} is the top of the ladder the way {@code t/io_uring} measures a core's maximum: QD 128, batches of
 * 32 submitted and completed, fixed file and buffers, polled where the device can, at 512 B and 4 KiB.
 *
 * @see Rung
 */
public final class Ladder {
    /** {@code t/io_uring}'s depth and batch. */
    public static final int PEAK_DEPTH = 128, PEAK_BATCH = 32;
    /** Block sizes of {@code --peak}. */
    public static final List<Integer> PEAK_SIZES = List.of(512, 4096);

    private Ladder() {
    }

    /**
     * One rung.
     *
     * @param name    what the table prints, e.g. {@code + registered buffers}
     * @param engine  the engine that runs it
     * @param spec    its job spec
     * @param beside  true for a column beside the ladder (SQPOLL): the next rung does not build on it
     * @param below   the index of the rung it builds on (its ratio is to that one), or -1 for the first
     * @param skipped why it cannot run here, or null
     */
    public record Rung(String name, Engine engine, JobSpec spec, boolean beside, int below, String skipped) {
    }

    /** A rung and what it measured (null when it was skipped). */
    public record Step(Rung rung, RunResult result) {
        /** True when the rung ran and measured something. */
        public boolean measured() {
            return result != null && !result.failed() && result.reportedIops() > 0;
        }
    }

    /**
     * The step that {@code steps.get(i)} is compared with: the rung it builds on, or, when that one did not measure
     * (skipped, failed), the one that one builds on, and so on; null for none.
     */
    public static Step below(List<Step> steps, int i) {
        int b = steps.get(i).rung().below();
        while (b >= 0 && !steps.get(b).measured()) b = steps.get(b).rung().below();
        return b >= 0 ? steps.get(b) : null;
    }

    /** The batch of the batched rungs at {@code depth}: a quarter of it, 1 to {@link #PEAK_BATCH} (32 at QD 128). */
    public static int batch(int depth) {
        return Math.max(1, Math.min(PEAK_BATCH, depth / 4));
    }

    /** The ladder's rungs on {@code target} from {@code base} (its depth, bs, rw, runtime; its tuning is replaced). */
    public static List<Rung> rungs(Target target, JobSpec base) {
        Engine block = Engines.byName("uring-block");
        Engine pt = Engines.byName("async-pt");
        int b = batch(base.iodepth());
        JobSpec s = base.withTuning(false, false, false, false, 1, 1, false, false);
        List<Rung> rungs = new ArrayList<>();
        String noBlock = block.unsupportedReason(target, s);
        rungs.add(rung(rungs, "default", block, s, noBlock));
        s = s.withTuning(true, false, false, false, 1, 1, false, false);
        rungs.add(rung(rungs, "+ SINGLE_ISSUER|DEFER_TASKRUN", block, s, noBlock));
        s = s.withTuning(true, true, true, false, 1, 1, false, false);
        rungs.add(rung(rungs, "+ registered ring fd and file", block, s, noBlock));
        s = s.withTuning(true, true, true, true, 1, 1, false, false);
        rungs.add(rung(rungs, "+ registered buffers", block, s, noBlock));
        s = s.withTuning(true, true, true, true, b, b, false, false);
        rungs.add(rung(rungs, "+ batched submit and complete (" + b + ")", block, s, noBlock));
        Engine top = block;
        if (target.hasCharDevice()) {
            String noPt = pt.unsupportedReason(target, s);
            rungs.add(rung(rungs, "+ NVMe passthrough", pt, s, noPt));
            if (noPt == null) top = pt;
        }
        JobSpec polled = s.withTuning(true, true, true, true, b, b, true, false);
        rungs.add(rung(rungs, "+ IOPOLL", top, polled, pollReason(target, polled)));
        JobSpec sq = s.withTuning(true, true, true, true, b, b, false, true);
        int beneath = rungs.size() - 2; // SQPOLL builds on the rung under IOPOLL
        rungs.add(new Rung("+ SQPOLL (beside; a second core)", top, sq, true, beneath, top.unsupportedReason(target, sq)));
        return rungs;
    }

    /** The {@code --peak} runs: the top rung (block, and passthrough on an NVMe namespace) at 512 B and 4 KiB, QD 128. */
    public static List<Rung> peak(Target target, JobSpec base) {
        List<Rung> rungs = new ArrayList<>();
        for (int bs : PEAK_SIZES) {
            if (target.size() < bs) continue;
            JobSpec s = base.withBs(bs).withIodepth(PEAK_DEPTH, PEAK_DEPTH)
                    .withTuning(true, true, true, true, PEAK_BATCH, PEAK_BATCH, false, false);
            boolean poll = pollReason(target, s.withTuning(true, true, true, true, PEAK_BATCH, PEAK_BATCH, true, false)) == null;
            JobSpec top = poll ? s.withTuning(true, true, true, true, PEAK_BATCH, PEAK_BATCH, true, false) : s;
            String how = (poll ? "polled" : "interrupts") + ", " + bs + " B";
            Engine block = Engines.byName("uring-block");
            rungs.add(new Rung("block I/O, " + how, block, top, false, -1, block.unsupportedReason(target, top)));
            if (target.hasCharDevice()) {
                Engine pt = Engines.byName("async-pt"); // its ratio is to the block I/O at the same size
                rungs.add(rung(rungs, "NVMe passthrough, " + how, pt, top, pt.unsupportedReason(target, top)));
            }
        }
        return rungs;
    }

    private static Rung rung(List<Rung> rungs, String name, Engine engine, JobSpec spec, String skipped) {
        return new Rung(name, engine, spec, false, rungs.size() - 1, skipped);
    }

    /**
     * Why polled completions cannot work here, or null when they may: IOPOLL needs O_DIRECT, and a block device whose
     * queue polls ({@code queue/io_poll} is 1; NVMe has poll queues only with {@code nvme.poll_queues=N}); for a file,
     * the device its file system sits on.
     */
    public static String pollReason(Target target, JobSpec spec) {
        if (!spec.direct()) return "IOPOLL needs O_DIRECT (--direct=1)";
        if (!target.hasBlockPath()) return "no block device to ask sysfs whether the namespace's queues poll";
        Boolean polls = BlockDevices.polls(target.blockPath());
        // An IOPOLL ring on a queue that does not poll never sees its completions: the run would spin, not fail.
        if (polls == null) return "sysfs cannot tell whether the device under " + target.blockPath() + " polls";
        if (!polls) return "the device has no poll queues (queue/io_poll is 0; NVMe: nvme.poll_queues=N)";
        return null;
    }

    /** True when a failed rung's error says the device cannot poll, so the ladder reports it as skipped. */
    public static boolean pollRefused(Rung rung, String error) {
        return rung.spec().hipri() && error != null && (error.contains("EOPNOTSUPP") || error.contains("not supported"));
    }
}
