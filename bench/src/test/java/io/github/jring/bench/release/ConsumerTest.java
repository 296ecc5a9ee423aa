package io.github.jring.bench.release;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * jring as an application gets it: the library's artifacts, which the build deployed to the file repository
 * {@code target/staging-repository} in the verify phase of each module, consumed by {@code docs/consumer} (a Maven
 * project with no tie to this build but the repository's URL) and run on the host, on the class path and on the module
 * path, with exactly the command lines docs/getting-started.md gives. Also what a public repository asks of the
 * artifacts: POM metadata, sources and javadoc jars, the licence in every jar, reproducible entries.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsumerTest {

    private static final Path ROOT = Path.of(System.getProperty("jring.root", "..")).toAbsolutePath().normalize();
    private static final Path STAGING = Path.of(System.getProperty("jring.staging.repository",
            ROOT.resolve("target/staging-repository").toString()));
    private static final Path JRING = STAGING.resolve("io/github/jring");
    private static final String VERSION = System.getProperty("jring.version", "0.1.0-SNAPSHOT");
    private static final List<String> LIBRARIES = List.of("jring-bindings", "jring-core", "jring-nvme");
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    /** The build's project.build.outputTimestamp. */
    private static final Instant OUTPUT_TIMESTAMP = Instant.parse("2026-12-03T00:00:00Z");

    @TempDir
    static Path tmp;
    private static Path project;
    private static Path file;
    private static Processes.Run build;

    @BeforeAll
    static void buildTheConsumerAgainstTheStagingRepository() throws Exception {
        assertTrue(Files.isDirectory(JRING), "no " + JRING + ": the library modules deploy there in their verify phase;"
                + " run the build from the root (./mvnw verify, or ./jring test)");
        project = tmp.resolve("consumer");
        copyTree(ROOT.resolve("docs/consumer"), project);
        file = project.resolve("hello.txt");
        Files.writeString(file, "jring, consumed from a repository\n".repeat(100));
        // A local repository of its own (nothing of jring in it), chained to the user's for Maven's plugins.
        String userRepo = System.getProperty("jring.local.repository",
                Path.of(System.getProperty("user.home"), ".m2", "repository").toString());
        build = Processes.run(project, 600, List.of(ROOT.resolve("mvnw").toString(), "-B", "-ntp", "package",
                "-Djring.repository=" + STAGING.toUri(),
                "-Dmaven.repo.local=" + tmp.resolve("m2"), "-Dmaven.repo.local.tail=" + userRepo));
        assertEquals(0, build.status(), build.toString());
    }

    @Test
    @Order(1)
    void theConsumerGotThisBuildsJarsFromTheStagingRepositoryCompiledForRelease22() throws IOException {
        for (String a : LIBRARIES) {
            Path consumed = project.resolve("target/lib/" + a + "-" + VERSION + ".jar");
            Path built = ROOT.resolve(a.substring("jring-".length()) + "/target/" + a + "-" + VERSION + ".jar");
            assertArrayEquals(Files.readAllBytes(built), Files.readAllBytes(consumed),
                    consumed + " is not this build's " + built + " (a stale staging repository or local repository?)");
            try (ZipFile zip = new ZipFile(consumed.toFile())) {
                String aClass = zip.stream().map(ZipEntry::getName)
                        .filter(n -> n.endsWith(".class") && !n.equals("module-info.class")).findFirst().orElseThrow();
                assertEquals(66, classMajor(zip.getInputStream(zip.getEntry(aClass))), a + " " + aClass);
            }
        }
        assertEquals(66, classMajor(Files.newInputStream(
                project.resolve("target/classes/io/github/jring/consumer/Consumer.class"))), "--release 22");
        // Maven notes where each artifact came from: the staging repository (id jring-staging), not a local install.
        Path origin = tmp.resolve("m2/io/github/jring/jring-core/" + VERSION + "/_remote.repositories");
        assertTrue(Files.readString(origin).contains(">jring-staging="), origin + ": " + Files.readString(origin));
    }

    @Test
    @Order(2)
    void onTheClassPath() throws Exception {
        // docs/getting-started.md, "Use it from your own build"
        Processes.Run r = Processes.run(project, 120, List.of(JAVA, "--enable-native-access=ALL-UNNAMED", "-cp",
                "target/jring-consumer.jar:target/lib/*", "io.github.jring.consumer.Consumer", "hello.txt"));
        assertRanClean(r, "consumer: running on the class path");
    }

    @Test
    @Order(3)
    void onTheModulePath() throws Exception {
        Processes.Run r = Processes.run(project, 120, List.of(JAVA,
                "--enable-native-access=io.github.jring.bindings,io.github.jring.core,io.github.jring.nvme",
                "-p", "target/jring-consumer.jar:target/lib",
                "-m", "io.github.jring.consumer/io.github.jring.consumer.Consumer", "hello.txt"));
        assertRanClean(r, "consumer: running on the module path as io.github.jring.consumer");
    }

    @Test
    @Order(4)
    void aJvmThatDeniesNativeAccessGetsOneSentenceThatSaysWhatToDo() throws Exception {
        Processes.Run cp = Processes.run(project, 120, List.of(JAVA, "--illegal-native-access=deny", "-cp",
                "target/jring-consumer.jar:target/lib/*", "io.github.jring.consumer.Consumer", "hello.txt"));
        assertNotEquals(0, cp.status(), cp.toString());
        String first = cp.stderr().lines().findFirst().orElse("");
        assertTrue(first.startsWith("Exception in thread \"main\" io.github.jring.core.NativeAccessError: jring needs"
                + " native access") && first.contains("run java with --enable-native-access=ALL-UNNAMED"), cp.toString());
        assertFalse(cp.stderr().contains("ExceptionInInitializerError"), cp.toString());

        // module path, with only core granted: the others are named, and the flag lists all three
        Processes.Run mp = Processes.run(project, 120, List.of(JAVA, "--illegal-native-access=deny",
                "--enable-native-access=io.github.jring.core", "-p", "target/jring-consumer.jar:target/lib",
                "-m", "io.github.jring.consumer/io.github.jring.consumer.Consumer", "hello.txt"));
        assertNotEquals(0, mp.status(), mp.toString());
        assertTrue(mp.stderr().contains("which this JVM denies to io.github.jring.bindings, io.github.jring.nvme: run"
                + " java with --enable-native-access=io.github.jring.bindings,io.github.jring.core,io.github.jring.nvme"),
                mp.toString());
        assertFalse(mp.stderr().contains("ExceptionInInitializerError"), mp.toString());
    }

    @Test
    @Order(5)
    void everyPomHasWhatAPublicRepositoryRequires() throws IOException {
        String parent = Files.readString(onlyFile(JRING.resolve("jring-parent/" + VERSION), ".pom"));
        for (String element : List.of("<name>", "<description>", "<url>https://github.com/jring/jring</url>",
                "<licenses>", "<name>Apache-2.0</name>", "<scm>", "<connection>", "<developers>", "<developer>")) {
            assertTrue(parent.contains(element), "parent POM lacks " + element);
        }
        for (String a : LIBRARIES) {
            String pom = Files.readString(onlyFile(JRING.resolve(a + "/" + VERSION), ".pom"));
            assertTrue(pom.contains("<name>") && pom.contains("<description>") && pom.contains("<artifactId>jring-parent"),
                    a + " POM: name, description, and the parent that carries url, licences, scm and developers");
        }
    }

    @Test
    @Order(6)
    void sourcesAndJavadocAreAttachedAndEveryJarCarriesTheLicenceWithReproducibleTimes() throws IOException {
        String licence = Files.readString(ROOT.resolve("LICENSE"));
        assertTrue(licence.contains("Apache License") && licence.contains("Version 2.0, January 2004"));
        for (String a : LIBRARIES) {
            for (String kind : List.of(".jar", "-sources.jar", "-javadoc.jar")) {
                Path jar = onlyFile(JRING.resolve(a + "/" + VERSION), kind);
                try (ZipFile zip = new ZipFile(jar.toFile())) {
                    ZipEntry e = zip.getEntry("META-INF/LICENSE");
                    assertTrue(e != null, jar + " has no META-INF/LICENSE");
                    assertEquals(licence, new String(zip.getInputStream(e).readAllBytes()), jar.toString());
                    Enumeration<? extends ZipEntry> entries = zip.entries();
                    while (entries.hasMoreElements()) {
                        ZipEntry entry = entries.nextElement();
                        // zip times are local, 2-second granularity: within a day of the outputTimestamp
                        long off = Math.abs(entry.getLastModifiedTime().toInstant().getEpochSecond()
                                - OUTPUT_TIMESTAMP.getEpochSecond());
                        assertTrue(off <= 86_400, jar + "!" + entry.getName() + " has time " + entry.getLastModifiedTime());
                    }
                }
            }
        }
    }

    private static void assertRanClean(Processes.Run r, String where) {
        assertEquals(0, r.status(), r.toString());
        assertTrue(r.stdout().contains(where + "\n"), r.toString());
        for (String check : List.of("NOP completes with user_data 7 and res 0", "IoUring read 3400 bytes, the file's",
                "AsyncRing read 3400 bytes, the file's", "AsyncRing NOP completes with 0", "consumer: ok")) {
            assertTrue(r.stdout().contains(check), check + "\n" + r);
        }
        assertEquals("", r.stderr(), "no warning, native access or other: " + r);
    }

    /** The newest deployed file of this kind (snapshots are timestamped: -20261203.101010-N). */
    private static Path onlyFile(Path dir, String suffix) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(suffix)
                            && (suffix.equals(".jar") ? !p.getFileName().toString().matches(".*-(sources|javadoc|tests)\\.jar")
                            : true))
                    .max((x, y) -> x.getFileName().toString().compareTo(y.getFileName().toString()))
                    .orElseThrow(() -> new AssertionError("no *" + suffix + " in " + dir));
        }
    }

    private static int classMajor(InputStream in) throws IOException {
        try (in) {
            byte[] head = in.readNBytes(8);
            return ((head[6] & 0xff) << 8) | (head[7] & 0xff);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        List<Path> all = new ArrayList<>();
        try (Stream<Path> s = Files.walk(from)) {
            s.filter(p -> !from.relativize(p).startsWith("target")).forEach(all::add);
        }
        for (Path p : all) {
            Path t = to.resolve(from.relativize(p).toString());
            try {
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
