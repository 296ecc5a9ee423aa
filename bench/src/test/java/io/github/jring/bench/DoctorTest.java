package io.github.jring.bench;

import io.github.jring.core.internal.Json;
import io.github.jring.core.IoUring;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code jring-bench doctor}: the text and JSON reports on this host, where io_uring works, and its arguments. */
class DoctorTest {

    @Test
    void textSaysIoUringIsUsableAndExitsZero() {
        Cli.Result r = Cli.run("doctor");
        assertEquals(0, r.rc(), r::toString);
        assertEquals("", r.err(), r::toString);
        String kernel = IoUring.availability().kernelRelease();
        assertTrue(r.out().startsWith("io_uring: usable\n"), r::toString);
        assertTrue(r.out().contains("  kernel:        " + kernel + "\n"), r::toString);
        assertTrue(r.out().contains("  opcodes:       ") && r.out().contains(" NOP READV "), r::toString);
        assertTrue(r.out().contains("  fixed buffers: "), r::toString);
        assertTrue(r.out().contains("\nNVMe: "), r::toString);
    }

    @Test
    void jsonIsOneObjectWithBothReports() {
        Cli.Result r = Cli.run("doctor", "--json");
        assertEquals(0, r.rc(), r::toString);
        Object root = Json.parse(r.out().trim());
        assertEquals(true, Json.at(root, "ioUring", "usable"), r::toString);
        assertEquals("NONE", Json.at(root, "ioUring", "cause"));
        assertEquals(IoUring.availability().kernelRelease(), Json.at(root, "ioUring", "kernelRelease"));
        assertTrue(((List<?>) Json.at(root, "ioUring", "opcodes")).containsAll(List.of("NOP", "READ")), r::toString);
        assertEquals(65536.0, Json.number(root, "ioUring", "fixedBuffers", "bytes"));
        Object nvme = Json.at(root, "nvme");
        assertTrue(nvme instanceof Map<?, ?>, r::toString);
        List<?> namespaces = (List<?>) Json.at(root, "nvme", "namespaces");
        // This host may or may not have NVMe; the report says which, and a machine without any says why.
        if (namespaces.isEmpty()) {
            assertEquals(false, Json.at(root, "nvme", "usable"));
            Object first = ((List<?>) Json.at(root, "nvme", "findings")).get(0);
            assertEquals("discovery", Json.at(first, "check"));
        }
    }

    @Test
    void helpAndBadArguments() {
        Cli.Result help = Cli.run("doctor", "--help");
        assertEquals(0, help.rc());
        assertTrue(help.out().startsWith("usage: jring-bench.jar doctor [--json]"), help::toString);
        Cli.Result bad = Cli.run("doctor", "--jsn");
        assertEquals(Bench.EXIT_USAGE, bad.rc(), bad::toString);
        assertTrue(bad.err().contains("unknown argument '--jsn'"), bad::toString);
        assertEquals("", bad.out());
    }

    @Test
    void theBenchmarksHelpPointsAtDoctor() {
        Cli.Result r = Cli.run("--help");
        assertTrue(r.out().contains("jring-bench.jar doctor [--json]"), r::toString);
    }
}
