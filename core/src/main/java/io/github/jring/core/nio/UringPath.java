package io.github.jring.core.nio;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.Objects;

/**
 * A path of a {@link UringFileSystem}: the platform's own path, wrapped so that its {@link #getFileSystem() file
 * system}, and so its provider, is jring's (which is what routes {@code AsynchronousFileChannel.open(path)} to
 * {@link UringFileSystemProvider}). Every operation is the platform path's, with the result wrapped again.
 */
final class UringPath implements Path {

    private final UringFileSystem fs;
    final Path delegate;

    UringPath(UringFileSystem fs, Path delegate) {
        this.fs = fs;
        this.delegate = Objects.requireNonNull(delegate);
    }

    /** The platform's path of a jring path; a platform path as it is; another provider's path is refused. */
    static Path unwrap(Path p) {
        Path d = p instanceof UringPath u ? u.delegate : Objects.requireNonNull(p);
        if (!d.getFileSystem().provider().getScheme().equals("file")) {
            throw new ProviderMismatchException("not a path of the default file system: " + p);
        }
        return d;
    }

    private Path wrap(Path p) {
        return p == null ? null : new UringPath(fs, p);
    }

    private Path other(Path p) {
        if (p instanceof UringPath u) {
            return u.delegate;
        }
        if (p == null) {
            throw new NullPointerException();
        }
        throw new ProviderMismatchException();
    }

    @Override
    public UringFileSystem getFileSystem() {
        return fs;
    }

    @Override
    public boolean isAbsolute() {
        return delegate.isAbsolute();
    }

    @Override
    public Path getRoot() {
        return wrap(delegate.getRoot());
    }

    @Override
    public Path getFileName() {
        return wrap(delegate.getFileName());
    }

    @Override
    public Path getParent() {
        return wrap(delegate.getParent());
    }

    @Override
    public int getNameCount() {
        return delegate.getNameCount();
    }

    @Override
    public Path getName(int index) {
        return wrap(delegate.getName(index));
    }

    @Override
    public Path subpath(int beginIndex, int endIndex) {
        return wrap(delegate.subpath(beginIndex, endIndex));
    }

    @Override
    public boolean startsWith(Path other) {
        return other instanceof UringPath u && delegate.startsWith(u.delegate);
    }

    @Override
    public boolean endsWith(Path other) {
        return other instanceof UringPath u && delegate.endsWith(u.delegate);
    }

    @Override
    public Path normalize() {
        return wrap(delegate.normalize());
    }

    @Override
    public Path resolve(Path other) {
        return wrap(delegate.resolve(other(other)));
    }

    @Override
    public Path relativize(Path other) {
        return wrap(delegate.relativize(other(other)));
    }

    @Override
    public URI toUri() {
        URI u = delegate.toUri();
        return fs.scheme().equals("file") ? u : URI.create(fs.scheme() + "://" + u.getRawPath());
    }

    @Override
    public Path toAbsolutePath() {
        return wrap(delegate.toAbsolutePath());
    }

    @Override
    public Path toRealPath(LinkOption... options) throws IOException {
        return wrap(delegate.toRealPath(options));
    }

    @Override
    public File toFile() {
        return delegate.toFile();
    }

    @Override
    public WatchKey register(WatchService watcher, WatchEvent.Kind<?>[] events, WatchEvent.Modifier... modifiers)
            throws IOException {
        return delegate.register(watcher, events, modifiers);
    }

    @Override
    public int compareTo(Path other) {
        return delegate.compareTo(other(other));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UringPath u && u.fs == fs && u.delegate.equals(delegate);
    }

    @Override
    public int hashCode() {
        return delegate.hashCode();
    }

    @Override
    public String toString() {
        return delegate.toString();
    }
}
