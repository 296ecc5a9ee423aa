package io.github.jring.nvme;

import io.github.jring.core.Posix;
import io.github.jring.core.internal.NativeAccess;
import io.github.jring.bindings.Uapi;
import io.github.jring.core.ErrnoException;
import io.github.jring.nvme.command.Identify;
import io.github.jring.nvme.command.LbaCommand;
import io.github.jring.nvme.command.NvmeCommand;
import io.github.jring.nvme.command.Read;
import io.github.jring.nvme.command.Write;
import io.github.jring.nvme.command.ZoneManagementReceive;
import io.github.jring.nvme.command.ZoneReportFilter;
import io.github.jring.nvme.data.IdentifyController;
import io.github.jring.nvme.data.IdentifyNamespace;
import io.github.jring.nvme.data.NvmIdentifyNamespace;
import io.github.jring.nvme.data.ZnsIdentifyNamespace;
import io.github.jring.nvme.data.ZoneReport;
import io.github.jring.nvme.pi.PiLayout;
import io.github.jring.nvme.pi.PiType;
import io.github.jring.nvme.pi.Prinfo;
import io.github.jring.nvme.status.NvmeStatusException;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An open NVMe namespace, through its generic character device {@code /dev/ngXnY}: the target of passthrough I/O
 * commands. The easy path is asynchronous: {@link #read}, {@link #write} and {@link #async()} (futures and blocking
 * calls from any thread, on rings with their own completion threads); {@link NvmeQueue} is the raw single-threaded
 * queue, and {@link #execute} the synchronous transport (the {@code NVME_IOCTL_IO64_CMD} ioctl, one command at a
 * time).
 *
 * <p>Opening learns the namespace's geometry from the device itself: its NSID ({@code NVME_IOCTL_ID}), Identify
 * Namespace (size, LBA formats and the one in use, DLFEAT ...), its command set (Identify CNS 03h; for an
 * unprivileged user, whom Linux 6.2+ refuses that list, the ZNS Identify CNS 05h) and, for a zoned namespace, the ZNS
 * Identify Namespace (zone size), and the controller's maximum transfer size (Identify Controller MDTS). Find
 * namespaces with {@link NvmeNamespaces}.
 *
 * {@snippet :
 * try (NvmeNamespace ns = NvmeNamespace.open("/dev/ng0n1");
 *      Arena arena = Arena.ofConfined()) {
 *     MemorySegment buf = arena.allocate(8 * ns.lbaSize(), 4096);
 *     ns.read(0, buf);                        // LBAs 0-7: asynchronous passthrough, this thread parked meanwhile
 *     long lba = ns.async().zoneAppend(0, buf).join();   // on a zoned namespace: a future of the assigned LBA
 * }
 * }
 *
 * <p>Opening a {@code /dev/ng*} device needs root by default; from Linux 6.2 a user with read (and for writes, write)
 * permission on the node may send reads, writes and Identify. A permission failure says so.
 */
public final class NvmeNamespace implements NvmeDevice {

    static {
        NativeAccess.require(); // first: a JVM that denies native access gets one clear error, not one from the bindings
    }

    private static final long NVME_IOCTL_ID = Uapi.NVME_IOCTL_ID();
    /** Linux's NVMe driver assumes a 4 KiB controller page (NVME_CTRL_PAGE_SIZE) for MDTS. */
    private static final int CTRL_PAGE_SIZE = 4096;

    private final Path path;
    private final int fd;
    private final boolean writable;
    private final int nsid;
    private final IdentifyNamespace identify;
    private final PiLayout protection;
    private final int practStripBytes;
    private final int commandSet;
    private final ZnsIdentifyNamespace zns;
    private final long maxTransferBytes;
    /** Set up by {@link #async()} on first use. */
    private AsyncNamespace async;
    private final Path controller;
    private final boolean blockDevice;
    private final NvmeIoctl ioctl;
    private volatile boolean closed;

    private NvmeNamespace(Path path, int fd, boolean writable, int nsid, IdentifyNamespace identify, PiLayout protection,
                          int commandSet, ZnsIdentifyNamespace zns, long maxTransferBytes, Path controller,
                          boolean blockDevice) {
        this.path = path;
        this.fd = fd;
        this.writable = writable;
        this.nsid = nsid;
        this.identify = identify;
        this.protection = protection;
        this.practStripBytes = protection.movesNoMetadata(Prinfo.PRACT) ? protection.tupleSize() : 0;
        this.commandSet = commandSet;
        this.zns = zns;
        this.maxTransferBytes = maxTransferBytes;
        this.controller = controller;
        this.blockDevice = blockDevice;
        this.ioctl = new NvmeIoctl(this, fd, false, transferBlockSize(), separateMetadataSize());
    }

