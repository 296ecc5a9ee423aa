package io.github.jring.nvme.data;

import io.github.jring.nvme.internal.Decode;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import static io.github.jring.nvme.internal.Decode.ascii;
import static io.github.jring.nvme.internal.Decode.u8;

/**
 * The Firmware Slot Information log page (LID 03h, 512 bytes), decoded.
 *
 * @param afi       Active Firmware Info (byte 0): bits 2:0 the active slot, bits 6:4 the slot activated at the next
 *                  reset (0: none)
 * @param revisions FRS1 to FRS7 (bytes 8 to 63, 8 ASCII bytes each), trailing spaces removed; empty for empty slots
 */
public record FirmwareSlotLog(int afi, List<String> revisions) {

    /** Size of the log page. */
    public static final int SIZE = 512;

    /**
     * Decodes the log page.
     *
     * @param buf at least 512 bytes
     * @return the decoded page
     */
    public static FirmwareSlotLog decode(MemorySegment buf) {
        Decode.requireSize(buf, SIZE, "Firmware Slot log");
        List<String> frs = new ArrayList<>(7);
        for (int i = 0; i < 7; i++) {
            frs.add(ascii(buf, 8 + 8L * i, 8));
        }
        return new FirmwareSlotLog(u8(buf, 0), List.copyOf(frs));
    }

    /**
     * The slot the controller runs from.
     *
     * @return 1 to 7
     */
    public int activeSlot() {
        return afi & 0x7;
    }

    /**
     * The revision in the active slot.
     *
     * @return the revision
     */
    public String activeRevision() {
        return revisions.get(activeSlot() - 1);
    }
}
