package io.github.jring.nvme;

import io.github.jring.nvme.status.PassthroughOutcome;
import io.github.jring.nvme.status.NvmeStatus;

/**
 * Receives NVMe passthrough completions from {@link NvmeQueue#reap} and {@link NvmeQueue#waitAndReap}. Keep one
 * instance (a field, or a lambda capturing nothing) so reaping allocates nothing.
 */
@FunctionalInterface
public interface NvmeCompletionHandler {

    /**
     * One completion.
     *
     * @param userData the {@code user_data} given when the command was prepared
     * @param res      0 success, {@code > 0} the NVMe status ({@link NvmeStatus}), {@code < 0} {@code -errno}; see
     *                 {@link PassthroughOutcome#check(int, String)}
     * @param result   the completion's Dword 0 (low half) and Dword 1 (high half), {@code big_cqe[0]}: the LBA of a
     *                 Zone Append, the value of a Get Features ...
     */
    void complete(long userData, int res, long result);
}
