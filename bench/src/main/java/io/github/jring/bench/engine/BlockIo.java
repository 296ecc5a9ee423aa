package io.github.jring.bench.engine;

import io.github.jring.bench.target.Target;
import io.github.jring.bindings.Uapi;
import io.github.jring.core.ErrnoException;

import java.io.IOException;
import java.nio.file.Path;

/** What the engines that go through the block layer (a file or a block device) share: their checks and messages. */
public final class BlockIo {
    private BlockIo() {
    }

    /** Why a block-layer engine cannot run here, or null. */
    public static String unsupportedReason(Target target, JobSpec spec) {
        if (!target.hasBlockPath()) {
            return "needs a file or block device, and " + target.path() + " has no block device";
        }
        if (spec.direct() && spec.bs() % target.logicalBlockSize() != 0) {
            return "with --direct=1, bs " + spec.bs() + " must be a multiple of the logical block size "
                    + target.logicalBlockSize();
        }
        return null;
    }

    /** The exception for a failed or short transfer of {@code bs} bytes at {@code offset}. */
    public static IOException failure(String call, Path path, int bs, long offset, long result, int errno, JobContext ctx) {
        String what = call + "(" + path + ", " + bs + " bytes at offset " + offset + ")";
        if (result < 0) {
            String hint = null;
            if (errno == Uapi.EINVAL() && ctx.spec().direct()) {
                hint = "O_DIRECT needs bs, offsets and buffers aligned to the logical block size ("
                        + ctx.target().logicalBlockSize() + " B)";
            } else if (errno == Uapi.EOPNOTSUPP() && ctx.spec().hipri()) {
                hint = "--hipri (IOPOLL) needs O_DIRECT and a device with poll queues (NVMe: nvme.poll_queues=N)";
            }
            return new ErrnoException(what, errno, hint);
        }
        return new IOException(what + ": short transfer, " + result + " of " + bs + " bytes");
    }
}
