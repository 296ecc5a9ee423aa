package io.github.jring.bench.engine;

import io.github.jring.bench.fio.Fio;
import io.github.jring.vm.GuestTools;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    @Test
    void thePlainRingHasNoFioJobAndTheNextRungHasFios() {
        JobSpec plain = spec(1, 1, false).withTuning(false, false, false, false, 1, 1, false, false);
        FioEquivalent none = FioEquivalent.ofRing("io_uring", Path.of("/dev/null"), plain, List.of());
        assertFalse(none.available());
        assertEquals(FioEquivalent.NO_PLAIN_RING, none.unavailableReason());
        JobSpec deferred = plain.withTuning(true, false, false, false, 1, 1, false, false);
        assertTrue(FioEquivalent.ofRing("io_uring", Path.of("/dev/null"), deferred, List.of()).available());
        JobSpec sqPoll = plain.withTuning(false, false, false, false, 1, 1, false, true);
        assertTrue(FioEquivalent.ofRing("io_uring", Path.of("/dev/null"), sqPoll, List.of()).available(),
                "SQPOLL is a fio option: the ring's other flags are then fio's own choice as jring's");
    }

    /**
     * The premise of {@link FioEquivalent#NO_PLAIN_RING}, checked against the fio installed here: its io_uring engine
     * sets up the ring with {@code COOP_TASKRUN}, {@code SINGLE_ISSUER} and {@code DEFER_TASKRUN} without being asked.
     */
    @Test
    void fiosIoUringEngineAsksForDeferTaskrunUnasked(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Fio.version().isPresent(), "fio is not installed");
        String strace;
        try {
            strace = GuestTools.which("strace");
        } catch (IllegalStateException e) {
            Assumptions.abort("strace is not installed: " + e.getMessage());
            return;
        }
        Path data = dir.resolve("data");
        Files.write(data, new byte[1 << 20]);
        Path trace = dir.resolve("trace");
        Process p = new ProcessBuilder(strace, "-f", "-e", "trace=io_uring_setup", "-o", trace.toString(),
                Fio.executable(), "--name=plain", "--filename=" + data, "--size=1m", "--rw=randread", "--bs=4k",
                "--ioengine=io_uring", "--iodepth=4", "--number_ios=16", "--output-format=terse")
                .redirectErrorStream(true).redirectOutput(dir.resolve("out").toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "fio under strace did not finish");
        String setup = Files.readAllLines(trace, StandardCharsets.UTF_8).stream()
                .filter(l -> l.contains("io_uring_setup(") && !l.contains("= -1")).findFirst().orElse("");
        Assumptions.assumeFalse(setup.isEmpty(), "strace saw no successful io_uring_setup (ptrace refused?): "
                + Files.readString(dir.resolve("out")));
        assertTrue(setup.contains("COOP_TASKRUN"), setup);
        // strace names the flags it knows; older ones print SINGLE_ISSUER|DEFER_TASKRUN (0x1000|0x2000) as 0x3000.
        assertTrue(setup.contains("0x3000") || setup.contains("SINGLE_ISSUER") && setup.contains("DEFER_TASKRUN"), setup);
    }
}
