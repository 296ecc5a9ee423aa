package io.github.jring.examples;

import io.github.jring.core.Posix;
import io.github.jring.core.async.AsyncRing;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * {@link AsyncRing}: one ring shared by any number of threads. Virtual threads call the blocking forms and park
 * (freeing their carrier) until the kernel answers; other code composes {@link CompletableFuture}s. Requests from
 * all threads are batched into the ring's {@code io_uring_enter} calls by its completion thread.
 */
public final class FuturesAndVirtualThreads {

    private FuturesAndVirtualThreads() {
    }

    /**
     * Writes {@code blocks} 4 KiB blocks of {@code file}, each from its own virtual thread with a blocking call, then
     * reads them all back with futures and adds up the first long of each block.
     *
     * @param file   a file to create or overwrite
     * @param blocks how many blocks (and virtual threads)
     * @return the sum of the block numbers read back: {@code blocks * (blocks - 1) / 2} if all went well
     * @throws IOException          if a request fails
     * @throws InterruptedException if interrupted while waiting
     */
    public static long writeThenRead(Path file, int blocks) throws IOException, InterruptedException {
        int fd = Posix.open(file, Posix.O_RDWR | Posix.O_CREAT | Posix.O_TRUNC, 0644);
        // An automatic arena: the ring keeps each buffer reachable until its request has completed.
        Arena arena = Arena.ofAuto();
        try (AsyncRing ring = AsyncRing.open()) {
            // snippet:virtual-threads
            try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<Integer>> written = new ArrayList<>();
                for (int i = 0; i < blocks; i++) {
                    long block = i;
                    written.add(threads.submit(() -> {
                        MemorySegment buf = arena.allocate(4096, 4096);
                        buf.set(JAVA_LONG, 0, block);
                        return ring.writeBlocking(fd, buf, block * 4096);   // parks this virtual thread
                    }));
                }
                for (Future<Integer> w : written) {
                    if (w.get() != 4096) {
                        throw new IOException("short write: " + w.get());
                    }
                }
            } catch (ExecutionException e) {
                throw new IOException(e.getCause());
            }
            // end:virtual-threads

            // snippet:futures
            List<CompletableFuture<Long>> firstLongs = new ArrayList<>();
            for (int i = 0; i < blocks; i++) {
                MemorySegment buf = arena.allocate(4096, 4096);
                firstLongs.add(ring.read(fd, buf, i * 4096L)            // submitted from this thread, no waiting
                        .thenApply(n -> buf.get(JAVA_LONG, 0)));       // runs on the ring's completion thread
            }
            long sum = CompletableFuture.allOf(firstLongs.toArray(CompletableFuture[]::new))
                    .thenApply(done -> firstLongs.stream().mapToLong(CompletableFuture::join).sum())
                    .join();
            // end:futures
            return sum;
        } finally {
            Posix.close(fd);
        }
    }

    /**
     * Runs the example.
     *
     * @param args the file to use (default: a new temporary file)
     * @throws Exception if it fails
     */
    public static void main(String[] args) throws Exception {
        Path file = args.length > 0 ? Path.of(args[0]) : java.nio.file.Files.createTempFile("jring", ".bin");
        System.out.println("sum of block numbers: " + writeThenRead(file, 1000));
    }
}
