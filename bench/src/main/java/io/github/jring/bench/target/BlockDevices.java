package io.github.jring.bench.target;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What sysfs ({@code /sys/class/block}, {@code /sys/dev/block}) says about block devices. */
public final class BlockDevices {
    static final Path SYS_CLASS_BLOCK = Path.of("/sys/class/block");
    static final Path SYS_DEV_BLOCK = Path.of("/sys/dev/block");

    private BlockDevices() {
    }

    /** The kernel's name of a block device node (symlinks resolved): {@code /dev/disk/by-id/x -> vda}. */
    public static String kernelName(Path device) throws IOException {
        return device.toRealPath().getFileName().toString();
    }

    /** {@code "major:minor"} of the named block device, or null if sysfs does not list it. */
    public static String devNumber(String name) {
        return readTrimmed(SYS_CLASS_BLOCK.resolve(name).resolve("dev"));
    }

    /** The partitions of the named disk (names like {@code vda1}); empty for a partition or a disk without any. */
    public static List<String> partitions(String name) {
        List<String> parts = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(SYS_CLASS_BLOCK.resolve(name))) {
            for (Path p : ds) {
                if (Files.exists(p.resolve("partition"))) parts.add(p.getFileName().toString());
            }
        } catch (IOException e) {
            // not a disk sysfs knows: no partitions
        }
        return parts;
    }

    /** The devices stacked on the named one (device-mapper, md, bcache...): {@code /sys/class/block/NAME/holders}. */
    public static List<String> holders(String name) {
        List<String> holders = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(SYS_CLASS_BLOCK.resolve(name).resolve("holders"))) {
            for (Path p : ds) holders.add(p.getFileName().toString());
        } catch (IOException e) {
            // no holders directory: nothing holds it
        }
        return holders;
    }

    /**
     * The logical block size of the block device that holds a file ({@code st_dev}, as {@code unix:dev} gives it), or 0
     * if that is not a block device (tmpfs, overlay, network file systems). A partition inherits its disk's queue.
     */
    public static int logicalBlockSizeOfFileDevice(long stDev) {
        long major = ((stDev >>> 8) & 0xfff) | ((stDev >>> 32) & ~0xfffL);
        long minor = (stDev & 0xff) | ((stDev >>> 12) & ~0xffL);
        Path dir = SYS_DEV_BLOCK.resolve(major + ":" + minor);
        for (Path d : new Path[]{dir, dir.resolve("..")}) {
            String v = readTrimmed(d.resolve("queue/logical_block_size"));
            if (v != null) return Integer.parseInt(v);
        }
        return 0;
    }

    /**
     * Whether the block device of {@code path} completes polled I/O: its queue's {@code io_poll} (1 only with poll
     * queues; NVMe gets them with {@code nvme.poll_queues=N}). {@code path} is a block device, or a file whose file
     * system sits on one; a partition answers for its disk. Null when sysfs cannot tell (a file on tmpfs, overlay...).
     */
    public static Boolean polls(Path path) {
        try {
            Path dir;
            if (Files.isRegularFile(path)) {
                long stDev = (Long) Files.getAttribute(path, "unix:dev");
                long major = ((stDev >>> 8) & 0xfff) | ((stDev >>> 32) & ~0xfffL);
                long minor = (stDev & 0xff) | ((stDev >>> 12) & ~0xffL);
                dir = SYS_DEV_BLOCK.resolve(major + ":" + minor);
            } else {
                dir = SYS_CLASS_BLOCK.resolve(kernelName(path));
            }
            for (Path d : new Path[]{dir, dir.resolve("..")}) {
                String v = readTrimmed(d.resolve("queue/io_poll"));
                if (v != null) return v.equals("1");
            }
        } catch (IOException | UnsupportedOperationException | ClassCastException e) {
            return null;
        }
        return null;
    }

    static String readTrimmed(Path p) {
        try {
            return Files.readString(p).trim();
        } catch (IOException e) {
            return null;
        }
    }
}
