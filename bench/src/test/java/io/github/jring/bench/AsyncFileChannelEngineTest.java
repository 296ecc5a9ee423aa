package io.github.jring.bench;

import io.github.jring.bench.engine.DataPattern;
import io.github.jring.core.internal.Json;
import io.github.jring.bench.target.TempFile;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The two AsynchronousFileChannel engines (the JDK's and jring's) on real files, with O_DIRECT and through the page
 * cache: counts, bytes, the data itself, and the output's CPU and allocation figures.
 */
@Timeout(120)
class AsyncFileChannelEngineTest {
    private static final int BS = 4096;

    @TempDir
    Path dir;

    private static Object firstJob(Cli.Result r) {
        return ((List<?>) Json.parseFirstObject(r.out()).get("jobs")).get(0);
    }

    @ParameterizedTest
    @CsvSource({"filechannel-async,0", "filechannel-async,1", "jring-filechannel,0", "jring-filechannel,1"})
    void randomReadsAtDepthReturnTheRightData(String engine, int direct) throws IOException {
        Path f = dir.resolve("data");
        TempFile.writePattern(f, 8 << 20, true);
        Cli.Result r = Cli.run(dir, "--filename=" + f, "--engine=" + engine, "--rw=randread", "--iodepth=16",
                "--direct=" + direct, "--number_ios=3000", "--verify=pattern", "--output-format=json");
        assertEquals(0, r.rc(), r.toString());
        Object job = firstJob(r);
        assertEquals(3000, (long) Json.number(job, "read", "total_ios"), r.toString());
        assertEquals(3000L * BS, (long) Json.number(job, "read", "io_bytes"));
        assertTrue(Json.number(job, "read", "iops") > 0);
    }

    @ParameterizedTest
    @CsvSource({"filechannel-async,0", "filechannel-async,1", "jring-filechannel,0", "jring-filechannel,1"})
    void randomWritesHoldEachBlocksOwnPattern(String engine, int direct) throws IOException {
        Path f = dir.resolve("zeros");
        int blocks = 1024;
        Files.write(f, new byte[blocks * BS]);
        Cli.Result r = Cli.run(dir, "--filename=" + f, "--engine=" + engine, "--rw=randwrite", "--iodepth=8",
                "--direct=" + direct, "--number_ios=2000", "--verify=pattern", "--output-format=json");
        assertEquals(0, r.rc(), r.toString());
        assertEquals(2000, (long) Json.number(firstJob(r), "write", "total_ios"), r.toString());
        byte[] all = Files.readAllBytes(f);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment m = arena.allocate(all.length);
            m.asByteBuffer().put(all);
            for (int b = 0; b < blocks; b++) {
                MemorySegment block = m.asSlice((long) b * BS, BS);
                boolean zero = block.mismatch(arena.allocate(BS)) == -1;
                long at = DataPattern.firstMismatch(block, BS, (long) b * BS, DataPattern.DEFAULT_SEED);
                assertTrue(zero || at == -1, "block " + b + " holds neither zeros nor its pattern");
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"filechannel-async", "jring-filechannel"})
    void verifyFailureEndsTheJobWithTheOffsetNamed(String engine) throws IOException {
        Path f = dir.resolve("data");
        TempFile.writePattern(f, 4 << 20, true);
        long corrupt = 345L * BS + 40;
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[]{1, 2, 3, 4, 5, 6, 7, 8}), corrupt);
        }
        Cli.Result r = Cli.run(dir, "--filename=" + f, "--engine=" + engine, "--rw=read", "--iodepth=8",
                "--number_ios=1024", "--verify=pattern");
        assertEquals(Bench.EXIT_FAILED, r.rc(), r.toString());
        assertTrue(r.out().contains("verify: " + f + " holds wrong data at offset " + corrupt), r.toString());
    }

    @ParameterizedTest
    @CsvSource({"filechannel-async", "jring-filechannel"})
    void theRuntimeEndsEveryJobAndItsSlotsDrain(String engine) throws IOException {
        Path f = dir.resolve("data");
        TempFile.writePattern(f, 8 << 20, true);
        Cli.Result r = Cli.run(dir, "--filename=" + f, "--engine=" + engine, "--rw=randrw", "--iodepth=32",
                "--numjobs=2", "--runtime=500ms", "--warmup=0", "--verify=pattern", "--output-format=json");
        assertEquals(0, r.rc(), r.toString());
        Object job = firstJob(r);
        double runtimeMs = Json.number(job, "read", "runtime");
        assertTrue(runtimeMs >= 500 && runtimeMs < 3000, "runtime " + runtimeMs + " ms for --runtime=500ms");
        assertTrue(Json.number(job, "read", "total_ios") > 0, r.toString());
        assertTrue(Json.number(job, "write", "total_ios") > 0, r.toString());
    }
}
