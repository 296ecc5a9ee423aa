package io.github.jring.bench.target;

import io.github.jring.bench.report.Units;
import io.github.jring.bench.sys.Open;
import io.github.jring.bench.sys.BlockDevice;
import io.github.jring.core.Posix;
import io.github.jring.nvme.NamespaceInfo;
import io.github.jring.nvme.NvmeNamespace;
import io.github.jring.nvme.NvmeNamespaces;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Turns {@code --filename} (or its absence) into a {@link Target}: a file, a block device, or an NVMe namespace, with
 * size, logical block size and, for NVMe, both the char and the block device. NVMe namespaces are found with
 * jring-nvme's {@link NvmeNamespaces} (sysfs) and opened with {@link NvmeNamespace}, which reads their NSID, size and
 * LBA size from the device. With no filename it takes the first NVMe namespace char device it can open, else creates
 * a temporary file.
 */
public final class TargetResolver {
    private static final int S_IFMT = 0170000, S_IFBLK = 0060000, S_IFCHR = 0020000, S_IFREG = 0100000;

    /**
     * @param filename  {@code --filename}, or null to discover a target
     * @param size      {@code --size}, or 0 for the whole device or file (1 GiB for a temporary file)
     * @param directory where a temporary file goes ({@code --directory})
     * @param direct    {@code --direct}: the temporary file is written with O_DIRECT when possible
     * @param devDir    where to look for NVMe devices (normally {@code /dev})
     * @param create    whether a temporary file may be created (false: describe the one that would be, e.g. for
     *                  {@code --enghelp})
     */
    public record Request(Path filename, long size, Path directory, boolean direct, Path devDir, boolean create) {
    }

    private TargetResolver() {
    }

    /** Resolves the request; {@code info} receives one-line notes on what was chosen and why. */
    public static Target resolve(Request r, Consumer<String> info) throws IOException {
        if (r.filename() != null) {
            return ofPath(r.filename(), r.size(), r.direct());
        }
        Optional<Path> nvme = firstOpenableNamespace(r.devDir());
        if (nvme.isPresent()) {
            info.accept("no --filename: using the first NVMe namespace this process can open, " + nvme.get());
            return ofPath(nvme.get(), r.size(), r.direct());
        }
        long size = r.size() > 0 ? r.size() : TempFile.DEFAULT_SIZE;
        if (!r.create()) {
            int lbs = Posix.directIoAlignment(r.directory());
            return new Target(Target.Kind.FILE, r.directory().resolve("jring-bench-*.dat"), r.directory(), null, size,
                    lbs > 0 ? lbs : 4096, 0, true);
        }
        long t0 = System.nanoTime();
        Path file = TempFile.createTemporary(r.directory(), size, r.direct());
        Target t = ofFile(file, size, true);
        info.accept(String.format("no --filename and no NVMe namespace (%s/ng*) to open: created %s, %s written once in %.1f s; it is deleted at exit",
                r.devDir(), file, Units.bytes(size), (System.nanoTime() - t0) / 1e9));
        return t;
    }

    /** The target for a path the user named. */
    public static Target ofPath(Path path, long size, boolean direct) throws IOException {
        if (!Files.exists(path)) {
            if (size <= 0) {
                throw new IOException(path + " does not exist; give --size to have it created");
            }
            TempFile.writePattern(path, size, direct);
            return ofFile(path, size, false);
        }
        int mode = (Integer) Files.getAttribute(path, "unix:mode");
        return switch (mode & S_IFMT) {
            case S_IFREG -> ofFile(path, size, false);
            case S_IFBLK -> ofBlockDevice(path, size);
            case S_IFCHR -> ofCharDevice(path, size);
            default -> throw new IOException(path + " is neither a file, a block device nor an NVMe char device");
        };
    }

