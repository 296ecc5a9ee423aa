package io.github.jring.nvme.data;

import io.github.jring.nvme.command.Identify;
import io.github.jring.nvme.internal.Decode;
import io.github.jring.nvme.pi.GuardFormat;
import io.github.jring.nvme.pi.PiLayout;
import io.github.jring.nvme.pi.PiType;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import static io.github.jring.nvme.internal.Decode.hex;
import static io.github.jring.nvme.internal.Decode.u16;
import static io.github.jring.nvme.internal.Decode.u32;
import static io.github.jring.nvme.internal.Decode.u64;
import static io.github.jring.nvme.internal.Decode.u8;

/**
 * The Identify Namespace data structure of the NVM Command Set (CNS 00h, 4096 bytes), decoded (NVMe NVM Command Set
 * 1.0, "Identify Namespace Data Structure").
 *
 * @param nsze        Namespace Size in logical blocks (bytes 7:0)
 * @param ncap        Namespace Capacity in logical blocks (15:8)
 * @param nuse        Namespace Utilization in logical blocks (23:16)
 * @param nsfeat      Namespace Features (24): bit 0 thin provisioning, bit 2 DAE, bit 4 optimal performance fields
 * @param nlbaf       Number of LBA Formats, 0-based (25)
 * @param flbas       Formatted LBA Size (26): bits 3:0 and 6:5 the format index, bit 4 metadata at the end of the data
 * @param mc          Metadata Capabilities (27)
 * @param dpc         End-to-end Data Protection Capabilities (28): bits 0-2 Types 1-3 supported, bit 3 PI may be
 *                    first in the metadata, bit 4 last
 * @param dps         End-to-end Data Protection Type Settings (29): bits 2:0 the type in use, bit 3 PI first
 * @param nmic        Namespace Multi-path I/O and Namespace Sharing Capabilities (30)
 * @param dlfeat      Deallocate Logical Block Features (33): bits 2:0 what deallocated blocks read as, bit 3 Write
 *                    Zeroes deallocates
 * @param nawun       Namespace Atomic Write Unit Normal, 0-based (35:34)
 * @param nawupf      Namespace Atomic Write Unit Power Fail, 0-based (37:36)
 * @param noiob       Namespace Optimal I/O Boundary (47:46)
 * @param npwg        Namespace Preferred Write Granularity, 0-based (65:64)
 * @param mssrl       Maximum Single Source Range Length for Copy (75:74)
 * @param mcl         Maximum Copy Length (79:76)
 * @param msrc        Maximum Source Range Count, 0-based (80)
 * @param anagrpid    ANA Group Identifier (95:92)
 * @param nvmsetid    NVM Set Identifier (101:100)
 * @param endgid      Endurance Group Identifier (103:102)
 * @param nguid       Namespace Globally Unique Identifier (119:104), 32 hex digits
 * @param eui64       IEEE Extended Unique Identifier (127:120), 16 hex digits
 * @param lbaFormats  the LBA formats (128 onwards), {@code nlbaf + 1} of them
 */
