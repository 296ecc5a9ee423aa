package io.github.jring.bench.cli;

import java.util.Locale;

/** fio's booleans: 1/0, true/false, yes/no, on/off. */
public final class FioBool {
    private FioBool() {
    }

    public static boolean parse(String s) {
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "1", "true", "yes", "on" -> true;
            case "0", "false", "no", "off" -> false;
            default -> throw new IllegalArgumentException("'" + s + "' is not a boolean (1/0, true/false, yes/no)");
        };
    }
}
