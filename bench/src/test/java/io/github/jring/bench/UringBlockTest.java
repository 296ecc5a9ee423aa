package io.github.jring.bench;

import io.github.jring.core.internal.Json;
import io.github.jring.bench.target.TempFile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** uring-block with each of fio's io_uring options, on a real file, every byte read checked. */
class UringBlockTest {
    @TempDir
    Path dir;
    Path file;

    @BeforeEach
    void data() throws Exception {
        file = dir.resolve("data");
        TempFile.writePattern(file, 16 << 20, true);
    }

    private Cli.Result run(String... extra) {
        List<String> args = new ArrayList<>(List.of("--filename=" + file, "--engine=uring-block", "--iodepth=16",
                "--number_ios=2000", "--rw=randrw", "--rwmixread=60", "--verify=pattern", "--output-format=json"));
        args.addAll(List.of(extra));
        return Cli.run(dir, args.toArray(String[]::new));
    }

    @ParameterizedTest
    @ValueSource(strings = {"--fixedbufs", "--registerfiles", "--sqthread_poll", "--iodepth_batch_submit=8",
        "--iodepth_batch_submit=0", "--iodepth_batch_complete=4", "--direct=0"})
    void eachTuningOptionMovesEveryIoAndTheRightData(String option) {
        Cli.Result r = run(option);
        assertEquals(0, r.rc(), r.toString());
        Object job = ((List<?>) Json.parseFirstObject(r.out()).get("jobs")).get(0);
        long reads = (long) Json.number(job, "read", "total_ios");
        long writes = (long) Json.number(job, "write", "total_ios");
        assertEquals(2000, reads + writes, option);
        assertEquals((reads + writes) * 4096, (long) (Json.number(job, "read", "io_bytes") + Json.number(job, "write", "io_bytes")));
        assertEquals(16L, Json.at(job, "jring", "iodepth"));
    }

    @Test
    void allOptionsTogether() {
        Cli.Result r = run("--fixedbufs", "--registerfiles", "--sqthread_poll", "--iodepth_batch_submit=4",
                "--iodepth_batch_complete=2", "--numjobs=2");
        assertEquals(0, r.rc(), r.toString());
        Object job = ((List<?>) Json.parseFirstObject(r.out()).get("jobs")).get(0);
        assertEquals(4000, (long) (Json.number(job, "read", "total_ios") + Json.number(job, "write", "total_ios")));
    }

    @Test
    void hipriOnADeviceWithoutPollQueuesFailsWithTheKernelsAnswerAndAHint() {
        Cli.Result r = Cli.run(dir, "--filename=" + file, "--engine=uring-block", "--iodepth=4", "--number_ios=10", "--hipri");
        // A file on a virtio disk has no poll queues: the kernel answers EOPNOTSUPP for each I/O. (Where it has
        // them, the run simply succeeds.)
        if (r.rc() != 0) {
            assertTrue(r.out().contains("EOPNOTSUPP") && r.out().contains("poll queues"), r.toString());
        } else {
            assertTrue(r.out().contains("uring-block-qd4:"), r.toString());
        }
    }

    @Test
    void noticesThatSynchronousEnginesIgnoreRingOptions() {
        Cli.Result r = Cli.run(dir, "--filename=" + file, "--engine=psync,uring-block", "--iodepth=4",
                "--number_ios=100", "--fixedbufs", "--hipri=0");
        assertEquals(0, r.rc(), r.toString());
        assertTrue(r.out().contains("note: psync ignores --fixedbufs"), r.out());
        assertTrue(!r.out().contains("uring-block ignores"), r.out());
    }
}
