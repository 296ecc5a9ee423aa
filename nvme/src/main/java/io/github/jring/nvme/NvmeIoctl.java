package io.github.jring.nvme;

import io.github.jring.core.internal.NativeAccess;
import io.github.jring.bindings.Uapi;
import io.github.jring.core.ErrnoException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The synchronous passthrough transport: {@code ioctl(fd, NVME_IOCTL_IO64_CMD | NVME_IOCTL_IO64_CMD_VEC |
 * NVME_IOCTL_ADMIN64_CMD, struct nvme_passthru_cmd64 *)}. The calling thread blocks until the command completes; the
 * ioctl returns 0 (and the completion's Dword 0-1 in {@code result}), the NVMe status ({@code > 0}), or -1 with
 * {@code errno}. This is the "sync passthrough" of benchmarks: one command per system call, queue depth 1 per thread.
 *
 * <p>Admin commands may be sent on a namespace's {@code /dev/ngXnY} as well as on the controller's {@code /dev/nvmeX}
 * (the driver forwards the admin ioctls to the controller). There is no vectored admin ioctl.
 *
 * <p>One instance holds one 80-byte command area and one errno area, reused for every call: {@link #execute} allocates
 * nothing. It is therefore not thread-safe; give each thread its own (they are cheap), for example with
 * {@link NvmeDevice#newIoctl()}. It does not own the file descriptor.
 */
public final class NvmeIoctl implements AutoCloseable {

    static {
        NativeAccess.require(); // first: a JVM that denies native access gets one clear error, not one from the bindings
    }

    private static final long IO64 = Uapi.NVME_IOCTL_IO64_CMD();
    private static final long IO64_VEC = Uapi.NVME_IOCTL_IO64_CMD_VEC();
    private static final long ADMIN64 = Uapi.NVME_IOCTL_ADMIN64_CMD();
    private static final long RESULT = NvmeCommand.passthru64ResultOffset();

    private final int fd;
    private final int lbaSize;
    private final Arena arena;
    private final MemorySegment cmd;
    private final MemorySegment errno;
    private long result;

    /**
     * A transport for the device open as {@code fd}.
     *
     * @param fd      an open {@code /dev/ngXnY} or {@code /dev/nvmeX} (not owned)
     * @param lbaSize the namespace's LBA data size, so buffers are checked against what a command transfers; 0 when
     *                unknown (no check for LBA commands)
     */
    public NvmeIoctl(int fd, int lbaSize) {
        if (fd < 0) {
            throw new IllegalArgumentException("not a file descriptor: " + fd);
        }
        this.fd = fd;
        this.lbaSize = lbaSize;
        this.arena = Arena.ofShared();
        this.cmd = arena.allocate(NvmeCommand.PASSTHRU64_SIZE, 8);
        this.errno = Native.errnoState(arena);
    }

    /**
     * Sends {@code command} and waits for it.
     *
     * @param command the command; its data buffer must be large enough for what it transfers
     * @return the completion's Dword 0 (low 32 bits) and Dword 1 (high 32 bits): the feature value of Get Features, the
     *         LBA written by Zone Append ...
     * @throws NvmeStatusException      if the controller completed it with an error status
     * @throws ErrnoException           if the kernel failed it
     * @throws IllegalArgumentException if the data buffer is too small, or a vectored admin command
     */
    public long execute(NvmeCommand<?> command) throws NvmeStatusException, ErrnoException {
        int res = submit(command);
        if (res != 0) {
            if (res > 0) {
                throw new NvmeStatusException(command.describe(), res);
            }
            throw new ErrnoException(operation(command), -res);
        }
        return result;
    }

    /**
     * Sends {@code command} and waits for it, returning the raw outcome instead of throwing: for loops that count
     * errors rather than stop. The result dwords are then in {@link #result()}.
     *
     * @param command the command
     * @return 0 on success, the NVMe status ({@code > 0}), or {@code -errno}
     */
    public int submit(NvmeCommand<?> command) {
        command.checkDataLength(lbaSize);
        long request;
        if (command.admin) {
            if (command.vectored) {
                throw new IllegalArgumentException(command.describe() + ": there is no vectored admin ioctl");
            }
            request = ADMIN64;
        } else {
            request = command.vectored ? IO64_VEC : IO64;
        }
        command.encodePassthru64(cmd);
        int res = Native.ioctl(errno, fd, request, cmd.address());
        result = res == 0 ? cmd.get(JAVA_LONG, RESULT) : 0;
        return res;
    }

    /**
     * The result dwords of the last successful {@link #submit}.
     *
     * @return Dword 0 in the low half, Dword 1 in the high half
     */
    public long result() {
        return result;
    }

    private static String operation(NvmeCommand<?> command) {
        return (command.admin ? "NVME_IOCTL_ADMIN64_CMD " : command.vectored ? "NVME_IOCTL_IO64_CMD_VEC "
                : "NVME_IOCTL_IO64_CMD ") + command.describe();
    }

    /** Frees the command area. The file descriptor stays open. */
    @Override
    public void close() {
        if (arena.scope().isAlive()) {
            arena.close();
        }
    }
}
