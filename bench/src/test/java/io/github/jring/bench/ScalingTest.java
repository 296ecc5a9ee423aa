package io.github.jring.bench;

import io.github.jring.bench.sys.Affinity;
import io.github.jring.bench.target.TempFile;
import io.github.jring.core.internal.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --numjobs one job per core, several --filename targets one job per target: total and per-job figures. */
class ScalingTest {
    @TempDir
    Path dir;

    @Test
    void severalFilenamesRunOneJobEachAndReportEachJob() throws Exception {
        Path a = dir.resolve("a"), b = dir.resolve("b");
        TempFile.writePattern(a, 4 << 20, true);
        TempFile.writePattern(b, 8 << 20, true);
        Cli.Result r = Cli.run(dir, "--filename=" + a + ":" + b, "--engine=uring-block", "--iodepth=4",
                "--runtime=200ms", "--warmup=0", "--output-format=json");
        assertEquals(0, r.rc(), r.toString());
        assertTrue(r.err().contains("targets: 2, one job each"), r.err());
        Object job = ((List<?>) Json.parseFirstObject(r.out()).get("jobs")).get(0);
        assertEquals("2", Json.at(job, "job options", "numjobs"));
        assertEquals(String.valueOf(4 << 20), Json.at(job, "job options", "size"), "the smallest target's size");
        List<?> perJob = (List<?>) Json.at(job, "jring", "per_job");
        assertEquals(2, perJob.size(), r.out());
        assertEquals(a.toString(), Json.at(perJob.get(0), "filename"));
        assertEquals(b.toString(), Json.at(perJob.get(1), "filename"));
        double sum = 0;
        long ios = 0;
        for (Object j : perJob) {
            assertTrue(Json.number(j, "iops") > 0 && Json.number(j, "cpu_usec_per_io") > 0, r.out());
            sum += Json.number(j, "iops");
            ios += (long) Json.number(j, "total_ios");
        }
        assertEquals(Json.number(job, "read", "iops"), sum, sum * 1e-6, "the jobs add up to the total");
        assertEquals((long) Json.number(job, "read", "total_ios"), ios);
    }

    @Test
    void numjobsBindsOneJobPerCore() throws Exception {
        List<Integer> cpus = Affinity.allowed();
        assertTrue(!cpus.isEmpty(), "sched_getaffinity lists this thread's CPUs");
        Path f = dir.resolve("data");
        TempFile.writePattern(f, 4 << 20, true);
        Cli.Result r = Cli.run(dir, "--filename=" + f, "--engine=uring-block", "--numjobs=2", "--iodepth=2",
                "--runtime=150ms", "--warmup=0", "--output-format=json");
        assertEquals(0, r.rc(), r.toString());
        List<?> perJob = (List<?>) Json.at(((List<?>) Json.parseFirstObject(r.out()).get("jobs")).get(0), "jring", "per_job");
        assertEquals(2, perJob.size());
        for (int j = 0; j < 2; j++) {
            assertEquals((double) cpus.get(j % cpus.size()), Json.number(perJob.get(j), "cpu"), r.out());
        }
        Cli.Result text = Cli.run(dir, "--filename=" + f, "--engine=uring-block", "--numjobs=2", "--iodepth=2",
                "--runtime=100ms", "--warmup=0");
        assertEquals(0, text.rc(), text.toString());
        assertTrue(text.out().contains("job 1        : ") && text.out().contains("% of the total), cpu "), text.out());
    }
}
