package io.github.jring.bench.cli;

import io.github.jring.bench.Bench;
import io.github.jring.bench.Cli;
import io.github.jring.bench.engine.Rw;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OptionParsingTest {

    @Test
    void sizesUseFioUnitsInPowersOf1024() {
        assertEquals(512, Sizes.parse("512"));
        assertEquals(4096, Sizes.parse("4k"));
        assertEquals(4096, Sizes.parse("4K"));
        assertEquals(4096, Sizes.parse("4KiB"));
        assertEquals(4096, Sizes.parse("4kb"));
        assertEquals(1 << 20, Sizes.parse("1m"));
        assertEquals(1L << 30, Sizes.parse("1g"));
        assertEquals(3L << 29, Sizes.parse("1.5g"));
        assertEquals(1536, Sizes.parse("1.5k"));
        assertEquals(1L << 40, Sizes.parse("1t"));
        assertThrows(IllegalArgumentException.class, () -> Sizes.parse("4x"));
        assertThrows(IllegalArgumentException.class, () -> Sizes.parse("-4k"));
        assertThrows(IllegalArgumentException.class, () -> Sizes.parse("0.3"));
        assertThrows(IllegalArgumentException.class, () -> Sizes.parse(""));
    }

    @Test
    void depthsAreSingleListsOrPowerOfTwoRanges() {
        assertEquals(List.of(32), Depths.parse("32").values());
        assertEquals(List.of(1, 8, 32), Depths.parse("32,1,8,8").values());
        assertEquals(List.of(1, 2, 4, 8, 16, 32, 64, 128), Depths.parse("1-128").values());
        assertEquals(List.of(3, 4, 8, 16, 20), Depths.parse("3-20").values());
        assertEquals(List.of(1, 4, 8, 16, 128), Depths.parse("1,4-16,128").values());
        assertEquals(List.of(8), Depths.parse("8-8").values());
        assertThrows(IllegalArgumentException.class, () -> Depths.parse("0"));
        assertThrows(IllegalArgumentException.class, () -> Depths.parse("8-1"));
        assertThrows(IllegalArgumentException.class, () -> Depths.parse("a,b"));
        assertThrows(IllegalArgumentException.class, () -> Depths.parse("65536"));
        assertThrows(IllegalArgumentException.class, () -> Depths.parse(","));
    }

    @Test
    void durationsDefaultToSeconds() {
        assertEquals(10_000_000_000L, Durations.parseNanos("10"));
        assertEquals(10_000_000_000L, Durations.parseNanos("10s"));
        assertEquals(500_000_000L, Durations.parseNanos("500ms"));
        assertEquals(1_500_000_000L, Durations.parseNanos("1.5s"));
        assertEquals(120_000_000_000L, Durations.parseNanos("2m"));
        assertEquals(3_600_000_000_000L, Durations.parseNanos("1h"));
        assertEquals(250_000L, Durations.parseNanos("250us"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parseNanos("soon"));
    }

    @Test
    void rwAndBooleansTakeFioSpellings() {
        assertEquals(Rw.RANDREAD, Rw.parse("randread"));
        assertEquals(Rw.RW, Rw.parse("readwrite"));
        assertEquals(Rw.RW, Rw.parse("rw"));
        assertEquals(70, Rw.RANDRW.readPercent(70));
        assertEquals(0, Rw.RANDWRITE.readPercent(70));
        assertThrows(IllegalArgumentException.class, () -> Rw.parse("trim"));
        assertTrue(FioBool.parse("1"));
        assertTrue(FioBool.parse("yes"));
        assertFalse(FioBool.parse("0"));
        assertFalse(FioBool.parse("false"));
        assertThrows(IllegalArgumentException.class, () -> FioBool.parse("2"));
    }

    private static Bench.Config parse(String... args) {
        BenchCommand cmd = new BenchCommand(null);
        new CommandLine(cmd).parseArgs(args);
        return cmd.config();
    }

    @Test
    void commandLineReadsFioOptionsInBothSpellings() {
        Bench.Config c = parse("--filename=/tmp/x", "--rw", "randrw", "--rwmixread=70", "--bs=64k",
                "--iodepth", "1-8", "--numjobs=2", "--runtime=10s", "--ramp_time", "500ms", "--size=1g",
                "--fixedbufs", "--registerfiles=1", "--sqthread_poll", "0", "--hipri=true", "--direct=0",
                "--iodepth_batch_submit=4", "--iodepth_batch_complete_min=2", "--engine", "psync,filechannel",
                "--verify=pattern", "--randseed=42", "--output-format=json");
        assertEquals(Path.of("/tmp/x"), c.filename());
        assertEquals(Rw.RANDRW, c.rw());
        assertEquals(70, c.rwmixread());
        assertEquals(65536, c.bs());
        assertEquals(List.of(1, 2, 4, 8), c.depths());
        assertTrue(c.depthsGiven());
        assertEquals(2, c.numjobs());
        assertEquals(10_000_000_000L, c.runtimeNanos());
        assertEquals(500_000_000L, c.rampNanos());
        assertEquals(1L << 30, c.size());
        assertTrue(c.fixedbufs());
        assertTrue(c.registerfiles());
        assertFalse(c.sqthreadPoll());
        assertTrue(c.hipri());
        assertFalse(c.direct());
        assertEquals(4, c.batchSubmit());
        assertEquals(2, c.batchComplete());
        assertEquals(List.of("psync", "filechannel"), c.engines());
        assertTrue(c.verify());
        assertEquals(42, c.randseed());
        assertEquals("json", c.format());
        assertEquals(List.of(), c.fioArgs());
        assertEquals(List.of("--gtod_reduce=1", "--clocksource=cpu"),
                parse("--vs-fio", "--fio-args", " --gtod_reduce=1  --clocksource=cpu ").fioArgs());
    }

    @Test
    void defaultsAreTheShortSweep() {
        Bench.Config c = parse();
        assertNull(c.filename());
        assertNull(c.engines());
        assertEquals(Rw.RANDREAD, c.rw());
        assertEquals(4096, c.bs());
        assertEquals(List.of(1, 8, 32, 128), c.depths());
        assertFalse(c.depthsGiven());
        assertEquals(Bench.DEFAULT_RUNTIME_NANOS, c.runtimeNanos());
        assertEquals(500_000_000L, c.warmupNanos());
        assertTrue(c.direct());
        assertEquals("normal", c.format());
        // --number_ios alone means no time limit
        assertEquals(0, parse("--number_ios=100").runtimeNanos());
    }

    @Test
    void badOptionsExitWithUsageErrorAndSayWhy() {
        Cli.Result r = Cli.run("--bs=4x");
        assertEquals(Bench.EXIT_USAGE, r.rc(), r.toString());
        assertTrue(r.err().contains("'4x' is not a size"), r.toString());

        r = Cli.run("--iodepth=0");
        assertEquals(Bench.EXIT_USAGE, r.rc(), r.toString());
        assertTrue(r.err().contains("--iodepth 0 is outside"), r.toString());

        r = Cli.run("--output-format=xml");
        assertEquals(Bench.EXIT_USAGE, r.rc(), r.toString());

        r = Cli.run("--runtime=0");
        assertEquals(Bench.EXIT_USAGE, r.rc(), r.toString());
        assertTrue(r.err().contains("--number_ios"), r.toString());

        r = Cli.run("--fio-args=--gtod_reduce=1");
        assertEquals(Bench.EXIT_USAGE, r.rc(), r.toString());
        assertTrue(r.err().contains("--fio-args needs --vs-fio"), r.toString());

        r = Cli.run("--vs-fio", "--fio-args=gtod_reduce=1");
        assertEquals(Bench.EXIT_USAGE, r.rc(), r.toString());
        assertTrue(r.err().contains("not 'gtod_reduce=1'"), r.toString());

        r = Cli.run("--engine=nosuch", "--filename=/dev/null");
        assertEquals(Bench.EXIT_USAGE, r.rc(), r.toString());
        assertTrue(r.err().contains("unknown engine 'nosuch'") && r.err().contains("psync"), r.toString());
    }
}
