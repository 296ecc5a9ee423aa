package io.github.jring.nvme.internal;

import io.github.jring.nvme.command.NvmeCommand;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;

/**
 * What the transports ({@code NvmeQueue}, {@code AsyncNamespace}, {@code NvmeIoctl}) need of a command beyond its
 * public API: the buffers it keeps reachable and its encoding with the lengths the transport decided to send. Commands
 * and transports live in different packages; this bridge (the JDK's "shared secrets" pattern) keeps those members out
 * of the public API. {@link NvmeCommand}'s static initializer installs the one instance; this package is not exported.
 */
public abstract class CommandAccess {

    private static CommandAccess instance;

    /** For {@link NvmeCommand}'s static initializer only. */
    protected CommandAccess() {
    }

    /**
     * The one instance; hold it in a {@code static final} field, so that the JIT inlines the calls.
     *
     * @return the bridge that {@link NvmeCommand} installed
     */
    public static CommandAccess get() {
        if (instance == null) {
            try {
                MethodHandles.lookup().ensureInitialized(NvmeCommand.class);
            } catch (IllegalAccessException e) {
                throw new AssertionError(e);
            }
        }
        if (instance == null) {
            // only while NvmeCommand's own initializer runs on this thread, which reaches no transport
            throw new IllegalStateException("NvmeCommand has not installed its CommandAccess yet");
        }
        return instance;
    }

    /**
     * Installs the bridge; {@link NvmeCommand}'s static initializer calls it once.
     *
     * @param access the bridge
     */
    public static void install(CommandAccess access) {
        if (instance != null) {
            throw new IllegalStateException("CommandAccess is installed already");
        }
        instance = access;
    }

    /**
     * The data buffer the command keeps reachable (the iovec array of a vectored command).
     *
     * @param command the command
     * @return the buffer, or null when the command has no data
     */
    public abstract MemorySegment data(NvmeCommand<?> command);

    /**
     * The metadata buffer the command keeps reachable.
     *
     * @param command the command
     * @return the buffer, or null when the command has no metadata
     */
    public abstract MemorySegment metadata(NvmeCommand<?> command);

    /**
     * {@code data_len} as sent: what the command transfers when that is known, else what was set.
     *
     * @param command     the command
     * @param lbaDataSize the namespace's LBA data size in bytes
     * @return the length
     */
    public abstract int wireDataLength(NvmeCommand<?> command, int lbaDataSize);

    /**
     * {@code metadata_len} as sent: what the command transfers when that is known, else the buffer's size.
     *
     * @param command      the command
     * @param metadataSize the namespace's metadata bytes per LBA
     * @return the length
     */
    public abstract int wireMetadataLength(NvmeCommand<?> command, int metadataSize);

    /**
     * {@link NvmeCommand#encodeUringCmd(MemorySegment)} with the lengths the transport decided to send.
     *
     * @param command     the command
     * @param dst         at least {@link NvmeCommand#URING_CMD_SIZE} bytes
     * @param dataLen     {@code data_len}
     * @param metadataLen {@code metadata_len}
     */
    public abstract void encodeUringCmd(NvmeCommand<?> command, MemorySegment dst, int dataLen, int metadataLen);

    /**
     * {@link NvmeCommand#encodePassthru64(MemorySegment)} with the lengths the transport decided to send.
     *
     * @param command     the command
     * @param dst         at least {@link NvmeCommand#PASSTHRU64_SIZE} bytes
     * @param dataLen     {@code data_len}
     * @param metadataLen {@code metadata_len}
     */
    public abstract void encodePassthru64(NvmeCommand<?> command, MemorySegment dst, int dataLen, int metadataLen);
}
