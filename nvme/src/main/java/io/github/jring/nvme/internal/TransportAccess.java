package io.github.jring.nvme.internal;

import io.github.jring.core.Sqe;
import io.github.jring.core.async.RingRequest;
import io.github.jring.nvme.AsyncNamespace;
import io.github.jring.nvme.NvmeDevice;
import io.github.jring.nvme.NvmeNamespace;
import io.github.jring.nvme.command.LbaCommand;
import io.github.jring.nvme.command.NvmeCommand;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;

/**
 * What jring's own benchmarks need of the transports beyond their public API, so that they measure the library's
 * code rather than a copy of it from a split package: {@link AsyncNamespace}'s request for one command, built as a
 * read or write builds it and driven without a ring (its SQE filled, its completion delivered), and the pieces of
 * the {@code uring_cmd} path that the per-command benchmark's baseline replays (the checks every transport makes, the
 * command's {@code cmd_op}, the SQE's fixed fields). The same "shared secrets" pattern as {@link CommandAccess}:
 * {@link AsyncNamespace}'s static initializer installs the one instance; this package is not exported.
 */
public abstract class TransportAccess {

    private static TransportAccess instance;

    /** For {@link AsyncNamespace}'s static initializer only. */
    protected TransportAccess() {
    }

    /**
     * The one instance; hold it in a {@code static final} field, so that the JIT inlines the calls.
     *
     * @return the bridge that {@link AsyncNamespace} installed
     */
    public static TransportAccess get() {
        if (instance == null) {
            try {
                MethodHandles.lookup().ensureInitialized(AsyncNamespace.class);
            } catch (IllegalAccessException e) {
                throw new AssertionError(e);
            }
        }
        if (instance == null) {
            throw new IllegalStateException("AsyncNamespace has not installed its TransportAccess yet");
        }
        return instance;
    }

    /**
     * Installs the bridge; {@link AsyncNamespace}'s static initializer calls it once.
     *
     * @param access the bridge
     */
    public static void install(TransportAccess access) {
        if (instance != null) {
            throw new IllegalStateException("TransportAccess is installed already");
        }
        instance = access;
    }

    /**
     * The request that {@link AsyncNamespace#read} or {@link AsyncNamespace#write} makes for a transfer of one
     * command: encoded from {@code template} (which stays unchanged) for {@code blocks} blocks from {@code slba} into
     * or from {@code buffer}, and aimed at {@code fd}; not submitted. The caller has checked the range and the
     * buffer, as the library does before it builds one.
     *
     * @param template a Read or Write of the namespace, not changed
     * @param ns       the namespace, for error messages only (may be {@code null} where none are made)
     * @param slba     the first block
     * @param blocks   1 to {@link LbaCommand#MAX_BLOCKS}
     * @param buffer   native memory of {@code blocks} blocks
     * @param fd       the generic device's fd the SQE names
     * @return the request, completing with {@code null} when the device answers success
     */
    public abstract RingRequest<Void> transferRequest(LbaCommand<?> template, NvmeNamespace ns, long slba, int blocks,
                                                      MemorySegment buffer, int fd);

    /**
     * Fills {@code sqe} from a request of {@link #transferRequest}, as the ring's completion thread does when the
     * request enters the submission queue.
     *
     * @param request a request of {@link #transferRequest}
     * @param sqe     an entry of an SQE128 ring
     */
    public abstract void prepare(RingRequest<?> request, Sqe sqe);

    /**
     * Completes a request of {@link #transferRequest} from a CQE's fields, as the ring's completion thread does.
     *
     * @param request a request of {@link #transferRequest}
     * @param res     the CQE's {@code res}
     * @param flags   its flags
     * @param bigCqe0 its first extra word
     * @param bigCqe1 its second extra word
     */
    public abstract void complete(RingRequest<?> request, int res, int flags, long bigCqe0, long bigCqe1);

    /**
     * The checks every transport makes before it sends {@code command} ({@code Preflight}).
     *
     * @param command    the command
     * @param device     the device it goes to, or {@code null} when only a file descriptor is known
     * @param blockBytes data bytes per block
     * @param metaBytes  metadata bytes per block
     */
    public abstract void preflight(NvmeCommand<?> command, NvmeDevice device, int blockBytes, int metaBytes);

    /**
     * The {@code cmd_op} that {@code command} is sent with ({@code NVME_URING_CMD_IO} or {@code _IO_VEC}).
     *
     * @param command the command
     * @return the {@code cmd_op}
     */
    public abstract long cmdOp(NvmeCommand<?> command);

    /**
     * Fills the fixed fields of a passthrough SQE ({@code IORING_OP_URING_CMD}, {@code fd}, {@code cmd_op}) and
     * returns its command area, where the {@code struct nvme_uring_cmd} goes.
     *
     * @param sqe   an entry of an SQE128 ring
     * @param fd    the generic device's fd
     * @param cmdOp the {@code cmd_op}
     * @return the entry's command area ({@link Sqe#cmd()}: 80 bytes on an SQE128 ring)
     */
    public abstract MemorySegment startUringCmd(Sqe sqe, int fd, long cmdOp);
}