    /**
     * Opens a namespace read-write and identifies it.
     *
     * @param path the generic character device, for example {@code /dev/ng0n1}
     * @return the handle
     * @throws ErrnoException if it cannot be opened (permission denied says what to do) or Identify is refused
     * @throws IOException    if an Identify command fails
     */
    public static NvmeNamespace open(Path path) throws IOException {
        return open(path, true);
    }

    /**
     * Opens a namespace read-write and identifies it.
     *
     * @param path for example {@code "/dev/ng0n1"}
     * @return the handle
     * @throws IOException if it cannot be opened or identified
     */
    public static NvmeNamespace open(String path) throws IOException {
        return open(Path.of(path), true);
    }

    /**
     * Opens a namespace read-only (enough for reads and Identify; from Linux 6.2 all an unprivileged user with read
     * permission needs) and identifies it.
     *
     * @param path the generic character device
     * @return the handle
     * @throws IOException if it cannot be opened or identified
     */
    public static NvmeNamespace openReadOnly(Path path) throws IOException {
        return open(path, false);
    }

    /** Whether Identify CNS 05h for the Zoned Namespace command set describes zones: a zoned namespace's does. */
    private static boolean isZonedByCommandSetIdentify(NvmeIoctl io, int nsid, MemorySegment buf, int formats,
                                                       int format) throws IOException {
        try {
            io.execute(Identify.zonedNamespace(nsid).data(buf));
        } catch (NvmeStatusException e) {
            return false; // Invalid Field or Invalid Namespace: not zoned
        }
        return ZnsIdentifyNamespace.decode(buf, formats).zoneSize(format) > 0;
    }

    private static NvmeNamespace open(Path path, boolean writable) throws IOException {
        int fd = DeviceNode.open(path.toString(), writable ? Posix.O_RDWR : Posix.O_RDONLY);
        try (Arena arena = Arena.ofConfined(); NvmeIoctl io = new NvmeIoctl(fd, 0)) {
            MemorySegment errno = Posix.allocateErrnoState(arena);
            int nsid = Posix.ioctl(errno, fd, NVME_IOCTL_ID, 0);
            if (nsid < 0) {
                throw new ErrnoException("NVME_IOCTL_ID on " + path, -nsid,
                        "is it a namespace's generic device (/dev/ngXnY)? a controller is opened with NvmeController");
            }
            MemorySegment buf = arena.allocate(Identify.DATA_SIZE, 4096);
            io.execute(Identify.namespace(nsid).data(buf));
            IdentifyNamespace id = IdentifyNamespace.decode(buf);
            if (id.nsze() == 0) {
                throw new IOException(path + ": namespace " + nsid + " is not active (Identify Namespace is all zero)");
            }
            buf.fill((byte) 0);
            int csi;
            try {
                io.execute(Identify.namespaceDescriptors(nsid).data(buf));
                csi = Identify.decodeCommandSet(buf);
            } catch (NvmeStatusException e) {
                csi = -1; // pre-1.3 controllers have no descriptor list: NVM command set
            } catch (ErrnoException e) {
                if (e.errno() != Uapi.EACCES()) {
                    throw e;
                }
                // Linux 6.2+ lets an unprivileged user with access to the node send Identify CNS 00h, 01h, 05h, 06h
                // and 08h (nvme_cmd_allowed), not the descriptor list (03h): ask for the ZNS-specific namespace data
                // (CNS 05h, CSI 02h) instead, which only a zoned namespace has.
                buf.fill((byte) 0);
                csi = isZonedByCommandSetIdentify(io, nsid, buf, id.nlbaf() + 1, id.activeFormatIndex())
                        ? Identify.CSI_ZNS : -1;
            }
            NvmIdentifyNamespace nvm = null;
            if (id.protectionType() != PiType.NONE) {
                // the guard format (16b or 64b Guard) of a protected format is only here; older controllers lack it
                buf.fill((byte) 0);
                try {
                    io.execute(Identify.nvmNamespace(nsid).data(buf));
                    nvm = NvmIdentifyNamespace.decode(buf, id.nlbaf() + 1);
                } catch (NvmeStatusException e) {
                    nvm = null; // before NVMe 2.0: every format has the 16b Guard
                }
            }
            ZnsIdentifyNamespace zns = null;
            if (csi == Identify.CSI_ZNS) {
                buf.fill((byte) 0);
                io.execute(Identify.zonedNamespace(nsid).data(buf));
                zns = ZnsIdentifyNamespace.decode(buf, id.nlbaf() + 1);
            }
            buf.fill((byte) 0);
            io.execute(Identify.controller().data(buf));
            IdentifyController ctrl = IdentifyController.decode(buf);
            long max = Math.min(ctrl.maxDataTransferBytes(CTRL_PAGE_SIZE), (long) LbaCommand.MAX_BLOCKS * id.lbaSize());
            return new NvmeNamespace(path, fd, writable, nsid, id, id.protection(nvm), csi < 0 ? Identify.CSI_NVM : csi,
                    zns, max, controllerOf(path), isBlockDevice(path));
        } catch (IOException | RuntimeException | Error e) {
            Posix.closeQuietly(fd);
            throw e;
        }
    }

