/**
 * The JDK's {@link java.nio.channels.AsynchronousFileChannel} over io_uring, for code that has never heard of jring:
 * {@link io.github.jring.core.nio.UringFileChannel} (the channel, also opened directly), and
 * {@link io.github.jring.core.nio.UringFileSystemProvider}, the drop-in that makes
 * {@code AsynchronousFileChannel.open} return one in an unchanged program.
 */
package io.github.jring.core.nio;
