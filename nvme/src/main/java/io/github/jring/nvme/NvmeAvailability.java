package io.github.jring.nvme;

import io.github.jring.core.internal.Host;
import io.github.jring.core.Posix;
import io.github.jring.core.internal.JsonText;
import io.github.jring.bindings.Uapi;
import io.github.jring.core.Errno;
import io.github.jring.core.ErrnoException;
import io.github.jring.nvme.command.Identify;
import io.github.jring.nvme.command.Read;
import io.github.jring.nvme.data.IdentifyNamespace;
import io.github.jring.nvme.status.NvmeStatus;
import io.github.jring.nvme.status.NvmeStatusException;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * Whether each NVMe namespace of this machine can be used for passthrough by this process, and if not exactly why
 * and what to do: the NVMe half of {@code ./jring doctor}. Obtain one with {@link #check()}.
 *
 * <p>For each namespace {@link NvmeNamespaces#list()} finds, with nothing written to it:
 * <ol>
 * <li>open its generic character device {@code /dev/ngXnY} read-only, and read-write (closed again at once);</li>
 * <li>Identify Namespace through passthrough (the {@code NVME_IOCTL_ADMIN64_CMD} ioctl on the read-only descriptor),
 * for the LBA size and the write-protect attribute (NSATTR bit 0);</li>
 * <li>a one-block Read of LBA 0, by the {@code NVME_IOCTL_IO64_CMD} ioctl and by {@code IORING_OP_URING_CMD} on an
 * io_uring ring;</li>
 * <li>poll queues: {@code /sys/module/nvme/parameters/poll_queues} and {@code /sys/block/nvmeXnY/queue/io_poll}.</li>
 * </ol>
 * A failure gets a {@link Finding}: what failed, why (the node's mode and owner, the kernel's rules for unprivileged
 * passthrough, which came in Linux 6.2) and the fix (a {@code chmod} or udev rule, {@code nvme.poll_queues=N}).
 *
 * @param kernelRelease the kernel release ({@code /proc/sys/kernel/osrelease})
 * @param pollQueues    the {@code nvme} driver's {@code poll_queues} parameter, or -1 where it cannot be read
 * @param namespaces    one check per namespace, in {@link NvmeNamespaces#list()} order
 * @param findings      problems that are not one namespace's (no NVMe namespace at all)
 */
public record NvmeAvailability(String kernelRelease, int pollQueues, List<NamespaceCheck> namespaces,
                               List<Finding> findings) {

    private static final Path POLL_QUEUES = Path.of("/sys/module/nvme/parameters/poll_queues");
    private static final long NVME_IOCTL_ID = Uapi.NVME_IOCTL_ID();
    /** Identify Namespace byte 99, NSATTR (NVMe Base Specification 2.0, figure 277): bit 0 is "write protected". */
    private static final int NSATTR_OFFSET = 99;

    /**
     * One problem, with its explanation.
     *
     * @param check  which check found it ({@code "open read-only"}, {@code "read LBA 0"}, {@code "poll queues"} ...)
     * @param reason what is wrong and why
     * @param fix    what to do about it
     */
    public record Finding(String check, String reason, String fix) {
    }

    /**
     * The outcome of one step.
     *
     * @param tried      whether it was tried (a step is skipped when an earlier one it needs failed)
     * @param ok         whether it succeeded
     * @param errno      the kernel's errno when it failed so, positive; else 0
     * @param nvmeStatus the NVMe status field when the controller failed it; else 0
     */
    public record Step(boolean tried, boolean ok, int errno, int nvmeStatus) {

        static final Step SKIPPED = new Step(false, false, 0, 0);
        static final Step OK = new Step(true, true, 0, 0);

        /** 0, an NVMe status ({@code > 0}) or {@code -errno}, as the ioctl and URING_CMD answer. */
        static Step of(int res) {
            return res == 0 ? OK : res > 0 ? new Step(true, false, 0, res) : new Step(true, false, -res, 0);
        }

        /**
         * The errno's name ({@code "EACCES"}).
         *
         * @return the name, or empty when there is no errno
         */
        public String errnoName() {
            return errno == 0 ? "" : Errno.name(errno);
        }

        String text() {
            return !tried ? "not tried" : ok ? "ok" : errno != 0 ? Errno.name(errno)
                    : "NVMe status " + new NvmeStatus(nvmeStatus);
        }

        void json(StringBuilder sb) {
            sb.append("{\"tried\":").append(tried).append(",\"ok\":").append(ok).append(",\"errno\":")
                    .append(errno == 0 ? "null" : string(Errno.name(errno))).append(",\"nvmeStatus\":")
                    .append(nvmeStatus == 0 ? "null" : string(new NvmeStatus(nvmeStatus).toString())).append('}');
        }
    }

    /**
     * What one namespace allows this process.
     *
     * @param charDevice     the generic character device, {@code /dev/ngXnY}
     * @param blockDevice    the block device {@code /dev/nvmeXnY}, or {@code null} when there is none
     * @param nsid           the namespace id (sysfs, else {@code NVME_IOCTL_ID}), or -1 when unknown
     * @param node           the node's mode and owner as {@code ls -l} shows them ({@code "crw------- 0:0"}), or
     *                       empty when it cannot be read
     * @param openRead       {@code open(O_RDONLY)}
     * @param openReadWrite  {@code open(O_RDWR)}, closed again without writing
     * @param identify       Identify Namespace by passthrough
     * @param readIoctl      a one-block Read of LBA 0 by {@code NVME_IOCTL_IO64_CMD}
     * @param readUringCmd   the same Read by {@code IORING_OP_URING_CMD}
     * @param lbaSize        the LBA size from Identify, or -1
     * @param writeProtected 1 when Identify Namespace says write protected, 0 when not, -1 when unknown
     * @param ioPoll         {@code /sys/block/nvmeXnY/queue/io_poll}: 1 polled queues, 0 none, -1 unknown
     * @param findings       the problems found, each with its fix; empty when everything works
     */
    public record NamespaceCheck(String charDevice, String blockDevice, int nsid, String node, Step openRead,
                                 Step openReadWrite, Step identify, Step readIoctl, Step readUringCmd, int lbaSize,
                                 int writeProtected, int ioPoll, List<Finding> findings) {

        /**
         * Copies the findings.
         *
         * @param charDevice     the character device
         * @param blockDevice    the block device, or null
         * @param nsid           the namespace id
         * @param node           the node's mode and owner
         * @param openRead       open read-only
         * @param openReadWrite  open read-write
         * @param identify       Identify Namespace
         * @param readIoctl      Read by ioctl
         * @param readUringCmd   Read by URING_CMD
         * @param lbaSize        the LBA size
         * @param writeProtected the write protection
         * @param ioPoll         polled queues
         * @param findings       the problems
         */
        public NamespaceCheck {
            Objects.requireNonNull(charDevice, "charDevice");
            node = Objects.requireNonNullElse(node, "");
            findings = List.copyOf(findings);
        }

        /**
         * Whether LBA 0 could be read by passthrough (by the ioctl; {@link #readUringCmd()} says about io_uring).
         *
         * @return true if readable
         */
        public boolean readable() {
            return readIoctl.ok();
        }

        /**
         * Whether writes would be allowed: the node opens read-write and the namespace is not write protected
         * (nothing is written to find out).
         *
         * @return true if writable
         */
        public boolean writable() {
            return openReadWrite.ok() && writeProtected != 1;
        }
    }

    /**
     * Copies the lists.
     *
     * @param kernelRelease the kernel release
     * @param pollQueues    the driver's poll_queues
     * @param namespaces    the namespace checks
     * @param findings      the machine-wide problems
     */
    public NvmeAvailability {
        kernelRelease = Objects.requireNonNullElse(kernelRelease, "unknown");
        namespaces = List.copyOf(namespaces);
        findings = List.copyOf(findings);
    }

    /**
     * Checks every namespace of this machine.
     *
     * @return the report
     */
    public static NvmeAvailability check() {
        return check(NvmeNamespaces.list());
    }

    /**
     * Checks the given namespaces.
     *
     * @param namespaces from {@link NvmeNamespaces#list()}
     * @return the report
     */
    public static NvmeAvailability check(List<NamespaceInfo> namespaces) {
        int pollQueues = (int) readLong(POLL_QUEUES, -1);
        List<NamespaceCheck> checks = new ArrayList<>();
        for (NamespaceInfo info : namespaces) {
            checks.add(check(info, pollQueues));
        }
        List<Finding> findings = new ArrayList<>();
        if (namespaces.isEmpty()) {
            findings.add(new Finding("discovery", "no NVMe namespace with a generic character device"
                    + " (/sys/class/nvme-generic is " + (Files.isDirectory(Path.of("/sys/class/nvme-generic"))
                    ? "empty)" : "missing: no NVMe driver loaded, no NVMe device, or a kernel before 5.13)"),
                    "attach an NVMe device (or use io_uring on files and block devices, which needs none)"));
        }
        return new NvmeAvailability(Host.kernelRelease(), pollQueues, checks, findings);
    }

    private static NamespaceCheck check(NamespaceInfo info, int pollQueues) {
        String dev = info.charDevice().toString();
        String node = node(info.charDevice());
        List<Finding> findings = new ArrayList<>();
        int ioPoll = info.blockDevice() == null ? -1 : (int) readLong(Path.of("/sys/block",
                info.blockDevice().getFileName().toString(), "queue", "io_poll"), -1);

        int rw = openOrErrno(dev, Posix.O_RDWR);
        Step openReadWrite = rw >= 0 ? Step.OK : Step.of(rw);
        if (rw >= 0) {
            Posix.closeQuietly(rw); // nothing is written: the open alone says whether writes would be let through
        }
        int fd = openOrErrno(dev, Posix.O_RDONLY);
        Step openRead = fd >= 0 ? Step.OK : Step.of(fd);
        Step identify = Step.SKIPPED;
        Step readIoctl = Step.SKIPPED;
        Step readUring = Step.SKIPPED;
        int nsid = info.nsid();
        int lbaSize = -1;
        int wp = -1;
        if (fd < 0) {
            findings.add(openFinding(dev, node, "open read-only", "O_RDONLY", -fd));
        } else {
            try (Arena arena = Arena.ofConfined(); NvmeIoctl io = new NvmeIoctl(fd, 0)) {
                if (nsid < 0) {
                    int id = Posix.ioctl(Posix.allocateErrnoState(arena), fd, NVME_IOCTL_ID, 0);
                    nsid = id > 0 ? id : -1;
                }
                MemorySegment buf = arena.allocate(Identify.DATA_SIZE, 4096);
                if (nsid > 0) {
                    identify = Step.of(io.submit(Identify.namespace(nsid).data(buf)));
                }
                if (identify.ok()) {
                    lbaSize = IdentifyNamespace.decode(buf).lbaSize();
                    wp = buf.get(JAVA_BYTE, NSATTR_OFFSET) & 1;
                    MemorySegment block = arena.allocate(lbaSize, 4096);
                    try (NvmeIoctl reader = new NvmeIoctl(fd, lbaSize)) {
                        readIoctl = Step.of(reader.submit(new Read(nsid, 0, 1, block)));
                    }
                } else if (identify.tried()) {
                    findings.add(commandFinding(dev, "Identify Namespace", identify));
                }
                if (identify.ok() && !readIoctl.ok()) {
                    findings.add(commandFinding(dev, "read LBA 0", readIoctl));
                }
            } finally {
                Posix.closeQuietly(fd);
            }
            if (readIoctl.ok()) {
                readUring = readByUringCmd(info.charDevice());
                if (!readUring.ok()) {
                    findings.add(new Finding("read LBA 0 by URING_CMD", "the Read of LBA 0 worked by ioctl but not"
                            + " by IORING_OP_URING_CMD (" + readUring.text() + ")", readUring.errno() != 0
                            ? "run the io_uring check (./jring doctor shows it above): " + readUring.errnoName()
                            + " from io_uring usually means io_uring itself is refused" : "see the NVMe status"));
                }
            }
        }
        if (fd >= 0 && !openReadWrite.ok()) {
            findings.add(openFinding(dev, node, "open read-write", "O_RDWR", openReadWrite.errno()));
        }
        if (wp == 1) {
            findings.add(new Finding("write protection", dev + ": Identify Namespace says the namespace is write"
                    + " protected (NSATTR bit 0): writes fail", "clear its write protection (Set Features, Namespace"
                    + " Write Protection Config, FID 84h) if it is not permanent; reads work"));
        }
        if (ioPoll == 0 || (ioPoll < 0 && pollQueues == 0)) {
            findings.add(new Finding("poll queues", "no poll queues (nvme.poll_queues is "
                    + (pollQueues < 0 ? "unknown" : pollQueues) + ", " + (ioPoll < 0 ? "io_poll unknown"
                    : "/sys/block/" + info.blockDevice().getFileName() + "/queue/io_poll is 0")
                    + "): polled passthrough (an IORING_SETUP_IOPOLL ring) is accepted but completes by interrupt",
                    "add nvme.poll_queues=N (1 is enough to try; up to one per CPU) to the kernel command line and"
                    + " reboot; where nvme is a module, 'options nvme poll_queues=N' in /etc/modprobe.d/nvme.conf"
                    + " and reload it"));
        }
        return new NamespaceCheck(dev, info.blockDevice() == null ? null : info.blockDevice().toString(), nsid, node,
                openRead, openReadWrite, identify, readIoctl, readUring, lbaSize, wp, ioPoll, findings);
    }

    private static Step readByUringCmd(Path dev) {
        try (NvmeNamespace ns = NvmeNamespace.openReadOnly(dev);
             NvmeQueue q = NvmeQueue.open(ns, 2);
             Arena arena = Arena.ofConfined()) {
            q.execute(new Read(ns.nsid(), 0, 1, arena.allocate(ns.lbaSize(), 4096)));
            return Step.OK;
        } catch (NvmeStatusException e) {
            return new Step(true, false, 0, e.status().value());
        } catch (ErrnoException e) {
            return new Step(true, false, e.errno(), 0);
        } catch (IOException e) {
            return new Step(true, false, Uapi.EIO(), 0);
        }
    }

    /** {@code open(dev, flags | O_CLOEXEC)}: the fd, or {@code -errno}, which {@link Step#of} records. */
    private static int openOrErrno(String dev, int flags) {
        try {
            return Posix.open(dev, flags | Posix.O_CLOEXEC);
        } catch (ErrnoException e) {
            return -e.errno();
        }
    }

    /** The advice for an open that failed. */
    private static Finding openFinding(String dev, String node, String check, String how, int errno) {
        String failed = "open(" + dev + ", " + how + ") failed with " + Errno.describe(errno);
        if (errno != Uapi.EACCES() && errno != Uapi.EPERM()) {
            return new Finding(check, failed, "see open(2) for " + Errno.name(errno));
        }
        boolean write = how.equals("O_RDWR");
        String who = "this process (uid " + processUid() + ")";
        return new Finding(check, failed + ": the node is " + (node.isEmpty() ? "not readable for its mode" : node)
                + " (mode, uid:gid) and " + who + " may not " + (write ? "write" : "read") + " it"
                + (write ? ", so passthrough writes are refused (reads and Identify still work)" : "")
                + "; NVMe nodes are root-only (0600) by default",
                "run as root, or give the user access: chmod 0660 " + dev + " and chgrp it to a group the user is"
                + " in, or for good a udev rule, e.g. /etc/udev/rules.d/60-nvme-generic.rules with"
                + " KERNEL==\"ng[0-9]*n[0-9]*\", GROUP=\"disk\", MODE=\"0660\" (then udevadm control --reload &&"
                + " udevadm trigger). " + unprivilegedRule());
    }

    /** The advice for a passthrough command the kernel or the controller refused. */
    private static Finding commandFinding(String dev, String check, Step step) {
        if (step.errno() == Uapi.EACCES() || step.errno() == Uapi.EPERM()) {
            boolean old = !Host.kernelAtLeast(6, 2);
            return new Finding(check, dev + " opened, but the kernel refused " + check + " by passthrough with "
                    + Errno.describe(step.errno()) + ": " + (old ? "before Linux 6.2 (this kernel is "
                    + Host.kernelRelease() + ") only CAP_SYS_ADMIN may send NVMe passthrough commands, whatever the"
                    + " node's mode" : "unprivileged users may send only I/O reads (writes on a node opened for"
                    + " writing) and Identify; this command needs CAP_SYS_ADMIN"),
                    old ? "run as root, or on Linux 6.2 or later (with read access to the node)" : "run as root");
        }
        return new Finding(check, dev + ": " + check + " by passthrough failed: " + step.text(),
                step.errno() != 0 ? "see the NVMe driver's messages (dmesg)" : "see the NVMe status: the controller"
                + " refused the command");
    }

    /** What unprivileged passthrough may do, for this kernel. */
    private static String unprivilegedRule() {
        return "From Linux 6.2 a user with read access may then send I/O reads and Identify (and writes with write"
                + " access), not vendor-specific or state-changing admin commands; this kernel is "
                + Host.kernelRelease() + (Host.kernelAtLeast(6, 2) ? "." : ", older: it lets only root (CAP_SYS_ADMIN)"
                + " send passthrough commands, whatever the mode.");
    }

    private static String node(Path dev) {
        try {
            int mode = (Integer) Files.getAttribute(dev, "unix:mode");
            String perms = PosixFilePermissions.toString(Files.getPosixFilePermissions(dev));
            String type = (mode & 0xF000) == 0x2000 ? "c" : (mode & 0xF000) == 0x6000 ? "b" : "?";
            return type + perms + " " + Files.getAttribute(dev, "unix:uid") + ":" + Files.getAttribute(dev,
                    "unix:gid");
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /** The process's effective uid: the owner of /proc/self. */
    private static String processUid() {
        try {
            return String.valueOf(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static long readLong(Path p, long otherwise) {
        try {
            String s = Files.readString(p).trim();
            return Long.parseLong(s);
        } catch (IOException | RuntimeException e) {
            return otherwise;
        }
    }

    /**
     * Whether some namespace can be read by passthrough.
     *
     * @return true if at least one is readable
     */
    public boolean usable() {
        return namespaces.stream().anyMatch(NamespaceCheck::readable);
    }

    /**
     * The check of one namespace.
     *
     * @param charDevice for example {@code "/dev/ng0n1"}
     * @return the check, or {@code null} if that namespace was not found
     */
    public NamespaceCheck namespace(String charDevice) {
        return namespaces.stream().filter(n -> n.charDevice().equals(charDevice)).findFirst().orElse(null);
    }

    /**
     * A report for people, several lines, ending with a newline.
     *
     * @return the text
     */
    public String toText() {
        StringBuilder sb = new StringBuilder();
        sb.append("NVMe: ").append(namespaces.size()).append(namespaces.size() == 1 ? " namespace" : " namespaces")
                .append(", nvme.poll_queues=").append(pollQueues < 0 ? "unknown" : pollQueues).append('\n');
        for (Finding f : findings) {
            finding(sb, "  ", f);
        }
        for (NamespaceCheck n : namespaces) {
            sb.append("  ").append(n.charDevice()).append(" (nsid ").append(n.nsid()).append(", ")
                    .append(n.node().isEmpty() ? "mode unknown" : n.node()).append("): ")
                    .append(n.readable() ? "readable" : "NOT readable").append(", ")
                    .append(n.writable() ? "writable" : "NOT writable").append('\n');
            sb.append("    open read-only ").append(n.openRead().text()).append(", read-write ")
                    .append(n.openReadWrite().text()).append("; Identify ").append(n.identify().text())
                    .append("; read LBA 0: ioctl ").append(n.readIoctl().text()).append(", URING_CMD ")
                    .append(n.readUringCmd().text()).append('\n');
            sb.append("    LBA size ").append(n.lbaSize() < 0 ? "unknown" : n.lbaSize()).append(", write protected ")
                    .append(n.writeProtected() < 0 ? "unknown" : n.writeProtected() == 1 ? "yes" : "no")
                    .append(", io_poll ").append(n.ioPoll() < 0 ? "unknown" : n.ioPoll()).append('\n');
            for (Finding f : n.findings()) {
                finding(sb, "    ", f);
            }
        }
        return sb.toString();
    }

    private static void finding(StringBuilder sb, String indent, Finding f) {
        sb.append(indent).append("problem (").append(f.check()).append("): ").append(f.reason()).append('\n');
        sb.append(indent).append("fix: ").append(f.fix()).append('\n');
    }

    /**
     * The same as one JSON object (no whitespace between tokens, no trailing newline).
     *
     * @return the JSON text
     */
    public String toJson() {
        StringBuilder sb = new StringBuilder(1024);
        sb.append("{\"usable\":").append(usable()).append(",\"kernelRelease\":").append(string(kernelRelease))
                .append(",\"pollQueues\":").append(pollQueues).append(",\"findings\":");
        findings(sb, findings);
        sb.append(",\"namespaces\":[");
        for (int i = 0; i < namespaces.size(); i++) {
            NamespaceCheck n = namespaces.get(i);
            sb.append(i == 0 ? "" : ",").append("{\"charDevice\":").append(string(n.charDevice()))
                    .append(",\"blockDevice\":").append(n.blockDevice() == null ? "null" : string(n.blockDevice()))
                    .append(",\"nsid\":").append(n.nsid()).append(",\"node\":").append(string(n.node()))
                    .append(",\"readable\":").append(n.readable()).append(",\"writable\":").append(n.writable())
                    .append(",\"openRead\":");
            n.openRead().json(sb);
            sb.append(",\"openReadWrite\":");
            n.openReadWrite().json(sb);
            sb.append(",\"identify\":");
            n.identify().json(sb);
            sb.append(",\"readIoctl\":");
            n.readIoctl().json(sb);
            sb.append(",\"readUringCmd\":");
            n.readUringCmd().json(sb);
            sb.append(",\"lbaSize\":").append(n.lbaSize()).append(",\"writeProtected\":").append(n.writeProtected())
                    .append(",\"ioPoll\":").append(n.ioPoll()).append(",\"findings\":");
            findings(sb, n.findings());
            sb.append('}');
        }
        return sb.append("]}").toString();
    }

    private static void findings(StringBuilder sb, List<Finding> list) {
        sb.append('[');
        for (int i = 0; i < list.size(); i++) {
            Finding f = list.get(i);
            sb.append(i == 0 ? "" : ",").append("{\"check\":").append(string(f.check())).append(",\"reason\":")
                    .append(string(f.reason())).append(",\"fix\":").append(string(f.fix())).append('}');
        }
        sb.append(']');
    }

    /** A JSON string literal, as {@link JsonText#string} writes it. */
    static String string(String s) {
        return JsonText.string(s);
    }
}
