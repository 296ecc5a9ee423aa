package io.github.jring.nvme;

import io.github.jring.core.internal.Host;
import io.github.jring.core.internal.Json;
import io.github.jring.vm.GuestTools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link NvmeAvailability} in the VM: as root (the guest's user) every namespace is readable, writable and polled;
 * as {@code nobody}, in a child JVM, the root-only node is refused with EACCES and the report says what to do, and
 * with the node opened up to everyone the kernel's own rule for unprivileged passthrough (6.2+) is the answer.
 */
class NvmeAvailabilityIT {

    private static Path copies;
    private static String classPath;

    @BeforeAll
    static void vm() throws IOException {
        GuestTools.requireVm();
        // The class path as copies that nobody can read: the Maven repository is under a mode-700 /root.
        copies = Files.createTempDirectory("jring-nvme-availability");
        Files.setPosixFilePermissions(copies, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> entries = new ArrayList<>();
        int n = 0;
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path src = Path.of(e);
            if (!Files.exists(src)) {
                continue;
            }
            Path dst = copies.resolve("cp" + n++ + (Files.isDirectory(src) ? "" : ".jar"));
            try (Stream<Path> walk = Files.walk(src)) {
                for (Path p : (Iterable<Path>) walk::iterator) {
                    Path to = Files.isDirectory(src) ? dst.resolve(src.relativize(p).toString()) : dst;
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(to);
                        Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rwxr-xr-x"));
                    } else {
                        Files.copy(p, to);
                        Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rw-r--r--"));
                    }
                }
            }
            entries.add(dst.toString());
        }
        classPath = String.join(File.pathSeparator, entries);
    }

    @AfterAll
    static void deleteCopies() throws IOException {
        if (copies != null) {
            try (Stream<Path> walk = Files.walk(copies)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    @Test
    void asRootBothNamespacesAreFoundReadableWritableAndPolled() {
        NvmeAvailability a = NvmeAvailability.check();
        assertTrue(a.usable(), a::toText);
        assertEquals(GuestTools.pollQueues(), a.pollQueues());
        assertEquals(List.of(), a.findings(), a::toText);
        for (Path dev : List.of(GuestTools.NS1_CHAR, GuestTools.NS2_CHAR)) {
            NvmeAvailability.NamespaceCheck n = a.namespace(dev.toString());
            assertNotNull(n, dev + " not found: " + a.toText());
            assertEquals(GuestTools.sysfsNsid(dev), n.nsid());
            assertTrue(n.openRead().ok() && n.openReadWrite().ok() && n.identify().ok(), a::toText);
            assertTrue(n.readable(), a::toText);
            assertTrue(n.readUringCmd().ok(), a::toText);
            assertTrue(n.writable(), a::toText);
            assertEquals(0, n.writeProtected());
            assertEquals(GuestTools.lbaSize(dev), n.lbaSize());
            assertEquals(GuestTools.pollQueues() > 0 ? 1 : 0, n.ioPoll(), a::toText);
            assertEquals(List.of(), n.findings(), a::toText);
        }
        Object json = Json.parse(a.toJson());
        assertEquals(true, Json.at(json, "usable"));
        assertEquals("/dev/ng0n1", Json.at(json, "namespaces", 0, "charDevice"));
        assertEquals(true, Json.at(json, "namespaces", 0, "readable"));
        assertEquals(1L, Json.longValue(Json.at(json, "namespaces", 0, "nsid")));
        assertEquals(2L, Json.longValue(Json.at(json, "namespaces", 1, "nsid")));
    }

    private static Object asNobody() {
        GuestTools.Result r = GuestTools.run(Duration.ofMinutes(4), List.of("setpriv", "--reuid=65534",
                "--regid=65534", "--clear-groups", Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:-UsePerfData", "-XX:TieredStopAtLevel=1", "--enable-native-access=ALL-UNNAMED", "-cp", classPath,
                NvmeAvailabilityChild.class.getName()));
        r.checkSuccess();
        return Json.parse(r.stdout().trim());
    }

    @Test
    void asNobodyTheRootOnlyNodeIsRefusedWithEaccesAndTheReportSaysWhatToDo() {
        String mode = GuestTools.run("stat", "-c", "%a %u:%g", GuestTools.NS1_CHAR.toString()).checkSuccess()
                .stdout().trim();
        assertEquals("600 0:0", mode, "the guest's /dev/ng0n1 is root-only, as on a default install");
        Object json = asNobody();
        Object ns1 = ns1(json);
        assertEquals(false, Json.at(ns1, "readable"), json::toString);
        assertEquals(false, Json.at(ns1, "writable"));
        assertEquals("EACCES", Json.at(ns1, "openRead", "errno"), json::toString);
        assertEquals("EACCES", Json.at(ns1, "openReadWrite", "errno"));
        assertEquals(false, Json.at(ns1, "identify", "tried"));
        assertEquals("crw------- 0:0", Json.at(ns1, "node"));
        assertEquals("open read-only", Json.at(ns1, "findings", 0, "check"), json::toString);
        String reason = (String) Json.at(ns1, "findings", 0, "reason");
        String fix = (String) Json.at(ns1, "findings", 0, "fix");
        assertTrue(reason.contains("EACCES") && reason.contains("uid 65534") && reason.contains("root-only"), reason);
        assertTrue(fix.contains("chmod 0660 /dev/ng0n1") && fix.contains("KERNEL==\"ng[0-9]*n[0-9]*\""), fix);
        assertTrue(fix.contains("From Linux 6.2"), fix);
        if (!Host.kernelAtLeast(6, 2)) {
            assertTrue(fix.contains("it lets only root (CAP_SYS_ADMIN) send passthrough commands"), fix);
        }
    }

    @Test
    void asNobodyOnANodeOpenToAllTheKernelsUnprivilegedRuleDecides() {
        GuestTools.run("chmod", "0666", GuestTools.NS1_CHAR.toString()).checkSuccess();
        Object json;
        try {
            json = asNobody();
        } finally {
            GuestTools.run("chmod", "0600", GuestTools.NS1_CHAR.toString()).checkSuccess();
        }
        Object ns1 = ns1(json);
        assertEquals(true, Json.at(ns1, "openRead", "ok"), json::toString);
        assertEquals(true, Json.at(ns1, "openReadWrite", "ok"), json::toString);
        if (Host.kernelAtLeast(6, 2)) {
            // 6.2+: reads and Identify are allowed to a user who may open the node
            assertEquals(true, Json.at(ns1, "readable"), json::toString);
            return;
        }
        // 6.1: every passthrough command needs CAP_SYS_ADMIN, whatever the node's mode
        assertEquals("EACCES", Json.at(ns1, "identify", "errno"), json::toString);
        assertEquals(false, Json.at(ns1, "readable"));
        assertEquals("Identify Namespace", Json.at(ns1, "findings", 0, "check"), json::toString);
        String reason = (String) Json.at(ns1, "findings", 0, "reason");
        assertTrue(reason.contains("before Linux 6.2") && reason.contains("only CAP_SYS_ADMIN"), reason);
        assertFalse(((String) Json.at(ns1, "findings", 0, "fix")).isEmpty());
    }

    private static Object ns1(Object json) {
        List<Object> namespaces = Json.array(Json.at(json, "namespaces"));
        for (Object ns : namespaces) {
            if ("/dev/ng0n1".equals(Json.at(ns, "charDevice"))) {
                return ns;
            }
        }
        throw new AssertionError("no /dev/ng0n1 in " + json);
    }
}
