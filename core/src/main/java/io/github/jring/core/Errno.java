package io.github.jring.core;

import io.github.jring.bindings.Uapi;
import io.github.jring.core.internal.Syscalls;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * Names and descriptions of Linux {@code errno} values, for messages and for matching a completion's negative
 * {@code res}: {@code Errno.name(-cqe.res())} is {@code "ECANCELED"} for a cancelled link member.
 *
 * <p>Names come from glibc's {@code strerrorname_np(3)} and descriptions from {@code strerrordesc_np(3)} (glibc 2.32
 * and later), both looked up once; on a C library without them a built-in table covers the errnos io_uring commonly
 * returns, and the kernel-internal errnos (512 to 530, for example {@code ENOTSUPP}) that can leak into a CQE. Results
 * are cached, so the lookups allocate nothing after the first call for a given errno.
 *
 * <p>The numbers themselves are in the bindings ({@code Uapi.ECANCELED()} and so on).
 */
@SuppressWarnings("restricted") // FFM downcalls and reinterpretation of kernel memory are the point here
public final class Errno {

    /** Errnos above this are not cached (and not known to the C library). */
    private static final int MAX_CACHED = 4095;

    /** Cache of resolved names and descriptions. */
    private static final String[] NAMES = new String[MAX_CACHED + 1];
    private static final String[] DESCRIPTIONS = new String[MAX_CACHED + 1];
    /** The built-in table, consulted when the C library has no answer. */
    private static final String[] FALLBACK_NAMES = new String[MAX_CACHED + 1];
    private static final String[] FALLBACK_DESCRIPTIONS = new String[MAX_CACHED + 1];

    private static final MethodHandle STRERRORNAME_NP = lookup("strerrorname_np");
    private static final MethodHandle STRERRORDESC_NP = lookup("strerrordesc_np");

