package io.github.jring.bench.engine;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The io_uring tuning options that --vs-fio hands to fio, with fio's meaning of each value. */
class FioEquivalentTest {

    private static JobSpec spec(int batchSubmit, int batchComplete, boolean fixedbufs) {
        return new JobSpec(Rw.RANDREAD, 50, 4096, 32, 32, 1, 1 << 20, 1_000_000_000L, 0, 0, true, fixedbufs,
                false, false, false, batchSubmit, batchComplete, false, 1);
    }

    @Test
    void defaultsLeaveFioAtItsDefaults() {
        assertEquals(List.of(), FioEquivalent.uringArgs(spec(1, 1, false)));
    }

    @Test
    void batchSubmitZeroIsPassedOnAsFiosWholeIodepth() {
        assertEquals(List.of("--iodepth_batch_submit=0"), FioEquivalent.uringArgs(spec(0, 1, false)));
    }

    @Test
    void batchSizesAndTuningArePassedOn() {
        assertEquals(List.of("--fixedbufs=1", "--iodepth_batch_submit=8", "--iodepth_batch_complete_min=4"),
                FioEquivalent.uringArgs(spec(8, 4, true)));
    }
}
