package io.github.jring.bindings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.PaddingLayout;
import java.lang.foreign.SequenceLayout;
import java.lang.foreign.StructLayout;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A second, independent check of the generated bindings that needs no literal values: it writes a C program that
 * includes the same {@code jextract/jring.h} and prints {@code sizeof}/{@code offsetof} of every field of every
 * struct and union in {@code jextract/includes.txt} (field names taken from the jextract layouts) and the value of
 * every constant listed there, compiles it with gcc, runs it, and compares each number with the Java side: the
 * layout, the generated {@code name$offset()} accessors, and the generated constant getters.
 *
 * <p>Skipped when gcc is not on the PATH. If the program does not compile and this machine's kernel headers are not
 * the ones recorded in {@code jextract/GENERATED_WITH.txt} (older headers lack newer fields), it is skipped too,
 * saying so; with the recorded headers a compile error is a failure.
 */
class GccCrossCheckTest {

    private static final String PACKAGE = "io.github.jring.bindings.";
    private static final Pattern INCLUDE = Pattern.compile("^--include-(struct|union|constant)\\s+(\\S+)");

    /** One C member, reached from its outermost struct by {@code path} (dotted for named nested members). */
    private record Field(String path, long offset, long size, boolean flexible, String flatName) {}

    private record Aggregate(String keyword, String name, GroupLayout layout, Class<?> type, List<Field> fields) {}

    @Test
    void everyGeneratedLayoutAndConstantMatchesGcc(@TempDir Path dir) throws Exception {
        Optional<Path> gcc = onPath("gcc");
        assumeTrue(gcc.isPresent(), "gcc is not on the PATH; LayoutAndConstantsTest still pins the values");

        Path module = Path.of(System.getProperty("basedir", ".")).toAbsolutePath();
        Path header = module.resolve("jextract/jring.h");
        Path includes = module.resolve("jextract/includes.txt");
        assertTrue(Files.isRegularFile(header), "missing " + header);

        List<Aggregate> aggregates = new ArrayList<>();
        Map<String, Method> constants = new HashMap<>();
        for (String line : Files.readAllLines(includes)) {
            Matcher m = INCLUDE.matcher(line);
            if (!m.find()) {
                continue;
            }
            String kind = m.group(1);
            String name = m.group(2);
            if (kind.equals("constant")) {
                Method getter = Uapi.class.getMethod(name);
                constants.put(name, getter);
            } else {
                Class<?> type = Class.forName(PACKAGE + name);
                GroupLayout layout = (GroupLayout) type.getMethod("layout").invoke(null);
                List<Field> fields = new ArrayList<>();
                collect(layout, 0, "", true, fields);
                aggregates.add(new Aggregate(kind, name, layout, type, fields));
            }
        }
        assertTrue(aggregates.size() > 20 && constants.size() > 300,
                "includes.txt yielded too little to check: " + aggregates.size() + " structs, " + constants.size() + " constants");

        StringBuilder c = new StringBuilder()
                .append("#include \"").append(header).append("\"\n")
                .append("#include <stddef.h>\n#include <stdint.h>\n#include <stdio.h>\n")
                .append("int main(void) {\n");
        for (Aggregate a : aggregates) {
            String t = a.keyword() + " " + a.name();
            c.append("  printf(\"S ").append(a.name()).append(" %zu\\n\", sizeof(").append(t).append("));\n");
            for (Field f : a.fields()) {
                String size = f.flexible() ? "(size_t) 0" : "sizeof(((" + t + " *) 0)->" + f.path() + ")";
                c.append("  printf(\"F ").append(a.name()).append(' ').append(f.path()).append(" %zu %zu\\n\", offsetof(")
                        .append(t).append(", ").append(f.path()).append("), ").append(size).append(");\n");
            }
        }
        for (var e : constants.entrySet()) {
            String value = e.getValue().getReturnType() == MemorySegment.class
                    ? "(long long) (intptr_t) (" + e.getKey() + ")"
                    : "(long long) (" + e.getKey() + ")";
            c.append("  printf(\"C ").append(e.getKey()).append(" %lld\\n\", ").append(value).append(");\n");
        }
        c.append("  return 0;\n}\n");
        Path source = dir.resolve("layouts.c");
        Path binary = dir.resolve("layouts");
        Files.writeString(source, c);

        Result compile = run(dir, gcc.get().toString(), "-w", "-o", binary.toString(), source.toString());
        if (compile.status() != 0) {
            String recorded = recordedKernelHeaders(module);
            String installed = installedKernelHeaders();
            if (!recorded.equals(installed)) {
                abort("the C program does not compile against this machine's kernel headers (linux-libc-dev " + installed
                        + "), which are not the ones the bindings were generated with (" + recorded + "):\n" + compile.output());
            }
            fail("gcc could not compile the cross-check program with the recorded headers:\n" + compile.output());
        }
        Result output = run(dir, binary.toString());
        assertEquals(0, output.status(), output.output());

        Map<String, Aggregate> byName = new HashMap<>();
        aggregates.forEach(a -> byName.put(a.name(), a));
        List<String> mismatches = new ArrayList<>();
        int checked = 0;
        for (String line : output.output().split("\n")) {
            String[] p = line.trim().split(" ");
            switch (p[0]) {
                case "S" -> {
                    long javaSize = byName.get(p[1]).layout().byteSize();
                    checked++;
                    if (javaSize != Long.parseLong(p[2])) {
                        mismatches.add("sizeof " + p[1] + ": gcc " + p[2] + ", Java " + javaSize);
                    }
                }
                case "F" -> {
                    Aggregate a = byName.get(p[1]);
                    Field f = a.fields().stream().filter(x -> x.path().equals(p[2])).findFirst().orElseThrow();
                    long gccOffset = Long.parseLong(p[3]);
                    long gccSize = Long.parseLong(p[4]);
                    checked++;
                    if (f.offset() != gccOffset) {
                        mismatches.add("offsetof " + p[1] + "." + p[2] + ": gcc " + gccOffset + ", layout " + f.offset());
                    }
                    if (!f.flexible() && f.size() != gccSize) {
                        mismatches.add("sizeof " + p[1] + "." + p[2] + ": gcc " + gccSize + ", layout " + f.size());
                    }
                    if (f.flatName() != null) {
                        long accessor = (long) a.type().getMethod(f.flatName() + "$offset").invoke(null);
                        if (accessor != gccOffset) {
                            mismatches.add(p[1] + "." + f.flatName() + "$offset(): gcc " + gccOffset + ", Java " + accessor);
                        }
                    }
                }
                case "C" -> {
                    Method getter = constants.get(p[1]);
                    long gccValue = Long.parseLong(p[2]);
                    Object value = getter.invoke(null);
                    checked++;
                    boolean same = switch (value) {
                        // An int constant carries the C value's 32 bits (e.g. EPOLLET, 1u << 31, reads as negative).
                        case Integer i -> i == (int) gccValue && (gccValue == (int) gccValue || gccValue == (gccValue & 0xffffffffL));
                        case Long l -> l == gccValue;
                        case Short s -> s == gccValue;
                        case Byte b -> b == gccValue;
                        case Character ch -> ch == gccValue;
                        case MemorySegment s -> s.address() == gccValue;
                        default -> false;
                    };
                    if (!same) {
                        mismatches.add(p[1] + ": gcc " + gccValue + ", Java " + value);
                    }
                }
                default -> fail("unexpected line from the C program: " + line);
            }
        }
        long expectedLines = aggregates.size() + aggregates.stream().mapToLong(a -> a.fields().size()).sum() + constants.size();
        assertEquals(expectedLines, checked, "the C program printed fewer values than it was asked for");
        assertTrue(mismatches.isEmpty(), mismatches.size() + " of " + checked + " values differ from gcc:\n" + String.join("\n", mismatches));
    }