    static {
        // Fallback table (used when the C library has no strerrorname_np, and for kernel-internal errnos).
        fallback(Uapi.EPERM(), "EPERM", "Operation not permitted");
        fallback(Uapi.ENOENT(), "ENOENT", "No such file or directory");
        fallback(Uapi.ESRCH(), "ESRCH", "No such process");
        fallback(Uapi.EINTR(), "EINTR", "Interrupted system call");
        fallback(Uapi.EIO(), "EIO", "Input/output error");
        fallback(Uapi.ENXIO(), "ENXIO", "No such device or address");
        fallback(Uapi.E2BIG(), "E2BIG", "Argument list too long");
        fallback(Uapi.EBADF(), "EBADF", "Bad file descriptor");
        fallback(Uapi.EAGAIN(), "EAGAIN", "Resource temporarily unavailable");
        fallback(Uapi.ENOMEM(), "ENOMEM", "Cannot allocate memory");
        fallback(Uapi.EACCES(), "EACCES", "Permission denied");
        fallback(Uapi.EFAULT(), "EFAULT", "Bad address");
        fallback(Uapi.EBUSY(), "EBUSY", "Device or resource busy");
        fallback(Uapi.EEXIST(), "EEXIST", "File exists");
        fallback(Uapi.EXDEV(), "EXDEV", "Invalid cross-device link");
        fallback(Uapi.ENODEV(), "ENODEV", "No such device");
        fallback(Uapi.ENOTDIR(), "ENOTDIR", "Not a directory");
        fallback(Uapi.EISDIR(), "EISDIR", "Is a directory");
        fallback(Uapi.EINVAL(), "EINVAL", "Invalid argument");
        fallback(Uapi.ENFILE(), "ENFILE", "Too many open files in system");
        fallback(Uapi.EMFILE(), "EMFILE", "Too many open files");
        fallback(Uapi.ENOTTY(), "ENOTTY", "Inappropriate ioctl for device");
        fallback(Uapi.EFBIG(), "EFBIG", "File too large");
        fallback(Uapi.ENOSPC(), "ENOSPC", "No space left on device");
        fallback(Uapi.ESPIPE(), "ESPIPE", "Illegal seek");
        fallback(Uapi.EROFS(), "EROFS", "Read-only file system");
        fallback(Uapi.EPIPE(), "EPIPE", "Broken pipe");
        fallback(Uapi.ERANGE(), "ERANGE", "Numerical result out of range");
        fallback(Uapi.ENAMETOOLONG(), "ENAMETOOLONG", "File name too long");
        fallback(Uapi.ENOSYS(), "ENOSYS", "Function not implemented");
        fallback(Uapi.ENOTEMPTY(), "ENOTEMPTY", "Directory not empty");
        fallback(Uapi.ELOOP(), "ELOOP", "Too many levels of symbolic links");
        fallback(Uapi.EBADR(), "EBADR", "Invalid request descriptor");
        fallback(Uapi.ENODATA(), "ENODATA", "No data available");
        fallback(Uapi.ETIME(), "ETIME", "Timer expired");
        fallback(Uapi.EOVERFLOW(), "EOVERFLOW", "Value too large for defined data type");
        fallback(Uapi.EBADFD(), "EBADFD", "File descriptor in bad state");
        fallback(Uapi.EILSEQ(), "EILSEQ", "Invalid or incomplete multibyte or wide character");
        fallback(Uapi.ENOTSOCK(), "ENOTSOCK", "Socket operation on non-socket");
        fallback(Uapi.EDESTADDRREQ(), "EDESTADDRREQ", "Destination address required");
        fallback(Uapi.EMSGSIZE(), "EMSGSIZE", "Message too long");
        fallback(Uapi.EPROTOTYPE(), "EPROTOTYPE", "Protocol wrong type for socket");
        fallback(Uapi.ENOPROTOOPT(), "ENOPROTOOPT", "Protocol not available");
        fallback(Uapi.EPROTONOSUPPORT(), "EPROTONOSUPPORT", "Protocol not supported");
        fallback(Uapi.EOPNOTSUPP(), "EOPNOTSUPP", "Operation not supported");
        fallback(Uapi.EAFNOSUPPORT(), "EAFNOSUPPORT", "Address family not supported by protocol");
        fallback(Uapi.EADDRINUSE(), "EADDRINUSE", "Address already in use");
        fallback(Uapi.EADDRNOTAVAIL(), "EADDRNOTAVAIL", "Cannot assign requested address");
        fallback(Uapi.ENETDOWN(), "ENETDOWN", "Network is down");
        fallback(Uapi.ENETUNREACH(), "ENETUNREACH", "Network is unreachable");
        fallback(Uapi.ECONNABORTED(), "ECONNABORTED", "Software caused connection abort");
        fallback(Uapi.ECONNRESET(), "ECONNRESET", "Connection reset by peer");
        fallback(Uapi.ENOBUFS(), "ENOBUFS", "No buffer space available");
        fallback(Uapi.EISCONN(), "EISCONN", "Transport endpoint is already connected");
        fallback(Uapi.ENOTCONN(), "ENOTCONN", "Transport endpoint is not connected");
        fallback(Uapi.ETIMEDOUT(), "ETIMEDOUT", "Connection timed out");
        fallback(Uapi.ECONNREFUSED(), "ECONNREFUSED", "Connection refused");
        fallback(Uapi.EHOSTUNREACH(), "EHOSTUNREACH", "No route to host");
        fallback(Uapi.EALREADY(), "EALREADY", "Operation already in progress");
        fallback(Uapi.EINPROGRESS(), "EINPROGRESS", "Operation now in progress");
        fallback(Uapi.ECANCELED(), "ECANCELED", "Operation canceled");
        fallback(Uapi.EOWNERDEAD(), "EOWNERDEAD", "Owner died");
        /*
         * Kernel-internal errnos from <linux/errno.h> (not UAPI, so not in the bindings): they should never reach user
         * space, but some do through io_uring completions (ENOTSUPP in particular).
         */
        fallback(512, "ERESTARTSYS", "Restart system call (kernel-internal)");
        fallback(513, "ERESTARTNOINTR", "Restart system call, no interrupt (kernel-internal)");
        fallback(514, "ERESTARTNOHAND", "Restart if no handler (kernel-internal)");
        fallback(515, "ENOIOCTLCMD", "No ioctl command (kernel-internal)");
        fallback(516, "ERESTART_RESTARTBLOCK", "Restart by calling sys_restart_syscall (kernel-internal)");
        fallback(517, "EPROBE_DEFER", "Driver requests probe retry (kernel-internal)");
        fallback(518, "EOPENSTALE", "Open found a stale dentry (kernel-internal)");
        fallback(519, "ENOPARAM", "Parameter not supported (kernel-internal)");
        fallback(521, "EBADHANDLE", "Illegal NFS file handle (kernel-internal)");
        fallback(522, "ENOTSYNC", "Update synchronization mismatch (kernel-internal)");
        fallback(523, "EBADCOOKIE", "Cookie is stale (kernel-internal)");
        fallback(524, "ENOTSUPP", "Operation is not supported (kernel-internal)");
        fallback(525, "ETOOSMALL", "Buffer or request is too small (kernel-internal)");
        fallback(526, "ESERVERFAULT", "An untranslatable error occurred (kernel-internal)");
        fallback(527, "EBADTYPE", "Type not supported by server (kernel-internal)");
        fallback(528, "EJUKEBOX", "Request initiated, but will not complete before timeout (kernel-internal)");
        fallback(529, "EIOCBQUEUED", "iocb queued, will get completion event (kernel-internal)");
        fallback(530, "ERECALLCONFLICT", "Conflict with recalled state (kernel-internal)");
    }

