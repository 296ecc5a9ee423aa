package io.github.jring.core.internal;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * What the process and the kernel say about themselves, for diagnostics: the kernel release ({@code uname(2)}), the
 * memory-lock limit ({@code getrlimit(2)}), the fields of {@code /proc/self/status} and single-value files under
 * {@code /proc/sys}. Nothing here is on a hot path; every call allocates.
 *
 * <p>Not part of jring's API: this package is not exported.
 */
@SuppressWarnings("restricted") // FFM downcalls are the point here
public final class Host {

    /**
     * {@code RLIMIT_MEMLOCK}, 8 in {@code <asm-generic/resource.h>} (x86-64 and arm64 use the generic numbers); not in
     * the bindings.
     */
    private static final int RLIMIT_MEMLOCK = 8;
    /** {@code RLIM_INFINITY}, {@code ~0UL} in {@code <asm-generic/resource.h>}. */
    private static final long RLIM_INFINITY = -1L;
    /**
     * The length of each field of {@code struct utsname} on Linux ({@code _UTSNAME_LENGTH}, 65, in glibc's
     * {@code <bits/utsname.h>}; the kernel's {@code __NEW_UTS_LEN + 1}). The release is the third field.
     */
    private static final int UTS_FIELD = 65;
    private static final int UTS_FIELDS = 6;

    // int uname(struct utsname *buf)
    private static final MethodHandle UNAME = Syscalls.linkCapturingErrno("uname",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));
    // int getrlimit(int resource, struct rlimit *rlim); struct rlimit is two unsigned longs (soft, hard)
    private static final MethodHandle GETRLIMIT = Syscalls.linkCapturingErrno("getrlimit",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));

    /**
     * A resource limit, as {@code getrlimit(2)} reports it.
     *
     * @param soft the soft limit in bytes, or -1 for unlimited ({@code RLIM_INFINITY})
     * @param hard the hard limit in bytes, or -1 for unlimited
     */
    public record Limit(long soft, long hard) {
    }

    private Host() {
    }

    /**
     * The kernel release, what {@code uname -r} prints (for example {@code "6.18.44-fc-v1252"}).
     *
     * @return the release, or {@code "unknown"} if {@code uname(2)} failed
     */
    public static String kernelRelease() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Syscalls.allocateErrnoState(arena);
            MemorySegment uts = arena.allocate((long) UTS_FIELD * UTS_FIELDS);
            int rc = (int) UNAME.invokeExact(state, uts);
            return rc == 0 ? uts.asSlice(2L * UTS_FIELD, UTS_FIELD).getString(0) : "unknown";
        } catch (Throwable t) {
            throw Syscalls.rethrow(t);
        }
    }

    /**
     * Whether the running kernel is at least {@code major.minor}, from {@link #kernelRelease()}.
     *
     * @param major major version
     * @param minor minor version
     * @return {@code true} when the release parses and is at least that
     */
    public static boolean kernelAtLeast(int major, int minor) {
        String[] parts = kernelRelease().split("[.-]", 3);
        try {
            int ma = Integer.parseInt(parts[0]);
            int mi = Integer.parseInt(parts[1]);
            return ma > major || (ma == major && mi >= minor);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * {@code RLIMIT_MEMLOCK}: how much memory this process may lock, which is also what io_uring charges pinned
     * buffers (and, before Linux 5.12, the rings) against for a user without {@code CAP_IPC_LOCK}.
     *
     * @return the limit
     * @throws IllegalStateException if {@code getrlimit} fails (it cannot for a valid resource)
     */
    public static Limit memlockLimit() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Syscalls.allocateErrnoState(arena);
            MemorySegment rl = arena.allocate(JAVA_LONG, 2);
            int rc = (int) GETRLIMIT.invokeExact(state, RLIMIT_MEMLOCK, rl);
            if (rc != 0) {
                throw new IllegalStateException("getrlimit(RLIMIT_MEMLOCK) failed: errno " + Syscalls.errno(state));
            }
            long soft = rl.getAtIndex(JAVA_LONG, 0);
            long hard = rl.getAtIndex(JAVA_LONG, 1);
            return new Limit(soft == RLIM_INFINITY ? -1 : soft, hard == RLIM_INFINITY ? -1 : hard);
        } catch (Throwable t) {
            throw Syscalls.rethrow(t);
        }
    }

    /**
     * The fields of {@code /proc/self/status} ({@code "Seccomp" -> "2"}, {@code "CapEff" -> "000001ffffffffff"}), in
     * file order, values trimmed.
     *
     * @return the fields, empty if the file cannot be read (no procfs)
     */
    public static Map<String, String> procStatus() {
        Map<String, String> fields = new LinkedHashMap<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(Path.of("/proc/self/status"));
        } catch (IOException | RuntimeException e) {
            return fields;
        }
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                fields.put(line.substring(0, colon), line.substring(colon + 1).trim());
            }
        }
        return fields;
    }

    /**
     * Reads a file that holds one integer, such as {@code /proc/sys/kernel/io_uring_disabled}.
     *
     * @param path      the file
     * @param otherwise what to return when it is missing or does not hold an integer
     * @return the value
     */
    public static long readLong(Path path, long otherwise) {
        try {
            return Long.parseLong(Files.readString(path).trim());
        } catch (IOException | RuntimeException e) {
            return otherwise;
        }
    }
}
