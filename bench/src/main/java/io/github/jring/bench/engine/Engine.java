package io.github.jring.bench.engine;

import io.github.jring.bench.target.Target;

import java.io.IOException;
import java.util.Set;

/**
 * An I/O engine: one way of moving blocks between Java and a device, measured the way fio measures its engines.
 *
 * <p><b>Registering an engine.</b> Implement this interface with a public no-argument constructor and list the class
 * in {@code META-INF/services/io.github.jring.bench.engine.Engine} (in bench's resources, or in any jar on the class
 * path): {@link Engines} finds it with {@link java.util.ServiceLoader}, and {@code --engine NAME} selects it.
 *
 * <p><b>What an engine gets.</b> For each run, {@link #open} is called once per job on that job's thread with a
 * {@link JobContext}: the {@link Target} (file or block device path, NVMe char device, nsid, logical block size,
 * size), the {@link JobSpec} (rw mix, bs, the iodepth to keep in flight, numjobs, fixedbufs, registerfiles,
 * sqthread_poll, hipri, batch sizes, direct, verify), the job's offset generator {@link JobContext#pattern()} and
 * page-aligned buffers ({@link JobContext#allocateBuffer}).
 *
 * <p><b>What it must report.</b> {@link EngineJob#run} loops: {@link JobContext#tryIssue} before each I/O (false =
 * stop issuing), {@link JobContext#complete} after each I/O with its direction, the bytes actually moved and its
 * start and end {@link System#nanoTime()}. It checks every result itself (errno, short transfer, NVMe status) and
 * throws on the first failure. With {@link JobSpec#verify()} it calls {@link JobContext#prepareWrite} before each
 * write and {@link JobContext#checkRead} after each read. The framework turns these into IOPS, bandwidth, latency
 * percentiles and CPU per I/O, and drives ramp time, runtime and {@code --number_ios}.
 */
public interface Engine {

    /** The tuning options an engine may honour; {@link #honours} says which. */
    enum Tuning {
        FIXEDBUFS("--fixedbufs"), REGISTERFILES("--registerfiles"), SQTHREAD_POLL("--sqthread_poll"),
        HIPRI("--hipri"), BATCH_SUBMIT("--iodepth_batch_submit"), BATCH_COMPLETE("--iodepth_batch_complete");

        private final String option;

        Tuning(String option) {
            this.option = option;
        }

        public String option() {
            return option;
        }
    }

    /** The name {@code --engine} takes, e.g. {@code psync}. */
    String name();

    /** One line for {@code --enghelp}. */
    String description();

    /**
     * True when a job does one I/O at a time (psync, filechannel, sync-pt): such an engine runs at iodepth 1 whatever
     * {@code --iodepth} says, as fio's psync does, and the output says so.
     */
    default boolean synchronous() {
        return false;
    }

    /** Which tuning options this engine honours; the output names the others as ignored. */
    default Set<Tuning> honours() {
        return Set.of();
    }

    /** Which tuning options the application APIs ({@link Api#FUTURES}, {@link Api#VTHREADS}) honour. */
    default Set<Tuning> apiHonours() {
        return Set.of();
    }

    /**
     * The APIs a job of this engine can drive ({@code --api}): {@link Api#RAW} for every engine; the engines with an
     * application API (a futures and a blocking form) add {@link Api#FUTURES} and {@link Api#VTHREADS}. A job reads
     * which one to drive from {@link JobSpec#api()}; the tuning options of {@link #honours()} apply to the raw one.
     */
    default Set<Api> apis() {
        return Set.of(Api.RAW);
    }

    /** Position in listings, tables and the default set (lower first). */
    default int order() {
        return 100;
    }

    /** True if a run with no {@code --engine} on this target includes this engine. */
    boolean inDefaultSet(Target target);

    /**
     * Why this engine cannot run on this target with this spec (e.g. "needs an NVMe char device; the target is a
     * file"), or null if it can. Checked before anything is opened; the run is then skipped with this message.
     */
    String unsupportedReason(Target target, JobSpec spec);

    /** The fio job measuring the same thing, for {@code --vs-fio}, or {@link FioEquivalent#none} with the reason. */
    FioEquivalent fioEquivalent(Target target, JobSpec spec);

    /** Opens one job's resources (fd, ring, buffers); called on the job's thread. */
    EngineJob open(JobContext ctx) throws IOException;
}
