package io.github.jring.bench;

import io.github.jring.bench.fio.Fio;
import io.github.jring.core.internal.Json;
import io.github.jring.bench.sys.PageCache;
import io.github.jring.bench.target.TempFile;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --vs-fio against the real fio (the Debian package 'fio'; skipped where it is missing). */
class VsFioTest {
    @TempDir
    Path dir;

    @Test
    void psyncRunsBesideFioPsyncWithTheSameOptions() throws Exception {
        Assumptions.assumeTrue(Fio.version().isPresent(), "fio is not installed");
        Path f = dir.resolve("data");
        TempFile.writePattern(f, 32 << 20, true);
        Cli.Result r = Cli.run(dir, "--filename=" + f, "--engine=psync", "--iodepth=1", "--runtime=500ms",
                "--vs-fio", "--output-format=json");
        assertEquals(0, r.rc(), r.toString());
        Object job = ((List<?>) Json.parseFirstObject(r.out()).get("jobs")).get(0);
        Object fio = Json.at(job, "jring", "fio");
        assertTrue(fio != null, "fio result in the JSON: " + r.out());
        assertEquals("psync", Json.at(fio, "ioengine"));
        String cmd = (String) Json.at(fio, "command");
        for (String opt : List.of("--filename=" + f, "--rw=randread", "--bs=4096", "--iodepth=1", "--direct=1",
                "--runtime=500ms", "--output-format=json", "--size=" + (32 << 20))) {
            assertTrue(cmd.contains(opt), opt + " in " + cmd);
        }
        double fioIops = Json.number(fio, "read_iops");
        double ratio = Json.number(fio, "iops_ratio");
        assertTrue(fioIops > 0, "fio measured something");
        assertEquals(Json.number(job, "read", "iops") / fioIops, ratio, ratio * 1e-6);
        // A sanity band on units (both count 4k reads per second on the same file), not a performance claim.
        assertTrue(ratio > 0.2 && ratio < 5, "jring/fio = " + ratio);
    }

    @Test
    void fioArgsReachFioAfterTheMatchingOptions() throws Exception {
        Assumptions.assumeTrue(Fio.version().isPresent(), "fio is not installed");
        Path f = dir.resolve("data");
        TempFile.writePattern(f, 16 << 20, true);
        // --iodepth=2 after the matching --iodepth=4: fio takes the last, and its JSON reports what it ran.
        Cli.Result r = Cli.run(dir, "--filename=" + f, "--engine=uring-block", "--iodepth=4", "--runtime=300ms",
                "--vs-fio", "--fio-args=--gtod_reduce=1 --iodepth=2", "--output-format=json");
        assertEquals(0, r.rc(), r.toString());
        assertTrue(r.err().contains("plus --gtod_reduce=1 --iodepth=2 (--fio-args)"), r.toString());
        Object job = ((List<?>) Json.parseFirstObject(r.out()).get("jobs")).get(0);
        Object fio = Json.at(job, "jring", "fio");
        assertTrue(fio != null, "fio result in the JSON: " + r.out());
        String cmd = (String) Json.at(fio, "command");
        assertTrue(cmd.endsWith(" --gtod_reduce=1 --iodepth=2") && cmd.contains("--iodepth=4"), cmd);
        assertTrue(Json.number(fio, "read_iops") > 0, "fio measured something: " + r.out());
    }

    @Test
    void aBufferedComparisonKeepsThePageCacheForFioAndSaysSo() throws Exception {
        Assumptions.assumeTrue(Fio.version().isPresent(), "fio is not installed");
        Path f = dir.resolve("data");
        TempFile.writePattern(f, 16 << 20, true);
        Cli.Result buffered = Cli.run(dir, "--filename=" + f, "--engine=psync", "--iodepth=1", "--runtime=200ms",
                "--direct=0", "--vs-fio", "--output-format=json");
        assertEquals(0, buffered.rc(), buffered.toString());
        assertTrue(buffered.err().contains("fio gets --invalidate=0"), buffered.toString());
        String cmd = (String) Json.at(((List<?>) Json.parseFirstObject(buffered.out()).get("jobs")).get(0),
                "jring", "fio", "command");
        assertTrue(cmd.contains("--direct=0") && cmd.contains("--invalidate=0"), cmd);

        Cli.Result direct = Cli.run(dir, "--filename=" + f, "--engine=psync", "--iodepth=1", "--runtime=200ms",
                "--direct=1", "--vs-fio", "--output-format=json");
        assertEquals(0, direct.rc(), direct.toString());
        String directCmd = (String) Json.at(((List<?>) Json.parseFirstObject(direct.out()).get("jobs")).get(0),
                "jring", "fio", "command");
        assertTrue(!directCmd.contains("--invalidate") && !direct.err().contains("--invalidate"), directCmd);
    }

