package io.github.jring.core.nio;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.spi.FileSystemProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link UringFileSystemProvider} as the JVM's default provider (child JVMs) and as the named provider "jring". */
@Timeout(120)
class DropInProviderTest {

    @TempDir
    Path dir;

    private static String runChild(String... jvmOptions) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.addAll(List.of(jvmOptions));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), DropInProgram.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child finished");
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    @Test
    void anUnchangedProgramRunsOnIoUringWithTheSystemProperty() throws Exception {
        String out = runChild("-Djava.nio.file.spi.DefaultFileSystemProvider="
                + UringFileSystemProvider.class.getName());
        assertTrue(out.contains("channel=" + UringFileChannel.class.getName()), out);
        assertTrue(out.contains("provider=" + UringFileSystemProvider.class.getName()), out);
        assertTrue(out.contains("handlerThread=jring-file-channels"), out);
        assertTrue(out.contains("same=true"), out);
        assertTrue(out.contains("filesApi=true"), out);
    }

    @Test
    void withoutThePropertyTheSameProgramGetsTheJdksChannel() throws Exception {
        String out = runChild();
        assertTrue(out.contains("channel=sun.nio.ch."), out);
        assertTrue(out.contains("same=true"), out);
    }

    @Test
    void theNamedProviderJringIsInstalledAndItsPathsOpenJringChannels() throws Exception {
        FileSystemProvider jring = FileSystemProvider.installedProviders().stream()
                .filter(p -> p.getScheme().equals("jring")).findFirst().orElseThrow();
        assertInstanceOf(UringFileSystemProvider.class, jring);
        Path file = dir.resolve("named.txt");
        Path p = Path.of(URI.create("jring://" + file.toAbsolutePath()));
        assertSame(jring, p.getFileSystem().provider());
        assertEquals(URI.create("jring://" + file.toAbsolutePath()), p.toUri());
        Files.writeString(p, "hello");
        assertEquals("hello", Files.readString(file));
        try (AsynchronousFileChannel ch = AsynchronousFileChannel.open(p, StandardOpenOption.READ)) {
            assertInstanceOf(UringFileChannel.class, ch);
            ByteBuffer buf = ByteBuffer.allocate(16);
            assertEquals(5, ch.read(buf, 0).get());
        }
        try (AsynchronousFileChannel ch = jring.newAsynchronousFileChannel(file,
                java.util.Set.of(StandardOpenOption.READ), null)) {
            assertInstanceOf(UringFileChannel.class, ch, "the platform's own paths are taken too");
        }
        Path parent = p.getParent();
        assertSame(jring, parent.getFileSystem().provider());
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(parent)) {
            for (Path e : ds) {
                assertSame(jring, e.getFileSystem().provider());
                assertEquals("named.txt", e.getFileName().toString());
            }
        }
        assertSame(p.getFileSystem(), FileSystems.getFileSystem(URI.create("jring:///")));
        assertEquals(new File(file.toString()), p.toFile());
        assertTrue(Files.isSameFile(p, p.resolve("../named.txt").normalize()));
    }
}
