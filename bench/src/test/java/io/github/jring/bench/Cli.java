package io.github.jring.bench;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Runs the jring-bench command line in this JVM, capturing its output. */
public final class Cli {
    /** What a run printed and returned. */
    public record Result(int rc, String out, String err) {
        @Override
        public String toString() {
            return "rc=" + rc + "\n--- stdout ---\n" + out + "\n--- stderr ---\n" + err;
        }
    }

    private Cli() {
    }

    /** Runs with NVMe discovery looking in {@code devDir} (an empty directory keeps tests off real devices). */
    public static Result run(Path devDir, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        int rc = Main.run(args, new Bench.Io(o, e, false, devDir));
        return new Result(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Runs with NVMe discovery in {@code /dev}: only for tests that name their --filename. */
    public static Result run(String... args) {
        return run(Path.of("/dev"), args);
    }
}
