package io.github.jring.nvme.data;

import io.github.jring.nvme.internal.Decode;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import static io.github.jring.nvme.internal.Decode.u32;

/**
 * The FDP Events log page (LID 23h) of an endurance group, decoded: a 64-byte header (bytes 3:0 NEVENTS, the number
 * of events) and 64-byte events ({@link FdpEvent}) from byte 64, oldest first.
 *
 * @param count  NEVENTS
 * @param events the events the buffer holds (at most {@code count})
 */
public record FdpEvents(long count, List<FdpEvent> events) {

    /** Size of the header. */
    public static final int HEADER_SIZE = 64;

    /**
     * Decodes the log page.
     *
     * @param buf at least the 64-byte header
     * @return the decoded page
     */
    public static FdpEvents decode(MemorySegment buf) {
        Decode.requireSize(buf, HEADER_SIZE, "FDP Events log");
        long n = Integer.toUnsignedLong(u32(buf, 0));
        List<FdpEvent> events = new ArrayList<>();
        for (long i = 0; i < n && HEADER_SIZE + FdpEvent.SIZE * (i + 1) <= buf.byteSize(); i++) {
            events.add(FdpEvent.decode(buf, HEADER_SIZE + FdpEvent.SIZE * i));
        }
        return new FdpEvents(n, List.copyOf(events));
    }
}
