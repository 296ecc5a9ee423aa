package io.github.jring.bench.engine;

import io.github.jring.bench.fio.Fio;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Whether the installed fio knows {@code fdp} and {@code plids} (fio 3.34 added {@code fdp}, with {@code fdp_pli},
 * which 3.36 named {@code plids}; bookworm's fio 3.33 has neither), asked once with {@code fio --cmdhelp=plids}.
 */
final class FioFdpSupport {

    private static volatile Boolean available;

    private FioFdpSupport() {
    }

    /** Whether {@code fio --cmdhelp=plids} describes the option. */
    static boolean available() {
        Boolean a = available;
        if (a == null) {
            a = probe();
            available = a;
        }
        return a;
    }

    static String missingReason() {
        return "the installed fio (" + Fio.version().orElse("not runnable") + ") has no fdp/plids options (fio 3.34"
                + " added fdp, 3.36 named the list plids): no fio run for an --fdp job";
    }

    private static boolean probe() {
        try {
            Process p = new ProcessBuilder(Fio.executable(), "--cmdhelp=plids").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0 && out.contains("plids") && !out.contains("No such command");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
