package io.github.jring.bench.engine;

/**
 * What one run asks of every job, in fio's terms. Immutable; the same for all {@code numjobs} jobs of a run.
 *
 * @param rw               direction and order ({@code --rw})
 * @param rwmixread        read share in percent for the mixed patterns ({@code --rwmixread})
 * @param bs               bytes per I/O ({@code --bs})
 * @param iodepth          I/Os each job keeps in flight: the requested depth, or 1 for a {@link Engine#synchronous()} engine
 * @param requestedIodepth what {@code --iodepth} asked for (differs from {@code iodepth} for synchronous engines)
 * @param numjobs          jobs (threads, each with its own fd and ring) that run at once ({@code --numjobs})
 * @param size             bytes of the target the offsets cover, from 0 ({@code --size}); a multiple of {@code bs}
 * @param runtimeNanos     how long the measured part lasts ({@code --runtime}); 0 = no time limit
 * @param rampNanos        how long to run before measuring ({@code --ramp_time})
 * @param numberIos        stop each job after this many I/Os ({@code --number_ios}); 0 = no limit
 * @param direct           open with {@code O_DIRECT} ({@code --direct})
 * @param fixedbufs        register the I/O buffers with the ring ({@code --fixedbufs})
 * @param registerfiles    register the fd with the ring ({@code --registerfiles})
 * @param sqthreadPoll     a kernel thread polls the submission queue ({@code --sqthread_poll})
 * @param hipri            polled completions, IOPOLL ({@code --hipri})
 * @param batchSubmit      submit when this many I/Os are prepared ({@code --iodepth_batch_submit}); 1 = each, 0 = iodepth (as fio)
 * @param batchComplete    wait for at least this many completions ({@code --iodepth_batch_complete}); 0 or 1 = one
 * @param verify           write a known pattern and check every byte read against it ({@code --verify=pattern})
 * @param randseed         seed of the offset and read/write choice generator ({@code --randseed})
 * @param api              which of jring's APIs the job drives ({@code --api}); {@link Api#RAW} for the engines without one
 * @param deferTaskrun     the io_uring engines ask for {@code COOP_TASKRUN|SINGLE_ISSUER|DEFER_TASKRUN} (as fio does);
 *                         false sets the ring up with no optional flags (the ladder's first rung)
 * @param registerRing     the io_uring engines register the ring's fd ({@code IORING_REGISTER_RING_FDS}), so that
 *                         {@code io_uring_enter} skips the fd lookup (the ladder's registered-ring rung)
 * @param fdp              Flexible Data Placement of {@code async-pt}'s writes ({@code --fdp}, {@code --plids})
 * @param pi               end-to-end protection of {@code async-pt}'s I/Os ({@code --pi_act}, {@code --pi_chk},
 *                         {@code --apptag}, {@code --apptag_mask}, {@code --md_per_io_size})
 */
