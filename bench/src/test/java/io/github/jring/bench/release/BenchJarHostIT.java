package io.github.jring.bench.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The finished {@code jring-bench.jar} as a user runs it, on the host (failsafe's "host" execution, after package):
 * {@code java -jar} needs no flag and prints no native-access warning, and a JDK older than 22 gets one sentence that
 * names what to do instead of an {@code UnsupportedClassVersionError}.
 */
class BenchJarHostIT {

    private static final Path JAR = Path.of(System.getProperty("jring.bench.jar", "target/jring-bench.jar"));
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    @Test
    void theManifestStartsTheJava8LauncherWithNativeAccessAndTheJarCarriesTheLicence() throws IOException {
        try (JarFile jar = new JarFile(JAR.toFile())) {
            Attributes main = jar.getManifest().getMainAttributes();
            assertEquals("io.github.jring.bench.Launcher", main.getValue("Main-Class"));
            assertEquals("ALL-UNNAMED", main.getValue("Enable-Native-Access"));
            assertNotNull(jar.getEntry("META-INF/LICENSE"), "META-INF/LICENSE");
            byte[] head = jar.getInputStream(jar.getEntry("io/github/jring/bench/Launcher.class")).readNBytes(8);
            assertEquals(52, ((head[6] & 0xff) << 8) | (head[7] & 0xff), "Launcher is compiled for Java 8");
        }
    }

    @Test
    void javaDashJarRunsABenchmarkWithNoFlagAndNoWarning(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("data");
        Files.write(file, new byte[1 << 20]);
        Processes.Run r = Processes.run(tmp, 120, List.of(JAVA, "-jar", JAR.toString(), "--filename=" + file,
                "--engine=uring-block", "--rw=randread", "--bs=4k", "--iodepth=4", "--number_ios=2000"));
        assertEquals(0, r.status(), r.toString());
        assertTrue(r.stdout().contains("uring-block"), r.toString());
        assertFalse(r.stderr().contains("WARNING"), "no JVM warning: " + r);
        assertFalse(r.stderr().contains("restricted method"), r.toString());
    }

    @Test
    void aJdkOlderThan22GetsOneSentenceNamingWhatToDo(@TempDir Path tmp) throws Exception {
        Optional<Path> old = oldJdk();
        Assumptions.assumeTrue(old.isPresent(), () -> {
            System.err.println("[WARNING] BenchJarHostIT: no JDK older than 22 under /usr/lib/jvm: not tested here");
            return "no JDK older than 22 under /usr/lib/jvm";
        });
        Processes.Run r = Processes.run(tmp, 60, List.of(old.get().resolve("bin/java").toString(), "-jar",
                JAR.toString(), "--help"));
        assertEquals(2, r.status(), r.toString());
        assertEquals("", r.stdout(), r.toString());
        List<String> lines = r.stderr().lines().toList();
        assertEquals(1, lines.size(), "one sentence, no stack trace: " + r);
        Matcher m = Pattern.compile("jring needs JDK 22 or newer; this is (\\d+) \\(.*\\)\\. Run the jar with a JDK 22\\+"
                + " .*, or use \\./jring bench, which finds one\\.").matcher(lines.get(0));
        assertTrue(m.matches(), lines.get(0));
        assertTrue(Integer.parseInt(m.group(1)) < 22, lines.get(0));
        assertFalse(r.stderr().contains("UnsupportedClassVersionError"), r.toString());
    }

    /** A JDK of feature release below 22, from its {@code release} file. */
    private static Optional<Path> oldJdk() throws IOException {
        Path jvm = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvm)) {
            return Optional.empty();
        }
        try (Stream<Path> s = Files.list(jvm)) {
            return s.filter(d -> Files.isExecutable(d.resolve("bin/java")) && feature(d) > 0 && feature(d) < 22)
                    .findFirst();
        }
    }

    private static int feature(Path jdk) {
        try {
            Matcher m = Pattern.compile("JAVA_VERSION=\"(?:1\\.)?(\\d+)").matcher(Files.readString(jdk.resolve("release")));
            return m.find() ? Integer.parseInt(m.group(1)) : 0;
        } catch (IOException e) {
            return 0;
        }
    }
}
