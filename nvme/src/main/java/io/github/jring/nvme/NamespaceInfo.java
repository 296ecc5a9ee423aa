package io.github.jring.nvme;

import io.github.jring.core.ErrnoException;

import java.io.IOException;
import java.nio.file.Path;

/**
 * What sysfs says about one NVMe namespace, before opening it: found by {@link NvmeNamespaces#list()}.
 *
 * <p>Sources: {@code /sys/class/nvme-generic/ngXnY} (the generic character device, whose {@code device} link is the
 * controller), and the matching block device {@code /sys/block/nvmeXnY} ({@code nsid}, {@code size} in 512-byte
 * sectors, {@code queue/logical_block_size}, {@code queue/zoned}). The block device can be missing (a namespace whose
 * format or command set the kernel's block layer does not support still gets its {@code ng} device); the facts that
 * come from it are then unknown (-1, or {@code false} for zoned), and {@link NvmeNamespace#open} learns them by
 * Identify.
 *
 * @param charDevice  the generic character device, {@code /dev/ngXnY}: the passthrough target
 * @param blockDevice the block device {@code /dev/nvmeXnY}, or {@code null} when there is none
 * @param controller  the controller's character device, {@code /dev/nvmeX} (admin commands)
 * @param nsid        the namespace id, or -1 when unknown
 * @param lbaSize     the logical block size in bytes, or -1 when unknown
 * @param sizeBytes   the capacity in bytes, or -1 when unknown
 * @param zoned       whether the block layer sees it as zoned ({@code queue/zoned} is not {@code none})
 * @param model       the controller's model number (sysfs {@code model}), trimmed, or empty
 */
public record NamespaceInfo(Path charDevice, Path blockDevice, Path controller, int nsid, int lbaSize, long sizeBytes,
                            boolean zoned, String model) {

    /**
     * Opens the namespace read-write.
     *
     * @return the handle
     * @throws ErrnoException if it cannot be opened (permission denied says what to do)
     * @throws IOException    if Identify fails
     */
    public NvmeNamespace open() throws IOException {
        return NvmeNamespace.open(charDevice);
    }

    /**
     * The capacity in logical blocks.
     *
     * @return blocks, or -1 when unknown
     */
    public long blocks() {
        return sizeBytes < 0 || lbaSize <= 0 ? -1 : sizeBytes / lbaSize;
    }
}
