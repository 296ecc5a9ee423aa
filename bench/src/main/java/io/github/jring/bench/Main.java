package io.github.jring.bench;

import io.github.jring.bench.cli.BenchCommand;
import picocli.CommandLine;

import java.io.Console;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Entry point of {@code jring-bench.jar}: {@code java -jar jring-bench.jar [fio-style options]} runs the benchmark;
 * {@code java -jar jring-bench.jar jmh [JMH options]} runs the JMH benchmarks compiled into the jar instead;
 * {@code java -jar jring-bench.jar doctor [--json]} says whether io_uring and NVMe passthrough can be used here
 * ({@code Doctor}).
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("jmh")) {
            runJmh(List.of(args).subList(1, args.length));
            return;
        }
        if (args.length > 0 && args[0].equals("doctor")) {
            System.exit(Doctor.run(List.of(args).subList(1, args.length), new Bench.Io(System.out, System.err, false,
                    Path.of("/dev"))));
        }
        Console console = System.console();
        Bench.Io io = new Bench.Io(System.out, System.err, console != null && console.isTerminal(), Path.of("/dev"));
        Bench bench = new Bench(io);
        Thread hook = new Thread(() -> {
            // Ctrl-C: the run in progress stops and still reports; the temporary file is deleted.
            bench.interrupt();
            try {
                bench.awaitDone(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "jring-bench-interrupt");
        Runtime.getRuntime().addShutdownHook(hook);
        int rc = run(args, io, bench);
        System.exit(rc);
    }

    /** Runs the command line with these streams and returns the exit code (for tests: no System.exit, no hook). */
    public static int run(String[] args, Bench.Io io) {
        if (args.length > 0 && args[0].equals("doctor")) {
            return Doctor.run(List.of(args).subList(1, args.length), io);
        }
        return run(args, io, new Bench(io));
    }

    private static int run(String[] args, Bench.Io io, Bench bench) {
        CommandLine cl = new CommandLine(new BenchCommand(bench));
        cl.setOut(new PrintWriter(io.out(), true, StandardCharsets.UTF_8));
        cl.setErr(new PrintWriter(io.err(), true, StandardCharsets.UTF_8));
        cl.setParameterExceptionHandler((ex, a) -> {
            io.err().println("jring-bench: " + ex.getMessage() + " (see --help)");
            return Bench.EXIT_USAGE;
        });
        cl.setExecutionExceptionHandler((ex, line, parsed) -> {
            io.err().println("jring-bench: " + (ex.getMessage() != null ? ex.getMessage() : ex.toString()));
            return Bench.EXIT_FAILED;
        });
        return cl.execute(args);
    }

    /**
     * Hands over to JMH's own command line ({@code org.openjdk.jmh.Main}); unless told other JVM arguments, the forked
     * benchmark JVMs get {@code --enable-native-access=ALL-UNNAMED}, which the FFM code needs.
     */
    private static void runJmh(List<String> jmhArgs) throws Exception {
        if (Main.class.getResource("/META-INF/BenchmarkList") == null) {
            System.err.println("jring-bench: no JMH benchmarks are compiled into this jar: put @Benchmark classes under"
                    + " bench/src/main/java/io/github/jring/bench/jmh/ and rebuild (./mvnw -pl bench -am package)");
            System.exit(Bench.EXIT_USAGE);
        }
        List<String> a = new ArrayList<>(jmhArgs);
        if (a.stream().noneMatch(s -> s.startsWith("-jvmArgs"))) {
            a.addAll(0, List.of("-jvmArgsAppend", "--enable-native-access=ALL-UNNAMED"));
        }
        org.openjdk.jmh.Main.main(a.toArray(String[]::new));
    }
}
