package io.github.jring.bench.sys;

/** Linux errno names (the generic numbering shared by x86_64 and aarch64) and their libc messages. */
public final class Errno {
    public static final int EPERM = 1, ENOENT = 2, EINTR = 4, EIO = 5, ENXIO = 6, EBADF = 9, EAGAIN = 11, ENOMEM = 12,
            EACCES = 13, EFAULT = 14, EBUSY = 16, EEXIST = 17, ENODEV = 19, ENOTDIR = 20, EISDIR = 21, EINVAL = 22,
            EMFILE = 24, ENOTTY = 25, EFBIG = 27, ENOSPC = 28, EROFS = 30, ENOSYS = 38, EOPNOTSUPP = 95;

    private static final String[] NAMES = new String[134];

    static {
        String[] pairs = {
            "1 EPERM", "2 ENOENT", "3 ESRCH", "4 EINTR", "5 EIO", "6 ENXIO", "7 E2BIG", "8 ENOEXEC", "9 EBADF",
            "10 ECHILD", "11 EAGAIN", "12 ENOMEM", "13 EACCES", "14 EFAULT", "15 ENOTBLK", "16 EBUSY", "17 EEXIST",
            "18 EXDEV", "19 ENODEV", "20 ENOTDIR", "21 EISDIR", "22 EINVAL", "23 ENFILE", "24 EMFILE", "25 ENOTTY",
            "26 ETXTBSY", "27 EFBIG", "28 ENOSPC", "29 ESPIPE", "30 EROFS", "31 EMLINK", "32 EPIPE", "34 ERANGE",
            "38 ENOSYS", "61 ENODATA", "62 ETIME", "75 EOVERFLOW", "95 EOPNOTSUPP", "105 ENOBUFS", "110 ETIMEDOUT",
            "121 EREMOTEIO", "125 ECANCELED",
        };
        for (String p : pairs) {
            int sp = p.indexOf(' ');
            NAMES[Integer.parseInt(p.substring(0, sp))] = p.substring(sp + 1);
        }
    }

    private Errno() {
    }

    /** The constant's name, or {@code "errno N"} for one this table does not know. */
    public static String name(int errno) {
        return errno > 0 && errno < NAMES.length && NAMES[errno] != null ? NAMES[errno] : "errno " + errno;
    }

    /** libc's {@code strerror} text. */
    public static String message(int errno) {
        return Libc.strerror(errno);
    }
}
