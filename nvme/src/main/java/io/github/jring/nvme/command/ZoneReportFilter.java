package io.github.jring.nvme.command;

/**
 * Reporting Options of Report Zones (Zone Management Receive CDW13 bits 15:8, ZRAS): which zones the report lists.
 */
public enum ZoneReportFilter {
    /** 0h: all zones. */
    ALL(0x0),
    /** 1h: zones in the Empty state. */
    EMPTY(0x1),
    /** 2h: zones in the Implicitly Opened state. */
    IMPLICITLY_OPENED(0x2),
    /** 3h: zones in the Explicitly Opened state. */
    EXPLICITLY_OPENED(0x3),
    /** 4h: zones in the Closed state. */
    CLOSED(0x4),
    /** 5h: zones in the Full state. */
    FULL(0x5),
    /** 6h: zones in the Read Only state. */
    READ_ONLY(0x6),
    /** 7h: zones in the Offline state. */
    OFFLINE(0x7);

    private final int code;

    ZoneReportFilter(int code) {
        this.code = code;
    }

    /**
     * The ZRAS value.
     *
     * @return the code
     */
    public int code() {
        return code;
    }
}
