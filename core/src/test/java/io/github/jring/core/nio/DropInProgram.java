package io.github.jring.core.nio;

import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.CompletionHandler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A program that knows nothing of jring: only JDK APIs. {@link DropInProviderTest} runs it in a child JVM, with and
 * without {@code -Djava.nio.file.spi.DefaultFileSystemProvider}, and reads what it prints: the channel's class (the
 * check that the drop-in took), and whether every byte came back.
 */
public final class DropInProgram {

    private DropInProgram() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("dropin");
        Path file = dir.resolve("data.bin");
        byte[] data = new byte[3 * 4096 + 17];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 7);
        }
        // snippet:drop-in
        try (AsynchronousFileChannel ch = AsynchronousFileChannel.open(file, StandardOpenOption.CREATE,
                StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            System.out.println("channel=" + ch.getClass().getName());   // which implementation this JVM gave
            int written = ch.write(ByteBuffer.wrap(data), 0).get(10, TimeUnit.SECONDS);
            ByteBuffer back = ByteBuffer.allocateDirect(data.length);
            CompletableFuture<Integer> read = new CompletableFuture<>();
            ch.read(back, 0, null, new CompletionHandler<Integer, Void>() {
                @Override
                public void completed(Integer n, Void a) {
                    System.out.println("handlerThread=" + Thread.currentThread().getName());
                    read.complete(n);
                }

                @Override
                public void failed(Throwable e, Void a) {
                    read.completeExceptionally(e);
                }
            });
            int n = read.get(10, TimeUnit.SECONDS);
            // end:drop-in
            System.out.println("provider=" + file.getFileSystem().provider().getClass().getName());
            boolean same = n == data.length && back.flip().equals(ByteBuffer.wrap(data));
            System.out.println("written=" + written + " read=" + n + " same=" + same);
            System.out.println("filesApi=" + java.util.Arrays.equals(Files.readAllBytes(file), data));
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
    }
}
