package io.github.jring.bench.engine;

import io.github.jring.bench.target.Target;
import io.github.jring.bindings.Uapi;
import io.github.jring.core.ErrnoException;
import io.github.jring.core.IoUring;
import io.github.jring.core.Sqe;
import io.github.jring.nvme.NvmeNamespace;
import io.github.jring.nvme.NvmeQueue;
import io.github.jring.nvme.pi.PiLayout;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Asynchronous NVMe passthrough: NVMe Read/Write commands as {@code IORING_OP_URING_CMD} with
 * {@code NVME_URING_CMD_IO} (Linux 5.19) on the namespace's generic char device {@code /dev/ngXnY}, on an
 * {@code SQE128|CQE32} ring, {@code iodepth} in flight. The namespace is opened with jring-nvme's
 * {@link NvmeNamespace}; each slot has its own NVMe Read and Write command on its buffer, and an I/O sets the
 * command's starting LBA and has {@link NvmeQueue#prepare} (or {@link NvmeQueue#prepareFixed} for
 * {@code --fixedbufs}, which sets {@code IORING_URING_CMD_FIXED} with the slot's buffer index, Linux 6.1) write the
 * 72-byte {@code struct nvme_uring_cmd} into the SQE on jring-core's ring, which this engine sets up, submits and
 * reaps itself ({@link UringJob}) so that {@code --registerfiles}, {@code --sqthread_poll}, {@code --hipri} (an
 * IOPOLL ring, Linux 6.1; the driver needs poll queues) and the batch options act on it as on {@code uring-block}'s.
 * A completion's {@code res} is 0 on success, the NVMe status field when the device failed the command, or
 * {@code -errno}. fio's equivalent is {@code io_uring_cmd} with {@code cmd_type=nvme}. With {@code --api futures} or
 * {@code vthreads} the same commands go through jring-nvme's {@code AsyncNamespace} instead ({@link AsyncNamespaceIo}),
 * whose builder takes {@code --fixedbufs} (the slots' buffers registered), {@code --hipri} and {@code --sqthread_poll}.
 */
public final class AsyncPassthroughEngine implements Engine {
    private static final int EOPNOTSUPP = Uapi.EOPNOTSUPP();
    private static final int EINVAL = Uapi.EINVAL();

    @Override
    public String name() {
        return "async-pt";
    }

    @Override
    public String description() {
        return "NVMe read/write as io_uring URING_CMD on /dev/ngXnY (jring-nvme's NvmeQueue.prepare on jring-core's ring), iodepth in flight (fio: io_uring_cmd)";
    }

    @Override
    public Set<Tuning> honours() {
        return EnumSet.allOf(Tuning.class);
    }

    /** {@code AsyncNamespace}'s builder options: registered buffers, IOPOLL rings, an SQ thread. */
    @Override
    public Set<Tuning> apiHonours() {
        return EnumSet.of(Tuning.FIXEDBUFS, Tuning.HIPRI, Tuning.SQTHREAD_POLL);
    }

    @Override
    public Set<Api> apis() {
        return EnumSet.allOf(Api.class);
    }

    @Override
    public int order() {
        return 30;
    }

    @Override
    public boolean inDefaultSet(Target target) {
        return target.hasCharDevice();
    }

    @Override
    public String unsupportedReason(Target target, JobSpec spec) {
        return PassthroughNamespace.unsupportedReason(target, spec);
    }

    @Override
    public FioEquivalent fioEquivalent(Target target, JobSpec spec) {
        // Passthrough is direct by nature, and fio refuses O_DIRECT on the char device: --direct=0 there.
        List<String> args = new java.util.ArrayList<>(List.of("--cmd_type=nvme", "--direct=0"));
        args.addAll(FioEquivalent.uringArgs(spec));
        FdpSpec fdp = spec.fdp();
        if (fdp.fdp()) {
            if (!FioFdpSupport.available()) {
                return FioEquivalent.none(FioFdpSupport.missingReason());
            }
            args.addAll(fdp.fioArgs());
        }
        PiSpec pi = spec.pi();
        if (pi.enabled()) {
            if (!FioPiSupport.available()) {
                return FioEquivalent.none(FioPiSupport.missingReason());
            }
            args.addAll(pi.fioArgs());
        }
        return FioEquivalent.ofRing("io_uring_cmd", target.charDevice(), spec, args);
    }

    @Override
    public EngineJob open(JobContext ctx) throws IOException {
        JobSpec spec = ctx.spec();
        if (spec.fdp().fdp() && spec.api() != Api.RAW) {
            throw new IOException("async-pt: --fdp is for --api raw; the futures and vthreads APIs send AsyncNamespace's"
                    + " writes without a placement");
        }
        if (spec.pi().enabled() && spec.api() != Api.RAW) {
            throw new IOException("async-pt: the protection options (--pi_act, --pi_chk, --apptag, --md_per_io_size)"
                    + " are for --api raw; the futures and vthreads APIs send AsyncNamespace's reads without them");
        }
        switch (spec.api()) {
            case FUTURES -> {
                return new FuturesJob(ctx, AsyncNamespaceIo.open(ctx));
            }
            case VTHREADS -> {
                return new VirtualThreadsJob(ctx, AsyncNamespaceIo.open(ctx));
            }
            case RAW -> {
            }
        }
        NvmeNamespace ns = PassthroughNamespace.open(ctx);
        IoUring ring = null;
        try {
            ring = FioRingSetup.open(IoUring.builder().sqe128().cqe32(), spec, spec.iodepth());
            return new Job(ctx, ring, ns);
        } catch (IOException | RuntimeException e) {
            if (ring != null) ring.close();
            ns.close();
            throw e;
        }
    }

    private static final class Job extends UringJob {
        private final NvmeNamespace ns;
        private final Path path;
        private final PassthroughSlots slots;

        Job(JobContext ctx, IoUring ring, NvmeNamespace ns) throws IOException {
            super(ctx, ring);
            this.ns = ns;
            this.path = ns.path();
            JobSpec spec = ctx.spec();
            int fd = ns.fd();
            if (spec.registerfiles()) ring.registerFiles(fd);
            if (spec.fixedbufs()) ring.registerBuffers(slotBuffers);
            this.slots = new PassthroughSlots(ns.nsid(), ctx.target().logicalBlockSize(), bs, slotBuffers,
                    spec.registerfiles() ? 0 : fd, spec.registerfiles(), spec.fixedbufs());
            FdpSpec fdp = spec.fdp();
            if (fdp.fdp()) {
                slots.placement(fdp.placementIds(ns));
            }
            PiSpec pi = spec.pi();
            if (pi.enabled()) {
                protect(pi, ns, spec);
            }
        }

        /** Sets the slots' protection after checking that the namespace's format and the options fit together. */
        private void protect(PiSpec pi, NvmeNamespace ns, JobSpec spec) throws IOException {
            PiLayout layout = ns.protection();
            if (!layout.enabled()) {
                throw new IOException("async-pt: protection options given, but " + path + " is formatted without"
                        + " protection information (Identify Namespace DPS is 0)");
            }
            int prinfo = pi.prinfo();
            if (layout.extended() && !layout.movesNoMetadata(prinfo)) {
                throw new IOException("async-pt: with pi_act=0 (or metadata larger than the protection tuple) an"
                        + " extended-LBA format moves each block's " + layout.metadataSize() + " metadata bytes in the"
                        + " data buffer, which jring-bench's data-only --bs does not hold: use --pi_act=1 on a format"
                        + " whose metadata is the tuple, or a format with separate metadata and --md_per_io_size");
            }
            if (!pi.piAct() && spec.rw() != Rw.READ && spec.rw() != Rw.RANDREAD) {
                throw new IOException("async-pt: writes with pi_act=0 need protection information computed per I/O,"
                        + " which jring-bench does not do; write with --pi_act=1 (the controller computes it)");
            }
            int need = layout.metadataBytesPerBlock(prinfo) * (bs / ns.lbaSize());
            MemorySegment[] metadata = null;
            if (need > 0) {
                if (pi.mdPerIoSize() < need) {
                    throw new IOException("async-pt: each I/O moves " + need + " bytes of separate metadata on "
                            + path + ": --md_per_io_size must be at least " + need);
                }
                metadata = new MemorySegment[slotBuffers.length];
                MemorySegment all = ctx.allocateBuffer((long) need * slotBuffers.length);
                for (int i = 0; i < metadata.length; i++) {
                    metadata[i] = all.asSlice((long) i * need, need);
                }
            }
            long referenceMask = layout.referenceTagBits() >= 64 ? -1L : (1L << layout.referenceTagBits()) - 1;
            slots.protection(prinfo, pi.appTag(), pi.appTagMask(), referenceMask, metadata);
        }

        @Override
        protected void prepare(Sqe sqe, int slot, boolean isRead, long offset) {
            slots.prepare(sqe, slot, isRead, offset);
        }

        @Override
        protected IOException failure(int res, boolean isRead, long offset) {
            if (res == 0) return null;
            String what = "NVMe " + (isRead ? "read" : "write") + " via URING_CMD on " + path + " (" + bs
                    + " bytes at offset " + offset + ")";
            if (res > 0) return new IOException(what + ": " + PassthroughNamespace.describeStatus(res));
            String hint = -res == EOPNOTSUPP && ctx.spec().hipri()
                    ? "--hipri (IOPOLL) passthrough needs Linux 6.1 and NVMe poll queues (nvme.poll_queues=N)"
                    : -res == EINVAL && ctx.spec().fixedbufs()
                    ? "fixed-buffer passthrough needs Linux 6.1" : null;
            return new ErrnoException(what, -res, hint);
        }

        @Override
        protected void closeResources() {
            ns.close();
        }
    }
}
