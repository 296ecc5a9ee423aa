package io.github.jring.bench.cli;

import io.github.jring.bench.engine.FdpSpec;
import io.github.jring.nvme.command.PlacementIds;
import picocli.CommandLine.Option;

import java.util.Arrays;

/**
 * {@code async-pt}'s Flexible Data Placement options, with fio's names: {@code --fdp} and {@code --plids}. A picocli
 * mixin of {@link BenchCommand}, in a block of its own.
 */
public final class FdpOptions {

    @Option(names = "--fdp", defaultValue = "0", arity = "0..1", fallbackValue = "1", paramLabel = "BOOL",
            description = "async-pt: writes carry the Data Placement directive (Flexible Data Placement), like fio's"
                    + " fdp=1. Default: ${DEFAULT-VALUE}.")
    String fdp;

    @Option(names = "--plids", paramLabel = "LIST",
            description = "With --fdp: indexes into the namespace's placement identifiers, used round robin, e.g."
                    + " 0,2-4 (fio's plids). Default: all of them.")
    String plids;

    /**
     * The options, checked.
     *
     * @return the placement
     * @throws IllegalArgumentException for a bad value, or --plids without --fdp
     */
    public FdpSpec spec() {
        boolean on = FioBool.parse(fdp);
        if (plids != null && !on) {
            throw new IllegalArgumentException("--plids needs --fdp");
        }
        if (!on) {
            return FdpSpec.NONE;
        }
        int[] list = plids == null ? new int[0] : PlacementIds.parse(plids);
        return new FdpSpec(true, Arrays.stream(list).boxed().toList());
    }
}