    /** Whether {@code path} is a block device (S_IFBLK), which the sync ioctl accepts and io_uring passthrough not. */
    private static boolean isBlockDevice(Path path) {
        try {
            return ((Integer) Files.getAttribute(path, "unix:mode") & 0170000) == 0060000;
        } catch (IOException | RuntimeException e) {
            return false; // no "unix" view: say nothing rather than refuse
        }
    }

    /** The controller device of a generic namespace device, from sysfs, else from the name (ngXnY -> nvmeX). */
    static Path controllerOf(Path ng) {
        String name = ng.getFileName().toString();
        try {
            Path link = Files.readSymbolicLink(Path.of("/sys/class/nvme-generic", name, "device"));
            return Path.of("/dev", link.getFileName().toString());
        } catch (IOException | RuntimeException e) {
            int n = name.indexOf('n', 2);
            if (name.startsWith("ng") && n > 2) {
                return Path.of("/dev", "nvme" + name.substring(2, n));
            }
            n = name.indexOf('n', 4);
            return name.startsWith("nvme") && n > 4 ? Path.of("/dev", name.substring(0, n)) : null;
        }
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
    public boolean isController() {
        return false;
    }

    @Override
    public boolean isOpen() {
        return !closed;
    }

    /**
     * A new synchronous transport for one thread, with its own duplicate of the namespace's fd; it checks every
     * command against this namespace (open, NSID, read-only) like {@link #execute}.
     *
     * @return the transport; close it when done
     * @throws ErrnoException if the fd cannot be duplicated
     */
    @Override
    public NvmeIoctl newIoctl() throws ErrnoException {
        return new NvmeIoctl(this, Posix.dup(fd()), true, transferBlockSize(),
                separateMetadataSize());
    }

    /** Whether this handle was opened on the namespace's block device ({@code /dev/nvmeXnY}) instead of ngXnY. */
    boolean isBlockDevice() {
        return blockDevice;
    }

    /** Bytes per block in the data buffer: the LBA data size, plus the metadata when it is interleaved with it. */
    int transferBlockSize() {
        return identify.lbaSize() + (identify.extendedMetadata() ? metadataSize() : 0);
    }

    /** Bytes per block of a separate metadata buffer: 0 when the format has none or interleaves it. */
    int separateMetadataSize() {
        return identify.extendedMetadata() ? 0 : metadataSize();
    }

    /**
     * Bytes per block that the controller inserts or strips when a command sets PRACT: the tuple's size when the
     * format's metadata is nothing but the protection information tuple, else 0 (PRACT then moves the metadata).
     */
    int practStripBytes() {
        return practStripBytes;
    }

    /**
     * The end-to-end protection of the format in use: type, guard format (16b or 64b Guard, from the NVM Command Set
     * Identify Namespace where the controller has it), where the tuple sits, and the host's guard computation and
     * checks ({@link PiLayout#generate}, {@link PiLayout#verify}) for commands with {@code PRACT = 0}.
     *
     * @return the layout; {@link PiLayout#enabled()} is {@code false} when the namespace has no protection
     */
    public PiLayout protection() {
        return protection;
    }

    /**
     * Whether the device was opened for writing.
     *
     * @return {@code true} unless opened with {@link #openReadOnly}
     */
    public boolean isWritable() {
        return writable;
    }

    /**
     * The namespace id, as the driver reports it ({@code NVME_IOCTL_ID}); I/O commands sent here must carry it.
     *
     * @return the NSID
     */
    public int nsid() {
        return nsid;
    }

    /**
     * The LBA data size of the format in use.
     *
     * @return bytes per logical block
     */
    @Override
    public int lbaSize() {
        return identify.lbaSize();
    }

    /**
     * The metadata size per block of the format in use.
     *
     * @return bytes, 0 when the format has none
     */
    public int metadataSize() {
        return identify.activeFormat().metadataSize();
    }

    /**
     * The size in logical blocks (NSZE).
     *
     * @return blocks
     */
    public long blocks() {
        return identify.nsze();
    }

    /**
     * The size in bytes.
     *
     * @return bytes
     */
    public long sizeBytes() {
        return identify.sizeBytes();
    }

    /**
     * Identify Namespace as read when opening.
     *
     * @return the decoded structure
     */
    public IdentifyNamespace identify() {
        return identify;
    }

    /**
     * The I/O command set of the namespace.
     *
     * @return {@link Identify#CSI_NVM} or {@link Identify#CSI_ZNS} ...
     */
    public int commandSet() {
        return commandSet;
    }

    /**
     * Whether the namespace is zoned (Zoned Namespace Command Set).
     *
     * @return {@code true} for a ZNS namespace
     */
    public boolean isZoned() {
        return commandSet == Identify.CSI_ZNS;
    }

    /**
     * The ZNS Identify Namespace of a zoned namespace.
     *
     * @return the structure, or {@code null} when not zoned
     */
    public ZnsIdentifyNamespace zns() {
        return zns;
    }

    /**
     * The zone size in logical blocks (the distance between zone starts; each zone's writable capacity, from a zone
     * report, may be less).
     *
     * @return blocks per zone, 0 when not zoned
     */
    public long zoneSize() {
        return zns == null ? 0 : zns.zoneSize(identify.activeFormatIndex());
    }

    /**
     * The largest transfer one command may make: the controller's MDTS, and at most 65536 blocks.
     *
     * @return bytes
     */
    public long maxTransferBytes() {
        return maxTransferBytes;
    }

    /**
     * The controller's character device, for admin commands over io_uring.
     *
     * @return for example {@code /dev/nvme0}, or {@code null} when it cannot be told
     */
    public Path controllerPath() {
        return controller;
    }

    /**
     * Sends a command synchronously (ioctl) and waits for it. It is checked first: its buffers' arenas must be open,
     * an I/O command must carry this namespace's NSID, a read-only handle refuses commands that write the medium
     * ({@link NvmeCommand#writesMedium()}), and the buffers must hold what it transfers (only that is sent).
     *
     * @param command the command
     * @return the completion's Dword 0 and 1
     * @throws NvmeStatusException      if the controller completed it with an error status
     * @throws ErrnoException           if the kernel failed it
     * @throws IllegalStateException    if this handle or a buffer's arena is closed, or a medium write on a read-only
     *                                  handle
     * @throws IllegalArgumentException if the NSID is another namespace's or a buffer is too small
     */
    @Override
    public synchronized long execute(NvmeCommand<?> command) throws NvmeStatusException, ErrnoException {
        checkOpen();
        return ioctl.execute(command);
    }

    /**
     * This namespace's {@link AsyncNamespace} with the default options, set up on first use and closed with this
     * handle: the asynchronous path that {@link #read}, {@link #write}, {@link #readBytes} and {@link #writeBytes}
     * take. Futures and blocking calls from any thread; see {@link AsyncNamespace}.
     *
     * @return the asynchronous form of this namespace
     * @throws IllegalStateException if this handle is closed, or was opened on the block device (its uring_cmd answers
     *                               EOPNOTSUPP: open the generic device /dev/ngXnY)
     * @throws ErrnoException        if the rings cannot be set up
     */
    public synchronized AsyncNamespace async() throws ErrnoException {
        checkOpen();
        if (blockDevice) {
            throw new IllegalStateException(path + " is the namespace's block device, whose uring_cmd answers"
                    + " EOPNOTSUPP: open the generic device (/dev/ngXnY) for the asynchronous path");
        }
        if (async == null) {
            async = AsyncNamespace.open(this);
        }
        return async;
    }

    /**
     * Reads {@code buffer.byteSize()} bytes from LBA {@code slba}: Read commands split at the maximum transfer size,
     * all in flight at once through {@link #async()}, the calling thread parked until they are done (on the block
     * device handle, which has no asynchronous path, the synchronous ioctl one after the other).
     *
     * @param slba   the first block
     * @param buffer native memory; its size must be a multiple of the LBA size
     * @throws IllegalArgumentException if the size is not a whole number of blocks or the range is past the end
     * @throws IOException              if a command fails
     */
    public void read(long slba, MemorySegment buffer) throws IOException {
        transfer(false, slba, buffer);
    }

    /**
     * Writes {@code buffer} to LBA {@code slba}: Write commands split at the maximum transfer size, through
     * {@link #async()} (all in flight at once) or, on the block device handle, the synchronous ioctl. On a zoned
     * namespace, where writes must come in order at the write pointer, write at most {@link #maxTransferBytes()} at a
     * time (or use {@link AsyncNamespace#zoneAppend}).
     *
     * @param slba   the first block
     * @param buffer native memory; its size must be a multiple of the LBA size
     * @throws IllegalArgumentException if the size is not a whole number of blocks or the range is past the end
     * @throws IOException              if a command fails
     */
    public void write(long slba, MemorySegment buffer) throws IOException {
        transfer(true, slba, buffer);
    }

    /**
     * Reads at a byte offset: {@code offset} and the buffer's size must both be multiples of the LBA size.
     *
     * @param offset byte offset in the namespace
     * @param buffer native memory
     * @throws IllegalArgumentException if not aligned to the LBA size
     * @throws IOException              if a command fails
     */
    public void readBytes(long offset, MemorySegment buffer) throws IOException {
        read(toLba(offset), buffer);
    }

    /**
     * Writes at a byte offset: {@code offset} and the buffer's size must both be multiples of the LBA size.
     *
     * @param offset byte offset in the namespace
     * @param buffer native memory
     * @throws IllegalArgumentException if not aligned to the LBA size
     * @throws IOException              if a command fails
     */
    public void writeBytes(long offset, MemorySegment buffer) throws IOException {
        write(toLba(offset), buffer);
    }

    /**
     * The LBA of a byte offset that must be block aligned.
     *
     * @param offset bytes
     * @return the LBA
     * @throws IllegalArgumentException if {@code offset} is not a multiple of the LBA size
     */
    public long toLba(long offset) {
        int lba = lbaSize();
        if (offset < 0 || offset % lba != 0) {
            throw new IllegalArgumentException("byte offset " + offset + " is not a multiple of the " + lba
                    + "-byte LBA size of " + path);
        }
        return offset / lba;
    }

    /**
     * Checks that {@code blocks} blocks from {@code slba} lie inside the namespace.
     *
     * @param slba   first block
     * @param blocks number of blocks
     * @throws IllegalArgumentException if not
     */
    public void checkRange(long slba, long blocks) {
        long n = blocks();
        if (slba < 0 || blocks < 0 || slba > n || blocks > n - slba) {
            throw new IllegalArgumentException("LBAs " + slba + " to " + (slba + blocks - 1) + " are outside " + path
                    + " (" + n + " blocks)");
        }
    }

    private void transfer(boolean write, long slba, MemorySegment buffer) throws IOException {
        if (!blockDevice) {
            AsyncNamespace a = async();
            a.await(write ? a.write(slba, buffer) : a.read(slba, buffer));
            return;
        }
        for (LbaCommand<?> command : transferCommands(write, slba, buffer)) {
            execute(command);
        }
    }

    /**
     * The Read or Write commands that move {@code buffer} at {@code slba}, each at most {@link #maxTransferBytes()}
     * (none for an empty buffer), after checking the buffer is whole blocks and the range lies in the namespace: the
     * split that both this handle's ioctl path and {@link AsyncNamespace} use.
     */
    List<LbaCommand<?>> transferCommands(boolean write, long slba, MemorySegment buffer) {
        int lba = lbaSize();
        long size = buffer.byteSize();
        if (size % lba != 0) {
            throw new IllegalArgumentException("buffer of " + size + " bytes is not a whole number of " + lba
                    + "-byte blocks");
        }
        checkRange(slba, size / lba);
        long chunk = maxTransferBytes - maxTransferBytes % lba;
        List<LbaCommand<?>> commands = new ArrayList<>((int) ((size + chunk - 1) / chunk));
        for (long off = 0; off < size; off += chunk) {
            int len = (int) Math.min(chunk, size - off);
            long at = slba + off / lba;
            commands.add(write ? new Write(nsid, at, len / lba).data(buffer, off, len)
                    : new Read(nsid, at, len / lba).data(buffer, off, len));
        }
        return commands;
    }

    /**
     * As {@link #transferCommands}, with end-to-end protection per command: the buffer's blocks are
     * {@link PiLayout#dataBytesPerBlock} bytes under {@code prinfo}, {@code metadata} holds
     * {@link PiLayout#metadataBytesPerBlock} bytes per block where any moves apart from the data, and each command after
     * the first starts its Reference Tag where its blocks start (Types 1 and 2). The split {@link AsyncNamespace}'s
     * protected read and write use.
     */
    List<LbaCommand<?>> protectedTransferCommands(boolean write, long slba, MemorySegment buffer,
                                                  MemorySegment metadata, int prinfo, long referenceTag, int appTag,
                                                  int appMask) {
        Prinfo.check(prinfo);
        PiLayout pi = protection();
        int stride = pi.dataBytesPerBlock(prinfo);
        int metaStride = pi.metadataBytesPerBlock(prinfo);
        long size = buffer.byteSize();
        if (size == 0 || size % stride != 0) {
            throw new IllegalArgumentException("buffer of " + size + " bytes is not a whole, non-zero number of "
                    + stride + "-byte blocks (" + path + "'s " + lbaSize() + "-byte blocks"
                    + (stride != lbaSize() ? " with their " + (stride - lbaSize()) + " metadata bytes" : "")
                    + " under PRINFO " + Prinfo.describe(prinfo) + ")");
        }
        long blocks = size / stride;
        if (metaStride > 0 && (metadata == null || metadata.byteSize() < blocks * metaStride)) {
            throw new IllegalArgumentException(path + " moves " + metaStride + " bytes of separate metadata per"
                    + " block under PRINFO " + Prinfo.describe(prinfo) + ": a metadata buffer"
                    + " of " + blocks * metaStride + " bytes is needed, not " + (metadata == null ? "none"
                    : metadata.byteSize()));
        }
        checkRange(slba, blocks);
        long perCommand = Math.max(1, Math.min(LbaCommand.MAX_BLOCKS, maxTransferBytes / stride));
        long mask = pi.referenceTagBits() >= 64 ? -1L : (1L << pi.referenceTagBits()) - 1;
        int parts = (int) ((blocks + perCommand - 1) / perCommand);
        List<LbaCommand<?>> commands = new ArrayList<>(parts);
        for (int p = 0; p < parts; p++) {
            long first = p * perCommand;
            int n = (int) Math.min(perCommand, blocks - first);
            MemorySegment data = buffer.asSlice(first * stride, (long) n * stride);
            long tag = pi.enabled() && pi.type().incrementsReferenceTag() ? (referenceTag + first) & mask : referenceTag;
            LbaCommand<?> part = write ? new Write(nsid, slba + first, n, data).protection(prinfo, tag, appTag,
                    appMask) : new Read(nsid, slba + first, n, data).protection(prinfo, tag, appTag, appMask);
            if (metaStride > 0) {
                part.metadata(metadata.asSlice(first * metaStride, (long) n * metaStride));
            } else if (metadata != null) {
                part.metadata(metadata); // none moves: Preflight refuses it, saying why
            }
            commands.add(part);
        }
        return commands;
    }

    /**
     * Reports the zones from the one containing {@code slba}: a Zone Management Receive, decoded.
     *
     * @param slba     an LBA in the first zone to report
     * @param maxZones how many descriptors to ask for
     * @param filter   which zones
     * @return the report
     * @throws IllegalStateException if the namespace is not zoned
     * @throws IOException           if the command fails
     */
    public ZoneReport reportZones(long slba, int maxZones, ZoneReportFilter filter) throws IOException {
        if (!isZoned()) {
            throw new IllegalStateException(path + " is not a zoned namespace");
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(ZoneReport.bufferSize(maxZones), 4096);
            execute(new ZoneManagementReceive(nsid, slba, buf).filter(filter));
            return ZoneReport.decode(buf, 0);
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
            if (async != null) {
                async.close();
            }
            ioctl.close();
            Posix.closeQuietly(fd);
        }
    }

    @Override
    public String toString() {
        return "NvmeNamespace[" + path + ", nsid " + nsid + ", " + blocks() + " x " + lbaSize() + " B"
                + (isZoned() ? ", zoned, zone " + zoneSize() + " blocks" : "") + (closed ? ", closed]" : "]");
    }
}