    @Test
    void textOutputShowsBothSideBySide() throws Exception {
        Assumptions.assumeTrue(Fio.version().isPresent(), "fio is not installed");
        Path f = dir.resolve("data");
        TempFile.writePattern(f, 16 << 20, true);
        Cli.Result r = Cli.run(dir, "--filename=" + f, "--engine=filechannel", "--iodepth=1,2", "--runtime=300ms", "--vs-fio");
        assertEquals(0, r.rc(), r.toString());
        assertTrue(r.out().contains("vs fio-") && r.out().contains("(ioengine=psync, same options)"), r.out());
        assertTrue(r.out().matches("(?s).*read IOPS\\s+\\S+\\s+\\S+\\s+[0-9.]+x.*"), r.out());
        assertTrue(r.out().matches("(?s).*QD\\s+filechannel\\s+fio\\s+ratio.*"), r.out());
    }

    @Test
    void aMissingFioIsReportedNotFatal() throws Exception {
        Path f = dir.resolve("data");
        TempFile.writePattern(f, 4 << 20, true);
        String saved = System.getProperty("jring.fio");
        System.setProperty("jring.fio", dir.resolve("no-such-fio").toString());
        try {
            Cli.Result r = Cli.run(dir, "--filename=" + f, "--engine=psync", "--iodepth=1", "--number_ios=100", "--vs-fio");
            assertEquals(0, r.rc(), r.toString());
            assertTrue(r.out().contains("fio is not installed") && r.out().contains("apt-get install fio"), r.out());
        } finally {
            if (saved == null) System.clearProperty("jring.fio");
            else System.setProperty("jring.fio", saved);
        }
    }

    @Test
    void syncPassthroughHasNoFioEquivalentAndSaysSo() {
        var eq = new io.github.jring.bench.engine.SyncPassthroughEngine().fioEquivalent(null, null);
        assertTrue(!eq.available() && eq.unavailableReason().contains("no synchronous NVMe passthrough engine"));
    }

    @Test
    void aBufferedComparisonStartsBothSidesFromTheSamePageCacheState() throws Exception {
        Assumptions.assumeTrue(Fio.version().isPresent(), "fio is not installed");
        Path f = dir.resolve("data");
        TempFile.writePattern(f, 16 << 20, true); // written around the page cache: it starts (mostly) not resident
        double coldShare = PageCache.resident(f, 16 << 20);
        Assumptions.assumeTrue(coldShare < 0.5, "the file system cached an O_DIRECT write: " + coldShare);
        Cli.Result r = Cli.run(dir, "--filename=" + f, "--engine=psync,uring-block", "--iodepth=4", "--runtime=200ms",
                "--warmup=0", "--direct=0", "--vs-fio", "--output-format=json");
        assertEquals(0, r.rc(), r.toString());
        assertTrue(r.err().contains("page cache (buffered runs): warm"), r.toString());
        for (Object job : (List<?>) Json.parseFirstObject(r.out()).get("jobs")) {
            Object cache = Json.at(job, "jring", "page_cache");
            assertTrue(cache != null, "page_cache in " + r.out());
            assertEquals("warm", Json.at(cache, "policy"));
            // mincore before each side: every page of the range was resident when jring began and when fio began
            assertEquals(1.0, Json.number(cache, "resident_before_jring"), 1e-9, r.out());
            assertEquals(1.0, Json.number(cache, "resident_before_fio"), 1e-9, r.out());
        }
        Cli.Result direct = Cli.run(dir, "--filename=" + f, "--engine=psync", "--iodepth=1", "--runtime=100ms",
                "--warmup=0", "--direct=1", "--vs-fio", "--output-format=json");
        assertEquals(0, direct.rc(), direct.toString());
        assertEquals(null, Json.at(((List<?>) Json.parseFirstObject(direct.out()).get("jobs")).get(0), "jring", "page_cache"),
                "O_DIRECT bypasses the cache: no policy to report");
    }

