package io.github.jring.nvme.data;

import io.github.jring.nvme.internal.Decode;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import static io.github.jring.nvme.internal.Decode.u16;
import static io.github.jring.nvme.internal.Decode.u32;
import static io.github.jring.nvme.internal.Decode.u64;
import static io.github.jring.nvme.internal.Decode.u8;

/**
 * The FDP Configurations log page (LID 20h) of an endurance group, decoded.
 *
 * <pre>
 *   bytes 1:0   NUMFDPC number of FDP configurations (0-based)
 *   byte  2     VER     log page version
 *   bytes 7:4   SZE     log page size in bytes
 *   bytes 15:8  reserved; configuration descriptors from byte 16 ({@link FdpConfiguration}), each DSZE bytes
 * </pre>
 *
 * @param version        VER
 * @param size           SZE: the whole log page's size, what to read to have every descriptor
 * @param configurations the descriptors, index = FDPCIDX
 */
public record FdpConfigurations(int version, long size, List<FdpConfiguration> configurations) {

    /** Size of the header. */
    public static final int HEADER_SIZE = 16;
    /** Size of a configuration descriptor before its reclaim unit handle descriptors. */
    public static final int DESCRIPTOR_FIXED_SIZE = 64;

    /**
     * Decodes the log page: as many descriptors as NUMFDPC says and the buffer holds whole (read the header first
     * and then {@link #size()} bytes to have them all).
     *
     * @param buf at least the 16-byte header
     * @return the decoded page
     */
    public static FdpConfigurations decode(MemorySegment buf) {
        Decode.requireSize(buf, HEADER_SIZE, "FDP Configurations log");
        int count = u16(buf, 0) + 1;
        List<FdpConfiguration> configs = new ArrayList<>(count);
        long off = HEADER_SIZE;
        for (int i = 0; i < count && off + DESCRIPTOR_FIXED_SIZE <= buf.byteSize(); i++) {
            int dsze = u16(buf, off);
            int nruh = u16(buf, off + 8);
            if (dsze < DESCRIPTOR_FIXED_SIZE || off + dsze > buf.byteSize()
                    || DESCRIPTOR_FIXED_SIZE + 4L * nruh > dsze) {
                break;
            }
            List<Integer> types = new ArrayList<>(nruh);
            for (int h = 0; h < nruh; h++) {
                types.add(u8(buf, off + DESCRIPTOR_FIXED_SIZE + 4L * h));
            }
            configs.add(new FdpConfiguration(dsze, u8(buf, off + 2), u8(buf, off + 3),
                    Integer.toUnsignedLong(u32(buf, off + 4)), nruh, u16(buf, off + 10) + 1,
                    Integer.toUnsignedLong(u32(buf, off + 12)), u64(buf, off + 16),
                    Integer.toUnsignedLong(u32(buf, off + 24)), List.copyOf(types)));
            off += dsze;
        }
        return new FdpConfigurations(u8(buf, 2), Integer.toUnsignedLong(u32(buf, 4)), List.copyOf(configs));
    }
}