public record JobSpec(Rw rw, int rwmixread, int bs, int iodepth, int requestedIodepth, int numjobs, long size,
                      long runtimeNanos, long rampNanos, long numberIos, boolean direct, boolean fixedbufs,
                      boolean registerfiles, boolean sqthreadPoll, boolean hipri, int batchSubmit, int batchComplete,
                      boolean verify, long randseed, Api api, boolean deferTaskrun, boolean registerRing, FdpSpec fdp,
                      PiSpec pi) {

    public JobSpec {
        if (bs <= 0) throw new IllegalArgumentException("bs must be positive: " + bs);
        if (iodepth <= 0) throw new IllegalArgumentException("iodepth must be positive: " + iodepth);
        if (numjobs <= 0) throw new IllegalArgumentException("numjobs must be positive: " + numjobs);
        if (rwmixread < 0 || rwmixread > 100) throw new IllegalArgumentException("rwmixread must be 0..100: " + rwmixread);
        if (size < bs) throw new IllegalArgumentException("size " + size + " is smaller than bs " + bs);
        if (api == null) throw new IllegalArgumentException("api must not be null");
        if (fdp == null) fdp = FdpSpec.NONE;
        if (pi == null) pi = PiSpec.NONE;
    }

    /** A spec without placement or protection options. */
    public JobSpec(Rw rw, int rwmixread, int bs, int iodepth, int requestedIodepth, int numjobs, long size,
                   long runtimeNanos, long rampNanos, long numberIos, boolean direct, boolean fixedbufs,
                   boolean registerfiles, boolean sqthreadPoll, boolean hipri, int batchSubmit, int batchComplete,
                   boolean verify, long randseed, Api api, boolean deferTaskrun, boolean registerRing) {
        this(rw, rwmixread, bs, iodepth, requestedIodepth, numjobs, size, runtimeNanos, rampNanos, numberIos, direct,
                fixedbufs, registerfiles, sqthreadPoll, hipri, batchSubmit, batchComplete, verify, randseed, api,
                deferTaskrun, registerRing, FdpSpec.NONE, PiSpec.NONE);
    }

    /** A spec with the io_uring engines' usual ring setup: fio's flags, the ring fd not registered. */
    public JobSpec(Rw rw, int rwmixread, int bs, int iodepth, int requestedIodepth, int numjobs, long size,
                   long runtimeNanos, long rampNanos, long numberIos, boolean direct, boolean fixedbufs,
                   boolean registerfiles, boolean sqthreadPoll, boolean hipri, int batchSubmit, int batchComplete,
                   boolean verify, long randseed, Api api) {
        this(rw, rwmixread, bs, iodepth, requestedIodepth, numjobs, size, runtimeNanos, rampNanos, numberIos, direct,
                fixedbufs, registerfiles, sqthreadPoll, hipri, batchSubmit, batchComplete, verify, randseed, api, true,
                false);
    }

    /** A spec for the raw API, the only one every engine has. */
    public JobSpec(Rw rw, int rwmixread, int bs, int iodepth, int requestedIodepth, int numjobs, long size,
                   long runtimeNanos, long rampNanos, long numberIos, boolean direct, boolean fixedbufs,
                   boolean registerfiles, boolean sqthreadPoll, boolean hipri, int batchSubmit, int batchComplete,
                   boolean verify, long randseed) {
        this(rw, rwmixread, bs, iodepth, requestedIodepth, numjobs, size, runtimeNanos, rampNanos, numberIos, direct,
                fixedbufs, registerfiles, sqthreadPoll, hipri, batchSubmit, batchComplete, verify, randseed, Api.RAW);
    }

    /** The same spec at another depth: {@code iodepth} is what runs, {@code requested} what the user asked for. */
    public JobSpec withIodepth(int iodepth, int requested) {
        return new JobSpec(rw, rwmixread, bs, iodepth, requested, numjobs, size, runtimeNanos, rampNanos, numberIos,
                direct, fixedbufs, registerfiles, sqthreadPoll, hipri, batchSubmit, batchComplete, verify, randseed, api,
                deferTaskrun, registerRing, fdp, pi);
    }

    /** The same spec with another timing: a warm-up run lasts {@code runtimeNanos}, no ramp, no I/O limit. */
    public JobSpec withRuntime(long runtimeNanos) {
        return new JobSpec(rw, rwmixread, bs, iodepth, requestedIodepth, numjobs, size, runtimeNanos, 0, 0,
                direct, fixedbufs, registerfiles, sqthreadPoll, hipri, batchSubmit, batchComplete, verify, randseed, api,
                deferTaskrun, registerRing, fdp, pi);
    }

    /** The same spec driving {@code api}. */
    public JobSpec withApi(Api api) {
        return new JobSpec(rw, rwmixread, bs, iodepth, requestedIodepth, numjobs, size, runtimeNanos, rampNanos,
                numberIos, direct, fixedbufs, registerfiles, sqthreadPoll, hipri, batchSubmit, batchComplete, verify,
                randseed, api, deferTaskrun, registerRing, fdp, pi);
    }

    /** The same spec with another block size (the peak runs 512 B and 4 KiB). */
    public JobSpec withBs(int bs) {
        return new JobSpec(rw, rwmixread, bs, iodepth, requestedIodepth, numjobs, size - size % bs, runtimeNanos,
                rampNanos, numberIos, direct, fixedbufs, registerfiles, sqthreadPoll, hipri, batchSubmit, batchComplete,
                verify, randseed, api, deferTaskrun, registerRing, fdp, pi);
    }

    /** The same spec with other io_uring tuning: what one rung of the configuration ladder sets. */
    public JobSpec withTuning(boolean deferTaskrun, boolean registerRing, boolean registerfiles, boolean fixedbufs,
                              int batchSubmit, int batchComplete, boolean hipri, boolean sqthreadPoll) {
        return new JobSpec(rw, rwmixread, bs, iodepth, requestedIodepth, numjobs, size, runtimeNanos, rampNanos,
                numberIos, direct, fixedbufs, registerfiles, sqthreadPoll, hipri, batchSubmit, batchComplete, verify,
                randseed, api, deferTaskrun, registerRing, fdp, pi);
    }

    /** The same spec with {@code async-pt}'s placement options. */
    public JobSpec withPlacement(FdpSpec fdp) {
        return new JobSpec(rw, rwmixread, bs, iodepth, requestedIodepth, numjobs, size, runtimeNanos, rampNanos,
                numberIos, direct, fixedbufs, registerfiles, sqthreadPoll, hipri, batchSubmit, batchComplete, verify,
                randseed, api, deferTaskrun, registerRing, fdp, pi);
    }

    /** The same spec with {@code async-pt}'s protection options. */
    public JobSpec withProtection(PiSpec pi) {
        return new JobSpec(rw, rwmixread, bs, iodepth, requestedIodepth, numjobs, size, runtimeNanos, rampNanos,
                numberIos, direct, fixedbufs, registerfiles, sqthreadPoll, hipri, batchSubmit, batchComplete, verify,
                randseed, api, deferTaskrun, registerRing, fdp, pi);
    }

    /** The read share in percent (100 for read/randread, 0 for write/randwrite). */
    public int readPercent() {
        return rw.readPercent(rwmixread);
    }

    /** True if any I/O of this spec writes. */
    public boolean writes() {
        return rw.writes(rwmixread);
    }

    /** True if any I/O of this spec reads. */
    public boolean reads() {
        return readPercent() > 0;
    }
}
