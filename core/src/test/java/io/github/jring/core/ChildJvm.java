package io.github.jring.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs a main class of the test class path in a new JVM (this JVM's {@code java.home}), optionally behind a command
 * prefix such as {@code setpriv --reuid=65534 ...}, and collects what it printed.
 */
final class ChildJvm {

    /** What the child printed and returned. */
    record Result(int rc, String out, String err) {
        @Override
        public String toString() {
            return "rc=" + rc + "\n--- stdout ---\n" + out + "\n--- stderr ---\n" + err;
        }
    }

    private ChildJvm() {
    }

    static Path java() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    /** Runs {@code prefix... java -cp classPath mainClass args...}, for at most a minute. */
    static Result run(List<String> prefix, String classPath, Path workDir, Class<?> mainClass, String... args) {
        return run(prefix, "--enable-native-access=ALL-UNNAMED", classPath, workDir, mainClass, args);
    }

    /** As above, with {@code nativeAccess} (a JVM option) in place of {@code --enable-native-access=ALL-UNNAMED}. */
    static Result run(List<String> prefix, String nativeAccess, String classPath, Path workDir, Class<?> mainClass,
            String... args) {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of(java().toString(), "-XX:-UsePerfData", "-Xshare:auto", nativeAccess,
                "-cp", classPath, mainClass.getName()));
        cmd.addAll(List.of(args));
        try {
            Path out = Files.createTempFile("jring-child", ".out");
            Path err = Files.createTempFile("jring-child", ".err");
            try {
                Process p = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectOutput(out.toFile())
                        .redirectError(err.toFile()).start();
                if (!p.waitFor(60, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor();
                    throw new AssertionError("child JVM did not finish in 60 s: " + cmd + "\n" + Files.readString(err));
                }
                return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Runs with this JVM's class path and working directory, as this user. */
    static Result run(Class<?> mainClass, String... args) {
        return run(List.of(), System.getProperty("java.class.path"), Path.of(".").toAbsolutePath(), mainClass, args);
    }

    /**
     * Copies every entry of this JVM's class path into {@code dir} (jars as files, directories as trees), readable by
     * everyone: the class path of a child that runs as another user, who may not be able to read the originals (the
     * Maven repository under a mode-700 {@code /root}).
     *
     * @return the class path of the copies
     */
    static String readableCopyOfClassPath(Path dir) throws IOException {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> entries = new ArrayList<>();
        int n = 0;
        for (String e : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path src = Path.of(e);
            if (!Files.exists(src)) {
                continue;
            }
            Path dst = dir.resolve("cp" + n++ + (Files.isDirectory(src) ? "" : ".jar"));
            if (Files.isDirectory(src)) {
                try (Stream<Path> walk = Files.walk(src)) {
                    for (Path p : (Iterable<Path>) walk::iterator) {
                        Path to = dst.resolve(src.relativize(p).toString());
                        if (Files.isDirectory(p)) {
                            Files.createDirectories(to);
                            Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rwxr-xr-x"));
                        } else {
                            Files.copy(p, to);
                            Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rw-r--r--"));
                        }
                    }
                }
            } else {
                Files.copy(src, dst);
                Files.setPosixFilePermissions(dst, PosixFilePermissions.fromString("rw-r--r--"));
            }
            entries.add(dst.toString());
        }
        return String.join(java.io.File.pathSeparator, entries);
    }

    /** Deletes a tree made by {@link #readableCopyOfClassPath}. */
    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** Whether this JVM runs as root (uid 0, from /proc/self/status). */
    static boolean isRoot() {
        String uid = io.github.jring.core.internal.Host.procStatus().getOrDefault("Uid", "");
        return uid.split("\\s+")[0].equals("0");
    }
}
