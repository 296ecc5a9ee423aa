package io.github.jring.nvme;

import io.github.jring.bindings.Uapi;
import io.github.jring.core.ErrnoException;
import io.github.jring.core.Posix;
import io.github.jring.core.internal.Host;

/** Opening an NVMe device node, with advice when permission is what stands in the way. */
final class DeviceNode {

    private DeviceNode() {
    }

    /**
     * {@code open(path, flags | O_CLOEXEC)}, turning a permission failure into advice.
     *
     * @param path  the device node
     * @param flags open flags
     * @return the fd
     * @throws ErrnoException with the errno, and for EACCES/EPERM what to do about it
     */
    static int open(String path, int flags) throws ErrnoException {
        try {
            return Posix.open(path, flags | Posix.O_CLOEXEC);
        } catch (ErrnoException e) {
            int errno = e.errno();
            if (errno != Uapi.EACCES() && errno != Uapi.EPERM()) {
                throw e;
            }
            boolean charDev = path.contains("/ng");
            String advice = "NVMe device nodes are root-only (mode 0600) by default. Run as root, or "
                    + (charDev
                    ? "on Linux 6.2 or later give your user access to " + path + " (for example chmod 0660 and a group"
                    + " you are in, or a udev rule: KERNEL==\"ng[0-9]*n[0-9]*\", GROUP=\"disk\", MODE=\"0660\");"
                    + " unprivileged users may then send reads (writes with write access) and Identify, not admin"
                    + " commands that change state"
                    : "grant access to " + path + " (admin commands on the controller need CAP_SYS_ADMIN)")
                    + ". This kernel is " + Host.kernelRelease()
                    + (charDev && !Host.kernelAtLeast(6, 2) ? ", which only allows root (unprivileged passthrough came"
                    + " in 6.2)" : "") + ".";
            throw new ErrnoException("open " + path, errno, advice);
        }
    }
}
