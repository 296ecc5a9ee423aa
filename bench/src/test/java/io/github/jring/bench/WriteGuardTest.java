package io.github.jring.bench;

import io.github.jring.bench.target.RefusedException;
import io.github.jring.bench.target.TempFile;
import io.github.jring.bench.target.WriteGuard;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Writes to devices: refused without --allow-write, refused on a mounted device, allowed otherwise. Real loop devices. */
class WriteGuardTest {
    @TempDir
    Path dir;

    private static String sha256(Path f) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
    }

    private static long wchar() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/io"))) {
            if (line.startsWith("wchar:")) return Long.parseLong(line.substring(6).trim());
        }
        throw new IllegalStateException("no wchar in /proc/self/io");
    }

    @Test
    void writingToADeviceNeedsAllowWrite() throws Exception {
        Path backing = dir.resolve("disk.img");
        TempFile.writePattern(backing, 16 << 20, false);
        try (LoopDevice loop = LoopDevice.attachOrSkip(backing)) {
            String dev = "--filename=" + loop.device;
            // Reading a device needs no permission.
            Cli.Result read = Cli.run(dir, dev, "--engine=psync", "--iodepth=1", "--number_ios=200", "--verify=pattern");
            assertEquals(0, read.rc(), read.toString());
            assertTrue(read.out().contains("(block device, 16.00 MiB"), read.out());

            String before = sha256(backing);
            Cli.Result refused = Cli.run(dir, dev, "--rw=randwrite", "--engine=psync", "--iodepth=1", "--number_ios=200");
            assertEquals(Bench.EXIT_REFUSED, refused.rc(), refused.toString());
            assertTrue(refused.err().contains("refusing to write to block device " + loop.device)
                    && refused.err().contains("--allow-write"), refused.toString());
            assertEquals(before, sha256(backing), "nothing was written");

            // The same run with --allow-write writes (the refusal above was the option's doing).
            Cli.Result allowed = Cli.run(dir, dev, "--rw=randwrite", "--engine=psync", "--iodepth=1",
                    "--number_ios=200", "--allow-write");
            assertEquals(0, allowed.rc(), allowed.toString());
            assertNotEquals(before, sha256(backing), "the device was written");
        }
    }

    @Test
    void aMountedDeviceIsNeverWrittenEvenWithAllowWrite() throws Exception {
        Path backing = dir.resolve("fs.img");
        Files.write(backing, new byte[32 << 20]);
        try (LoopDevice loop = LoopDevice.attachOrSkip(backing)) {
            Path mnt = dir.resolve("mnt");
            loop.mountExt4OrSkip(mnt);
            // The mounted file system writes to its device by itself, so "nothing written" is judged by what this
            // process wrote: wchar counts every byte passed to write-like syscalls, pwrite included.
            long wcharBefore = wchar();
            Cli.Result r = Cli.run(dir, "--filename=" + loop.device, "--rw=write", "--engine=psync", "--iodepth=1",
                    "--number_ios=100", "--allow-write");
            assertEquals(Bench.EXIT_REFUSED, r.rc(), r.toString());
            assertTrue(r.err().contains("is mounted at " + mnt), r.toString());
            long written = wchar() - wcharBefore;
            assertTrue(written < 100 * 4096, "this process wrote " + written + " bytes while refusing");
            loop.unmount();

            Cli.Result after = Cli.run(dir, "--filename=" + loop.device, "--rw=write", "--engine=filechannel",
                    "--iodepth=1", "--number_ios=100", "--allow-write");
            assertEquals(0, after.rc(), "unmounted, the same run writes: " + after);
        }
    }

    @Test
    void theKernelsExclusiveOpenIsHeldWhileWriting() throws Exception {
        Path backing = dir.resolve("disk.img");
        Files.write(backing, new byte[8 << 20]);
        try (LoopDevice loop = LoopDevice.attachOrSkip(backing)) {
            var target = io.github.jring.bench.target.TargetResolver.ofPath(loop.device, 0, true);
            try (WriteGuard guard = WriteGuard.acquire(target, true, true)) {
                assertTrue(guard.holdsDevice());
                // While the guard holds O_EXCL, the kernel refuses a second exclusive open: nobody can mount it.
                RefusedException e = assertThrows(RefusedException.class, () -> WriteGuard.acquire(target, true, true));
                assertTrue(e.getMessage().contains("EBUSY"), e.getMessage());
            }
            WriteGuard.acquire(target, true, true).close();
        }
    }

    @Test
    void theDeviceBehindTheRootFileSystemIsRefused() throws Exception {
        String source = null;
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String[] f = line.split(" ");
            if (f[4].equals("/")) {
                int dash = java.util.Arrays.asList(f).indexOf("-");
                source = f[dash + 2];
            }
        }
        Assumptions.assumeTrue(source != null && source.startsWith("/dev/") && Files.exists(Path.of(source)),
                "/ is not mounted from a device node (" + source + ")");
        int mode = (Integer) Files.getAttribute(Path.of(source), "unix:mode");
        Assumptions.assumeTrue((mode & 0170000) == 0060000, source + " is not a block device");
        // Only the check: nothing here opens the root device for writing.
        Path root = Path.of(source);
        RefusedException e = assertThrows(RefusedException.class, () -> WriteGuard.checkNotInUse(root));
        assertTrue(e.getMessage().contains("mounted at /"), e.getMessage());
    }
}
