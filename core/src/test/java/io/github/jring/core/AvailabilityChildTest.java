package io.github.jring.core;

import io.github.jring.core.internal.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@link IoUring#availability()} where io_uring is refused, for real: in child JVMs ({@link AvailabilityChild}) that
 * install a seccomp filter answering the io_uring system calls with EPERM or ENOSYS, and that run as {@code nobody}
 * under a lowered {@code RLIMIT_MEMLOCK} (the kernel then charges rings and fixed buffers to it).
 */
class AvailabilityChildTest {

    /** A uid and gid without capabilities or a login: nobody / nogroup. */
    private static final String NOBODY = "65534";

    private static Path copies;
    private static String nobodyClassPath;
    private static String whyNotAsNobody;

    @BeforeAll
    static void classPathForNobody() throws IOException {
        if (!ChildJvm.isRoot()) {
            whyNotAsNobody = "SKIPPED LOUDLY: the nobody tests need root (to switch to uid 65534 with setpriv);"
                    + " this JVM runs as uid " + io.github.jring.core.internal.Host.procStatus().get("Uid");
            return;
        }
        copies = Files.createTempDirectory("jring-availability-cp");
        nobodyClassPath = ChildJvm.readableCopyOfClassPath(copies);
        ChildJvm.Result probe = ChildJvm.run(asNobody(List.of()), nobodyClassPath, copies, AvailabilityChild.class,
                "none");
        if (probe.rc() != 0) {
            whyNotAsNobody = "SKIPPED LOUDLY: a JVM cannot start as nobody here (is " + ChildJvm.java()
                    + " readable by uid 65534?): " + probe;
        }
    }

    @AfterAll
    static void deleteCopies() throws IOException {
        if (copies != null) {
            ChildJvm.deleteTree(copies);
        }
    }

