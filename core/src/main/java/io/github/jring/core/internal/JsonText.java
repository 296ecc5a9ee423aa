package io.github.jring.core.internal;

/**
 * JSON string literals for the hand-written reports ({@code Availability.toJson()}, {@code NvmeAvailability}): core
 * and nvme have no dependencies, so no JSON library writes them.
 */
public final class JsonText {

    private JsonText() {
    }

    /**
     * A JSON string literal: quotes, backslashes and control characters escaped (RFC 8259, section 7).
     *
     * @param s the text
     * @return {@code s} quoted and escaped
     */
    public static String string(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
