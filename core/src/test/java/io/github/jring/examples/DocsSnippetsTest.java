package io.github.jring.examples;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Keeps the code in {@code docs/} true: every Java block there is a copy of code that compiles and runs in the tests.
 *
 * <p>A fenced block is preceded by one of two markers:
 * <ul>
 *   <li>{@code <!-- snippet: PATH#NAME -->}: the block equals the lines between {@code // snippet:NAME} and
 *       {@code // end:NAME} in the file PATH (relative to the repository root), common indentation removed; regions
 *       may nest, and the markers of inner regions are left out. The cookbook examples are written this way, and a
 *       test runs each of them.</li>
 *   <li>{@code <!-- excerpt: PATH -->}: every line of the block is in PATH, in the same order and with the same
 *       relative indentation; a line {@code // ...} in the block skips any number of lines of the file. For quoting
 *       jring's own main code.</li>
 * </ul>
 * Every {@code ```java} block must have a marker, every snippet region in the example sources must be used by a
 * document, and every relative link in the documents must point at a file that exists.
 *
 * <p>To bring the documents up to date after changing an example: run this test with {@code -Djring.docs.update=true}
 * ({@code ./mvnw -B -pl core -am test -Dtest=DocsSnippetsTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Djring.docs.update=true}); it rewrites the snippet blocks (not the excerpts) from their sources.
 */
class DocsSnippetsTest {

    private static final Pattern SNIPPET = Pattern.compile("^<!--\\s*snippet:\\s*(\\S+)#(\\S+)\\s*-->\\s*$");
    private static final Pattern EXCERPT = Pattern.compile("^<!--\\s*excerpt:\\s*(\\S+)\\s*-->\\s*$");
    private static final Pattern FENCE = Pattern.compile("^\\s*```(\\w*)\\s*$");
    private static final Pattern REGION_START = Pattern.compile("^\\s*// snippet:(\\S+)\\s*$");
    private static final Pattern MARKER = Pattern.compile("^\\s*// (snippet|end):\\S+\\s*$");
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    private static final String ELISION = "// ...";
    /** Where the cookbook's examples live; each region there must be shown somewhere. */
    private static final List<String> EXAMPLE_DIRS = List.of(
            "core/src/test/java/io/github/jring/examples",
            "nvme/src/test/java/io/github/jring/examples");

    private static Path root;
    private static List<Path> docs;

    @BeforeAll
    static void findDocs() throws IOException {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !(Files.isDirectory(p.resolve("docs")) && Files.isRegularFile(p.resolve("pom.xml"))
                && Files.isDirectory(p.resolve("core")))) {
            p = p.getParent();
        }
        assertTrue(p != null, "no repository root with docs/ above " + Path.of("").toAbsolutePath());
        root = p;
        try (Stream<Path> s = Files.walk(root.resolve("docs"))) {
            docs = s.filter(f -> f.toString().endsWith(".md")).sorted().toList();
        }
        assertFalse(docs.isEmpty(), "docs/ has no Markdown files");
    }

    /** One fenced block with its marker. */
    private record Block(Path doc, int line, String kind, String path, String name, int start, int end,
                         List<String> body) {
        String where() {
            return root.relativize(doc) + ":" + line;
        }
    }

    private static List<String> lines(Path f) {
        try {
            return Files.readAllLines(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every fenced block of a document; kind null when it has no marker. */
    private static List<Block> blocks(Path doc) {
        List<String> l = lines(doc);
        List<Block> out = new ArrayList<>();
        String kind = null;
        String path = null;
        String name = null;
        int markerLine = 0;
        for (int i = 0; i < l.size(); i++) {
            String s = l.get(i);
            Matcher m;
            if ((m = SNIPPET.matcher(s)).matches()) {
                kind = "snippet";
                path = m.group(1);
                name = m.group(2);
                markerLine = i + 1;
                continue;
            }
            if ((m = EXCERPT.matcher(s)).matches()) {
                kind = "excerpt";
                path = m.group(1);
                name = null;
                markerLine = i + 1;
                continue;
            }
            if ((m = FENCE.matcher(s)).matches()) {
                String lang = m.group(1);
                int end = i + 1;
                while (end < l.size() && !l.get(end).strip().startsWith("```")) {
                    end++;
                }
                if (end == l.size()) {
                    fail(root.relativize(doc) + ":" + (i + 1) + ": fence not closed");
                }
                boolean marked = kind != null && markerLine == i; // the marker is the line right above the fence
                out.add(new Block(doc, i + 1, marked ? kind : (lang.equals("java") ? "unmarked-java" : null),
                        marked ? path : null, marked ? name : null, i + 1, end, List.copyOf(l.subList(i + 1, end))));
                kind = null;
                i = end;
                continue;
            }
            if (!s.isBlank()) {
                kind = null;
            }
        }
        return out;
    }

    private static List<String> dedent(List<String> in) {
        int min = Integer.MAX_VALUE;
        for (String s : in) {
            if (!s.isBlank()) {
                min = Math.min(min, s.length() - s.stripLeading().length());
            }
        }
        List<String> out = new ArrayList<>();
        for (String s : in) {
            out.add(s.isBlank() ? "" : s.substring(min == Integer.MAX_VALUE ? 0 : min).stripTrailing());
        }
        return out;
    }

    /** The lines of region {@code name} of {@code file}, dedented. */
    private static List<String> region(Path file, String name, String where) {
        if (!Files.isRegularFile(file)) {
            fail(where + ": " + root.relativize(file) + " does not exist");
        }
        List<String> l = lines(file);
        int start = -1;
        for (int i = 0; i < l.size(); i++) {
            String t = l.get(i).strip();
            if (t.equals("// snippet:" + name)) {
                if (start >= 0) {
                    fail(where + ": two regions named " + name + " in " + root.relativize(file));
                }
                start = i;
            }
        }
        if (start < 0) {
            fail(where + ": no '// snippet:" + name + "' in " + root.relativize(file));
        }
        for (int i = start + 1; i < l.size(); i++) {
            if (l.get(i).strip().equals("// end:" + name)) {
                // Regions may nest: the markers of the inner ones are not part of the outer one's text.
                List<String> body = new ArrayList<>();
                for (String line : l.subList(start + 1, i)) {
                    if (!MARKER.matcher(line).matches()) {
                        body.add(line);
                    }
                }
                return dedent(body);
            }
        }
        throw new AssertionError(where + ": region " + name + " of " + root.relativize(file) + " has no '// end:"
                + name + "'");
    }

    @Test
    void everyJavaBlockHasAMarker() {
        List<String> unmarked = new ArrayList<>();
        for (Path d : docs) {
            for (Block b : blocks(d)) {
                if ("unmarked-java".equals(b.kind())) {
                    unmarked.add(b.where());
                }
            }
        }
        assertTrue(unmarked.isEmpty(), "Java blocks without a <!-- snippet: --> or <!-- excerpt: --> marker on the "
                + "line above: " + unmarked);
    }

    @Test
    void snippetsEqualTheirSources() throws IOException {
        boolean update = Boolean.getBoolean("jring.docs.update");
        List<String> drift = new ArrayList<>();
        for (Path d : docs) {
            List<Block> blocks = blocks(d);
            List<String> text = new ArrayList<>(lines(d));
            boolean changed = false;
            // From the end, so that rewriting a block keeps the line numbers of the ones before it.
            for (int k = blocks.size() - 1; k >= 0; k--) {
                Block b = blocks.get(k);
                if (!"snippet".equals(b.kind())) {
                    continue;
                }
                List<String> want = region(root.resolve(b.path()), b.name(), b.where());
                if (!dedent(b.body()).equals(want)) {
                    if (update) {
                        for (int i = b.end() - 1; i >= b.start(); i--) {
                            text.remove(i);
                        }
                        text.addAll(b.start(), want);
                        changed = true;
                    } else {
                        drift.add(b.where() + " differs from " + b.path() + "#" + b.name() + ":\n--- doc\n"
                                + String.join("\n", dedent(b.body())) + "\n--- source\n" + String.join("\n", want));
                    }
                }
            }
            if (changed) {
                Files.write(d, text);
            }
        }
        assertTrue(drift.isEmpty(), "snippets that drifted from their source (rerun with -Djring.docs.update=true "
                + "to copy the sources into the docs):\n" + String.join("\n\n", drift));
    }

    @Test
    void excerptsAreInTheirSources() {
        List<String> bad = new ArrayList<>();
        for (Path d : docs) {
            for (Block b : blocks(d)) {
                if (!"excerpt".equals(b.kind())) {
                    continue;
                }
                Path src = root.resolve(b.path());
                if (!Files.isRegularFile(src)) {
                    bad.add(b.where() + ": " + b.path() + " does not exist");
                    continue;
                }
                String problem = findExcerpt(dedent(b.body()), lines(src));
                if (problem != null) {
                    bad.add(b.where() + " (" + b.path() + "): " + problem);
                }
            }
        }
        assertTrue(bad.isEmpty(), "excerpts not found in their source:\n" + String.join("\n", bad));
    }

    /** Null if each chunk (split at "// ...") is found in order as consecutive lines of {@code src}. */
    private static String findExcerpt(List<String> excerpt, List<String> src) {
        List<List<String>> chunks = new ArrayList<>();
        List<String> cur = new ArrayList<>();
        for (String s : excerpt) {
            if (s.strip().equals(ELISION)) {
                if (!cur.isEmpty()) {
                    chunks.add(cur);
                }
                cur = new ArrayList<>();
            } else {
                cur.add(s);
            }
        }
        if (!cur.isEmpty()) {
            chunks.add(cur);
        }
        int from = 0;
        for (List<String> chunk : chunks) {
            List<String> c = dedent(chunk);
            int at = find(c, src, from);
            if (at < 0) {
                return "not found (in order): \n" + String.join("\n", c);
            }
            from = at + c.size();
        }
        return null;
    }

    private static int find(List<String> chunk, List<String> src, int from) {
        String head = chunk.get(0);
        int headIndent = head.length() - head.stripLeading().length();
        for (int p = from; p + chunk.size() <= src.size(); p++) {
            String first = src.get(p).stripTrailing();
            int indent = first.length() - first.stripLeading().length();
            if (first.isBlank() || indent < headIndent || !first.substring(indent - headIndent).equals(head)) {
                continue;
            }
            String pad = first.substring(0, indent - headIndent); // the source's extra indentation
            boolean ok = true;
            for (int i = 1; i < chunk.size() && ok; i++) {
                String s = src.get(p + i).stripTrailing();
                String want = chunk.get(i);
                ok = want.isEmpty() ? s.isBlank() : s.equals(pad + want);
            }
            if (ok) {
                return p;
            }
        }
        return -1;
    }

    @Test
    void everyExampleRegionIsShown() throws IOException {
        Set<String> used = new TreeSet<>();
        for (Path d : docs) {
            for (Block b : blocks(d)) {
                if ("snippet".equals(b.kind())) {
                    used.add(b.path() + "#" + b.name());
                }
            }
        }
        Map<String, String> regions = new LinkedHashMap<>();
        for (String dir : EXAMPLE_DIRS) {
            Path p = root.resolve(dir);
            if (!Files.isDirectory(p)) {
                continue;
            }
            try (Stream<Path> s = Files.walk(p)) {
                for (Path f : s.filter(x -> x.toString().endsWith(".java")).sorted().toList()) {
                    for (String line : lines(f)) {
                        Matcher m = REGION_START.matcher(line);
                        if (m.matches()) {
                            regions.put(root.relativize(f) + "#" + m.group(1), f.toString());
                        }
                    }
                }
            }
        }
        assertFalse(regions.isEmpty(), "no example regions found under " + EXAMPLE_DIRS);
        List<String> orphans = regions.keySet().stream().filter(r -> !used.contains(r)).toList();
        assertTrue(orphans.isEmpty(), "example regions no document shows: " + orphans);
    }

    @Test
    void relativeLinksResolve() {
        List<String> broken = new ArrayList<>();
        List<Path> files = new ArrayList<>(docs);
        files.add(root.resolve("README.md"));
        for (Path d : files) {
            List<String> l = lines(d);
            boolean inFence = false;
            for (int i = 0; i < l.size(); i++) {
                if (l.get(i).strip().startsWith("```")) {
                    inFence = !inFence;
                    continue;
                }
                if (inFence) {
                    continue;
                }
                Matcher m = LINK.matcher(l.get(i));
                while (m.find()) {
                    String target = m.group(1);
                    if (target.matches("^[a-z]+:.*")) {
                        continue;
                    }
                    String file = target.replaceFirst("#.*$", "");
                    Path resolved = file.isEmpty() ? d : d.getParent().resolve(file).normalize();
                    if (!Files.exists(resolved)) {
                        broken.add(root.relativize(d) + ":" + (i + 1) + " -> " + target);
                    } else if (target.contains("#") && resolved.toString().endsWith(".md")
                            && !anchors(resolved).contains(target.substring(target.indexOf('#') + 1))) {
                        broken.add(root.relativize(d) + ":" + (i + 1) + " -> " + target + " (no such heading)");
                    }
                }
            }
        }
        assertTrue(broken.isEmpty(), "links to files that do not exist: " + broken);
    }

    /** The anchors the repository host makes for a document's headings: lower case, punctuation dropped, spaces to -. */
    private static Set<String> anchors(Path md) {
        Set<String> out = new TreeSet<>();
        boolean inFence = false;
        for (String line : lines(md)) {
            if (line.strip().startsWith("```")) {
                inFence = !inFence;
            }
            if (inFence || !line.startsWith("#")) {
                continue;
            }
            String title = line.replaceFirst("^#+\\s*", "").strip();
            String slug = title.toLowerCase(java.util.Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "")
                    .replace(' ', '-');
            String unique = slug;
            for (int n = 1; out.contains(unique); n++) {
                unique = slug + "-" + n;
            }
            out.add(unique);
        }
        return out;
    }
}
