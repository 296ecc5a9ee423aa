package io.github.jring.bench.fio;

import io.github.jring.bench.engine.FioEquivalent;
import io.github.jring.bench.engine.JobSpec;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs fio with the options of a jring run, for {@code --vs-fio}: same target, rw, bs, iodepth, numjobs, size,
 * runtime, ramp time, direct and io_uring tuning, uniform random offsets ({@code norandommap}), group reporting and
 * JSON output, plus the engine's own options from its {@link FioEquivalent}. A buffered run ({@code direct=0}) gives
 * fio {@code --invalidate=0}: fio's default drops the file's page cache before it starts, so it would read from the
 * disk what jring's run, just before it, read from the page cache.
 */
public final class Fio {
    /** What to run as fio: the system property {@code jring.fio}, else {@code $JRING_FIO}, else {@code fio} on the PATH. */
    public static String executable() {
        String prop = System.getProperty("jring.fio");
        if (prop != null && !prop.isBlank()) return prop;
        String env = System.getenv("JRING_FIO");
        return env != null && !env.isBlank() ? env : "fio";
    }

    private Fio() {
    }

    /** fio's version line (e.g. {@code fio-3.33}), or empty when fio cannot be run. */
    public static Optional<String> version() {
        try {
            Process p = new ProcessBuilder(executable(), "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? Optional.of(out) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** What to say when fio is not there. */
    public static String missingMessage() {
        return "fio is not installed (or not on the PATH; $JRING_FIO can name it): install the 'fio' package, e.g. apt-get install fio";
    }

    /** The fio command line measuring what {@code spec} measures, with {@code eq}'s engine. */
    public static List<String> command(FioEquivalent eq, JobSpec spec) {
        List<String> c = new ArrayList<>();
        c.add(executable());
        c.add("--name=jring-vs-fio");
        c.add("--filename=" + eq.filename());
        c.add("--ioengine=" + eq.ioengine());
        c.add("--rw=" + spec.rw().fioName());
        if (spec.rw().mixed()) c.add("--rwmixread=" + spec.rwmixread());
        c.add("--bs=" + spec.bs());
        c.add("--iodepth=" + spec.iodepth());
        c.add("--numjobs=" + spec.numjobs());
        c.add("--size=" + spec.size());
        if (eq.engineArgs().stream().noneMatch(a -> a.startsWith("--direct="))) {
            c.add("--direct=" + (spec.direct() ? 1 : 0));
        }
        if (!spec.direct() && eq.engineArgs().stream().noneMatch(a -> a.startsWith("--invalidate="))) {
            // fio's default (invalidate=1) drops the file's page cache before its run: fio would read from the disk
            // what jring's run, just before, read from the cache. Both sides see the cache as jring's run left it.
            c.add("--invalidate=0");
        }
        if (spec.runtimeNanos() > 0) {
            c.add("--runtime=" + Math.max(1, spec.runtimeNanos() / 1_000_000) + "ms");
            c.add("--time_based");
        }
        if (spec.rampNanos() > 0) c.add("--ramp_time=" + Math.max(1, spec.rampNanos() / 1_000_000) + "ms");
        if (spec.numberIos() > 0) c.add("--number_ios=" + spec.numberIos());
        c.add("--randrepeat=0");
        c.add("--norandommap");
        c.add("--group_reporting");
        c.add("--lat_percentiles=1");
        c.add("--output-format=json");
        c.addAll(eq.engineArgs());
        return c;
    }

    /** Runs the command and parses its JSON; throws with fio's own words when it fails. */
    public static FioResult run(List<String> command, String ioengine, long timeoutNanos) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).start();
        CompletableFuture<String> out = read(p.getInputStream());
        CompletableFuture<String> err = read(p.getErrorStream());
        if (!p.waitFor(timeoutNanos, TimeUnit.NANOSECONDS)) {
            p.destroyForcibly();
            throw new IOException("fio did not finish within " + timeoutNanos / 1_000_000_000 + " s");
        }
        String stdout = out.join();
        String stderr = err.join().trim();
        if (p.exitValue() != 0) {
            String why = !stderr.isEmpty() ? stderr : stdout.trim();
            throw new IOException("fio exited with " + p.exitValue() + ": " + lastLines(why, 5));
        }
        try {
            return FioResult.parse(stdout, ioengine, command);
        } catch (IllegalArgumentException e) {
            throw new IOException("cannot read fio's output (" + e.getMessage() + ")" + (stderr.isEmpty() ? "" : "; fio said: " + lastLines(stderr, 5)));
        }
    }

    /** Drains a pipe on its own thread, so that neither of fio's outputs can fill up and stall it. */
    private static CompletableFuture<String> read(InputStream in) {
        CompletableFuture<String> f = new CompletableFuture<>();
        Thread.ofPlatform().daemon(true).name("fio-output").start(() -> {
            try (in) {
                f.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                f.complete("");
            }
        });
        return f;
    }

    private static String lastLines(String s, int n) {
        String[] lines = s.split("\n");
        return String.join(" | ", List.of(lines).subList(Math.max(0, lines.length - n), lines.length));
    }
}
