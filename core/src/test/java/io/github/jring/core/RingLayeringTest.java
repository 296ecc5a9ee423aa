package io.github.jring.core;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The parts of the ring call only downwards: the queues and the memory know nothing above them, the Submitter
 * drives the queues, the Registrar stands alone, the InFlightDrain uses the queues and the Submitter, and only the
 * IoUring facade wires them. Checked on the compiled classes' constant pools (a class a class calls, or whose
 * constant it reads without inlining, is named there), so a new upward call fails here rather than in review.
 */
class RingLayeringTest {

    /** Each part, and the classes it must never name. */
    private static final Map<Class<?>, List<String>> FORBIDDEN = Map.of(
            RingMemory.class, List.of("IoUring", "SubmissionQueue", "CompletionQueue", "Submitter", "Registrar",
                    "InFlightDrain"),
            SubmissionQueue.class, List.of("IoUring", "CompletionQueue", "Submitter", "Registrar", "InFlightDrain",
                    "RingMemory"),
            CompletionQueue.class, List.of("IoUring", "SubmissionQueue", "Submitter", "Registrar", "InFlightDrain",
                    "RingMemory"),
            Submitter.class, List.of("IoUring", "InFlightDrain", "RingMemory"),
            Registrar.class, List.of("IoUring", "SubmissionQueue", "CompletionQueue", "Submitter", "InFlightDrain",
                    "RingMemory"),
            InFlightDrain.class, List.of("IoUring", "Registrar", "RingMemory"));

    @Test
    void partsNeverNameTheClassesAboveThem() throws IOException {
        for (var e : FORBIDDEN.entrySet()) {
            String pool = constantPool(e.getKey());
            for (String name : e.getValue()) {
                Pattern ref = Pattern.compile("io/github/jring/core/" + name + "(?![A-Za-z0-9_])");
                assertFalse(ref.matcher(pool).find(), e.getKey().getSimpleName() + " names " + name);
            }
        }
    }

    @Test
    void theTestSeesAReferenceWhereThereIsOne() throws IOException {
        // IoUring wires every part: the check above would be vacuous if it could not see these.
        String pool = constantPool(IoUring.class);
        for (String name : List.of("SubmissionQueue", "CompletionQueue", "Submitter", "Registrar", "InFlightDrain",
                "RingMemory")) {
            assertTrue(Pattern.compile("io/github/jring/core/" + name + "(?![A-Za-z0-9_])")
                    .matcher(pool).find(), "IoUring names " + name);
        }
    }

    /** The class file as Latin-1 text: the constant pool's class and descriptor names are in it verbatim. */
    private static String constantPool(Class<?> c) throws IOException {
        String resource = c.getName().substring(c.getPackageName().length() + 1) + ".class";
        try (InputStream in = c.getResourceAsStream(resource)) {
            assertNotNull(in, resource);
            String text = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            // Nested classes (InFlightDrain's DrainState) are files of their own: include them.
            for (Class<?> nested : c.getDeclaredClasses()) {
                text += constantPool(nested);
            }
            return text;
        }
    }
}
