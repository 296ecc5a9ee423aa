package io.github.jring.core;

import io.github.jring.core.nio.UringFileSystemProvider;

import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;

/**
 * The child JVM of {@link DropInFallbackTest}: blocks the io_uring system calls with {@link AvailabilityChild}'s
 * seccomp filter (EPERM), then asks jring's drop-in provider for an {@link AsynchronousFileChannel} and prints which
 * one it got and whether it works.
 */
public final class DropInFallbackChild {

    private DropInFallbackChild() {
    }

    public static void main(String[] args) throws Throwable {
        AvailabilityChild.installFilter(1); // EPERM
        Path f = Files.createTempFile("fallback", ".bin");
        try (AsynchronousFileChannel ch = new UringFileSystemProvider().newAsynchronousFileChannel(f,
                Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE), null)) {
            System.out.println("channel=" + ch.getClass().getName());
            System.out.println("wrote=" + ch.write(ByteBuffer.wrap(new byte[] {1, 2, 3}), 0).get());
        } finally {
            Files.delete(f);
        }
    }
}