    /**
     * Flattens a jextract layout into C member paths. jextract names anonymous structs and unions {@code $anon$...};
     * their members are reached in C without a name, so they keep the enclosing prefix. Named nested structs are
     * reported and also descended into with a dotted path ({@code sq_off.head}), which offsetof accepts.
     */
    private static void collect(GroupLayout group, long base, String prefix, boolean flat, List<Field> out) {
        long offset = base;
        for (MemoryLayout member : group.memberLayouts()) {
            long at = group instanceof StructLayout ? offset : base;
            if (!(member instanceof PaddingLayout)) {
                String name = member.name().orElseThrow(() -> new AssertionError("unnamed member in " + group));
                if (name.startsWith("$anon$")) {
                    collect((GroupLayout) member, at, prefix, flat, out);
                } else {
                    boolean flexible = member instanceof SequenceLayout s && s.elementCount() == 0;
                    out.add(new Field(prefix + name, at, member.byteSize(), flexible, flat ? name : null));
                    if (member instanceof GroupLayout nested) {
                        collect(nested, at, prefix + name + ".", false, out);
                    }
                }
            }
            offset += member.byteSize();
        }
    }

    private static String recordedKernelHeaders(Path module) throws IOException {
        for (String line : Files.readAllLines(module.resolve("jextract/GENERATED_WITH.txt"))) {
            if (line.startsWith("linux-libc-dev")) {
                return line.substring(line.indexOf(':') + 1).trim();
            }
        }
        return "(not recorded)";
    }

    private static String installedKernelHeaders() {
        try {
            Result r = run(Path.of("."), "dpkg-query", "-W", "-f=${Version}", "linux-libc-dev");
            return r.status() == 0 ? r.output().trim() : "(unknown)";
        } catch (IOException | InterruptedException e) {
            return "(unknown: " + e.getMessage() + ")";
        }
    }

    private static Optional<Path> onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String d : path.split(File.pathSeparator)) {
            Path candidate = Path.of(d, tool);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private record Result(int status, String output) {}

    private static Result run(Path dir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("timed out: " + String.join(" ", command));
        }
        return new Result(p.exitValue(), out);
    }
}
