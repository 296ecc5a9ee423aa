package io.github.jring.bench;

import io.github.jring.bench.target.Target;
import io.github.jring.bench.target.TargetResolver;
import io.github.jring.bench.target.TempFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TargetTest {
    @TempDir
    Path dir;

    @Test
    void withoutFilenameOrNvmeItWritesATemporaryFileAndDeletesIt() throws Exception {
        Path devDir = Files.createDirectory(dir.resolve("dev"));
        Path work = Files.createDirectory(dir.resolve("work"));
        Cli.Result r = Cli.run(devDir, "--directory=" + work, "--size=8m", "--engine=psync", "--iodepth=1",
                "--number_ios=500", "--verify=pattern");
        assertEquals(0, r.rc(), r.toString());
        Matcher m = Pattern.compile("created (\\S+), 8.00 MiB written once").matcher(r.out());
        assertTrue(m.find(), r.out());
        Path temp = Path.of(m.group(1));
        assertEquals(work, temp.getParent());
        assertTrue(r.out().contains("deleted the temporary file " + temp), r.out());
        assertFalse(Files.exists(temp), "temporary file removed");
        try (var s = Files.list(work)) {
            assertEquals(0, s.count());
        }
    }

    @Test
    void enghelpWithoutATargetCreatesNoFile() throws Exception {
        Path devDir = Files.createDirectory(dir.resolve("dev"));
        Path work = Files.createDirectory(dir.resolve("work"));
        Cli.Result r = Cli.run(devDir, "--directory=" + work, "--enghelp");
        assertEquals(0, r.rc(), r.toString());
        assertTrue(r.out().contains("engines (target " + work.resolve("jring-bench-*.dat") + " (temporary file"), r.out());
        assertTrue(r.out().contains("uring-block") && r.out().contains("async-pt") && r.out().contains("sync-pt"), r.out());
        try (var s = Files.list(work)) {
            assertEquals(0, s.count(), "--enghelp wrote nothing");
        }
    }

    @Test
    void aFileTargetKnowsItsSizeAndDirectIoAlignment() throws Exception {
        Path f = dir.resolve("f");
        TempFile.writePattern(f, 3 << 20, false);
        Target t = TargetResolver.ofPath(f, 0, true);
        assertEquals(Target.Kind.FILE, t.kind());
        assertEquals(3 << 20, t.size());
        assertEquals(f, t.blockPath());
        assertNull(t.charDevice());
        assertFalse(t.hasCharDevice());
        int lbs = t.logicalBlockSize();
        assertTrue(lbs >= 512 && Integer.bitCount(lbs) == 1, "alignment " + lbs);
        assertEquals(1 << 20, TargetResolver.ofPath(f, 1 << 20, true).size());
        assertThrows(java.io.IOException.class, () -> TargetResolver.ofPath(f, 4 << 20, true));
    }

    @Test
    void aMissingFileIsCreatedOnlyWithASize() throws Exception {
        Path f = dir.resolve("new");
        assertThrows(java.io.IOException.class, () -> TargetResolver.ofPath(f, 0, true));
        Target t = TargetResolver.ofPath(f, 2 << 20, true);
        assertEquals(2 << 20, Files.size(f));
        assertFalse(t.temporary(), "a file the user named stays");
    }

    @Test
    void aCharDeviceThatIsNotNvmeIsRefusedByName() {
        Cli.Result r = Cli.run(dir, "--filename=/dev/null", "--number_ios=1");
        assertEquals(Bench.EXIT_FAILED, r.rc(), r.toString());
        assertTrue(r.err().contains("/dev/null is a char device but not an NVMe namespace"), r.toString());
    }

    @Test
    void passthroughEnginesAreSkippedOnAFileWithTheReason() throws Exception {
        Path f = dir.resolve("f");
        TempFile.writePattern(f, 2 << 20, true);
        Cli.Result r = Cli.run(dir, "--filename=" + f, "--engine=sync-pt,psync", "--iodepth=1", "--number_ios=50");
        assertEquals(0, r.rc(), r.toString());
        assertTrue(r.out().contains("skipping sync-pt: needs an NVMe generic char device (/dev/ngXnY)"), r.out());
        assertTrue(r.out().contains("psync-qd1:"), r.out());

        r = Cli.run(dir, "--filename=" + f, "--engine=sync-pt", "--number_ios=50");
        assertEquals(Bench.EXIT_FAILED, r.rc(), r.toString());
        assertTrue(r.err().contains("no engine can run on " + f), r.toString());
    }

    @Test
    void aBsBelowWhatDirectIoAllowsIsSkippedWithTheReason() throws Exception {
        Path f = dir.resolve("f");
        TempFile.writePattern(f, 2 << 20, true);
        long fsBlock = Files.getFileStore(f).getBlockSize();
        org.junit.jupiter.api.Assumptions.assumeTrue(fsBlock > 512, "file store block size " + fsBlock);
        Cli.Result r = Cli.run(dir, "--filename=" + f, "--engine=filechannel,psync", "--bs=512", "--iodepth=1",
                "--number_ios=20", "--verify=pattern");
        assertTrue(r.out().contains("skipping filechannel: with --direct=1 the JDK needs bs to be a multiple of the file store's block size " + fsBlock), r.toString());
        // psync follows the kernel's rule (the device's logical block size), which may allow 512.
        assertTrue(r.out().contains("psync-qd1:") || r.out().contains("skipping psync"), r.toString());
    }

    @Test
    void defaultEnginesOnAFileAreTheBlockLayerOnes() throws Exception {
        Path f = dir.resolve("f");
        TempFile.writePattern(f, 2 << 20, true);
        Cli.Result r = Cli.run(dir, "--filename=" + f, "--enghelp");
        assertEquals(0, r.rc(), r.toString());
        assertTrue(r.out().contains("psync") && r.out().contains("runs here by default"), r.out());
        assertTrue(r.out().contains("cannot run here: needs an NVMe generic char device"), r.out());
    }
}
