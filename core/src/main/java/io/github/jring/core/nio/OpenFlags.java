package io.github.jring.core.nio;

import io.github.jring.core.Posix;

import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * The open options of an {@link UringFileChannel}, checked and turned into {@code open(2)} flags exactly as the JDK's
 * Linux {@code AsynchronousFileChannel} does (its {@code UnixChannelFactory}): READ by default, APPEND refused,
 * CREATE/CREATE_NEW/TRUNCATE_EXISTING only with WRITE, DSYNC and SYNC as {@code O_DSYNC}/{@code O_SYNC}, SPARSE
 * ignored, DELETE_ON_CLOSE as an unlink right after the open; plus {@link JringOpenOption#DIRECT}.
 */
record OpenFlags(boolean read, boolean write, boolean direct, boolean deleteOnClose, int flags, int mode) {

    private static final int O_DSYNC = io.github.jring.bindings.Uapi.O_DSYNC();
    private static final int O_SYNC = io.github.jring.bindings.Uapi.O_SYNC();
    private static final int O_NOFOLLOW = io.github.jring.bindings.Uapi.O_NOFOLLOW();

    static OpenFlags of(Set<? extends OpenOption> options, FileAttribute<?>... attrs) {
        boolean read = false;
        boolean write = false;
        boolean append = false;
        boolean truncate = false;
        boolean create = false;
        boolean createNew = false;
        boolean deleteOnClose = false;
        boolean sync = false;
        boolean dsync = false;
        boolean noFollow = false;
        boolean direct = false;
        for (OpenOption o : options) {
            if (o instanceof StandardOpenOption s) {
                switch (s) {
                    case READ -> read = true;
                    case WRITE -> write = true;
                    case APPEND -> append = true;
                    case TRUNCATE_EXISTING -> truncate = true;
                    case CREATE -> create = true;
                    case CREATE_NEW -> createNew = true;
                    case DELETE_ON_CLOSE -> deleteOnClose = true;
                    case SPARSE -> { } // a hint the JDK ignores on Linux too
                    case SYNC -> sync = true;
                    case DSYNC -> dsync = true;
                    default -> throw new UnsupportedOperationException(o + " not supported");
                }
            } else if (o == LinkOption.NOFOLLOW_LINKS) {
                noFollow = true;
            } else if (o == JringOpenOption.DIRECT || isJdkDirect(o)) {
                direct = true;
            } else if (o == null) {
                throw new NullPointerException();
            } else {
                throw new UnsupportedOperationException(o + " not supported");
            }
        }
        if (append) {
            throw new UnsupportedOperationException("APPEND not allowed");
        }
        if (!read && !write) {
            read = true;
        }
        int flags = read && write ? Posix.O_RDWR : write ? Posix.O_WRONLY : Posix.O_RDONLY;
        if (write) {
            if (truncate) {
                flags |= Posix.O_TRUNC;
            }
            if (createNew) {
                flags |= Posix.O_CREAT | Posix.O_EXCL | O_NOFOLLOW;
            } else if (create) {
                flags |= Posix.O_CREAT;
            }
        }
        if (!createNew && (noFollow || deleteOnClose)) {
            flags |= O_NOFOLLOW;
        }
        if (dsync) {
            flags |= O_DSYNC;
        }
        if (sync) {
            flags |= O_SYNC;
        }
        if (direct) {
            flags |= Posix.O_DIRECT;
        }
        return new OpenFlags(read, write, direct, deleteOnClose, flags | Posix.O_CLOEXEC, mode(attrs));
    }

    /** {@code com.sun.nio.file.ExtendedOpenOption.DIRECT}, recognised without a dependency on jdk.unsupported. */
    private static boolean isJdkDirect(OpenOption o) {
        return o instanceof Enum<?> e && e.name().equals("DIRECT")
                && e.getDeclaringClass().getName().equals("com.sun.nio.file.ExtendedOpenOption");
    }

    /** The mode of a created file: 0666 (less the umask, which the kernel applies), or the permissions given. */
    private static int mode(FileAttribute<?>... attrs) {
        int mode = 0666;
        for (FileAttribute<?> a : attrs) {
            String name = a.name();
            if (!name.equals("posix:permissions") && !name.equals("unix:permissions")) {
                throw new UnsupportedOperationException("'" + name + "' not supported as initial attribute");
            }
            mode = 0;
            for (Object p : (Set<?>) a.value()) {
                mode |= switch ((PosixFilePermission) p) {
                    case OWNER_READ -> 0400;
                    case OWNER_WRITE -> 0200;
                    case OWNER_EXECUTE -> 0100;
                    case GROUP_READ -> 040;
                    case GROUP_WRITE -> 020;
                    case GROUP_EXECUTE -> 010;
                    case OTHERS_READ -> 04;
                    case OTHERS_WRITE -> 02;
                    case OTHERS_EXECUTE -> 01;
                };
            }
        }
        return mode;
    }
}
