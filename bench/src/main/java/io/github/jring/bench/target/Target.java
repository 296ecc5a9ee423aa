package io.github.jring.bench.target;

import java.nio.file.Path;

/**
 * What a run reads and writes: a file, a block device, or an NVMe namespace. An NVMe namespace has two doors, the
 * block device {@code /dev/nvmeXnY} (for block I/O: psync, filechannel, uring-block) and the generic char device
 * {@code /dev/ngXnY} (for passthrough: sync-pt, async-pt); both are filled in when they exist, whichever one the
 * user named.
 *
 * @param kind             what the user's (or the discovered) path is
 * @param path             that path
 * @param blockPath        the file or block device for block-I/O engines, or null (a char device whose block device is missing)
 * @param charDevice       the NVMe generic char device {@code /dev/ngXnY}, or null (not NVMe, or a file)
 * @param size             the bytes of the target that runs use, from offset 0
 * @param logicalBlockSize the device's logical block size (for a file, that of the device it lives on): O_DIRECT
 *                         offsets and lengths, and NVMe LBAs, are multiples of it
 * @param nsid             the NVMe namespace id, or 0 when not NVMe
 * @param temporary        true when jring-bench created the file and deletes it afterwards
 */
public record Target(Kind kind, Path path, Path blockPath, Path charDevice, long size, int logicalBlockSize,
                     int nsid, boolean temporary) {

    /** What kind of path the target is. */
    public enum Kind {
        FILE("file"), BLOCK_DEVICE("block device"), NVME_CHAR_DEVICE("NVMe char device");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    public boolean isFile() {
        return kind == Kind.FILE;
    }

    public boolean isDevice() {
        return kind != Kind.FILE;
    }

    /** True when passthrough engines can run: there is an NVMe generic char device and its namespace id. */
    public boolean hasCharDevice() {
        return charDevice != null && nsid > 0;
    }

    /** True when block-I/O engines can run. */
    public boolean hasBlockPath() {
        return blockPath != null;
    }

    /** The same target limited to {@code bytes} (which the caller checked fits). */
    public Target withSize(long bytes) {
        return new Target(kind, path, blockPath, charDevice, bytes, logicalBlockSize, nsid, temporary);
    }

    /** One line for the output: the path, what it is, its other door, the size used. */
    public String describe() {
        StringBuilder sb = new StringBuilder().append(path).append(" (");
        if (temporary) sb.append("temporary ");
        sb.append(kind.label());
        if (kind == Kind.NVME_CHAR_DEVICE && blockPath != null) sb.append(", block device ").append(blockPath);
        if (kind == Kind.BLOCK_DEVICE && charDevice != null) sb.append(", char device ").append(charDevice);
        if (nsid > 0) sb.append(", nsid ").append(nsid);
        sb.append(", ").append(io.github.jring.bench.report.Units.bytes(size));
        sb.append(", ").append(logicalBlockSize).append(" B logical blocks)");
        return sb.toString();
    }
}
