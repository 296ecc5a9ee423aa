package io.github.jring.nvme.data;

import io.github.jring.nvme.command.Identify;
import io.github.jring.nvme.internal.Decode;
import java.lang.foreign.MemorySegment;

import static io.github.jring.nvme.internal.Decode.ascii;
import static io.github.jring.nvme.internal.Decode.cstring;
import static io.github.jring.nvme.internal.Decode.u16;
import static io.github.jring.nvme.internal.Decode.u24;
import static io.github.jring.nvme.internal.Decode.u32;
import static io.github.jring.nvme.internal.Decode.u64;
import static io.github.jring.nvme.internal.Decode.u8;

/**
 * The Identify Controller data structure (CNS 01h, 4096 bytes), decoded: the fields a program commonly needs, with
 * the specification's abbreviations as names (NVMe Base 2.0, "Identify Controller Data Structure").
 *
 * @param vid      PCI Vendor ID (bytes 1:0)
 * @param ssvid    PCI Subsystem Vendor ID (3:2)
 * @param serial   SN Serial Number (23:4), ASCII, trailing spaces removed
 * @param model    MN Model Number (63:24), ASCII, trailing spaces removed
 * @param firmware FR Firmware Revision (71:64), ASCII, trailing spaces removed
 * @param rab      Recommended Arbitration Burst (72)
 * @param ieee     IEEE OUI Identifier (75:73)
 * @param cmic     Controller Multi-Path I/O and Namespace Sharing Capabilities (76)
 * @param mdts     Maximum Data Transfer Size (77): a power of two in units of the minimum memory page size, 0 none
 * @param cntlid   Controller ID (79:78)
 * @param version  VER (83:80): major in bits 31:16, minor 15:8, tertiary 7:0; 0 before NVMe 1.2
 * @param oaes     Optional Asynchronous Events Supported (95:92)
 * @param ctratt   Controller Attributes (99:96)
 * @param oacs     Optional Admin Command Support (257:256)
 * @param acl      Abort Command Limit, 0-based (258)
 * @param aerl     Asynchronous Event Request Limit, 0-based (259)
 * @param frmw     Firmware Updates (260): bits 3:1 number of slots, bit 0 slot 1 read only
 * @param lpa      Log Page Attributes (261): bit 0 SMART per namespace, bit 2 extended data (offsets) ...
 * @param elpe     Error Log Page Entries, 0-based (262)
 * @param npss     Number of Power States Support, 0-based (263)
 * @param wctemp   Warning Composite Temperature Threshold, Kelvin (267:266)
 * @param cctemp   Critical Composite Temperature Threshold, Kelvin (269:268)
 * @param tnvmcap  Total NVM Capacity in bytes, low 64 bits (295:280)
 * @param unvmcap  Unallocated NVM Capacity in bytes, low 64 bits (311:296)
 * @param sqes     Submission Queue Entry Size (512): bits 3:0 required, 7:4 maximum, as powers of two
 * @param cqes     Completion Queue Entry Size (513)
 * @param maxcmd   Maximum Outstanding Commands (515:514)
 * @param nn       Number of Namespaces: the largest NSID (519:516)
 * @param oncs     Optional NVM Command Support (521:520), see {@link #supportsCompare()} and friends
 * @param fuses    Fused Operation Support (523:522)
 * @param fna      Format NVM Attributes (524)
 * @param vwc      Volatile Write Cache (525): bit 0 present
 * @param awun     Atomic Write Unit Normal, 0-based blocks (527:526)
 * @param awupf    Atomic Write Unit Power Fail, 0-based blocks (529:528)
 * @param ocfs     Optional Copy Formats Supported (535:534)
 * @param sgls     SGL Support (539:536)
 * @param subnqn   NVM Subsystem NVMe Qualified Name (1023:768)
 */
public record IdentifyController(int vid, int ssvid, String serial, String model, String firmware, int rab, int ieee,
                                 int cmic, int mdts, int cntlid, int version, int oaes, int ctratt, int oacs, int acl,
                                 int aerl, int frmw, int lpa, int elpe, int npss, int wctemp, int cctemp, long tnvmcap,
                                 long unvmcap, int sqes, int cqes, int maxcmd, int nn, int oncs, int fuses, int fna,
                                 int vwc, int awun, int awupf, int ocfs, int sgls, String subnqn) {

    /**
     * Decodes a 4096-byte Identify Controller data structure.
     *
     * @param buf the buffer Identify filled
     * @return the decoded structure
     */
    public static IdentifyController decode(MemorySegment buf) {
        Decode.requireSize(buf, Identify.DATA_SIZE, "Identify Controller");
        return new IdentifyController(u16(buf, 0), u16(buf, 2), ascii(buf, 4, 20), ascii(buf, 24, 40),
                ascii(buf, 64, 8), u8(buf, 72), u24(buf, 73), u8(buf, 76), u8(buf, 77), u16(buf, 78), u32(buf, 80),
                u32(buf, 92), u32(buf, 96), u16(buf, 256), u8(buf, 258), u8(buf, 259), u8(buf, 260), u8(buf, 261),
                u8(buf, 262), u8(buf, 263), u16(buf, 266), u16(buf, 268), u64(buf, 280), u64(buf, 296),
                u8(buf, 512), u8(buf, 513), u16(buf, 514), u32(buf, 516), u16(buf, 520), u16(buf, 522),
                u8(buf, 524), u8(buf, 525), u16(buf, 526), u16(buf, 528), u16(buf, 534), u32(buf, 536),
                cstring(buf, 768, 256));
    }

    /**
     * ONCS bit 0: Compare.
     *
     * @return whether supported
     */
    public boolean supportsCompare() {
        return (oncs & 1) != 0;
    }

    /**
     * ONCS bit 1: Write Uncorrectable.
     *
     * @return whether supported
     */
    public boolean supportsWriteUncorrectable() {
        return (oncs & (1 << 1)) != 0;
    }

    /**
     * ONCS bit 2: Dataset Management.
     *
     * @return whether supported
     */
    public boolean supportsDatasetManagement() {
        return (oncs & (1 << 2)) != 0;
    }

    /**
     * ONCS bit 3: Write Zeroes.
     *
     * @return whether supported
     */
    public boolean supportsWriteZeroes() {
        return (oncs & (1 << 3)) != 0;
    }

    /**
     * ONCS bit 7: Verify.
     *
     * @return whether supported
     */
    public boolean supportsVerify() {
        return (oncs & (1 << 7)) != 0;
    }

    /**
     * ONCS bit 8: Copy.
     *
     * @return whether supported
     */
    public boolean supportsCopy() {
        return (oncs & (1 << 8)) != 0;
    }

    /**
     * VWC bit 0: a volatile write cache is present.
     *
     * @return whether present
     */
    public boolean hasVolatileWriteCache() {
        return (vwc & 1) != 0;
    }

    /**
     * The maximum data transfer size in bytes, given the controller's minimum memory page size (CAP.MPSMIN, 4096 on
     * almost every controller; Linux uses 4096).
     *
     * @param minPageSize the minimum memory page size in bytes
     * @return bytes, or {@code Long.MAX_VALUE} when MDTS is 0 (no limit)
     */
    public long maxDataTransferBytes(int minPageSize) {
        return mdts == 0 ? Long.MAX_VALUE : (long) minPageSize << mdts;
    }

    /**
     * The version as text, for example {@code "1.4.0"}.
     *
     * @return major.minor.tertiary
     */
    public String versionString() {
        return (version >>> 16) + "." + ((version >>> 8) & 0xFF) + "." + (version & 0xFF);
    }
}
