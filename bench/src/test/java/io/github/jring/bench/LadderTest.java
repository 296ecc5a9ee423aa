package io.github.jring.bench;

import io.github.jring.bench.fio.Fio;
import io.github.jring.bench.target.TempFile;
import io.github.jring.core.internal.Json;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --ladder and --peak on a real file through the real kernel (the NVMe rungs run in NvmeVmIT). */
class LadderTest {
    @TempDir
    Path dir;

    private static final List<String> BLOCK_RUNGS = List.of("default", "+ SINGLE_ISSUER|DEFER_TASKRUN",
            "+ registered ring fd and file", "+ registered buffers", "+ batched submit and complete (4)");

    @Test
    void theLadderRunsEachRungInTurnAndReportsTheRatioToTheRungBelow() throws Exception {
        Path f = dir.resolve("data");
        TempFile.writePattern(f, 8 << 20, true);
        Path svg = dir.resolve("ladder.svg");
        Cli.Result r = Cli.run(dir, "--ladder", "--filename=" + f, "--iodepth=16", "--runtime=100ms", "--warmup=0",
                "--output-format=json", "--plot=" + svg);
        assertEquals(0, r.rc(), r.toString());
        Map<String, Object> root = Json.parseFirstObject(r.out());
        List<?> jobs = (List<?>) root.get("jobs");
        List<?> skipped = (List<?>) root.get("skipped");
        for (int i = 0; i < BLOCK_RUNGS.size(); i++) {
            Object job = jobs.get(i);
            assertEquals(BLOCK_RUNGS.get(i), Json.at(job, "jring", "rung"), r.out());
            assertEquals("uring-block", Json.at(job, "jring", "engine"));
            assertEquals("1", Json.at(job, "job options", "numjobs"));
            assertTrue(Json.number(job, "read", "iops") > 0, "rung " + i + " measured: " + r.out());
            if (i > 0) {
                assertEquals(BLOCK_RUNGS.get(i - 1), Json.at(job, "jring", "below"));
                double ratio = Json.number(job, "read", "iops") / Json.number(jobs.get(i - 1), "read", "iops");
                // JSON writes 6 significant digits: up to 5e-6 of the value apart from the ratio of the rounded IOPS
                assertEquals(ratio, Json.number(job, "jring", "vs_below"), ratio * 1e-5);
            }
        }
        // IOPOLL runs where the file's device polls, else it is skipped with the reason; SQPOLL always runs beside
        int polled = jobs.size() - BLOCK_RUNGS.size() - 1;
        assertEquals(1, polled + skipped.size(), r.out());
        if (!skipped.isEmpty()) assertEquals("+ IOPOLL", Json.at(skipped.get(0), "rung"));
        Object sq = jobs.get(jobs.size() - 1);
        assertEquals("+ SQPOLL (beside; a second core)", Json.at(sq, "jring", "rung"));
        assertEquals(Boolean.TRUE, Json.at(sq, "jring", "beside"));
        assertEquals("+ batched submit and complete (4)", Json.at(sq, "jring", "below"));
        String plot = Files.readString(svg);
        assertTrue(plot.startsWith("<?xml") && plot.contains("Configuration ladder") && plot.contains("<rect"), plot);
        for (String rung : BLOCK_RUNGS) assertTrue(plot.contains(rung), rung + " in the plot");

        Cli.Result text = Cli.run(dir, "--ladder", "--filename=" + f, "--iodepth=8", "--runtime=50ms", "--warmup=0");
        assertEquals(0, text.rc(), text.toString());
        assertTrue(text.out().contains("Configuration ladder: randread 4k, QD 8"), text.out());
        assertTrue(text.out().contains("vs below") && text.out().contains("p99.9 us"), text.out());
        Cli.Result csv = Cli.run(dir, "--ladder", "--filename=" + f, "--iodepth=8", "--runtime=50ms", "--warmup=0",
                "--output-format=csv");
        assertEquals(0, csv.rc(), csv.toString());
        assertTrue(csv.out().startsWith("rung,vs_below,jobname,"), csv.out());
        assertTrue(csv.out().contains("\n\"default\",,"), csv.out());
    }

    @Test
    void theLadderWithVsFioGivesFioEachRungsOptions() throws Exception {
        Assumptions.assumeTrue(Fio.version().isPresent(), "fio is not installed");
        Path f = dir.resolve("data");
        TempFile.writePattern(f, 8 << 20, true);
        Cli.Result r = Cli.run(dir, "--ladder", "--filename=" + f, "--iodepth=8", "--runtime=100ms", "--warmup=0",
                "--vs-fio", "--output-format=json");
        assertEquals(0, r.rc(), r.toString());
        List<?> jobs = (List<?>) Json.parseFirstObject(r.out()).get("jobs");
        // The default rung's plain ring has no fio job (fio's io_uring engine always asks for DEFER_TASKRUN), and says so.
        assertEquals(null, Json.at(jobs.get(0), "jring", "fio"), r.out());
        assertEquals(io.github.jring.bench.engine.FioEquivalent.NO_PLAIN_RING, Json.at(jobs.get(0), "jring", "fio_note"));
        String[] expected = {null, "", "--registerfiles=1", "--fixedbufs=1", "--iodepth_batch_submit=2"};
        for (int i = 1; i < expected.length; i++) {
            String cmd = (String) Json.at(jobs.get(i), "jring", "fio", "command");
            assertTrue(cmd.contains("--ioengine=io_uring") && cmd.contains(expected[i]), i + ": " + cmd);
            if (i < 2) assertTrue(!cmd.contains("--registerfiles") && !cmd.contains("--fixedbufs"), cmd);
            assertTrue(Json.number(jobs.get(i), "jring", "fio", "read_iops") > 0, r.out());
        }
        String sq = (String) Json.at(jobs.get(jobs.size() - 1), "jring", "fio", "command");
        assertTrue(sq.contains("--sqthread_poll=1") && sq.contains("--iodepth_batch_complete_min=2"), sq);
    }

    @Test
    void thePeakRunsT_io_uringsSettingsAt512BytesAnd4KiB() throws Exception {
        Path f = dir.resolve("data");
        TempFile.writePattern(f, 8 << 20, true);
        Cli.Result r = Cli.run(dir, "--peak", "--filename=" + f, "--runtime=100ms", "--warmup=0", "--output-format=json");
        assertEquals(0, r.rc(), r.toString());
        assertTrue(r.err().contains("batches of 32 submitted and completed"), r.err());
        List<?> jobs = (List<?>) Json.parseFirstObject(r.out()).get("jobs");
        List<String> sizes = jobs.stream().map(j -> (String) Json.at(j, "job options", "bs")).toList();
        assertTrue(sizes.contains("4096"), r.out());
        for (Object job : jobs) {
            assertEquals("128", Json.at(job, "job options", "iodepth"));
            assertTrue(((String) Json.at(job, "jring", "rung")).startsWith("block I/O, "), r.out());
            assertTrue(Json.number(job, "read", "iops") > 0, r.out());
        }
    }

    @Test
    void ladderAndPeakRefuseWhatTheyPickThemselves() {
        assertEquals(Bench.EXIT_USAGE, Cli.run(dir, "--ladder", "--peak").rc());
        assertEquals(Bench.EXIT_USAGE, Cli.run(dir, "--ladder", "--engine=psync").rc());
    }
}
