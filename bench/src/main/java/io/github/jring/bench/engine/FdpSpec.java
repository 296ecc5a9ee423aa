package io.github.jring.bench.engine;

import io.github.jring.nvme.NvmeNamespace;
import io.github.jring.nvme.command.IoManagementReceive;
import io.github.jring.nvme.data.ReclaimUnitHandleStatus;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Flexible Data Placement for {@code async-pt}'s writes, as fio's {@code fdp=1} and {@code plids=} set it: every
 * write carries the Data Placement directive with a placement identifier taken round robin (fio's default
 * {@code fdp_pli_select=roundrobin}) from a list of indexes into the namespace's placement identifiers (the Reclaim
 * Unit Handle Status list, as fio reads it).
 *
 * <p>The command line's options travel in the run's configuration and in each job's {@link JobSpec#fdp()}, which
 * the engine reads when it opens a job.
 *
 * @param fdp   whether writes carry a placement
 * @param plids indexes into the namespace's placement identifiers; empty for all of them
 */
public record FdpSpec(boolean fdp, List<Integer> plids) {

    /** No placement. */
    public static final FdpSpec NONE = new FdpSpec(false, List.of());

    /** The canonical constructor, copying the list. */
    public FdpSpec {
        plids = List.copyOf(plids);
    }

    /**
     * The placement identifiers of {@code ns} this spec selects, in order: the namespace's Reclaim Unit Handle
     * Status (I/O Management Receive) gives its identifiers; an index it does not have is refused here, before any
     * write.
     *
     * @param ns the namespace
     * @return the placement identifiers to cycle through
     * @throws IOException if the namespace has no FDP, or an index is beyond its placement identifiers
     */
    public int[] placementIds(NvmeNamespace ns) throws IOException {
        ReclaimUnitHandleStatus status;
        try {
            // A page holds 127 descriptors; a namespace with more is read again with room for all of them. (qemu
            // 10 answered a 8208-byte buffer, 256 descriptors' worth, with Data SGL Length Invalid.)
            status = readStatus(ns, 4096);
            if (status.count() > status.descriptors().size()) {
                status = readStatus(ns, (16 + 32L * status.count() + 4095) & ~4095L);
            }
        } catch (IOException e) {
            throw new IOException("--fdp: " + ns.path() + " answers no Reclaim Unit Handle Status (is it a Flexible Data"
                    + " Placement namespace?): " + e.getMessage(), e);
        }
        int n = status.descriptors().size();
        if (n == 0) {
            throw new IOException("--fdp: " + ns.path() + " has no placement handles");
        }
        List<Integer> indexes = plids.isEmpty() ? java.util.stream.IntStream.range(0, n).boxed().toList() : plids;
        int[] pids = new int[indexes.size()];
        for (int i = 0; i < pids.length; i++) {
            int idx = indexes.get(i);
            if (idx >= n) {
                throw new IOException("--plids " + idx + ": " + ns.path() + " has " + n + " placement identifiers"
                        + " (indexes 0 to " + (n - 1) + ")");
            }
            pids[i] = status.descriptors().get(idx).placementId();
        }
        return pids;
    }

    private static ReclaimUnitHandleStatus readStatus(NvmeNamespace ns, long bytes) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(bytes, 4096);
            ns.execute(IoManagementReceive.reclaimUnitHandleStatus(ns.nsid(), buf));
            return ReclaimUnitHandleStatus.decode(buf);
        }
    }

    /**
     * fio's options for this placement ({@code --fdp=1 --plids=...}).
     *
     * @return the options; empty without FDP
     */
    public List<String> fioArgs() {
        if (!fdp) {
            return List.of();
        }
        return plids.isEmpty() ? List.of("--fdp=1")
                : List.of("--fdp=1", "--plids=" + plids.stream().map(String::valueOf).collect(Collectors.joining(",")));
    }

    @Override
    public String toString() {
        return fdp ? "fdp plids=" + (plids.isEmpty() ? "all" : Arrays.toString(plids.toArray())) : "no fdp";
    }
}
