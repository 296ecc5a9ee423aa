package io.github.jring.bench.cli;

import java.util.List;
import java.util.TreeSet;

/**
 * {@code --iodepth}: one depth ({@code 32}), a comma list ({@code 1,8,32}), a range that sweeps the powers of two
 * between its ends, both ends included ({@code 1-128} = 1,2,4,...,128; {@code 3-20} = 3,4,8,16,20), or a mix
 * ({@code 1,4-16,128}). The result is sorted and free of duplicates.
 */
public record Depths(List<Integer> values) {

    /** The default sweep when {@code --iodepth} is not given. */
    public static final String DEFAULT = "1,8,32,128";

    /** Largest depth accepted: io_uring's SQ can hold 32768 entries. */
    public static final int MAX = 32768;

    public static Depths parse(String text) {
        TreeSet<Integer> set = new TreeSet<>();
        for (String part : text.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) continue;
            int dash = p.indexOf('-');
            if (dash > 0) {
                int lo = one(p.substring(0, dash), text);
                int hi = one(p.substring(dash + 1), text);
                if (hi < lo) throw new IllegalArgumentException("--iodepth range '" + p + "' runs backwards");
                set.add(lo);
                for (int d = Integer.highestOneBit(lo) << 1; d < hi && d > 0; d <<= 1) set.add(d);
                set.add(hi);
            } else {
                set.add(one(p, text));
            }
        }
        if (set.isEmpty()) throw new IllegalArgumentException("--iodepth '" + text + "' names no depth");
        return new Depths(List.copyOf(set));
    }

    private static int one(String s, String whole) {
        int v;
        try {
            v = Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--iodepth '" + whole + "': '" + s.trim()
                    + "' is not a number (examples: 32, 1,8,32, 1-128)");
        }
        if (v < 1 || v > MAX) throw new IllegalArgumentException("--iodepth " + v + " is outside 1.." + MAX);
        return v;
    }
}
