package io.github.jring.bench.engine;

import java.util.Locale;

/** fio's {@code --rw}: the direction and order of the I/O. */
public enum Rw {
    READ("read", false, 100),
    WRITE("write", false, 0),
    RANDREAD("randread", true, 100),
    RANDWRITE("randwrite", true, 0),
    /** Sequential mixed reads and writes; fio also spells it {@code readwrite}. */
    RW("rw", false, -1),
    RANDRW("randrw", true, -1);

    private final String fioName;
    private final boolean random;
    private final int fixedReadPercent;

    Rw(String fioName, boolean random, int fixedReadPercent) {
        this.fioName = fioName;
        this.random = random;
        this.fixedReadPercent = fixedReadPercent;
    }

    /** The name fio uses, e.g. {@code randread}. */
    public String fioName() {
        return fioName;
    }

    public boolean random() {
        return random;
    }

    /** True for the mixed patterns, whose read share {@code --rwmixread} sets. */
    public boolean mixed() {
        return fixedReadPercent < 0;
    }

    /** The share of reads in percent: 100 or 0 for the pure patterns, {@code rwmixread} for the mixed ones. */
    public int readPercent(int rwmixread) {
        return mixed() ? rwmixread : fixedReadPercent;
    }

    /** True if this pattern writes at all (with {@code rwmixread=100} a mixed pattern still counts as writing). */
    public boolean writes(int rwmixread) {
        return readPercent(rwmixread) < 100;
    }

    /** Parses fio's names: read, write, randread, randwrite, rw, readwrite, randrw. */
    public static Rw parse(String s) {
        String v = s.trim().toLowerCase(Locale.ROOT);
        if (v.equals("readwrite")) return RW;
        for (Rw rw : values()) {
            if (rw.fioName.equals(v)) return rw;
        }
        throw new IllegalArgumentException("unknown --rw '" + s + "' (one of read, write, randread, randwrite, rw, randrw)");
    }
}
