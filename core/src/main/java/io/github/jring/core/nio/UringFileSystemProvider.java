package io.github.jring.core.nio;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessMode;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.spi.FileSystemProvider;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;

/**
 * The platform's file system with one change: {@link #newAsynchronousFileChannel} opens an {@link UringFileChannel},
 * so that a program that only calls the JDK's {@link AsynchronousFileChannel#open} does its file I/O through io_uring.
 * Everything else is delegated to the platform's default provider.
 *
 * <p><b>As the default provider</b>, for a program that cannot change (jring-core on its class path):
 * <pre>{@code
 * java -Djava.nio.file.spi.DefaultFileSystemProvider=io.github.jring.core.nio.UringFileSystemProvider \
 *      --enable-native-access=ALL-UNNAMED -cp app.jar:jring-core.jar:jring-bindings.jar app.Main
 * }</pre>
 * The JDK then constructs it with {@link #UringFileSystemProvider(FileSystemProvider)}, and every path of
 * {@link FileSystems#getDefault()} ({@code Path.of}, {@code File.toPath} ...) is one of its paths (scheme
 * {@code file}).
 *
 * <p><b>As a named provider</b> (scheme {@code jring}, installed through {@code META-INF/services} and
 * {@code module-info}'s {@code provides}): {@code Path.of(URI.create("jring:///var/data/f"))}, or
 * {@code FileSystems.getFileSystem(URI.create("jring:///")).getPath("/var/data/f")}, is a path whose
 * {@code AsynchronousFileChannel}s are jring's; {@link #newAsynchronousFileChannel} also takes the platform's own
 * paths.
 *
 * <p>Where io_uring cannot be used (an old kernel, a seccomp filter, {@code kernel.io_uring_disabled}), the provider
 * says so once on standard error and hands out the JDK's own channels, so that a drop-in never breaks a program that
 * worked without it.
 */
public final class UringFileSystemProvider extends FileSystemProvider {

    /** Whether jring's channels work here: decided on the first asynchronous channel, {@code null} until then. */
    private static volatile Boolean usable;

    private final FileSystemProvider delegate;
    private final String scheme;
    private final UringFileSystem fileSystem;

    /**
     * The provider as the JVM's default ({@code -Djava.nio.file.spi.DefaultFileSystemProvider}): the JDK passes its
     * own default provider.
     *
     * @param platformDefault the platform's default provider, to which everything but asynchronous channels goes
     */
    public UringFileSystemProvider(FileSystemProvider platformDefault) {
        this(platformDefault, "file");
    }

    /**
     * The provider as an installed provider of scheme {@code jring} (the {@link java.util.ServiceLoader} calls this).
     */
    public UringFileSystemProvider() {
        this(platformProvider(), "jring");
    }

    private UringFileSystemProvider(FileSystemProvider delegate, String scheme) {
        this.delegate = delegate;
        this.scheme = scheme;
        this.fileSystem = new UringFileSystem(this, delegate.getFileSystem(URI.create("file:///")));
    }

    private static FileSystemProvider platformProvider() {
        FileSystemProvider p = FileSystems.getDefault().provider();
        return p instanceof UringFileSystemProvider u ? u.delegate : p;
    }

    private static Path u(Path p) {
        return UringPath.unwrap(p);
    }

    @Override
    public String getScheme() {
        return scheme;
    }

    @Override
    public AsynchronousFileChannel newAsynchronousFileChannel(Path path, Set<? extends OpenOption> options,
                                                              ExecutorService executor, FileAttribute<?>... attrs)
            throws IOException {
        if (!ioUringUsable()) {
            return delegate.newAsynchronousFileChannel(u(path), options, executor, attrs);
        }
        return UringFileChannel.open(path, options, executor, attrs);
    }

    /** Whether the channels' ring comes up; if not, once, says why on standard error (the JDK's channels are used). */
    private static boolean ioUringUsable() {
        if (usable == null) {
            synchronized (UringFileSystemProvider.class) {
                if (usable == null) {
                    try {
                        ChannelRing.shared();
                        usable = true;
                    } catch (IOException | RuntimeException | Error e) {
                        System.err.println("jring: io_uring cannot be used here (" + e
                                + "); AsynchronousFileChannel.open falls back to the JDK's channel");
                        usable = false;
                    }
                }
            }
        }
        return usable;
    }

    // ---- the file system and its paths ---------------------------------------------------------------------------

    @Override
    public FileSystem newFileSystem(URI uri, Map<String, ?> env) {
        checkUri(uri);
        throw new FileSystemAlreadyExistsException();
    }

    @Override
    public FileSystem getFileSystem(URI uri) {
        checkUri(uri);
        return fileSystem;
    }

