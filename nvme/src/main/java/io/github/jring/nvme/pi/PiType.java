package io.github.jring.nvme.pi;

/**
 * The end-to-end protection type a namespace is formatted with (Identify Namespace DPS bits 2:0, Format NVM's PI
 * field). It decides how the Reference Tag is checked: Type 1 and Type 2 expect the command's initial Reference Tag on
 * the first block and one more on each next block (Type 1 also requires the initial tag to equal the low bits of the
 * SLBA); Type 3 does not check it. An Application Tag of FFFFh turns checking off for a block in Types 1 and 2; in
 * Type 3 it takes an Application Tag of FFFFh and a Reference Tag of all ones.
 */
public enum PiType {
    /** Protection information is not enabled. */
    NONE,
    /** Type 1. */
    TYPE_1,
    /** Type 2. */
    TYPE_2,
    /** Type 3. */
    TYPE_3;

    /**
     * The value of DPS bits 2:0 and Format NVM's PI field.
     *
     * @return 0 to 3
     */
    public int code() {
        return ordinal();
    }

    /**
     * The type of a DPS (or PI field) value.
     *
     * @param code 0 to 3
     * @return the type
     * @throws IllegalArgumentException for a reserved value
     */
    public static PiType of(int code) {
        if (code < 0 || code > 3) {
            throw new IllegalArgumentException("protection information type must be 0 to 3: " + code);
        }
        return values()[code];
    }

    /**
     * Whether the Reference Tag grows by one per block (Types 1 and 2) rather than staying the same (Type 3).
     *
     * @return {@code true} for Types 1 and 2
     */
    public boolean incrementsReferenceTag() {
        return this == TYPE_1 || this == TYPE_2;
    }
}
