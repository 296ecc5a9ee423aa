package io.github.jring.bench.cli;

import io.github.jring.bench.engine.PiSpec;
import picocli.CommandLine.Option;

/**
 * fio's end-to-end protection options ({@code io_uring_cmd}), for {@code async-pt}: a picocli mixin of
 * {@link BenchCommand}, kept apart so that the protection options stay one block.
 */
public final class PiOptions {

    @Option(names = "--md_per_io_size", defaultValue = "0", converter = Converters.Size.class, paramLabel = "SIZE",
            description = "async-pt: bytes of the separate metadata buffer of each I/O, where metadata moves"
                + " (pi_act=0 on a format with separate metadata). Default: 0.")
    long mdPerIoSize;

    @Option(names = "--pi_act", defaultValue = "0", arity = "0..1", fallbackValue = "1", paramLabel = "0|1",
            description = "async-pt: PRACT, the controller inserts (writes) or strips (reads) the protection"
                + " information. Default: 0.")
    String piAct;

    @Option(names = "--pi_chk", paramLabel = "GUARD,REFTAG,APPTAG",
            description = "async-pt: which protection fields the controller checks. Default: none.")
    String piChk;

    @Option(names = "--apptag", defaultValue = "0x1234", paramLabel = "N",
            description = "async-pt: the Application Tag. Default: ${DEFAULT-VALUE} (fio's).")
    String apptag;

    @Option(names = "--apptag_mask", defaultValue = "0xffff", paramLabel = "N",
            description = "async-pt: which Application Tag bits are checked. Default: ${DEFAULT-VALUE}.")
    String apptagMask;

    /**
     * The options as a spec.
     *
     * @return the spec
     * @throws IllegalArgumentException with the option's name when a value is wrong
     */
    PiSpec spec() {
        if (mdPerIoSize > Integer.MAX_VALUE) throw new IllegalArgumentException("--md_per_io_size is too large");
        boolean act;
        try {
            act = FioBool.parse(piAct);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--pi_act: " + e.getMessage());
        }
        int tag = number("--apptag", apptag);
        int mask = number("--apptag_mask", apptagMask);
        try {
            return new PiSpec((int) mdPerIoSize, act, PiSpec.parsePiChk(piChk), tag, mask);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--" + e.getMessage());
        }
    }

    private static int number(String option, String value) {
        try {
            int v = Integer.decode(value.trim());
            if (v < 0 || v > 0xFFFF) throw new IllegalArgumentException(option + " must be 0..0xffff, not " + value);
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a number, not '" + value + "'");
        }
    }
}
