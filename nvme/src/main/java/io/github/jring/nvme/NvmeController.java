package io.github.jring.nvme;

import io.github.jring.core.Posix;
import io.github.jring.core.internal.NativeAccess;
import io.github.jring.bindings.Uapi;
import io.github.jring.core.ErrnoException;
import io.github.jring.nvme.command.Identify;
import io.github.jring.nvme.command.NvmeCommand;
import io.github.jring.nvme.data.IdentifyController;
import io.github.jring.nvme.status.NvmeStatusException;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * An NVMe controller's character device, {@code /dev/nvmeX}: the target of admin commands. Over io_uring, admin
 * commands ({@code NVME_URING_CMD_ADMIN}) are only accepted on this device, not on a namespace's {@code /dev/ngXnY}
 * (which answers {@code -ENOTTY}); the synchronous ioctl accepts them on both. Opening it needs root (or the right
 * permissions on the node, and {@code CAP_SYS_ADMIN} for admin commands other than Identify and a few log pages).
 */
public final class NvmeController implements NvmeDevice {

    static {
        NativeAccess.require(); // first: a JVM that denies native access gets one clear error, not one from the bindings
    }

    private static final long NVME_IOCTL_ID = Uapi.NVME_IOCTL_ID();

    private final Path path;
    private final int fd;
    private final NvmeIoctl ioctl;
    private volatile boolean closed;

    private NvmeController(Path path, int fd) {
        this.path = path;
        this.fd = fd;
        this.ioctl = new NvmeIoctl(this, fd, false, 0, 0);
    }

    /**
     * Opens a controller device read-write.
     *
     * @param path for example {@code /dev/nvme0}
     * @return the handle
     * @throws ErrnoException          if it cannot be opened (permission denied says what to do)
     * @throws IllegalArgumentException if {@code path} is a namespace's device ({@code /dev/ngXnY}, {@code /dev/nvmeXnY})
     */
    public static NvmeController open(Path path) throws ErrnoException {
        int fd = DeviceNode.open(path.toString(), Posix.O_RDWR);
        try (Arena arena = Arena.ofConfined()) {
            // A namespace's device answers NVME_IOCTL_ID with its NSID, a controller's with ENOTTY. Refusing here
            // says why; accepted, every admin command over io_uring would fail later with a bare ENOTTY.
            int nsid = Posix.ioctl(Posix.allocateErrnoState(arena), fd, NVME_IOCTL_ID, 0);
            if (nsid >= 0) {
                Path ctrl = NvmeNamespace.controllerOf(path);
                throw new IllegalArgumentException(path + " is a namespace's device (nsid " + nsid + "), not a"
                        + " controller: a controller is /dev/nvmeX" + (ctrl == null ? "" : " (here " + ctrl + ")")
                        + "; open a namespace with NvmeNamespace.open");
            }
            return new NvmeController(path, fd);
        } catch (RuntimeException | Error e) {
            Posix.closeQuietly(fd);
            throw e;
        }
    }

    /**
     * Opens a controller device read-write.
     *
     * @param path for example {@code "/dev/nvme0"}
     * @return the handle
     * @throws ErrnoException if it cannot be opened
     */
    public static NvmeController open(String path) throws ErrnoException {
        return open(Path.of(path));
    }

    @Override
    public Path path() {
        return path;
    }

    @Override
    public int fd() {
        checkOpen();
        return fd;
    }

    @Override
    public int lbaSize() {
        return 0;
    }

    @Override
    public boolean isController() {
        return true;
    }

    @Override
    public boolean isOpen() {
        return !closed;
    }

    @Override
    public NvmeIoctl newIoctl() throws ErrnoException {
        return new NvmeIoctl(this, Posix.dup(fd()), true, 0, 0);
    }

    @Override
    public synchronized long execute(NvmeCommand<?> command) throws NvmeStatusException, ErrnoException {
        checkOpen();
        return ioctl.execute(command);
    }

    /**
     * Identify Controller, decoded.
     *
     * @return the controller's identity
     * @throws IOException if the command fails
     */
    public IdentifyController identify() throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(Identify.DATA_SIZE, 4096);
            execute(Identify.controller().data(buf));
            return IdentifyController.decode(buf);
        }
    }

    /**
     * The active namespace ids (Identify CNS 02h, following the list past 1024 entries).
     *
     * @return NSIDs, ascending
     * @throws IOException if the command fails
     */
    public int[] activeNamespaces() throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(Identify.DATA_SIZE, 4096);
            int[] all = new int[0];
            int after = 0;
            while (true) {
                buf.fill((byte) 0);
                execute(Identify.activeNamespaces(after).data(buf));
                int[] page = Identify.decodeNamespaceList(buf);
                int[] joined = java.util.Arrays.copyOf(all, all.length + page.length);
                System.arraycopy(page, 0, joined, all.length, page.length);
                all = joined;
                if (page.length < 1024) {
                    return all;
                }
                after = page[page.length - 1];
            }
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException(this + " is closed");
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            ioctl.close();
            Posix.closeQuietly(fd);
        }
    }

    @Override
    public String toString() {
        return "NvmeController[" + path + (closed ? ", closed]" : "]");
    }
}
