package io.github.jring.bench;

import io.github.jring.core.Availability;
import io.github.jring.core.IoUring;
import io.github.jring.nvme.NvmeAvailability;

import java.util.List;

/**
 * {@code jring-bench.jar doctor [--json]} ({@code ./jring doctor}): whether io_uring and NVMe passthrough can be used
 * here, and exactly why not, with the fix: {@link IoUring#availability()} and {@link NvmeAvailability#check()}.
 * Exits 0 when io_uring is usable (whatever NVMe says: a machine without NVMe still runs io_uring), 1 when it is
 * not, 2 for a bad argument.
 */
final class Doctor {

    static final String USAGE = "usage: jring-bench.jar doctor [--json]\n"
            + "  Says whether io_uring can be used by this process and exactly why not (ENOSYS, seccomp, the\n"
            + "  kernel.io_uring_disabled sysctl, RLIMIT_MEMLOCK), with the fix; the kernel's features, setup flags\n"
            + "  and opcodes; and for each NVMe namespace whether it can be opened, read and written by passthrough\n"
            + "  and has poll queues. --json prints one JSON object {\"ioUring\": ..., \"nvme\": ...} instead.\n"
            + "  Exit status: 0 io_uring usable, 1 not usable, 2 usage.";

    private Doctor() {
    }

    static int run(List<String> args, Bench.Io io) {
        boolean json = false;
        for (String a : args) {
            switch (a) {
                case "--json" -> json = true;
                case "-h", "--help" -> {
                    io.out().println(USAGE);
                    return Bench.EXIT_OK;
                }
                default -> {
                    io.err().println("jring-bench doctor: unknown argument '" + a + "'\n" + USAGE);
                    return Bench.EXIT_USAGE;
                }
            }
        }
        Availability ring = IoUring.availability();
        NvmeAvailability nvme = NvmeAvailability.check();
        if (json) {
            io.out().println("{\"ioUring\":" + ring.toJson() + ",\"nvme\":" + nvme.toJson() + "}");
        } else {
            io.out().print(ring.toText());
            io.out().println();
            io.out().print(nvme.toText());
        }
        io.out().flush();
        return ring.usable() ? Bench.EXIT_OK : Bench.EXIT_FAILED;
    }
}