public record IdentifyNamespace(long nsze, long ncap, long nuse, int nsfeat, int nlbaf, int flbas, int mc, int dpc,
                                int dps, int nmic, int dlfeat, int nawun, int nawupf, int noiob, int npwg, int mssrl,
                                int mcl, int msrc, int anagrpid, int nvmsetid, int endgid, String nguid, String eui64,
                                List<LbaFormat> lbaFormats) {

    /**
     * Decodes a 4096-byte Identify Namespace data structure.
     *
     * @param buf the buffer Identify filled
     * @return the decoded structure
     */
    public static IdentifyNamespace decode(MemorySegment buf) {
        Decode.requireSize(buf, Identify.DATA_SIZE, "Identify Namespace");
        int nlbaf = u8(buf, 25);
        List<LbaFormat> formats = new ArrayList<>();
        for (int i = 0; i <= Math.min(nlbaf, 63); i++) {
            int f = u32(buf, 128 + 4L * i);
            formats.add(new LbaFormat(i, f & 0xFFFF, (f >>> 16) & 0xFF, (f >>> 24) & 0x3));
        }
        return new IdentifyNamespace(u64(buf, 0), u64(buf, 8), u64(buf, 16), u8(buf, 24), nlbaf, u8(buf, 26),
                u8(buf, 27), u8(buf, 28), u8(buf, 29), u8(buf, 30), u8(buf, 33), u16(buf, 34), u16(buf, 36),
                u16(buf, 46), u16(buf, 64), u16(buf, 74), u32(buf, 76), u8(buf, 80), u32(buf, 92), u16(buf, 100),
                u16(buf, 102), hex(buf, 104, 16), hex(buf, 120, 8), List.copyOf(formats));
    }

    /**
     * The index of the LBA format in use: FLBAS bits 3:0, with bits 6:5 as the upper bits when there are more than
     * 16 formats.
     *
     * @return the index into {@link #lbaFormats()}
     */
    public int activeFormatIndex() {
        int low = flbas & 0xF;
        return nlbaf >= 16 ? low | (((flbas >>> 5) & 0x3) << 4) : low;
    }

    /**
     * The LBA format in use.
     *
     * @return the format
     */
    public LbaFormat activeFormat() {
        return lbaFormats.get(activeFormatIndex());
    }

    /**
     * The LBA data size in use, in bytes.
     *
     * @return bytes per logical block
     */
    public int lbaSize() {
        return activeFormat().dataSize();
    }

    /**
     * The namespace's size in bytes (NSZE times the LBA data size).
     *
     * @return bytes
     */
    public long sizeBytes() {
        return nsze * lbaSize();
    }

    /**
     * Whether metadata is transferred at the end of each block's data (FLBAS bit 4, "extended LBA") rather than in a
     * separate buffer.
     *
     * @return the bit
     */
    public boolean extendedMetadata() {
        return (flbas & (1 << 4)) != 0;
    }

    /**
     * The end-to-end protection type the namespace is formatted with (DPS bits 2:0).
     *
     * @return the type, {@link PiType#NONE} when protection is off
     */
    public PiType protectionType() {
        int t = dps & 0x7;
        return t > 3 ? PiType.NONE : PiType.of(t);
    }

    /**
     * Whether the protection information is the first bytes of each block's metadata (DPS bit 3), rather than the
     * last.
     *
     * @return the bit
     */
    public boolean protectionFirst() {
        return (dps & (1 << 3)) != 0;
    }

    /**
     * Whether the namespace can be formatted with protection type {@code type} (DPC bits 0 to 2).
     *
     * @param type Type 1, 2 or 3 ({@link PiType#NONE} is always possible)
     * @return the capability bit
     */
    public boolean supportsProtection(PiType type) {
        return type == PiType.NONE || (dpc & (1 << (type.code() - 1))) != 0;
    }

    /**
     * Whether the protection information may be the first bytes of the metadata (DPC bit 3).
     *
     * @return the bit
     */
    public boolean supportsProtectionFirst() {
        return (dpc & (1 << 3)) != 0;
    }

    /**
     * Whether the protection information may be the last bytes of the metadata (DPC bit 4).
     *
     * @return the bit
     */
    public boolean supportsProtectionLast() {
        return (dpc & (1 << 4)) != 0;
    }

    /**
     * Where the protection information sits in the format in use, with the guard format and Storage Tag size of the
     * format's Extended LBA Format where the controller reported it ({@code nvm} not null), else the 16b Guard.
     *
     * @param nvm the NVM Command Set Identify Namespace, or {@code null}
     * @return the layout (type {@link PiType#NONE} when protection is off)
     */
    public PiLayout protection(NvmIdentifyNamespace nvm) {
        LbaFormat f = activeFormat();
        GuardFormat guard = GuardFormat.GUARD_16;
        int sts = 0;
        if (nvm != null && activeFormatIndex() < nvm.extendedFormats().size()) {
            ExtendedLbaFormat e = nvm.extendedFormats().get(activeFormatIndex());
            guard = e.guardFormat();
            sts = e.storageTagBits();
        }
        PiType type = protectionType();
        if (type != PiType.NONE && f.metadataSize() < guard.tupleSize()) {
            type = PiType.NONE; // a format that cannot hold the tuple has no usable protection information
        }
        return new PiLayout(type, guard, protectionFirst(), f.dataSize(), f.metadataSize(), extendedMetadata(), sts);
    }

    /**
     * Whether a read of a deallocated block returns zeroes: DLFEAT bits 2:0 = 001b.
     *
     * @return whether the namespace guarantees zeroes
     */
    public boolean deallocatedReadsZeroes() {
        return (dlfeat & 0x7) == 1;
    }

    /**
     * Whether Write Zeroes with Deallocate deallocates (DLFEAT bit 3).
     *
     * @return the bit
     */
    public boolean writeZeroesDeallocates() {
        return (dlfeat & (1 << 3)) != 0;
    }
}
