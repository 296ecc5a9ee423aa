package io.github.jring.nvme.pi;

/**
 * The Protection Information field (PRINFO) of the NVM commands that move or check logical blocks (Read, Write,
 * Compare, Verify, Write Zeroes, Copy's PRINFOR and PRINFOW), command dword 12 bits 29:26 for most of them: the same
 * four bits nvme-cli's {@code --prinfo} takes.
 *
 * <pre>
 *   bit 3  PRACT  Protection Information Action: the controller inserts (writes) or strips (reads) the PI
 *   bit 2  PRCHK  check the Guard
 *   bit 1  PRCHK  check the Application Tag (under the command's mask)
 *   bit 0  PRCHK  check the Reference Tag
 * </pre>
 * With {@code PRACT} set and metadata no larger than the tuple, no metadata crosses the bus: the data buffer holds
 * only the data, and no separate metadata buffer is used. With {@code PRACT} clear the host supplies (writes) or
 * receives (reads) the protection information in the metadata, computed with {@link PiLayout#generate}.
 */
public final class Prinfo {

    /** PRACT: the controller inserts or strips the protection information. */
    public static final int PRACT = 0b1000;
    /** PRCHK bit 2: check the Guard. */
    public static final int CHECK_GUARD = 0b0100;
    /** PRCHK bit 1: check the Application Tag. */
    public static final int CHECK_APPLICATION_TAG = 0b0010;
    /** PRCHK bit 0: check the Reference Tag. */
    public static final int CHECK_REFERENCE_TAG = 0b0001;
    /** All three checks. */
    public static final int CHECK_ALL = CHECK_GUARD | CHECK_APPLICATION_TAG | CHECK_REFERENCE_TAG;

    private Prinfo() {
    }

    /**
     * Checks that {@code prinfo} is a 4-bit PRINFO value.
     *
     * @param prinfo the value
     * @return {@code prinfo}
     * @throws IllegalArgumentException if it has bits above bit 3
     */
    public static int check(int prinfo) {
        if ((prinfo & ~0xF) != 0) {
            throw new IllegalArgumentException("PRINFO is 4 bits (PRACT, then PRCHK guard, application tag, reference"
                    + " tag): " + prinfo);
        }
        return prinfo;
    }

    /**
     * Whether PRACT is set.
     *
     * @param prinfo the field
     * @return the bit
     */
    public static boolean pract(int prinfo) {
        return (prinfo & PRACT) != 0;
    }

    /**
     * PRINFO as fio and nvme-cli spell it, for messages: {@code PRACT|GUARD|APPTAG|REFTAG}, or {@code 0}.
     *
     * @param prinfo the field
     * @return the names
     */
    public static String describe(int prinfo) {
        if (prinfo == 0) {
            return "0";
        }
        StringBuilder s = new StringBuilder();
        if ((prinfo & PRACT) != 0) {
            s.append("PRACT|");
        }
        if ((prinfo & CHECK_GUARD) != 0) {
            s.append("GUARD|");
        }
        if ((prinfo & CHECK_APPLICATION_TAG) != 0) {
            s.append("APPTAG|");
        }
        if ((prinfo & CHECK_REFERENCE_TAG) != 0) {
            s.append("REFTAG|");
        }
        return s.substring(0, s.length() - 1);
    }
}
