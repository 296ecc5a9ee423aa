package io.github.jring.nvme;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the NVMe namespaces of this machine through sysfs, without opening anything.
 *
 * {@snippet :
 * for (NamespaceInfo ns : NvmeNamespaces.list()) {
 *     System.out.println(ns.charDevice() + " nsid " + ns.nsid() + " " + ns.lbaSize() + " B blocks, zoned " + ns.zoned());
 * }
 * try (NvmeNamespace ns = NvmeNamespaces.firstOpenable().orElseThrow()) { ... }
 * }
 */
public final class NvmeNamespaces {

    private static final Path SYS = Path.of("/sys");
    private static final Path DEV = Path.of("/dev");
    private static final Pattern NG = Pattern.compile("ng(\\d+)n(\\d+)");

    private NvmeNamespaces() {
    }

    /**
     * Every namespace with a generic character device ({@code /sys/class/nvme-generic/ngXnY}), in controller then
     * namespace order. Empty when there is no NVMe driver or no namespace (or the kernel is older than 5.13, which
     * added the generic devices).
     *
     * @return the namespaces
     */
    public static List<NamespaceInfo> list() {
        return list(SYS, DEV);
    }

    /** {@link #list()} against another sysfs and /dev root (tests). */
    static List<NamespaceInfo> list(Path sys, Path dev) {
        Path cls = sys.resolve("class/nvme-generic");
        List<String> names = new ArrayList<>();
        if (Files.isDirectory(cls)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(cls, "ng*")) {
                for (Path p : ds) {
                    if (NG.matcher(p.getFileName().toString()).matches()) {
                        names.add(p.getFileName().toString());
                    }
                }
            } catch (IOException e) {
                return List.of();
            }
        }
        names.sort(Comparator.comparingInt((String n) -> number(n, 1)).thenComparingInt(n -> number(n, 2)));
        List<NamespaceInfo> out = new ArrayList<>(names.size());
        for (String ng : names) {
            out.add(info(sys, dev, cls.resolve(ng), ng));
        }
        return List.copyOf(out);
    }

    private static int number(String ng, int group) {
        Matcher m = NG.matcher(ng);
        return m.matches() ? Integer.parseInt(m.group(group)) : Integer.MAX_VALUE;
    }

    private static NamespaceInfo info(Path sys, Path dev, Path ngDir, String ng) {
        String blockName = "nvme" + ng.substring(2);
        Path block = sys.resolve("block").resolve(blockName);
        boolean hasBlock = Files.isDirectory(block);
        String ctrlName = null;
        try {
            ctrlName = Files.readSymbolicLink(ngDir.resolve("device")).getFileName().toString();
        } catch (IOException | UnsupportedOperationException e) {
            // fall back to the name: ngXnY belongs to controller (or subsystem) X
        }
        if (ctrlName == null) {
            ctrlName = "nvme" + number(ng, 1);
        }
        int nsid = hasBlock ? (int) readLong(block.resolve("nsid"), -1) : -1;
        int lba = hasBlock ? (int) readLong(block.resolve("queue/logical_block_size"), -1) : -1;
        long sectors = hasBlock ? readLong(block.resolve("size"), -1) : -1;
        String zoned = hasBlock ? read(block.resolve("queue/zoned")) : null;
        String model = read(sys.resolve("class/nvme").resolve(ctrlName).resolve("model"));
        return new NamespaceInfo(dev.resolve(ng), hasBlock ? dev.resolve(blockName) : null, dev.resolve(ctrlName),
                nsid, lba, sectors < 0 ? -1 : sectors * 512, zoned != null && !zoned.equals("none"),
                model == null ? "" : model);
    }

    private static String read(Path p) {
        try {
            return Files.readString(p).trim();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static long readLong(Path p, long otherwise) {
        String s = read(p);
        if (s == null) {
            return otherwise;
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }

    /**
     * Opens the first namespace that can be opened read-write, conventional (not zoned) namespaces first: what a
     * benchmark or a smoke test wants. Namespaces that fail to open (permission denied, busy ...) are skipped.
     *
     * @return the open namespace, or empty when none could be opened
     */
    public static Optional<NvmeNamespace> firstOpenable() {
        Optional<NvmeNamespace> ns = firstOpenable(i -> !i.zoned());
        return ns.isPresent() ? ns : firstOpenable(NamespaceInfo::zoned);
    }

    /**
     * Opens the first namespace that matches {@code filter} and can be opened read-write.
     *
     * @param filter which namespaces to try
     * @return the open namespace, or empty
     */
    public static Optional<NvmeNamespace> firstOpenable(Predicate<NamespaceInfo> filter) {
        for (NamespaceInfo info : list()) {
            if (!filter.test(info)) {
                continue;
            }
            try {
                return Optional.of(info.open());
            } catch (IOException | RuntimeException e) {
                // not openable by this process: try the next one
            }
        }
        return Optional.empty();
    }
}
