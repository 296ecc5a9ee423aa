package io.github.jring.nvme.data;

/**
 * Zone State (Zone Descriptor byte 1 bits 7:4) of the Zoned Namespace Command Set.
 */
public enum ZoneState {
    /** 1h ZSE: Empty, write pointer at the zone start. */
    EMPTY(0x1),
    /** 2h ZSIO: Implicitly Opened, by a write. */
    IMPLICITLY_OPENED(0x2),
    /** 3h ZSEO: Explicitly Opened, by Zone Management Send Open. */
    EXPLICITLY_OPENED(0x3),
    /** 4h ZSC: Closed. */
    CLOSED(0x4),
    /** Dh ZSRO: Read Only. */
    READ_ONLY(0xD),
    /** Eh ZSF: Full. */
    FULL(0xE),
    /** Fh ZSO: Offline. */
    OFFLINE(0xF);

    private final int code;

    ZoneState(int code) {
        this.code = code;
    }

    /**
     * The state's code.
     *
     * @return the 4-bit code
     */
    public int code() {
        return code;
    }

    /**
     * The state for a code.
     *
     * @param code the 4-bit Zone State
     * @return the state
     * @throws IllegalArgumentException for a reserved code
     */
    public static ZoneState of(int code) {
        for (ZoneState s : values()) {
            if (s.code == code) {
                return s;
            }
        }
        throw new IllegalArgumentException("reserved zone state " + code);
    }
}
