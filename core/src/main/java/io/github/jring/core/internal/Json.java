package io.github.jring.core.internal;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * jring's one JSON reader, strict to RFC 8259: for fio's {@code --output-format=json} (the benchmark, its tests and the
 * VM harness), nvme-cli's {@code -o json} (the VM harness), and the tests that check the availability reports by
 * parsing them. It lives here because every module that reads JSON depends on core, and core and nvme have no
 * dependencies to bring a JSON library; nothing in the library itself reads JSON.
 *
 * <p>Objects become {@code Map<String, Object>} in document order (of a repeated key the last value counts, at the
 * first key's place: fio repeats a job option given twice, and runs with the last), arrays
 * {@code List<Object>}, numbers {@code Long} when they are integers that fit, {@code BigInteger} when they are larger
 * integers (nvme-cli prints 128-bit counters so), else {@code Double}; {@code true}, {@code false} and {@code null}
 * become {@code Boolean} and {@code null}. Malformed input throws {@link IllegalArgumentException} naming the offset.
 */
public final class Json {

    private final String text;
    private int pos;

    private Json(String text, int pos) {
        this.text = text;
        this.pos = pos;
    }

    /**
     * Parses one JSON value that makes up the whole of {@code text} (surrounding white space allowed).
     *
     * @param text the JSON text
     * @return the value, as the class comment describes
     * @throws IllegalArgumentException if {@code text} is not one well-formed JSON value
     */
    public static Object parse(String text) {
        Json p = new Json(text, 0);
        Object value = p.value();
        p.skipSpace();
        if (p.pos != text.length()) {
            throw p.error("trailing characters");
        }
        return value;
    }

    /**
     * Parses the first JSON object in {@code text}, skipping anything before its '{' and ignoring anything after it
     * (fio prints notes before its JSON on stdout).
     *
     * @param text output that contains a JSON object
     * @return the object
     * @throws IllegalArgumentException if there is no '{' or the object is malformed
     */
    public static Map<String, Object> parseFirstObject(String text) {
        int start = text.indexOf('{');
        if (start < 0) {
            throw new IllegalArgumentException("no JSON object in: " + abbreviate(text));
        }
        return object(new Json(text, start).value());
    }

    /**
     * {@code value} as a JSON object.
     *
     * @param value a parsed value
     * @return the object
     * @throws IllegalArgumentException if {@code value} is something else
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> object(Object value) {
        if (value instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw new IllegalArgumentException("not a JSON object: " + value);
    }

    /**
     * {@code value} as a JSON array.
     *
     * @param value a parsed value
     * @return the array
     * @throws IllegalArgumentException if {@code value} is something else
     */
    @SuppressWarnings("unchecked")
    public static List<Object> array(Object value) {
        if (value instanceof List<?> l) {
            return (List<Object>) l;
        }
        throw new IllegalArgumentException("not a JSON array: " + value);
    }

    /**
     * The integer in {@code value}: a JSON number with no fraction, or a string of digits (nvme-cli prints 128-bit
     * fields as strings).
     *
     * @param value a parsed value
     * @return the integer
     * @throws IllegalArgumentException if {@code value} is not an integer that fits a {@code long}
     */
    public static long longValue(Object value) {
        try {
            return switch (value) {
                case Long l -> l;
                case BigInteger b -> b.longValueExact();
                case Double d when d == Math.rint(d) && Math.abs(d) < 0x1p63 -> d.longValue();
                case String s -> Long.parseLong(s.trim());
                case null, default -> throw new IllegalArgumentException("not an integer: " + value);
            };
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("not an integer that fits a long: " + value, e);
        }
    }

    /**
     * The number in {@code value} as a double: a JSON number, or a string that holds one.
     *
     * @param value a parsed value
     * @return the number
     * @throws IllegalArgumentException if {@code value} is not a number
     */
    public static double doubleValue(Object value) {
        return switch (value) {
            case Number n -> n.doubleValue();
            case String s -> Double.parseDouble(s.trim());
            case null, default -> throw new IllegalArgumentException("not a number: " + value);
        };
    }

    /**
     * Follows a path of object keys ({@code String}) and array indexes ({@code Integer}) from {@code root}.
     *
     * @param root a parsed value
     * @param path the keys and indexes, outermost first
     * @return the value there, or null where a step is missing: a key the object lacks, an index out of range, or a
     *         step into something that is not an object or an array
     */
    public static Object at(Object root, Object... path) {
        Object v = root;
        for (Object step : path) {
            v = step(v, step);
        }
        return v;
    }

    private static Object step(Object v, Object step) {
        return switch (step) {
            case String key when v instanceof Map<?, ?> m -> m.get(key);
            case Integer index when v instanceof List<?> l -> index >= 0 && index < l.size() ? l.get(index) : null;
            case String _, Integer _ -> null;
            default -> throw new IllegalArgumentException("path steps are String or Integer: " + step);
        };
    }

    /**
     * {@link #at} as a double, 0 where the path is missing or holds no number (fio leaves out what it did not
     * measure).
     *
     * @param root a parsed value
     * @param path the keys and indexes, outermost first
     * @return the number there, or 0
     */
    public static double number(Object root, Object... path) {
        return at(root, path) instanceof Number n ? n.doubleValue() : 0;
    }

    private Object value() {
        skipSpace();
        char c = peek();
        return switch (c) {
            case '{' -> objectValue();
            case '[' -> arrayValue();
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    yield number();
                }
                throw error("unexpected character '" + c + "'");
            }
        };
    }

    private Map<String, Object> objectValue() {
        Map<String, Object> map = new LinkedHashMap<>();
        pos++; // {
        skipSpace();
        if (peek() == '}') {
            pos++;
            return map;
        }
        while (true) {
            skipSpace();
            if (peek() != '"') {
                throw error("expected a key");
            }
            String key = string();
            skipSpace();
            expect(':');
            map.put(key, value());
            skipSpace();
            char c = next();
            if (c == '}') {
                return map;
            }
            if (c != ',') {
                throw error("expected ',' or '}'");
            }
        }
    }

    private List<Object> arrayValue() {
        List<Object> list = new ArrayList<>();
        pos++; // [
        skipSpace();
        if (peek() == ']') {
            pos++;
            return list;
        }
        while (true) {
            list.add(value());
            skipSpace();
            char c = next();
            if (c == ']') {
                return list;
            }
            if (c != ',') {
                throw error("expected ',' or ']'");
            }
        }
    }

    private String string() {
        expect('"');
        StringBuilder sb = new StringBuilder();
        while (true) {
            char c = next();
            if (c == '"') {
                return sb.toString();
            }
            if (c < 0x20) {
                pos--;
                throw error("control character in a string");
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            char e = next();
            switch (e) {
                case '"', '\\', '/' -> sb.append(e);
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    if (pos + 4 > text.length()) {
                        throw error("short \\u escape");
                    }
                    try {
                        sb.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
                    } catch (NumberFormatException bad) {
                        throw error("bad \\u escape");
                    }
                    pos += 4;
                }
                default -> throw error("bad escape \\" + e);
            }
        }
    }

    private Object number() {
        int start = pos;
        while (pos < text.length() && "+-0123456789.eE".indexOf(text.charAt(pos)) >= 0) {
            pos++;
        }
        String s = text.substring(start, pos);
        if (!s.matches("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?")) {
            pos = start;
            throw error("bad number '" + s + "'");
        }
        if (s.matches("-?[0-9]+")) {
            BigInteger b = new BigInteger(s);
            return b.bitLength() < 64 ? (Object) b.longValue() : b;
        }
        return Double.parseDouble(s);
    }

    private Object literal(String word, Object value) {
        if (!text.startsWith(word, pos)) {
            throw error("expected " + word);
        }
        pos += word.length();
        return value;
    }

    private void skipSpace() {
        while (pos < text.length() && " \t\r\n".indexOf(text.charAt(pos)) >= 0) {
            pos++;
        }
    }

    private char peek() {
        if (pos >= text.length()) {
            throw error("unexpected end");
        }
        return text.charAt(pos);
    }

    private char next() {
        char c = peek();
        pos++;
        return c;
    }

    private void expect(char c) {
        if (peek() != c) {
            throw error("expected '" + c + "'");
        }
        pos++;
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException("JSON: " + what + " at offset " + pos + " near \""
                + abbreviate(text.substring(Math.max(0, pos - 20), Math.min(text.length(), pos + 20))) + "\"");
    }

    private static String abbreviate(String t) {
        String line = t.replace('\n', ' ');
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }
}
