/**
 * NVMe commands for Java: typed builders for the NVM, admin and zoned-namespace command sets, decoders for Identify
 * data and log pages, and two transports for the same command object: asynchronous {@code IORING_OP_URING_CMD}
 * passthrough on an io_uring ring, and the synchronous {@code NVME_IOCTL_*64_CMD} ioctl. See
 * {@link io.github.jring.nvme.NvmeNamespace} to start. Packages: devices and transports in {@code io.github.jring.nvme},
 * the commands in {@code io.github.jring.nvme.command}, decoded pages in {@code io.github.jring.nvme.data}, end-to-end
 * protection in {@code io.github.jring.nvme.pi}, status in {@code io.github.jring.nvme.status}.
 */
module io.github.jring.nvme {
    requires transitive io.github.jring.core;
    exports io.github.jring.nvme;
    exports io.github.jring.nvme.command;
    exports io.github.jring.nvme.data;
    exports io.github.jring.nvme.pi;
    exports io.github.jring.nvme.status;
}
