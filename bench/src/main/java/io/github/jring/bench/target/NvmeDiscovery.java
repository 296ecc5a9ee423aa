package io.github.jring.bench.target;

import io.github.jring.bench.sys.Libc;
import io.github.jring.core.ErrnoException;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds NVMe namespaces to benchmark when no {@code --filename} is given: the generic char devices
 * {@code /dev/ngXnY}, in controller then namespace order. The one place that knows how; when
 * {@code io.github.jring.nvme} offers discovery, this class delegates to it.
 */
public final class NvmeDiscovery {
    /** {@code ng<controller>n<namespace>}. */
    static final Pattern CHAR_NAME = Pattern.compile("ng(\\d+)n(\\d+)");
    /** {@code nvme<controller>n<namespace>}, not a partition ({@code ...p1}) and not a multipath path ({@code ...c0n1}). */
    static final Pattern BLOCK_NAME = Pattern.compile("nvme(\\d+)n(\\d+)");

    private NvmeDiscovery() {
    }

    /** The namespace char devices under {@code dev} (normally {@code /dev}), ng0n1 before ng0n2 before ng1n1 before ng10n1. */
    public static List<Path> namespaceCharDevices(Path dev) throws IOException {
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dev, "ng*n*")) {
            for (Path p : ds) {
                if (CHAR_NAME.matcher(p.getFileName().toString()).matches()) found.add(p);
            }
        }
        found.sort(Comparator.<Path>comparingLong(p -> number(p, 1)).thenComparingLong(p -> number(p, 2)));
        return found;
    }

    private static long number(Path p, int group) {
        Matcher m = CHAR_NAME.matcher(p.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(group)) : Long.MAX_VALUE;
    }

    /** The first namespace char device this process can open for reading, if any. */
    public static Optional<Path> firstOpenable(Path dev) {
        List<Path> all;
        try {
            all = namespaceCharDevices(dev);
        } catch (IOException e) {
            return Optional.empty();
        }
        for (Path p : all) {
            try {
                Libc.close(Libc.open(p, Libc.O_RDONLY, 0));
                return Optional.of(p);
            } catch (ErrnoException e) {
                // not ours to use (permissions) or gone; try the next one
            }
        }
        return Optional.empty();
    }

    /** {@code /dev/ngXnY} for {@code /dev/nvmeXnY} (same directory), or null for a name that is not a namespace disk. */
    public static Path charDeviceFor(Path blockDevice) {
        Matcher m = BLOCK_NAME.matcher(blockDevice.getFileName().toString());
        return m.matches() ? blockDevice.resolveSibling("ng" + m.group(1) + "n" + m.group(2)) : null;
    }

    /** {@code /dev/nvmeXnY} for {@code /dev/ngXnY} (same directory), or null for a name that is not a generic char device. */
    public static Path blockDeviceFor(Path charDevice) {
        Matcher m = CHAR_NAME.matcher(charDevice.getFileName().toString());
        return m.matches() ? charDevice.resolveSibling("nvme" + m.group(1) + "n" + m.group(2)) : null;
    }
}