    @Override
    public Path getPath(URI uri) {
        checkUri(uri);
        URI file = scheme.equals("file") ? uri : URI.create("file://" + uri.getRawPath());
        return fileSystem.wrap(delegate.getPath(file));
    }

    private void checkUri(URI uri) {
        if (!scheme.equalsIgnoreCase(uri.getScheme())) {
            throw new IllegalArgumentException("URI scheme is not '" + scheme + "': " + uri);
        }
    }

    // ---- everything else: the platform's ---------------------------------------------------------------------------

    @Override
    public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options,
                                              FileAttribute<?>... attrs) throws IOException {
        return delegate.newByteChannel(u(path), options, attrs);
    }

    @Override
    public FileChannel newFileChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs)
            throws IOException {
        return delegate.newFileChannel(u(path), options, attrs);
    }

    @Override
    public InputStream newInputStream(Path path, OpenOption... options) throws IOException {
        return delegate.newInputStream(u(path), options);
    }

    @Override
    public OutputStream newOutputStream(Path path, OpenOption... options) throws IOException {
        return delegate.newOutputStream(u(path), options);
    }

    @Override
    public DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> filter)
            throws IOException {
        DirectoryStream<Path> ds = delegate.newDirectoryStream(u(dir), p -> filter.accept(fileSystem.wrap(p)));
        return new DirectoryStream<>() {
            @Override
            public Iterator<Path> iterator() {
                Iterator<Path> it = ds.iterator();
                return new Iterator<>() {
                    @Override
                    public boolean hasNext() {
                        return it.hasNext();
                    }

                    @Override
                    public Path next() {
                        return fileSystem.wrap(it.next());
                    }
                };
            }

            @Override
            public void close() throws IOException {
                ds.close();
            }
        };
    }

    @Override
    public void createDirectory(Path dir, FileAttribute<?>... attrs) throws IOException {
        delegate.createDirectory(u(dir), attrs);
    }

    @Override
    public void createSymbolicLink(Path link, Path target, FileAttribute<?>... attrs) throws IOException {
        delegate.createSymbolicLink(u(link), target instanceof UringPath t ? t.delegate : target, attrs);
    }

    @Override
    public void createLink(Path link, Path existing) throws IOException {
        delegate.createLink(u(link), u(existing));
    }

    @Override
    public void delete(Path path) throws IOException {
        delegate.delete(u(path));
    }

    @Override
    public boolean deleteIfExists(Path path) throws IOException {
        return delegate.deleteIfExists(u(path));
    }

    @Override
    public Path readSymbolicLink(Path link) throws IOException {
        return fileSystem.wrap(delegate.readSymbolicLink(u(link)));
    }

    @Override
    public void copy(Path source, Path target, CopyOption... options) throws IOException {
        delegate.copy(u(source), u(target), options);
    }

    @Override
    public void move(Path source, Path target, CopyOption... options) throws IOException {
        delegate.move(u(source), u(target), options);
    }

    @Override
    public boolean isSameFile(Path path, Path path2) throws IOException {
        return delegate.isSameFile(u(path), u(path2));
    }

    @Override
    public boolean isHidden(Path path) throws IOException {
        return delegate.isHidden(u(path));
    }

    @Override
    public FileStore getFileStore(Path path) throws IOException {
        return delegate.getFileStore(u(path));
    }

    @Override
    public void checkAccess(Path path, AccessMode... modes) throws IOException {
        delegate.checkAccess(u(path), modes);
    }

    @Override
    public boolean exists(Path path, LinkOption... options) {
        return delegate.exists(u(path), options);
    }

    @Override
    public <V extends FileAttributeView> V getFileAttributeView(Path path, Class<V> type, LinkOption... options) {
        return delegate.getFileAttributeView(u(path), type, options);
    }

    @Override
    public <A extends BasicFileAttributes> A readAttributes(Path path, Class<A> type, LinkOption... options)
            throws IOException {
        return delegate.readAttributes(u(path), type, options);
    }

    @Override
    public <A extends BasicFileAttributes> A readAttributesIfExists(Path path, Class<A> type,
                                                                    LinkOption... options) throws IOException {
        return delegate.readAttributesIfExists(u(path), type, options);
    }

    @Override
    public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options)
            throws IOException {
        return delegate.readAttributes(u(path), attributes, options);
    }

    @Override
    public void setAttribute(Path path, String attribute, Object value, LinkOption... options) throws IOException {
        delegate.setAttribute(u(path), attribute, value, options);
    }

    @Override
    public String toString() {
        return "UringFileSystemProvider[" + scheme + " over " + delegate + "]";
    }
}
