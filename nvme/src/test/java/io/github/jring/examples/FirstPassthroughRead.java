// snippet:program
package io.github.jring.examples;

import io.github.jring.nvme.NvmeNamespace;
import io.github.jring.nvme.NvmeQueue;
import io.github.jring.nvme.command.Read;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.HexFormat;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * A first NVMe passthrough read: a Read command sent to a namespace's generic character device through io_uring's
 * {@code IORING_OP_URING_CMD}. No block layer, no file system, no native library.
 */
public final class FirstPassthroughRead {

    private FirstPassthroughRead() {
    }

    /**
     * Reads {@code blocks} logical blocks from LBA {@code slba} of {@code device}.
     *
     * @param device the namespace's generic character device, for example {@code /dev/ng0n1}
     * @param slba   the first block
     * @param blocks how many blocks
     * @return the data
     * @throws IOException if the device cannot be opened or the command fails
     */
    public static byte[] read(Path device, long slba, int blocks) throws IOException {
        // snippet:first-read
        try (NvmeNamespace ns = NvmeNamespace.open(device);      // open(2) + Identify: NSID, LBA size, ...
             NvmeQueue queue = NvmeQueue.open(ns, 16);            // a ring with 128-byte SQEs and 32-byte CQEs
             Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate((long) blocks * ns.lbaSize(), 4096);
            queue.execute(new Read(ns.nsid(), slba, blocks, buf)); // one URING_CMD; throws on an NVMe status
            return buf.toArray(JAVA_BYTE);
        }
        // end:first-read
    }

    /**
     * Reads the first 8 blocks and prints the first 32 bytes.
     *
     * @param args the device (default {@code /dev/ng0n1})
     * @throws IOException if it fails
     */
    public static void main(String[] args) throws IOException {
        Path device = Path.of(args.length > 0 ? args[0] : "/dev/ng0n1");
        byte[] data = read(device, 0, 8);
        System.out.println("read " + data.length + " bytes from " + device);
        System.out.println(HexFormat.ofDelimiter(" ").formatHex(data, 0, 32));
    }
}
// end:program
