package io.github.jring.bench.engine;

import io.github.jring.bench.target.Target;

/** What the NVMe passthrough engines (sync-pt, async-pt) share: their checks. */
public final class Passthrough {
    /** Largest transfer one NVMe read/write describes: NLB is a 16-bit, 0-based count of logical blocks. */
    private static final long MAX_LBAS = 65536;

    private Passthrough() {
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
}
