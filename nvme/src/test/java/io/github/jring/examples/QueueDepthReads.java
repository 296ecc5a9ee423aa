package io.github.jring.examples;

import io.github.jring.nvme.NvmeCompletionHandler;
import io.github.jring.nvme.NvmeNamespace;
import io.github.jring.nvme.NvmeQueue;
import io.github.jring.nvme.status.PassthroughOutcome;
import io.github.jring.nvme.command.Read;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * Many commands in flight: the loop every fast NVMe client has. Keep {@code depth} reads in flight, submit each
 * batch with one {@code io_uring_enter} that also waits, reap what completed, refill. One {@link Read} object serves
 * every command (the SQE gets a copy of it), the data lands in registered buffers, and nothing is allocated per
 * command.
 */
public final class QueueDepthReads {

    private QueueDepthReads() {
    }

    /**
     * Reads {@code commands * blocksPerCommand} blocks from {@code slba} into {@code into}, {@code depth} commands at a
     * time.
     *
     * @param ns               the namespace
     * @param slba             first block
     * @param commands         how many Read commands
     * @param blocksPerCommand blocks per command
     * @param depth            commands in flight at most (a power of two)
     * @param into             native memory of {@code commands * blocksPerCommand * lbaSize} bytes
     * @return how many commands completed
     * @throws IOException the first failure (an {@code NvmeStatusException} or {@code ErrnoException})
     */
    public static int read(NvmeNamespace ns, long slba, int commands, int blocksPerCommand, int depth,
                           MemorySegment into) throws IOException {
        // snippet:queue-depth
        int bytesPer = blocksPerCommand * ns.lbaSize();
        int[] firstFailure = {0};
        NvmeCompletionHandler onCompletion = (userData, res, result) -> { // made once: reaping allocates nothing
            if (res != 0 && firstFailure[0] == 0) {
                firstFailure[0] = res;                    // > 0: NVMe status, < 0: -errno
            }
        };
        try (NvmeQueue queue = NvmeQueue.open(ns, depth)) {
            // Registered ("fixed") buffers: pinned once, not per command. One per command's share of `into`: Linux
            // 6.1 refuses (EINVAL) a fixed passthrough command when the registered buffer has more pages from the
            // command's start to its end than the device takes segments (max_segments, 127 on QEMU).
            MemorySegment[] shares = new MemorySegment[commands];
            for (int i = 0; i < commands; i++) {
                shares[i] = into.asSlice((long) i * bytesPer, bytesPer);
            }
            queue.ring().registerBuffers(shares);          // buffer i is command i's share
            Read read = new Read(ns.nsid(), slba, blocksPerCommand);
            int submitted = 0;
            int completed = 0;
            while (completed < commands) {
                while (submitted < commands && submitted - completed < depth) {
                    read.slba(slba + (long) submitted * blocksPerCommand)
                            .data(into, (long) submitted * bytesPer, bytesPer); // no slice, no allocation
                    if (!queue.prepFixed(read, submitted, submitted)) {        // buffer index, user_data
                        throw new IllegalStateException("SQ full");       // not with depth <= SQ size
                    }
                    submitted++;
                }
                queue.submitAndWait(1);                    // one io_uring_enter: submit the batch, wait for one
                completed += queue.reap(onCompletion);
            }
        }
        if (firstFailure[0] != 0) {
            throw PassthroughOutcome.exception(firstFailure[0], "Read");
        }
        // end:queue-depth
        return commands;
    }

    /**
     * Runs the example: reads the first 4 MiB of the namespace, 64 KiB per command, 32 in flight.
     *
     * @param args the device (default {@code /dev/ng0n1})
     * @throws IOException if it fails
     */
    public static void main(String[] args) throws IOException {
        try (NvmeNamespace ns = NvmeNamespace.open(Path.of(args.length > 0 ? args[0] : "/dev/ng0n1"));
             Arena arena = Arena.ofConfined()) {
            int blocksPer = 65536 / ns.lbaSize();
            MemorySegment into = arena.allocate(64L * 65536, 4096);
            System.out.println("completed " + read(ns, 0, 64, blocksPer, 32, into) + " reads");
        }
    }
}
