package io.github.jring.bench;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A real loop block device over a file (needs root and losetup); tests that need one are skipped without. */
final class LoopDevice implements AutoCloseable {
    final Path device;
    final Path backing;
    private Path mountPoint;

    private LoopDevice(Path device, Path backing) {
        this.device = device;
        this.backing = backing;
    }

    /** Attaches {@code backing} as a loop device, or skips the test saying why it cannot. */
    static LoopDevice attachOrSkip(Path backing) throws IOException, InterruptedException {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "loop devices need root");
        Assumptions.assumeTrue(Files.exists(Path.of("/dev/loop-control")), "no /dev/loop-control");
        Result r = exec("losetup", "-f", "--show", backing.toString());
        Assumptions.assumeTrue(r.rc == 0, "losetup failed: " + r.out);
        return new LoopDevice(Path.of(r.out.trim()), backing);
    }

    /** Makes an ext4 file system on the device and mounts it under {@code where}, or skips saying why. */
    void mountExt4OrSkip(Path where) throws IOException, InterruptedException {
        Result mk = exec("mkfs.ext4", "-q", "-F", device.toString());
        Assumptions.assumeTrue(mk.rc == 0, "mkfs.ext4 failed: " + mk.out);
        Files.createDirectories(where);
        Result m = exec("mount", device.toString(), where.toString());
        Assumptions.assumeTrue(m.rc == 0, "mount failed: " + m.out);
        mountPoint = where;
    }

    void unmount() throws IOException, InterruptedException {
        if (mountPoint != null) {
            Result r = exec("umount", mountPoint.toString());
            if (r.rc != 0) throw new IOException("umount " + mountPoint + ": " + r.out);
            mountPoint = null;
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            unmount();
        } finally {
            exec("losetup", "-d", device.toString());
        }
    }

    record Result(int rc, String out) {
    }

    static Result exec(String... cmd) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(List.of(cmd)).redirectErrorStream(true).start();
        } catch (IOException e) {
            return new Result(127, e.getMessage());
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Result(124, out);
        }
        return new Result(p.exitValue(), out);
    }
}
