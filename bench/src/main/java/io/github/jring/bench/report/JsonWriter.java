package io.github.jring.bench.report;

import io.github.jring.core.internal.JsonText;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes the benchmark's report as JSON in fio's shape (indented, doubles with six decimals). Reading JSON, fio's
 * included, is {@link io.github.jring.core.internal.Json}'s job.
 */
public final class JsonWriter {

    private JsonWriter() {
    }

    /** Writes a value (Map, List, String, Number, Boolean, null) as indented JSON, as fio does. */
    public static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value, 0);
        return sb.append('\n').toString();
    }

    private static void write(StringBuilder sb, Object v, int indent) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof String str) {
            sb.append(JsonText.string(str));
        } else if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            sb.append(Double.isFinite(d) ? String.format(Locale.ROOT, "%.6f", d) : "0");
        } else if (v instanceof Number || v instanceof Boolean) {
            sb.append(v);
        } else if (v instanceof Map<?, ?> m) {
            if (m.isEmpty()) {
                sb.append("{}");
                return;
            }
            sb.append("{\n");
            int n = 0;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                pad(sb, indent + 2);
                sb.append(JsonText.string(String.valueOf(e.getKey())));
                sb.append(" : ");
                write(sb, e.getValue(), indent + 2);
                if (++n < m.size()) sb.append(',');
                sb.append('\n');
            }
            pad(sb, indent);
            sb.append('}');
        } else if (v instanceof List<?> l) {
            if (l.isEmpty()) {
                sb.append("[]");
                return;
            }
            sb.append("[\n");
            for (int k = 0; k < l.size(); k++) {
                pad(sb, indent + 2);
                write(sb, l.get(k), indent + 2);
                if (k + 1 < l.size()) sb.append(',');
                sb.append('\n');
            }
            pad(sb, indent);
            sb.append(']');
        } else {
            sb.append(JsonText.string(v.toString()));
        }
    }

    private static void pad(StringBuilder sb, int n) {
        sb.append(" ".repeat(n));
    }
}
