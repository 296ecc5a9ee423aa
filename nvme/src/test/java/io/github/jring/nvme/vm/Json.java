package io.github.jring.nvme.vm;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small JSON reader for the output of {@code nvme ... -o json} and {@code fio --output-format=json} in tests (the
 * nvme module has no dependencies, test scope included, beyond JUnit).
 *
 * <p>Objects become {@code Map<String, Object>} (in document order), arrays {@code List<Object>}, numbers
 * {@code Long} when they are integers that fit, else {@code BigInteger} or {@code BigDecimal}, and {@code true},
 * {@code false}, {@code null} become {@code Boolean} and {@code null}. Malformed input throws
 * {@link IllegalArgumentException} naming the offset.
 */
public final class Json {

    private final String text;
    private int pos;

    private Json(String text) {
        this.text = text;
    }

    /** Parses one JSON value that makes up the whole of {@code text} (surrounding white space allowed). */
    public static Object parse(String text) {
        Json p = new Json(text);
        p.skipSpace();
        Object value = p.value();
        p.skipSpace();
        if (p.pos != text.length()) {
            throw p.error("trailing characters");
        }
        return value;
    }

    /** {@code value} as a JSON object; throws if it is something else. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> object(Object value) {
        if (value instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw new IllegalArgumentException("not a JSON object: " + value);
    }

    /** {@code value} as a JSON array; throws if it is something else. */
    @SuppressWarnings("unchecked")
    public static List<Object> array(Object value) {
        if (value instanceof List<?> l) {
            return (List<Object>) l;
        }
        throw new IllegalArgumentException("not a JSON array: " + value);
    }

    /** The integer in {@code value}: a JSON number, or a string of digits (nvme-cli prints 128-bit fields so). */
    public static long longValue(Object value) {
        try {
            return switch (value) {
                case Long l -> l;
                case BigInteger b -> b.longValueExact();
                case BigDecimal d -> d.longValueExact();
                case String s -> Long.parseLong(s.trim());
                case null, default -> throw new IllegalArgumentException("not an integer: " + value);
            };
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("not an integer that fits a long: " + value, e);
        }
    }

    /** The number in {@code value} as a double. */
    public static double doubleValue(Object value) {
        return switch (value) {
            case Long l -> l;
            case BigInteger b -> b.doubleValue();
            case BigDecimal d -> d.doubleValue();
            case String s -> Double.parseDouble(s.trim());
            case null, default -> throw new IllegalArgumentException("not a number: " + value);
        };
    }

    /** Follows a path of object keys (String) and array indexes (Integer) from {@code root}. */
    public static Object at(Object root, Object... path) {
        Object v = root;
        for (Object step : path) {
            v = switch (step) {
                case String key -> {
                    Map<String, Object> m = object(v);
                    if (!m.containsKey(key)) {
                        throw new IllegalArgumentException("no key \"" + key + "\" in " + m.keySet());
                    }
                    yield m.get(key);
                }
                case Integer index -> array(v).get(index);
                default -> throw new IllegalArgumentException("path steps are String or Integer: " + step);
            };
        }
        return v;
    }

    private Object value() {
        if (pos >= text.length()) {
            throw error("unexpected end");
        }
        char c = text.charAt(pos);
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
            skipSpace();
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
            skipSpace();
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
                    sb.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
                    pos += 4;
                }
                default -> throw error("bad escape \\" + e);
            }
        }
    }

    private Object number() {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        boolean integral = true;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c >= '0' && c <= '9') {
                pos++;
            } else if (c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') {
                integral = false;
                pos++;
            } else {
                break;
            }
        }
        String s = text.substring(start, pos);
        try {
            if (integral) {
                BigInteger b = new BigInteger(s);
                return b.bitLength() < 64 ? (Object) b.longValue() : b;
            }
            return new BigDecimal(s);
        } catch (NumberFormatException e) {
            throw error("bad number " + s);
        }
    }

    private Object literal(String word, Object value) {
        if (!text.startsWith(word, pos)) {
            throw error("expected " + word);
        }
        pos += word.length();
        return value;
    }

    private void skipSpace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
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
        if (next() != c) {
            pos--;
            throw error("expected '" + c + "'");
        }
    }

    private IllegalArgumentException error(String what) {
        int from = Math.max(0, pos - 20);
        int to = Math.min(text.length(), pos + 20);
        return new IllegalArgumentException("JSON: " + what + " at offset " + pos + " near \""
                + text.substring(from, to) + "\"");
    }
}
