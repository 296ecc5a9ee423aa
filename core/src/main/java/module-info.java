/**
 * jring core: the io_uring ring in pure FFM — setup, submission, completion, registration and every opcode's
 * preparation. Start at {@link io.github.jring.core.IoUring}.
 */
module io.github.jring.core {
    requires transitive io.github.jring.bindings;

    exports io.github.jring.core;
    exports io.github.jring.core.async;
    exports io.github.jring.core.nio;

    // the drop-in file system provider (scheme "jring"; as the default provider it is named by a system property)
    provides java.nio.file.spi.FileSystemProvider with io.github.jring.core.nio.UringFileSystemProvider;
    // the native-access check, which the NVMe classes run first as core's do
    exports io.github.jring.core.internal to io.github.jring.nvme;
}