    private static Target ofFile(Path file, long size, boolean temporary) throws IOException {
        long length = Files.size(file);
        if (size > length) {
            throw new IOException("--size " + Units.bytes(size) + " is larger than " + file + " (" + Units.bytes(length) + ")");
        }
        long use = size > 0 ? size : length;
        int lbs = Posix.directIoAlignment(file);
        if (lbs <= 0) {
            lbs = BlockDevices.logicalBlockSizeOfFileDevice((Long) Files.getAttribute(file, "unix:dev"));
        }
        if (lbs <= 0) {
            lbs = 4096; // unknown: the safe O_DIRECT alignment
        }
        return new Target(Target.Kind.FILE, file, file, null, use, lbs, 0, temporary);
    }

    /**
     * The first namespace of {@link NvmeNamespaces#list()} (controller, then namespace order) whose char device is in
     * {@code devDir} and opens for reading; a test's empty {@code devDir} keeps the run off the machine's devices.
     */
    static Optional<Path> firstOpenableNamespace(Path devDir) {
        for (NamespaceInfo info : NvmeNamespaces.list()) {
            Path p = devDir.resolve(info.charDevice().getFileName().toString());
            if (!Files.exists(p)) continue;
            try (NvmeNamespace ns = NvmeNamespace.openReadOnly(p)) {
                return Optional.of(p);
            } catch (IOException | RuntimeException e) {
                // not ours to use (permissions) or gone; try the next one
            }
        }
        return Optional.empty();
    }

    /** The namespace whose char device ({@code block} false) or block device has {@code path}'s name, if any. */
    private static Optional<NamespaceInfo> namespaceNamed(Path path, boolean block) {
        String name = path.getFileName().toString();
        for (NamespaceInfo info : NvmeNamespaces.list()) {
            Path p = block ? info.blockDevice() : info.charDevice();
            if (p != null && p.getFileName().toString().equals(name)) return Optional.of(info);
        }
        return Optional.empty();
    }

    private static Target ofBlockDevice(Path dev, long size) throws IOException {
        long devSize;
        int lbs;
        int fd = Open.file(dev, Posix.O_RDONLY, 0);
        try {
            devSize = BlockDevice.size(fd, dev);
            lbs = BlockDevice.logicalBlockSize(fd, dev);
        } finally {
            Posix.close(fd);
        }
        Path real = dev.toRealPath();
        Path chr = namespaceNamed(real, true).map(i -> real.resolveSibling(i.charDevice().getFileName())).orElse(null);
        int nsid = 0;
        if (chr != null && Files.exists(chr, LinkOption.NOFOLLOW_LINKS)) {
            nsid = namespaceIdOrZero(chr);
            if (nsid == 0) chr = null;
        } else {
            chr = null;
        }
        return new Target(Target.Kind.BLOCK_DEVICE, dev, dev, chr, sized(dev, devSize, size), lbs, nsid, false);
    }

    private static Target ofCharDevice(Path dev, long size) throws IOException {
        Path real = dev.toRealPath();
        NamespaceInfo info = namespaceNamed(real, false).orElseThrow(() -> new IOException(
                dev + " is a char device but not an NVMe namespace generic device (/dev/ngXnY)"));
        int nsid;
        int lbs;
        long devSize;
        try (NvmeNamespace ns = NvmeNamespace.openReadOnly(dev)) {
            nsid = ns.nsid();
            lbs = ns.lbaSize();
            devSize = ns.sizeBytes();
        }
        Path block = info.blockDevice() == null ? null : real.resolveSibling(info.blockDevice().getFileName());
        if (block != null && !Files.exists(block)) {
            block = null;
        }
        return new Target(Target.Kind.NVME_CHAR_DEVICE, dev, block, dev, sized(dev, devSize, size), lbs, nsid, false);
    }

    private static long sized(Path dev, long devSize, long size) throws IOException {
        if (size > devSize) {
            throw new IOException("--size " + Units.bytes(size) + " is larger than " + dev + " (" + Units.bytes(devSize) + ")");
        }
        return size > 0 ? size : devSize;
    }

    /** The NSID of the namespace behind {@code chr}, or 0 when this process cannot open it as one. */
    private static int namespaceIdOrZero(Path chr) {
        try (NvmeNamespace ns = NvmeNamespace.openReadOnly(chr)) {
            return ns.nsid();
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