    @Test
    void mincoreSeesWhatLoadingPutsInThePageCache() throws Exception {
        Path f = dir.resolve("cold");
        TempFile.writePattern(f, 8 << 20, true);
        double before = PageCache.resident(f, 8 << 20);
        PageCache.load(f, 4 << 20);
        double half = PageCache.resident(f, 8 << 20);
        assertTrue(half >= 0.5 && half > before || before >= 0.5, "before " + before + ", after loading half " + half);
        PageCache.load(f, 8 << 20);
        assertEquals(1.0, PageCache.resident(f, 8 << 20), 1e-9);
    }

    @Test
    void repeatInterleavesJringAndFioAndReportsTheMedianRatioWithItsSpread() throws Exception {
        Assumptions.assumeTrue(Fio.version().isPresent(), "fio is not installed");
        Path f = dir.resolve("data");
        TempFile.writePattern(f, 16 << 20, true);
        Cli.Result r = Cli.run(dir, "--filename=" + f, "--engine=psync", "--iodepth=1", "--runtime=100ms",
                "--warmup=0", "--vs-fio", "--repeat=3", "--output-format=json");
        assertEquals(0, r.rc(), r.toString());
        Object job = ((List<?>) Json.parseFirstObject(r.out()).get("jobs")).get(0);
        Object rep = Json.at(job, "jring", "repeats");
        assertTrue(rep != null, "repeats in " + r.out());
        assertEquals(3, (int) Json.number(rep, "n"));
        List<?> jring = (List<?>) Json.at(rep, "jring_iops");
        List<?> fio = (List<?>) Json.at(rep, "fio_iops");
        List<?> ratios = (List<?>) Json.at(rep, "ratios");
        assertEquals(3, jring.size());
        assertEquals(3, fio.size());
        double[] expected = new double[3];
        for (int i = 0; i < 3; i++) {
            double j = ((Number) jring.get(i)).doubleValue(), fi = ((Number) fio.get(i)).doubleValue();
            assertTrue(j > 0 && fi > 0, "pass " + i + " measured both: " + rep);
            expected[i] = j / fi;
            assertEquals(expected[i], ((Number) ratios.get(i)).doubleValue(), expected[i] * 1e-5);
        }
        java.util.Arrays.sort(expected);
        assertEquals(expected[1], Json.number(rep, "ratio_median"), expected[1] * 1e-5);
        assertEquals(expected[0], Json.number(rep, "ratio_min"), expected[0] * 1e-5);
        assertEquals(expected[2], Json.number(rep, "ratio_max"), expected[2] * 1e-5);
        // the job's own figures are those of the pass with the median ratio
        int pass = (int) Json.number(rep, "reported_pass");
        assertEquals(((Number) jring.get(pass)).doubleValue(), Json.number(job, "read", "iops"),
                Json.number(job, "read", "iops") * 1e-5);

        Cli.Result csv = Cli.run(dir, "--filename=" + f, "--engine=psync", "--iodepth=1", "--runtime=100ms",
                "--warmup=0", "--vs-fio", "--repeat=2", "--output-format=csv");
        assertEquals(0, csv.rc(), csv.toString());
        String[] lines = csv.out().strip().split("\n");
        List<String> header = List.of(lines[0].split(","));
        String[] row = lines[1].split(",", -1);
        assertEquals("2", row[header.indexOf("repeat")]);
        assertTrue(Double.parseDouble(row[header.indexOf("ratio_median")]) > 0, csv.out());
        assertTrue(Double.parseDouble(row[header.indexOf("ratio_min")])
                <= Double.parseDouble(row[header.indexOf("ratio_max")]), csv.out());

        Cli.Result text = Cli.run(dir, "--filename=" + f, "--engine=psync", "--iodepth=1", "--runtime=100ms",
                "--warmup=0", "--vs-fio", "--repeat=2");
        assertEquals(0, text.rc(), text.toString());
        assertTrue(text.out().contains("repeats      : 2 passes (jring, fio interleaved)"), text.out());
        assertTrue(text.out().contains("(medians of 2 passes, jring and fio interleaved; ratio: median (min-max))"), text.out());
    }
}
