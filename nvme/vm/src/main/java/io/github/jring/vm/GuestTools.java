package io.github.jring.vm;

import io.github.jring.core.internal.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Oracles for NVMe tests that run inside the jring VM: the guest's own {@code nvme-cli}, {@code fio} and sysfs,
 * which answer independently of jring.
 *
 * <p>The VM (nvme/vm/README.md) has one emulated controller, {@link #CONTROLLER /dev/nvme0}, with namespace 1
 * conventional ({@link #NS1_BLOCK /dev/nvme0n1}, {@link #NS1_CHAR /dev/ng0n1}) and namespace 2 zoned, host-managed,
 * 64 MiB zones of 48 MiB capacity ({@link #NS2_BLOCK /dev/nvme0n2}, {@link #NS2_CHAR /dev/ng0n2}); both 1 GiB of
 * 512-byte LBAs by default, on fresh sparse images (all zeroes, all zones empty) for each VM boot. One boot runs all
 * {@code *IT} classes, so tests share the devices: use LBA ranges or zones of your own, or reset what you use.
 * The nvme driver has {@code poll_queues} ({@link #pollQueues()}, 1 by default) so {@code IORING_SETUP_IOPOLL} and
 * fio's {@code hipri} are really polled.
 *
 * <p>Use, in a class named {@code *IT} (run by {@code ./mvnw -pl nvme verify -Dit.test=MyIT}):
 * <pre>{@code
 * static void vm() { GuestTools.requireVm(); }                          // in a @BeforeAll method
 *
 * long nsid = GuestTools.sysfsNsid(GuestTools.NS1_CHAR);                 // 1, from sysfs
 * int lba = GuestTools.lbaSize(GuestTools.NS1_CHAR);                     // 512, from Identify Namespace
 * Map<String, Object> idns = GuestTools.idNs(GuestTools.NS1_CHAR);       // nvme id-ns -o json
 * GuestTools.nvmeWrite(GuestTools.NS1_BLOCK, 2048, data);                // nvme write (passthrough ioctl)
 * byte[] back = GuestTools.nvmeRead(GuestTools.NS1_BLOCK, 2048, 8);     // nvme read, 8 LBAs
 * List<Map<String, Object>> zones = GuestTools.reportZones(GuestTools.NS2_BLOCK); // slba, wp, cap, state, type
 * GuestTools.FioResult r = GuestTools.fio("--name=x", "--filename=/dev/ng0n1", "--ioengine=io_uring_cmd",
 *         "--cmd_type=nvme", "--rw=randread", "--bs=4k", "--iodepth=16", "--size=64M");
 * double iops = r.readIops();
 * Result res = GuestTools.run("nvme", "zns", "id-ns", "/dev/nvme0n1");  // any command; res.exitCode(), stdout()
 * }</pre>
 *
 * <p>nvme-cli's read and write go through the synchronous passthrough ioctl, which bypasses the page cache like
 * jring's passthrough does; prefer them over buffered reads of {@code /dev/nvme0n1} to check what jring wrote.
 * Programs are looked up on {@code PATH} and then in /usr/sbin, /sbin, /usr/bin, /bin (nvme-cli lives in /usr/sbin,
 * which a user's PATH may lack).
 */
public final class GuestTools {

    /** The controller's character device (admin commands). */
    public static final Path CONTROLLER = Path.of("/dev/nvme0");
    /** Namespace 1 (conventional), block device. */
    public static final Path NS1_BLOCK = Path.of("/dev/nvme0n1");
    /** Namespace 1 (conventional), generic character device for passthrough. */
    public static final Path NS1_CHAR = Path.of("/dev/ng0n1");
    /** Namespace 2 (zoned, host-managed), block device. */
    public static final Path NS2_BLOCK = Path.of("/dev/nvme0n2");
    /** Namespace 2 (zoned, host-managed), generic character device for passthrough. */
    public static final Path NS2_CHAR = Path.of("/dev/ng0n2");
    /** Zone size of namespace 2, as the harness configures it. */
    public static final long ZONE_SIZE_BYTES = 64L << 20;
    /** Zone capacity of namespace 2, as the harness configures it. */
    public static final long ZONE_CAPACITY_BYTES = 48L << 20;
    /** Time limit of {@link #run(String...)}. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(2);

    private static final List<String> FALLBACK_DIRS = List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin");

    private GuestTools() {
    }

    /** True inside the jring VM (the harness sets {@code JRING_VM=1} in the guest). */
    public static boolean inVm() {
        return "1".equals(System.getenv("JRING_VM"));
    }

    /**
     * Throws {@link IllegalStateException} unless this runs inside the jring VM: an NVMe test run on the host by
     * mistake then fails with a message that says how to run it, rather than with a missing device.
     */
    public static void requireVm() {
        if (!inVm()) {
            throw new IllegalStateException("not inside the jring VM: NVMe tests are *IT classes that Maven runs in"
                    + " the VM (./mvnw -pl nvme verify -Dit.test=<Class>), or run them with"
                    + " nvme/vm/jring-vm run -- <java command>");
        }
    }

    /** {@code nvme.poll_queues} of this boot, from {@code /sys/module/nvme/parameters/poll_queues}. */
    public static int pollQueues() {
        return Integer.parseInt(read(Path.of("/sys/module/nvme/parameters/poll_queues")));
    }

    /** What a command did: its exit status and its whole stdout and stderr (UTF-8). */
    public record Result(List<String> command, int exitCode, String stdout, String stderr) {

        /** This result, if the exit status is 0; else an {@link AssertionError} with the command and its output. */
        public Result checkSuccess() {
            if (exitCode != 0) {
                throw new AssertionError(describe());
            }
            return this;
        }

        /** The command, its status and its output, for failure messages. */
        public String describe() {
            return String.join(" ", command) + " exited with status " + exitCode + "\n--- stdout:\n" + stdout
                    + "\n--- stderr:\n" + stderr;
        }
    }

    /** Runs {@code command} (program looked up as described above) with {@link #DEFAULT_TIMEOUT}. */
    public static Result run(String... command) {
        return run(DEFAULT_TIMEOUT, List.of(command));
    }

    /**
     * Runs {@code command}, stdin empty, and waits for it; throws {@link AssertionError} if it outlives
     * {@code timeout} (it is killed) and {@link UncheckedIOException} if it cannot start.
     */
    public static Result run(Duration timeout, List<String> command) {
        List<String> cmd = new ArrayList<>(command);
        cmd.set(0, which(cmd.get(0)));
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("guest-tools", ".out");
            err = Files.createTempFile("guest-tools", ".err");
            Process p = new ProcessBuilder(cmd)
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor();
                throw new AssertionError(String.join(" ", cmd) + " did not finish within " + timeout
                        + "\n--- stdout:\n" + Files.readString(out) + "\n--- stderr:\n" + Files.readString(err));
            }
            return new Result(List.copyOf(cmd), p.exitValue(), Files.readString(out), Files.readString(err));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + cmd, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + cmd, e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    /** The absolute path of program {@code name}: {@code PATH} first, then /usr/sbin, /sbin, /usr/bin, /bin. */
    public static String which(String name) {
        if (name.contains("/")) {
            return name;
        }
        Set<String> dirs = new LinkedHashSet<>();
        String path = System.getenv("PATH");
        if (path != null) {
            dirs.addAll(Arrays.asList(path.split(":")));
        }
        dirs.addAll(FALLBACK_DIRS);
        for (String d : dirs) {
            if (d.isEmpty()) {
                continue;
            }
            Path p = Path.of(d, name);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        throw new IllegalStateException(name + " not found on PATH or in " + FALLBACK_DIRS);
    }

    // ------------------------------------------------------------------------------------------------ nvme-cli --

    /** Runs {@code nvme <args> -o json}, requires success, and returns the parsed JSON. */
    public static Object nvmeJson(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add("nvme");
        cmd.addAll(List.of(args));
        cmd.add("-o");
        cmd.add("json");
        Result r = run(DEFAULT_TIMEOUT, cmd).checkSuccess();
        try {
            return Json.parse(r.stdout());
        } catch (IllegalArgumentException e) {
            throw new AssertionError("cannot parse the JSON of " + r.describe(), e);
        }
    }

    /** {@code nvme list -o json}: one map per namespace block device (NameSpace, DevicePath, SectorSize, ...). */
    public static List<Map<String, Object>> listNamespaces() {
        List<Map<String, Object>> devices = new ArrayList<>();
        for (Object d : Json.array(Json.at(nvmeJson("list"), "Devices"))) {
            devices.add(Json.object(d));
        }
        return devices;
    }

    /** {@code nvme id-ctrl /dev/nvme0 -o json}: Identify Controller (vid, sn, mn, mdts, oacs, ...). */
    public static Map<String, Object> idCtrl() {
        return Json.object(nvmeJson("id-ctrl", CONTROLLER.toString()));
    }

    /** {@code nvme id-ns <dev> -o json}: Identify Namespace (nsze, ncap, nuse, flbas, lbafs, ...). */
    public static Map<String, Object> idNs(Path dev) {
        return Json.object(nvmeJson("id-ns", dev.toString()));
    }

    /** {@code nvme zns id-ns <dev> -o json}: the zoned namespace's Identify (zoc, ozcs, mar, mor, lbafe[].zsze). */
    public static Map<String, Object> znsIdNs(Path dev) {
        return Json.object(nvmeJson("zns", "id-ns", dev.toString()));
    }

    /** {@code nvme zns report-zones <dev> -o json}: every zone (slba, wp, cap, state, type, attrs), in LBAs. */
    public static List<Map<String, Object>> reportZones(Path dev) {
        List<Map<String, Object>> zones = new ArrayList<>();
        for (Object z : Json.array(Json.at(nvmeJson("zns", "report-zones", dev.toString()), "zone_list"))) {
            zones.add(Json.object(z));
        }
        return zones;
    }

    /** {@code nvme zns reset-zone <dev> -a}: resets every zone of the zoned namespace. */
    public static void resetAllZones(Path dev) {
        run("nvme", "zns", "reset-zone", dev.toString(), "-a").checkSuccess();
    }

    /** The namespace's LBA data size in bytes: {@code 1 << lbafs[flbas & 0xf].ds} from Identify Namespace. */
    public static int lbaSize(Path dev) {
        Map<String, Object> ns = idNs(dev);
        int format = (int) (Json.longValue(ns.get("flbas")) & 0xf);
        return 1 << Json.longValue(Json.at(ns, "lbafs", format, "ds"));
    }

    /**
     * Reads {@code blocks} LBAs from {@code slba} with {@code nvme read} (the synchronous passthrough ioctl, not the
     * page cache); {@code dev} is a namespace device, block or generic.
     */
    public static byte[] nvmeRead(Path dev, long slba, int blocks) {
        int bytes = blocks * lbaSize(dev);
        Path data = tempFile();
        try {
            run("nvme", "read", dev.toString(), "--start-block=" + slba, "--block-count=" + (blocks - 1),
                    "--data-size=" + bytes, "--data=" + data).checkSuccess();
            byte[] b = Files.readAllBytes(data);
            if (b.length != bytes) {
                throw new AssertionError("nvme read gave " + b.length + " bytes, wanted " + bytes);
            }
            return b;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteQuietly(data);
        }
    }

    /**
     * Writes {@code data} (a whole number of LBAs) at {@code slba} with {@code nvme write} (synchronous passthrough
     * ioctl). On the zoned namespace {@code slba} must be the zone's write pointer.
     */
    public static void nvmeWrite(Path dev, long slba, byte[] data) {
        int lba = lbaSize(dev);
        if (data.length == 0 || data.length % lba != 0) {
            throw new IllegalArgumentException("data must be a whole number of " + lba + "-byte LBAs: " + data.length);
        }
        Path file = tempFile();
        try {
            Files.write(file, data);
            run("nvme", "write", dev.toString(), "--start-block=" + slba,
                    "--block-count=" + (data.length / lba - 1), "--data-size=" + data.length, "--data=" + file)
                    .checkSuccess();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteQuietly(file);
        }
    }

    // --------------------------------------------------------------------------------------------------- sysfs --

    /** The namespace id the kernel gives {@code dev} ({@code /sys/block/nvmeXnY/nsid}; ngXnY maps to nvmeXnY). */
    public static long sysfsNsid(Path dev) {
        return Long.parseLong(read(sysBlock(dev).resolve("nsid")));
    }

    /** {@code /sys/block/nvmeXnY/queue/<attribute>} of {@code dev}, e.g. "zoned", "io_poll", "logical_block_size". */
    public static String sysfsQueue(Path dev, String attribute) {
        return read(sysBlock(dev).resolve("queue").resolve(attribute));
    }

    private static Path sysBlock(Path dev) {
        String name = dev.getFileName().toString();
        if (name.startsWith("ng")) {
            name = "nvme" + name.substring(2); // the kernel names ngXnY after the nvmeXnY disk it belongs to
        }
        Path p = Path.of("/sys/block", name);
        if (!Files.isDirectory(p)) {
            throw new IllegalStateException("no " + p + " for " + dev);
        }
        return p;
    }

    // ----------------------------------------------------------------------------------------------------- fio --

    /** fio's JSON report of one run; the accessors read job 0. */
    public record FioResult(Map<String, Object> json) {

        /** Job {@code i} of the report. */
        public Map<String, Object> job(int i) {
            return Json.object(Json.at(json, "jobs", i));
        }

        /** fio's error code for job 0 (0 when it ran without error). */
        public long error() {
            return Json.longValue(job(0).get("error"));
        }

        /** Read IOPS of job 0. */
        public double readIops() {
            return Json.doubleValue(Json.at(job(0), "read", "iops"));
        }

        /** Write IOPS of job 0. */
        public double writeIops() {
            return Json.doubleValue(Json.at(job(0), "write", "iops"));
        }

        /** Bytes read by job 0. */
        public long readBytes() {
            return Json.longValue(Json.at(job(0), "read", "io_bytes"));
        }

        /** Bytes written by job 0. */
        public long writeBytes() {
            return Json.longValue(Json.at(job(0), "write", "io_bytes"));
        }

        /** Mean completion latency of job 0's reads, in nanoseconds. */
        public double readMeanLatencyNs() {
            return Json.doubleValue(Json.at(job(0), "read", "clat_ns", "mean"));
        }
    }

    /**
     * Runs {@code fio <args> --output-format=json} (give fio's options, e.g. {@code --name=x}, {@code --filename=...},
     * {@code --ioengine=io_uring_cmd}), requires success and job 0 without error, and returns the report.
     */
    public static FioResult fio(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add("fio");
        cmd.addAll(List.of(args));
        cmd.add("--output-format=json");
        Result r = run(Duration.ofMinutes(10), cmd).checkSuccess();
        FioResult result;
        try {
            result = new FioResult(Json.parseFirstObject(r.stdout())); // fio may print notes before the report
        } catch (IllegalArgumentException e) {
            throw new AssertionError("no JSON report from " + r.describe(), e);
        }
        if (result.error() != 0) {
            throw new AssertionError("fio job 0 reported error " + result.error() + ": " + r.describe());
        }
        return result;
    }

    // --------------------------------------------------------------------------------------------------------------

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + p, e);
        }
    }

    private static Path tempFile() {
        try {
            return Files.createTempFile("guest-tools", ".bin");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteQuietly(Path p) {
        if (p == null) {
            return;
        }
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a temp file on the guest's tmpfs; the VM is thrown away anyway
        }
    }
}
