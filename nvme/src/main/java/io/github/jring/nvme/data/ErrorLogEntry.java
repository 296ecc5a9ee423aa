package io.github.jring.nvme.data;

import io.github.jring.nvme.internal.Decode;
import io.github.jring.nvme.status.NvmeStatus;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import static io.github.jring.nvme.internal.Decode.u16;
import static io.github.jring.nvme.internal.Decode.u32;
import static io.github.jring.nvme.internal.Decode.u64;
import static io.github.jring.nvme.internal.Decode.u8;

/**
 * One entry of the Error Information log page (LID 01h, 64 bytes each, newest first).
 *
 * @param errorCount               bytes 7:0, a unique, increasing number; 0 means the entry is empty
 * @param sqid                     bytes 9:8, the submission queue of the failed command ({@code 0xFFFF} not specific)
 * @param cid                      bytes 11:10, its command identifier
 * @param status                   bytes 13:12, its completion status (phase tag removed)
 * @param parameterErrorLocation   bytes 15:14, byte (7:0) and bit (10:8) of the command field in error
 * @param lba                      bytes 23:16, the first LBA that had the error
 * @param nsid                     bytes 27:24
 * @param vendorSpecificInfo       byte 28, log page with vendor specific information
 * @param transportType            byte 29
 * @param commandSpecificInfo      bytes 39:32
 * @param transportSpecificInfo    bytes 41:40
 */
public record ErrorLogEntry(long errorCount, int sqid, int cid, NvmeStatus status, int parameterErrorLocation,
                            long lba, int nsid, int vendorSpecificInfo, int transportType, long commandSpecificInfo,
                            int transportSpecificInfo) {

    /** Size of one entry. */
    public static final int SIZE = 64;

    /**
     * Decodes the entry at {@code offset}.
     *
     * @param buf    the log page buffer
     * @param offset the entry's offset
     * @return the entry
     */
    public static ErrorLogEntry decode(MemorySegment buf, long offset) {
        return new ErrorLogEntry(u64(buf, offset), u16(buf, offset + 8), u16(buf, offset + 10),
                new NvmeStatus(u16(buf, offset + 12) >>> 1), u16(buf, offset + 14), u64(buf, offset + 16),
                u32(buf, offset + 24), u8(buf, offset + 28), u8(buf, offset + 29), u64(buf, offset + 32),
                u16(buf, offset + 40));
    }

    /**
     * Decodes all non-empty entries of a buffer.
     *
     * @param buf the log page buffer (a multiple of 64 bytes)
     * @return the entries with a non-zero error count, in buffer order
     */
    public static List<ErrorLogEntry> decodeAll(MemorySegment buf) {
        List<ErrorLogEntry> list = new ArrayList<>();
        for (long off = 0; off + SIZE <= buf.byteSize(); off += SIZE) {
            ErrorLogEntry e = decode(buf, off);
            if (e.errorCount() != 0) {
                list.add(e);
            }
        }
        return List.copyOf(list);
    }
}
