package io.github.jring.nvme.internal;

import io.github.jring.nvme.command.LbaCommand;
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
     * {@link NvmeCommand#checkDataLength(int)}, returning {@link #wireDataLength}: the check and the length as sent
     * from one {@link NvmeCommand#requiredDataLength(int)}.
     *
     * @param command     the command
     * @param lbaDataSize the namespace's LBA data size in bytes (the bytes per block of the data buffer), 0 when
     *                    unknown
     * @return {@code data_len} as sent
     * @throws IllegalArgumentException if the data buffer is too small, or a vectored command's iovecs do not total
     *                                  what it transfers
     */
    public abstract int checkedWireDataLength(NvmeCommand<?> command, int lbaDataSize);

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
     * {@link NvmeCommand#encodeUringCmd(MemorySegment)} with the lengths the transport decided to send, into
     * {@code dst}'s nine words instead of memory (nothing allocated where the struct has the UAPI's packed layout).
     *
     * @param command     the command
     * @param dst         receives the words
     * @param dataLen     {@code data_len}
     * @param metadataLen {@code metadata_len}
     */
    public abstract void encodeUringCmd(NvmeCommand<?> command, UringCmdWords dst, int dataLen, int metadataLen);

    /**
     * Encodes {@code template} as if its range were {@code blocks} blocks from {@code slba} and its data the
     * {@code dataLen} bytes at {@code dataAddress}, without metadata, leaving {@code template} unchanged: so that one
     * Read or Write that no thread changes serves every transfer of every thread, with no command object per request.
     * The caller has checked the range and the buffer.
     *
     * @param template    an LBA command, not changed
     * @param dst         receives the words
     * @param slba        the first block
     * @param blocks      1 to {@link LbaCommand#MAX_BLOCKS}
     * @param dataAddress the data's address
     * @param dataLen     {@code data_len}
     */
    public abstract void encodeTransfer(LbaCommand<?> template, UringCmdWords dst, long slba, int blocks,
                                        long dataAddress, int dataLen);

    /**
     * A copy of {@code command} with the fields that describe it (NSID, command dwords, timeout) read back from the
     * {@code struct nvme_uring_cmd} it was sent as: for error messages about a command that its owner may have
     * changed since (commands may be reused as soon as they are submitted). Allocates; meant for the error path.
     *
     * @param command  the command object that was encoded (or the template {@link #encodeTransfer} used)
     * @param uringCmd the encoding, {@link NvmeCommand#URING_CMD_SIZE} bytes
     * @return the copy, whose {@link NvmeCommand#describe()} describes what was sent
     */
    public abstract NvmeCommand<?> asSent(NvmeCommand<?> command, MemorySegment uringCmd);

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