    private Errno() {
    }

    private static MethodHandle lookup(String symbol) {
        // const char *strerrorname_np(int errnum): NULL for an unknown errnum (glibc 2.32+; absent from older ones).
        return Syscalls.linkIfPresent(symbol, FunctionDescriptor.of(ADDRESS, JAVA_INT));
    }

    private static void fallback(int errno, String name, String description) {
        FALLBACK_NAMES[errno] = name;
        FALLBACK_DESCRIPTIONS[errno] = description;
    }

    private static String fromLibc(MethodHandle handle, int errno) {
        if (handle == null) {
            return null;
        }
        try {
            MemorySegment s = (MemorySegment) handle.invokeExact(errno);
            return s.equals(MemorySegment.NULL) ? null : s.reinterpret(Long.MAX_VALUE).getString(0);
        } catch (Throwable t) {
            return null;
        }
    }

    /** The built-in table's name for {@code errno}, or null (for tests comparing it with the C library). */
    static String fallbackName(int errno) {
        return errno >= 0 && errno <= MAX_CACHED ? FALLBACK_NAMES[errno] : null;
    }

    /** The built-in table's description for {@code errno}, or null. */
    static String fallbackDescription(int errno) {
        return errno >= 0 && errno <= MAX_CACHED ? FALLBACK_DESCRIPTIONS[errno] : null;
    }

    /**
     * The symbolic name of an errno, for example {@code "ENOENT"} for 2, or {@code "errno 1234"} if it has none.
     *
     * @param errno the errno; its sign is ignored, so a CQE's {@code res} may be passed as is
     * @return the name
     */
    public static String name(int errno) {
        int e = Math.abs(errno);
        if (e > MAX_CACHED || e < 0) {
            return "errno " + errno;
        }
        String n = NAMES[e];
        if (n == null) {
            synchronized (NAMES) {
                n = NAMES[e];
                if (n == null) {
                    n = fromLibc(STRERRORNAME_NP, e);
                    if (n == null) {
                        n = FALLBACK_NAMES[e] != null ? FALLBACK_NAMES[e] : "errno " + e;
                    }
                    NAMES[e] = n;
                }
            }
        }
        return n;
    }

    /**
     * The description of an errno, for example {@code "No such file or directory"} for 2.
     *
     * @param errno the errno; its sign is ignored
     * @return the description, or {@code "Unknown error N"} if there is none
     */
    public static String description(int errno) {
        int e = Math.abs(errno);
        if (e > MAX_CACHED || e < 0) {
            return "Unknown error " + errno;
        }
        String d = DESCRIPTIONS[e];
        if (d == null) {
            synchronized (DESCRIPTIONS) {
                d = DESCRIPTIONS[e];
                if (d == null) {
                    d = fromLibc(STRERRORDESC_NP, e);
                    if (d == null) {
                        d = FALLBACK_DESCRIPTIONS[e] != null ? FALLBACK_DESCRIPTIONS[e] : "Unknown error " + e;
                    }
                    DESCRIPTIONS[e] = d;
                }
            }
        }
        return d;
    }

    /**
     * The name and description together, as used in {@link ErrnoException} messages: {@code "ENOENT (No such file or
     * directory)"}.
     *
     * @param errno the errno; its sign is ignored
     * @return the text
     */
    public static String describe(int errno) {
        return name(errno) + " (" + description(errno) + ")";
    }
}
