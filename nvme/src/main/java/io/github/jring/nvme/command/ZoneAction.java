package io.github.jring.nvme.command;

/**
 * Zone Send Action (ZSA, Zone Management Send CDW13 bits 7:0) of the Zoned Namespace Command Set, with the zone state
 * transitions the specification defines for each.
 */
public enum ZoneAction {
    /** 01h Close Zone: an opened zone becomes Closed (ZSC), keeping its write pointer and releasing an open resource. */
    CLOSE(0x01),
    /** 02h Finish Zone: the zone becomes Full (ZSF); the write pointer moves to the end of the zone capacity. */
    FINISH(0x02),
    /** 03h Open Zone: an Empty or Closed zone becomes Explicitly Opened (ZSEO). */
    OPEN(0x03),
    /** 04h Reset Zone: the zone becomes Empty (ZSE) with its write pointer at the zone start; its data is gone. */
    RESET(0x04),
    /** 05h Offline Zone: a Read Only zone becomes Offline (ZSO). */
    OFFLINE(0x05);

    private final int code;

    ZoneAction(int code) {
        this.code = code;
    }

    /**
     * The ZSA value.
     *
     * @return the code
     */
    public int code() {
        return code;
    }
}