    private static List<String> asNobody(List<String> before) {
        List<String> cmd = new java.util.ArrayList<>(before);
        cmd.addAll(List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups"));
        return cmd;
    }

    private static void assumeX8664() {
        assumeTrue(System.getProperty("os.arch").equals("amd64"), "the filter's syscall numbers and AUDIT_ARCH are"
                + " x86-64's; this is " + System.getProperty("os.arch"));
    }

    private static Map<String, Object> json(ChildJvm.Result r) {
        assertEquals(0, r.rc(), r::toString);
        return Json.object(Json.parse(r.out().trim()));
    }

    @Test
    void aSeccompFilterAnsweringEpermIsReportedAsSeccompWithTheFix() {
        assumeX8664();
        ChildJvm.Result r = ChildJvm.run(AvailabilityChild.class, "1"); // EPERM
        Map<String, Object> j = json(r);
        // a program that only opens a ring gets the same diagnosis in one exception message
        assertTrue(r.err().contains("IoUring.open: io_uring_setup: EPERM") && r.err().contains("by a seccomp filter"
                + " (Docker's default profile blocks the io_uring system calls") && r.err().contains("./jring doctor"),
                r::toString);
        assertEquals(false, j.get("usable"), j::toString);
        assertEquals("SECCOMP", j.get("cause"));
        assertEquals("EPERM", j.get("errno"));
        assertEquals("io_uring_setup", j.get("failedCall"));
        assertEquals(2L, j.get("seccompMode"));
        assertTrue(((String) j.get("reason")).contains("seccomp filter"), j::toString);
        assertTrue(((String) j.get("fix")).contains("--security-opt seccomp="), j::toString);
        assertEquals(List.of(), j.get("opcodes"));
        assertEquals(null, j.get("fixedBuffers"));
    }

    @Test
    void aSeccompFilterAnsweringEnosysLooksLikeAKernelWithoutIoUringUnlessTheKernelEvidentlyHasIt() {
        assumeX8664();
        ChildJvm.Result r = ChildJvm.run(AvailabilityChild.class, "38"); // ENOSYS
        Map<String, Object> j = json(r);
        assertTrue(r.err().contains("IoUring.open: io_uring_setup: ENOSYS") && r.err().contains("This kernel has no"
                + " io_uring (it needs Linux 5.1+ built with CONFIG_IO_URING), or a seccomp filter answers ENOSYS"),
                r::toString);
        assertEquals(false, j.get("usable"), j::toString);
        assertEquals("ENOSYS", j.get("errno"));
        assertEquals("io_uring_setup", j.get("failedCall"));
        // A kernel with kernel.io_uring_disabled (6.6+) has io_uring, so there the ENOSYS is the filter's; on an
        // older one the child cannot tell a filter from a kernel without io_uring, and says which it assumes.
        boolean sysctl = Files.exists(Path.of("/proc/sys/kernel/io_uring_disabled"));
        assertEquals(sysctl ? "SECCOMP" : "KERNEL_WITHOUT_IO_URING", j.get("cause"), j::toString);
        String reason = (String) j.get("reason");
        assertTrue(reason.contains(sysctl ? "has io_uring" : "CONFIG_IO_URING"), reason);
        assertTrue(reason.contains("seccomp"), reason);
    }

    @Test
    void aJvmWithoutEnableNativeAccessIsReportedWithTheFlag() {
        // -Xshare:auto stands in for the flag: the child is told nothing about native access, so the JDK warns
        ChildJvm.Result r = ChildJvm.run(List.of(), "-Xshare:auto", System.getProperty("java.class.path"),
                Path.of("."), AvailabilityChild.class, "none");
        Map<String, Object> j = json(r);
        assertEquals(true, j.get("usable"), j::toString);
        assertEquals(List.of("ALL-UNNAMED (the class path)"), j.get("nativeAccessLacking"), j::toString);
        assertTrue(r.err().contains("WARNING: A restricted method"), "the JDK's own warning: " + r);

        Map<String, Object> granted = json(ChildJvm.run(AvailabilityChild.class, "none"));
        assertEquals(List.of(), granted.get("nativeAccessLacking"), granted::toString);
    }

    @Test
    void withoutAFilterTheChildAgreesWithThisJvm() {
        Map<String, Object> j = json(ChildJvm.run(AvailabilityChild.class, "none"));
        assertEquals(true, j.get("usable"), j::toString);
        assertEquals(0L, j.get("seccompMode"));
    }

    @Test
    void asNobodyUnder16KiBOfMemlockRingsWorkButA64KiBFixedBufferIsRefusedWithEnomem() {
        assumeTrue(whyNotAsNobody == null, whyNotAsNobody);
        ChildJvm.Result r = ChildJvm.run(asNobody(List.of("prlimit", "--memlock=16384:16384", "--")),
                nobodyClassPath, copies, AvailabilityChild.class, "none");
        Map<String, Object> j = json(r);
        assertEquals(true, j.get("usable"), r::toString);
        @SuppressWarnings("unchecked")
        Map<String, Object> fb = (Map<String, Object>) j.get("fixedBuffers");
        assertEquals(false, fb.get("registered"), r::toString);
        assertEquals("ENOMEM", fb.get("errno"));
        assertEquals(65536L, fb.get("bytes"));
        assertEquals(16384L, fb.get("memlockSoft"));
        assertEquals(16384L, fb.get("memlockHard"));
        assertEquals(false, fb.get("capIpcLock"));
        String reason = (String) fb.get("reason");
        assertTrue(reason.contains("64 KiB fixed buffer") && reason.contains("RLIMIT_MEMLOCK, which is 16 KiB (soft)"),
                reason);
        assertTrue(((String) fb.get("fix")).contains("ulimit -l"), r::toString);
    }

    @Test
    void asNobodyWithNoMemlockAtAllTheRingItselfIsRefusedAsMemlock() {
        assumeTrue(whyNotAsNobody == null, whyNotAsNobody);
        ChildJvm.Result r = ChildJvm.run(asNobody(List.of("prlimit", "--memlock=0:0", "--")), nobodyClassPath,
                copies, AvailabilityChild.class, "none");
        Map<String, Object> j = json(r);
        // Linux before 5.12 and recent kernels (6.18 here) charge ring memory to RLIMIT_MEMLOCK; 5.12 to some 6.x
        // did not, and there the ring works and only the fixed buffer is refused.
        if (Boolean.TRUE.equals(j.get("usable"))) {
            @SuppressWarnings("unchecked")
            Map<String, Object> fb = (Map<String, Object>) j.get("fixedBuffers");
            assertEquals("ENOMEM", fb.get("errno"), r::toString);
            return;
        }
        assertEquals("MEMLOCK", j.get("cause"), r::toString);
        assertEquals("ENOMEM", j.get("errno"));
        assertEquals("io_uring_setup", j.get("failedCall"));
        assertTrue(((String) j.get("reason")).contains("0 bytes (soft) / 0 bytes (hard)"), r::toString);
    }
}
