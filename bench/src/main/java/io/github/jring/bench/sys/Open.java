package io.github.jring.bench.sys;

import io.github.jring.bindings.Uapi;
import io.github.jring.core.ErrnoException;
import io.github.jring.core.Posix;

import java.nio.file.Path;

import static io.github.jring.core.Posix.O_CREAT;
import static io.github.jring.core.Posix.O_DIRECT;
import static io.github.jring.core.Posix.O_EXCL;
import static io.github.jring.core.Posix.O_RDWR;
import static io.github.jring.core.Posix.O_TRUNC;
import static io.github.jring.core.Posix.O_WRONLY;

/**
 * Opening the benchmark's targets through {@link Posix#open}, with a failure that names the flags and says what to do
 * about the usual causes ({@code O_DIRECT} on a file system without it, a mounted device, permissions).
 */
public final class Open {

    private static final int EINVAL = Uapi.EINVAL();
    private static final int EBUSY = Uapi.EBUSY();
    private static final int EACCES = Uapi.EACCES();
    private static final int EPERM = Uapi.EPERM();

    private Open() {
    }

    /** {@code open(path, flags | O_CLOEXEC, mode)}; returns the fd or throws naming the path, the flags and errno. */
    public static int file(Path path, int flags, int mode) throws ErrnoException {
        try {
            return Posix.open(path, flags | Posix.O_CLOEXEC, mode);
        } catch (ErrnoException e) {
            int errno = e.errno();
            throw new ErrnoException("open(" + path + ", " + describeFlags(flags) + ")", errno, openHint(errno, flags));
        }
    }

    private static String openHint(int errno, int flags) {
        if (errno == EINVAL && (flags & O_DIRECT) != 0) {
            return "the file system does not support O_DIRECT; use --direct=0 or another --directory";
        }
        if (errno == EBUSY && (flags & O_EXCL) != 0) {
            return "the device is mounted or in use (O_EXCL open refused by the kernel)";
        }
        if (errno == EACCES || errno == EPERM) {
            return "run as root or give this user access to the device";
        }
        return null;
    }

    static String describeFlags(int flags) {
        int access = flags & 3;
        StringBuilder sb = new StringBuilder(access == O_WRONLY ? "O_WRONLY" : access == O_RDWR ? "O_RDWR" : "O_RDONLY");
        if ((flags & O_CREAT) != 0) sb.append("|O_CREAT");
        if ((flags & O_EXCL) != 0) sb.append("|O_EXCL");
        if ((flags & O_TRUNC) != 0) sb.append("|O_TRUNC");
        if ((flags & O_DIRECT) != 0) sb.append("|O_DIRECT");
        return sb.toString();
    }
}
