package io.github.jring.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Host-side tests of the VM harness itself (run by Surefire on the host, each booting the VM once, one twice): the
 * guest command's status is the harness's status, a hung guest is killed at the time limit with its console saved, a
 * boot that fails before the command starts is retried (and one after it is not), and a test that fails inside the
 * guest fails a Maven build through the same failsafe wiring the *IT classes use.
 *
 * <p>Where the VM cannot run ({@code jring-vm check} says why), every test here is skipped with that reason and a
 * WARNING banner on stderr.
 */
class JringVmHarnessTest {

    private static final Path HARNESS = Path.of(System.getProperty("jring.vm.harness", "jring-vm"))
            .toAbsolutePath();
    private static final Path ROOT = HARNESS.getParent().getParent().getParent(); // <root>/nvme/vm/jring-vm

    /** Why the VM cannot run here, or null when it can. */
    private static String unavailable;

    @BeforeAll
    static void vmAvailable() throws Exception {
        Run check = harness(Duration.ofMinutes(1), "check");
        if (check.status != 0) {
            unavailable = check.stdout.strip();
            System.err.println("[WARNING] ***************************************************************");
            System.err.println("[WARNING] jring-vm harness tests NOT RUN: " + unavailable);
            System.err.println("[WARNING] ***************************************************************");
            return;
        }
        // Install and build the guest now, so the tests below time only what they test.
        Run setup = harness(Duration.ofMinutes(10), "setup");
        assertEquals(0, setup.status, "jring-vm setup: " + setup);
    }

    @BeforeEach
    void skipWhereTheVmCannotRun() {
        // Per test, not in @BeforeAll: each test then shows up as skipped, with the reason, in the counts.
        Assumptions.assumeTrue(unavailable == null, () -> "NVMe VM " + unavailable);
    }

    @Test
    void theGuestCommandsStatusAndOutputAreTheHarnesss() throws Exception {
        // tcg on purpose: the ITs use kvm where it works, so this keeps the fallback tested on every host.
        Run r = harness(Duration.ofMinutes(5), "run", "--accel", "tcg", "--", "sh", "-c",
                "echo out; echo err >&2; test -c /dev/ng0n2 && pwd; exit 7");

        assertEquals(7, r.status, r.toString());
        assertEquals("out\n" + Path.of("").toAbsolutePath() + "\n", r.stdout, "stdout is the command's only");
        assertTrue(r.stderr.contains("err\n"), r.toString());
        assertTrue(r.stderr.contains("accel tcg"), "says which accelerator: " + r);
        assertTrue(r.stderr.contains("guest console saved to "), "a failed run keeps its console: " + r);
    }

    @Test
    void theSixTwelveFlavourHasItsControllersUnderStableNames() throws Exception {
        Run bogus = harness(Duration.ofMinutes(1), "--flavour", "6.0", "check");
        assertEquals(2, bogus.status, bogus.toString());
        assertTrue(bogus.stderr.contains("unknown flavour '6.0'"), bogus.toString());

        Run setup = harness(Duration.ofMinutes(10), "setup", "--flavour", "6.12");
        assertEquals(0, setup.status, "jring-vm setup --flavour 6.12: " + setup);
        // Names follow (controller, namespace id) although 6.12 scans namespaces concurrently: see README "Flavours".
        Run r = harness(Duration.ofMinutes(5), "run", "--flavour", "6.12", "--", "sh", "-c",
                "echo $JRING_VM_FLAVOUR; uname -r; for c in 0 1 2; do cat /sys/class/nvme/nvme$c/serial; done;"
                        + " for d in nvme0n1 nvme0n2 nvme1n2 nvme2n1 nvme2n5; do cat /sys/block/$d/nsid; done;"
                        + " cat /sys/block/nvme0n2/queue/zoned");
        assertEquals(0, r.status, r.toString());
        List<String> lines = r.stdout.lines().map(String::strip).toList();
        assertEquals("6.12", lines.get(0), r.toString());
        assertTrue(lines.get(1).startsWith("6.12."), "the 6.12 kernel: " + r);
        assertEquals(List.of("jring0001", "jring-fdp", "jring-pi", "1", "2", "2", "1", "5", "host-managed"),
                lines.subList(2, lines.size()), r.toString());
        assertTrue(r.stderr.contains("linux-image-6.12."), "says which kernel: " + r);
    }

    @Test
    void aHungGuestIsKilledAtTheTimeLimitAndItsConsoleSaved(@TempDir Path tmp) throws Exception {
        Path console = tmp.resolve("console.log");
        // 60 s, not less: the limit counts from qemu's start, and a loaded host's tcg boot once took over 30 s, so the
        // command never started before the kill.
        Run r = harness(Duration.ofMinutes(5), "run", "--timeout", "60", "--console", console.toString(), "--",
                "sh", "-c", "echo started; sleep 1000");

        assertEquals(124, r.status, r.toString());
        assertEquals("started\n", r.stdout, "the command ran before it was killed: " + r);
        assertTrue(r.stderr.contains("TIME LIMIT"), r.toString());
        assertTrue(r.stderr.contains("guest console: " + console), r.toString());
        String log = Files.readString(console);
        assertTrue(log.contains("Linux version"), "console has the kernel log");
        assertTrue(log.contains("jring-init: running the command"), "console has the init's log");
    }

