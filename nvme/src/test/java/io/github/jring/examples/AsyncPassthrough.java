package io.github.jring.examples;

import io.github.jring.core.async.AsyncRing;
import io.github.jring.core.async.Completion;
import io.github.jring.nvme.NvmeNamespace;
import io.github.jring.nvme.NvmeQueue;
import io.github.jring.nvme.status.PassthroughOutcome;
import io.github.jring.nvme.command.Read;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * NVMe passthrough from many virtual threads through one {@link AsyncRing} set up for it (128-byte SQEs, 32-byte
 * CQEs): each thread writes its command into the SQE with {@link NvmeQueue#prepare} and parks until the device
 * answers. The ring batches the threads' commands into shared {@code io_uring_enter} calls.
 */
public final class AsyncPassthrough {

    private AsyncPassthrough() {
    }

    /**
     * Reads {@code threads} ranges of 8 blocks, from {@code slba} on, each from its own virtual thread.
     *
     * @param device  a namespace's generic device
     * @param slba    the first block
     * @param threads how many virtual threads (and commands)
     * @return the data, range after range
     * @throws IOException          if a command fails
     * @throws InterruptedException if interrupted
     */
    public static byte[] read(Path device, long slba, int threads) throws IOException, InterruptedException {
        try (NvmeNamespace ns = NvmeNamespace.open(device);
             AsyncRing ring = AsyncRing.builder().sqe128().cqe32().build()) {
            int lba = ns.lbaSize();
            byte[] all = new byte[threads * 8 * lba];
            // snippet:async-nvme
            try (ExecutorService vts = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<byte[]>> parts = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    long at = slba + 8L * t;
                    parts.add(vts.submit(() -> {
                        MemorySegment buf = Arena.ofAuto().allocate(8L * lba, 4096);
                        Read read = new Read(ns.nsid(), at, 8, buf);
                        // The preparer runs on the ring's thread; it and what it captures (read, buf) stay
                        // reachable until the completion.
                        Completion c = ring.submitBlocking(sqe -> NvmeQueue.prepare(sqe, ns.fd(), false, read, lba));
                        PassthroughOutcome.check(c.res(), read);  // 0, an NVMe status (> 0) or -errno
                        return buf.toArray(JAVA_BYTE);
                    }));
                }
                for (int t = 0; t < threads; t++) {
                    System.arraycopy(parts.get(t).get(), 0, all, t * 8 * lba, 8 * lba);
                }
            } catch (ExecutionException e) {
                throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
            }
            // end:async-nvme
            return all;
        }
    }

    /**
     * Runs the example.
     *
     * @param args the device (default {@code /dev/ng0n1})
     * @throws Exception if it fails
     */
    public static void main(String[] args) throws Exception {
        byte[] data = read(Path.of(args.length > 0 ? args[0] : "/dev/ng0n1"), 0, 64);
        System.out.println("read " + data.length + " bytes from 64 virtual threads");
    }
}
