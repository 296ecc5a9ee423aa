package io.github.jring.bench;

import io.github.jring.bench.engine.DataPattern;
import io.github.jring.core.internal.Json;
import io.github.jring.bench.target.TempFile;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real runs of the synchronous engines on real files: counts, bytes moved, and the data itself. */
class EngineRunTest {
    private static final int BS = 4096;

    @TempDir
    Path dir;

    private static Map<String, Object> json(Cli.Result r) {
        return Json.parseFirstObject(r.out());
    }

    private static Object firstJob(Cli.Result r) {
        return ((List<?>) json(r).get("jobs")).get(0);
    }

    /**
     * {@code read_bytes} of /proc/self/io: bytes this process (all its threads, io_uring's workers included) had the
     * block layer read for it. With O_DIRECT every engine's reads go there, whatever the system call.
     */
    private static long readBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/io"))) {
            if (line.startsWith("read_bytes:")) return Long.parseLong(line.substring(11).trim());
        }
        throw new IOException("no read_bytes in /proc/self/io");
    }

    @ParameterizedTest
    @ValueSource(strings = {"psync", "filechannel", "uring-block"})
    void readsMoveExactlyIosTimesBsAndTheRightData(String engine) throws IOException {
        Path f = dir.resolve("data");
        TempFile.writePattern(f, 16 << 20, true);
        long before = readBytes();
        Cli.Result r = Cli.run(dir, "--filename=" + f, "--engine=" + engine, "--iodepth=8", "--number_ios=3000",
                "--verify=pattern", "--output-format=json");
        long read = readBytes() - before;
        assertEquals(0, r.rc(), r.toString());
        Object job = firstJob(r);
        assertEquals(3000, (long) Json.number(job, "read", "total_ios"), r.toString());
        assertEquals(3000L * BS, (long) Json.number(job, "read", "io_bytes"));
        assertEquals(0, (long) Json.number(job, "write", "total_ios"));
        // The kernel saw at least that many bytes read by this process (the JVM reads other things too).
        assertTrue(read >= 3000L * BS, "read_bytes grew by " + read + ", less than 3000 x 4096");
        assertTrue(Json.number(job, "read", "iops") > 0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"psync", "uring-block"})
    void theHotLoopAllocatesNothing(String engine) throws IOException {
        Path f = dir.resolve("data");
        TempFile.writePattern(f, 16 << 20, true);
        // The engine three times: the first run of an engine in a JVM pays one-time costs (call-site linkage, class
        // loading); the later ones show the steady state. The better of those two is taken: once in a full build
        // (one run in many) a later run carried a one-time cost of ~68 KB (a recompilation, by its size), which a
        // per-I/O allocation cannot do, since it would show in both.
        Cli.Result r = Cli.run(dir, "--filename=" + f, "--engine=" + engine + "," + engine + "," + engine,
                "--iodepth=8", "--number_ios=20000", "--rw=randrw", "--output-format=json");
        assertEquals(0, r.rc(), r.toString());
        List<?> jobs = (List<?>) json(r).get("jobs");
        double second = Json.number(jobs.get(1), "jring", "alloc_bytes_per_io");
        double third = Json.number(jobs.get(2), "jring", "alloc_bytes_per_io");
        // HotSpot's per-thread allocation counter over the job thread's whole I/O loop: nothing per I/O (a few
        // hundred bytes in all would be a one-time cost, far below 0.1 byte per I/O over 20000 I/Os).
        assertTrue(Math.min(second, third) < 0.1, engine + " allocated " + second + " and " + third
                + " bytes per I/O in its second and third runs");
    }

    @ParameterizedTest
    @ValueSource(strings = {"psync", "filechannel", "uring-block"})
    void verifyCatchesABlockThatHoldsWrongData(String engine) throws IOException {
        Path f = dir.resolve("data");
        TempFile.writePattern(f, 4 << 20, true);
        long corrupt = 1234L * 512 + 40; // inside block 154 (4k blocks)
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[]{1, 2, 3, 4, 5, 6, 7, 8}), corrupt);
        }
        Cli.Result r = Cli.run(dir, "--filename=" + f, "--engine=" + engine, "--rw=read", "--iodepth=8",
                "--number_ios=1024", "--verify=pattern");
        assertEquals(Bench.EXIT_FAILED, r.rc(), r.toString());
        assertTrue(r.out().contains("verify: " + f + " holds wrong data at offset " + corrupt), r.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"psync", "filechannel", "uring-block"})
    void sequentialWritesLandWhereAndWhatTheySay(String engine) throws IOException {
        Path f = dir.resolve("zeros");
        int blocks = 2048;
        Files.write(f, new byte[blocks * BS]);
        Cli.Result r = Cli.run(dir, "--filename=" + f, "--engine=" + engine, "--rw=write", "--iodepth=8",
                "--number_ios=" + blocks, "--verify=pattern", "--output-format=json");
        assertEquals(0, r.rc(), r.toString());
        Object job = firstJob(r);
        assertEquals(blocks, (long) Json.number(job, "write", "total_ios"));
        assertEquals((long) blocks * BS, (long) Json.number(job, "write", "io_bytes"));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment all = arena.allocate((long) blocks * BS);
            all.asByteBuffer().put(Files.readAllBytes(f));
            for (int b = 0; b < blocks; b++) {
                long at = DataPattern.firstMismatch(all.asSlice((long) b * BS, BS), BS, (long) b * BS, DataPattern.DEFAULT_SEED);
                assertEquals(-1, at, "block " + b + " does not hold what was written");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"psync", "filechannel", "uring-block"})
    void randomWritesHitOnlyWholeBlocksAndEachHoldsItsOwnPattern(String engine) throws IOException {
        Path f = dir.resolve("zeros");
        int blocks = 4096;
        int ios = 600;
        Files.write(f, new byte[blocks * BS]);
        Cli.Result r = Cli.run(dir, "--filename=" + f, "--engine=" + engine, "--rw=randwrite", "--iodepth=8",
                "--number_ios=" + ios, "--verify=pattern", "--output-format=json");
        assertEquals(0, r.rc(), r.toString());
        assertEquals(ios, (long) Json.number(firstJob(r), "write", "total_ios"));
        byte[] data = Files.readAllBytes(f);
        MemorySegment all = MemorySegment.ofArray(data);
        int written = 0;
        for (int b = 0; b < blocks; b++) {
            MemorySegment block = all.asSlice((long) b * BS, BS);
            boolean zero = block.elements(java.lang.foreign.ValueLayout.JAVA_BYTE).allMatch(s -> s.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0) == 0);
            if (zero) continue;
            assertEquals(-1, DataPattern.firstMismatch(block, BS, (long) b * BS, DataPattern.DEFAULT_SEED),
                    "block " + b + " holds neither zeros nor its own pattern");
            written++;
        }
        // Uniform random offsets over 4096 blocks: 600 writes land on ~560 distinct blocks.
        assertTrue(written > 450 && written <= ios, "distinct blocks written: " + written);
    }

    @ParameterizedTest
    @ValueSource(strings = {"psync", "filechannel", "uring-block"})
    void mixedRunsSplitReadsAndWritesByRwmixread(String engine) throws IOException {
        Path f = dir.resolve("data");
        TempFile.writePattern(f, 8 << 20, true);
        Cli.Result r = Cli.run(dir, "--filename=" + f, "--engine=" + engine, "--rw=randrw", "--rwmixread=70",
                "--iodepth=8", "--number_ios=4000", "--verify=pattern", "--output-format=json");
        assertEquals(0, r.rc(), r.toString());
        Object job = firstJob(r);
        long reads = (long) Json.number(job, "read", "total_ios");
        long writes = (long) Json.number(job, "write", "total_ios");
        assertEquals(4000, reads + writes);
        assertTrue(reads > 2600 && reads < 3000, "reads " + reads + " of 4000 at rwmixread=70");
    }

    @ParameterizedTest
    @ValueSource(strings = {"psync", "filechannel", "uring-block"})
    void runtimeBoundRunsStopOnTimeAndSeveralJobsAddUp(String engine) throws IOException {
        Path f = dir.resolve("data");
        TempFile.writePattern(f, 8 << 20, true);
        Cli.Result r = Cli.run(dir, "--filename=" + f, "--engine=" + engine, "--numjobs=2", "--iodepth=8",
                "--runtime=300ms", "--output-format=json");
        assertEquals(0, r.rc(), r.toString());
        Object job = firstJob(r);
        double runtimeMs = Json.number(job, "read", "runtime");
        assertTrue(runtimeMs >= 300 && runtimeMs < 2000, "runtime " + runtimeMs + " ms for --runtime=300ms");
        long ios = (long) Json.number(job, "read", "total_ios");
        assertTrue(ios > 0);
        assertEquals(ios * BS, (long) Json.number(job, "read", "io_bytes"));
        assertEquals(ios / (runtimeMs / 1000), Json.number(job, "read", "iops"), ios / (runtimeMs / 1000) * 0.01);
    }
}