    @Test
    void aBootThatFailsBeforeTheCommandIsRetriedButNeverOnceTheCommandHasStarted(@TempDir Path tmp) throws Exception {
        Path console = tmp.resolve("console.log");
        // The test hook makes the first boot's kernel panic before init (no such init); the second boot runs the
        // command, which crashes the guest kernel itself (sysrq "c") after printing a line. The first failure must
        // be retried, the second must not: the command had started.
        Run r = harness(Duration.ofMinutes(5), Map.of("JRING_VM_TEST_PANIC_BOOTS", "1"), "run", "--console",
                console.toString(), "--", "sh", "-c", "echo started; echo c > /proc/sysrq-trigger; sleep 60; echo no");

        assertEquals(125, r.status, r.toString());
        assertEquals("started\n", r.stdout, "the command ran exactly once: " + r);
        assertEquals(1, Pattern.compile("BOOT FAILED").matcher(r.stderr).results().count(), r.toString());
        assertTrue(r.stderr.contains("BOOT FAILED before the command started (attempt 1 of 3): Kernel panic"),
                r.toString());
        assertTrue(r.stderr.contains("attempt 2 of 3"), r.toString());
        assertTrue(r.stderr.contains("after the command started: not booted again"), r.toString());
        Matcher m = Pattern.compile("guest console of the failed boot saved to (\\S+)").matcher(r.stderr);
        assertTrue(m.find(), r.toString());
        Path failedBoot = Path.of(m.group(1));
        assertEquals(tmp.resolve("console-boot1.log"), failedBoot, "saved beside --console");
        String first = Files.readString(failedBoot);
        assertTrue(first.contains("Kernel panic - not syncing: VFS: Unable to mount root fs"), first);
        assertTrue(!first.contains("jring-init:"), "the failed boot never reached init");
        String last = Files.readString(console);
        assertTrue(last.contains("jring-init: running the command"), last);
        assertTrue(last.contains("Kernel panic - not syncing: sysrq triggered crash"), last);
    }

    @Test
    void aTestThatFailsInTheGuestFailsTheMavenBuild(@TempDir Path tmp) throws Exception {
        Path reports = tmp.resolve("reports");
        String fixture = DeliberatelyFailingFixture.class.getName();
        // The real failsafe wiring of every VM module (the parent POM's "vm" execution, bin/java), on the fixture
        // class only, in this module. The reactor includes bindings and core, and runs the test-compile phase, so that
        // they resolve to this build's target/classes: with goals alone and no phase, Maven resolves them from the
        // local repository, where a fresh machine has none. Not package: the outer build's forked JVMs have those
        // modules' jars open.
        List<String> cmd = List.of(ROOT.resolve("mvnw").toString(), "-B", "-ntp", "-f", ROOT.resolve("pom.xml").toString(),
                "-pl", "bindings,core,nvme/vm", "test-compile", "failsafe:integration-test@vm", "failsafe:verify@vm",
                "-Dit.test=" + DeliberatelyFailingFixture.class.getSimpleName(),
                "-Dfailsafe.failIfNoSpecifiedTests=false", "-Djring.it.excludedGroups=none",
                "-Djring.it.reportsDirectory=" + reports,
                "-Djring.vm.timeout=300");

        Run r = exec(Duration.ofMinutes(8), cmd, Map.of("JAVA_HOME", System.getProperty("java.home")));

        assertNotEquals(0, r.status, "the build must fail: " + r);
        assertTrue(r.stdout.contains("BUILD FAILURE"), r.toString());
        assertTrue(r.stdout.contains("Tests run: 2, Failures: 1, Errors: 0, Skipped: 0"), r.toString());
        assertTrue(r.stdout.contains("There are test failures"), "failsafe:verify failed it: " + r);
        String xml = Files.readString(reports.resolve("TEST-" + fixture + ".xml"));
        assertTrue(xml.contains("tests=\"2\"") && xml.contains("failures=\"1\""), xml);
        // The failure carries the value the guest's sysfs gave (namespace 1), so the test really ran in the guest.
        Matcher m = Pattern.compile("<failure message=\"([^\"]*)\"").matcher(xml);
        assertTrue(m.find(), xml);
        assertTrue(m.group(1).contains("deliberate failure: namespace 1 is not 3")
                && m.group(1).contains("but was: &lt;1&gt;"), m.group(1));
    }

    /** A finished process: status and whole output. */
    private record Run(int status, String stdout, String stderr) {
        @Override
        public String toString() {
            return "status " + status + "\n--- stdout:\n" + stdout + "\n--- stderr:\n" + stderr;
        }
    }

    private static Run harness(Duration limit, String... args) throws IOException, InterruptedException {
        return harness(limit, Map.of(), args);
    }

    private static Run harness(Duration limit, Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(HARNESS.toString());
        cmd.addAll(List.of(args));
        Map<String, String> all = new HashMap<>(env);
        all.put("JRING_VM_SKIP", System.getProperty("jring.vm.skip", "false"));
        return exec(limit, cmd, all);
    }

    private static Run exec(Duration limit, List<String> cmd, Map<String, String> env)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile("jring-vm-test", ".out");
        Path err = Files.createTempFile("jring-vm-test", ".err");
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd)
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroy();
                if (!p.waitFor(20, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor();
                }
                throw new AssertionError(cmd + " outlived " + limit + "\n" + Files.readString(out) + "\n"
                        + Files.readString(err));
            }
            return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
