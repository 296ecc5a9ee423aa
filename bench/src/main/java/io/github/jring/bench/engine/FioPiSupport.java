package io.github.jring.bench.engine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Whether the installed fio's {@code io_uring_cmd} engine has the end-to-end protection options ({@code pi_act},
 * {@code pi_chk}, {@code apptag}, {@code apptag_mask}, {@code md_per_io_size}; fio 3.36 added them): asked once,
 * from {@code fio --enghelp=io_uring_cmd}.
 */
final class FioPiSupport {

    private static volatile Boolean available;

    private FioPiSupport() {
    }

    /** Whether {@code fio --enghelp=io_uring_cmd} lists {@code pi_act} and {@code md_per_io_size}. */
    static boolean available() {
        Boolean a = available;
        if (a == null) {
            a = ask();
            available = a;
        }
        return a;
    }

    /** What --vs-fio reports when the installed fio cannot run the same protection options. */
    static String missingReason() {
        return "the installed fio's io_uring_cmd engine has no pi_act, pi_chk, apptag, apptag_mask or md_per_io_size"
                + " (fio 3.36 added them; `fio --enghelp=io_uring_cmd` lists what it has), so fio cannot run the same"
                + " protected I/O";
    }

    private static boolean ask() {
        try {
            Process p = new ProcessBuilder("fio", "--enghelp=io_uring_cmd").redirectErrorStream(true).start();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (InputStream in = p.getInputStream()) {
                in.transferTo(out);
            }
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            String help = out.toString(StandardCharsets.UTF_8);
            return help.contains("pi_act") && help.contains("md_per_io_size");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
