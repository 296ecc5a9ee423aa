package io.github.jring.bench.target;

import io.github.jring.bench.sys.Open;
import io.github.jring.core.Posix;
import io.github.jring.bindings.Uapi;
import io.github.jring.core.ErrnoException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stands between a write run and a device. Writing to a file is allowed; writing to a device needs
 * {@code --allow-write}, and even then never to one in use: mounted (itself or a partition, per
 * {@code /proc/self/mountinfo}), holding a device-mapper/md device ({@code /sys/class/block/X/holders}), or used as
 * swap. Finally the kernel is asked: the guard holds the block device open with {@code O_EXCL}, which fails with
 * {@code EBUSY} on a mounted or claimed device and keeps anyone from mounting it while the run writes.
 */
public final class WriteGuard implements AutoCloseable {
    static Path mountinfo = Path.of("/proc/self/mountinfo");
    static Path swaps = Path.of("/proc/swaps");

    private final int exclusiveFd;

    private WriteGuard(int exclusiveFd) {
        this.exclusiveFd = exclusiveFd;
    }

    /** A guard that guards nothing: reads only, or a file. */
    public static WriteGuard none() {
        return new WriteGuard(-1);
    }

    /**
     * Checks that a run that {@code writes} may touch {@code target}; returns a guard to hold until the run ends.
     *
     * @throws RefusedException naming the reason when it may not
     */
    public static WriteGuard acquire(Target target, boolean writes, boolean allowWrite) throws IOException {
        if (!writes || target.isFile()) {
            return none();
        }
        if (!allowWrite) {
            throw new RefusedException("refusing to write to " + target.kind().label() + " " + target.path()
                    + ": it would overwrite whatever is stored there. Add --allow-write if that is what you want.");
        }
        Path block = target.blockPath();
        if (block == null) {
            // A generic char device whose namespace has no block device: nothing can be mounted from it.
            return none();
        }
        checkNotInUse(block);
        try {
            return new WriteGuard(Open.file(block, Posix.O_RDONLY | Posix.O_EXCL, 0));
        } catch (ErrnoException e) {
            if (e.errno() == Uapi.EBUSY()) {
                throw new RefusedException("refusing to write to " + block
                        + ": the kernel reports it in use (O_EXCL open failed with EBUSY: mounted, or claimed by another driver)");
            }
            throw e;
        }
    }

    /** Throws {@link RefusedException} if the block device, or a partition of it, is mounted, held, or swap. */
    public static void checkNotInUse(Path blockDevice) throws IOException {
        String name = BlockDevices.kernelName(blockDevice);
        Path real = blockDevice.toRealPath();
        Map<String, String> devices = new LinkedHashMap<>(); // name -> major:minor
        devices.put(name, BlockDevices.devNumber(name));
        for (String part : BlockDevices.partitions(name)) devices.put(part, BlockDevices.devNumber(part));

        List<String> mountLines = Files.exists(mountinfo) ? Files.readAllLines(mountinfo) : List.of();
        for (String line : mountLines) {
            // id parent major:minor root mountpoint options [optional fields] - fstype source superoptions
            String[] f = line.split(" ");
            int dash = indexOf(f, "-");
            String source = dash >= 0 && dash + 2 < f.length ? unescape(f[dash + 2]) : "";
            for (Map.Entry<String, String> d : devices.entrySet()) {
                boolean sameNumber = d.getValue() != null && d.getValue().equals(f[2]);
                boolean sameSource = source.startsWith("/dev/") && resolvesTo(source, real.resolveSibling(d.getKey()));
                if (sameNumber || sameSource) {
                    throw new RefusedException("refusing to write to " + blockDevice + ": "
                            + (d.getKey().equals(name) ? "it" : "its partition " + d.getKey()) + " is mounted at "
                            + unescape(f[4]) + " (" + mountinfo + ")");
                }
            }
        }
        for (String dev : devices.keySet()) {
            List<String> holders = BlockDevices.holders(dev);
            if (!holders.isEmpty()) {
                throw new RefusedException("refusing to write to " + blockDevice + ": " + dev + " is held by "
                        + String.join(", ", holders) + " (/sys/class/block/" + dev + "/holders)");
            }
        }
        if (Files.exists(swaps)) {
            for (String line : Files.readAllLines(swaps)) {
                String first = line.split("\\s+")[0];
                if (!first.startsWith("/dev/")) continue;
                for (String dev : devices.keySet()) {
                    if (resolvesTo(first, real.resolveSibling(dev))) {
                        throw new RefusedException("refusing to write to " + blockDevice + ": " + dev + " is in use as swap");
                    }
                }
            }
        }
    }

    private static int indexOf(String[] a, String s) {
        for (int i = 6; i < a.length; i++) if (a[i].equals(s)) return i;
        return -1;
    }

    private static boolean resolvesTo(String path, Path real) {
        try {
            return Path.of(path).toRealPath().equals(real);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** mountinfo escapes space, tab, newline and backslash as octal. */
    private static String unescape(String s) {
        if (s.indexOf('\\') < 0) return s;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length()) {
                try {
                    sb.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                    i += 3;
                    continue;
                } catch (NumberFormatException e) {
                    // not an escape
                }
            }
            sb.append(c);
        }
        return sb.toString();
    }

    /** True when this guard holds an exclusive open of a device. */
    public boolean holdsDevice() {
        return exclusiveFd >= 0;
    }

    @Override
    public void close() throws IOException {
        if (exclusiveFd >= 0) Posix.close(exclusiveFd);
    }
}
