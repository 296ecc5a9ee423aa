package io.github.jring.bench.engine;

import io.github.jring.bench.target.Target;
import io.github.jring.nvme.NvmeNamespace;
import io.github.jring.nvme.status.PassthroughOutcome;

import java.io.IOException;

/** What the NVMe passthrough engines (sync-pt, async-pt) share: their checks, the namespace handle, the messages. */
public final class PassthroughNamespace {
    /** Largest transfer one NVMe read/write describes: NLB is a 16-bit, 0-based count of logical blocks. */
    private static final long MAX_LBAS = 65536;

    private PassthroughNamespace() {
    }

    /** Why a passthrough engine cannot run here, or null. */
    public static String unsupportedReason(Target target, JobSpec spec) {
        if (!target.hasCharDevice()) {
            return "needs an NVMe generic char device (/dev/ngXnY), and the target " + target.path() + " is a "
                    + target.kind().label() + " without one";
        }
        int lba = target.logicalBlockSize();
        if (spec.bs() % lba != 0) {
            return "bs " + spec.bs() + " is not a multiple of the namespace's LBA size " + lba;
        }
        if (spec.bs() / lba > MAX_LBAS) {
            return "bs " + spec.bs() + " is more than one NVMe command can carry (" + MAX_LBAS + " LBAs)";
        }
        return null;
    }

    /**
     * Opens the target's namespace with jring-nvme for one job: read-write when the job writes, else read-only (all
     * that reads need, and from Linux 6.2 all an unprivileged user with read permission on the node may have).
     */
    static NvmeNamespace open(JobContext ctx) throws IOException {
        Target t = ctx.target();
        NvmeNamespace ns = ctx.spec().writes() ? NvmeNamespace.open(t.charDevice())
                : NvmeNamespace.openReadOnly(t.charDevice());
        if (ns.nsid() != t.nsid()) {
            ns.close();
            throw new IOException(t.charDevice() + " is namespace " + ns.nsid() + " now, not " + t.nsid());
        }
        return ns;
    }

    /**
     * An NVMe status field (a CQE's or the ioctl's result {@code > 0}) as the bench prints it: the raw field, then
     * jring-nvme's description, for example {@code "NVMe status 0x4002: Invalid Field in Command (SCT 0h, SC 02h,
     * DNR)"}.
     */
    static String describeStatus(int status) {
        // NvmeStatus takes the 15-bit field only; anything wider is not one (and must not throw from an error path).
        return String.format("NVMe status 0x%04x: %s", status,
                status <= 0x7FFF ? PassthroughOutcome.describe(status) : "not an NVMe status field");
    }
}
