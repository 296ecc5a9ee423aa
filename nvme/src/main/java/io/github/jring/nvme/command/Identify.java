package io.github.jring.nvme.command;

import io.github.jring.nvme.internal.Decode;
import io.github.jring.nvme.data.IdentifyController;
import io.github.jring.nvme.data.IdentifyNamespace;
import io.github.jring.nvme.data.ZnsIdentifyController;
import io.github.jring.nvme.data.ZnsIdentifyNamespace;
import java.lang.foreign.MemorySegment;

/**
 * Identify (admin opcode 06h): returns a 4096-byte data structure about the controller, a namespace or lists of them,
 * selected by the Controller or Namespace Structure (CNS).
 *
 * <pre>
 *   CDW10     bits 7:0   CNS    which structure
 *             bits 31:16 CNTID  controller identifier (for controller lists)
 *   CDW11     bits 15:0  CNS Specific Identifier
 *             bits 31:24 CSI    Command Set Identifier (0 NVM, 2 Zoned Namespace) for the command-set-specific CNS
 *   data      4096 bytes
 * </pre>
 * The factories cover the structures jring decodes: {@link #controller()} ({@link IdentifyController}),
 * {@link #namespace(int)} ({@link IdentifyNamespace}), {@link #activeNamespaces(int)}
 * ({@link #decodeNamespaceList(MemorySegment)}), {@link #zonedNamespace(int)} ({@link ZnsIdentifyNamespace}) and
 * {@link #zonedController()} ({@link ZnsIdentifyController}). Identify is allowed to unprivileged users with read
 * access to the device from Linux 6.2.
 */
public final class Identify extends NvmeCommand<Identify> {

    /** Opcode 06h. */
    public static final int OPCODE = 0x06;
    /** Size of every Identify data structure. */
    public static final int DATA_SIZE = 4096;
    /** CNS 00h: Identify Namespace data structure for the NSID (NVM Command Set). */
    public static final int CNS_NAMESPACE = 0x00;
    /** CNS 01h: Identify Controller data structure. */
    public static final int CNS_CONTROLLER = 0x01;
    /** CNS 02h: Active Namespace ID list: up to 1024 active NSIDs greater than the NSID given, ascending. */
    public static final int CNS_ACTIVE_NAMESPACES = 0x02;
    /** CNS 03h: Namespace Identification Descriptor list (EUI64, NGUID, UUID, CSI) for the NSID. */
    public static final int CNS_NAMESPACE_DESCRIPTORS = 0x03;
    /** CNS 05h: I/O Command Set specific Identify Namespace data structure (for the CSI). */
    public static final int CNS_CSI_NAMESPACE = 0x05;
    /** CNS 06h: I/O Command Set specific Identify Controller data structure (for the CSI). */
    public static final int CNS_CSI_CONTROLLER = 0x06;
    /** Command Set Identifier 00h: NVM Command Set. */
    public static final int CSI_NVM = 0x00;
    /** Command Set Identifier 02h: Zoned Namespace Command Set. */
    public static final int CSI_ZNS = 0x02;

    /**
     * Identify with the given CNS for namespace {@code nsid}; set the buffer with {@link #data(MemorySegment)}.
     *
     * @param cns  the structure
     * @param nsid the namespace (0 when the structure is not namespace specific)
     */
    public Identify(int cns, int nsid) {
        super(true, OPCODE, nsid);
        cdw10 = field(0, 0, 8, cns, "CNS");
    }

    /**
     * Identify Controller (CNS 01h).
     *
     * @return the command; set its 4096-byte buffer
     */
    public static Identify controller() {
        return new Identify(CNS_CONTROLLER, 0);
    }

    /**
     * Identify Namespace (CNS 00h) for {@code nsid}.
     *
     * @param nsid the namespace
     * @return the command; set its 4096-byte buffer
     */
    public static Identify namespace(int nsid) {
        return new Identify(CNS_NAMESPACE, nsid);
    }

    /**
     * Active Namespace ID list (CNS 02h): the active namespaces with an NSID greater than {@code afterNsid}.
     *
     * @param afterNsid 0 for the whole list (from NSID 1)
     * @return the command; set its 4096-byte buffer
     */
    public static Identify activeNamespaces(int afterNsid) {
        return new Identify(CNS_ACTIVE_NAMESPACES, afterNsid);
    }

    /**
     * Namespace Identification Descriptor list (CNS 03h) for {@code nsid}: its identifiers, including the Command Set
     * Identifier that tells a zoned namespace from a conventional one ({@link #decodeCommandSet(MemorySegment)}).
     *
     * @param nsid the namespace
     * @return the command; set its 4096-byte buffer
     */
    public static Identify namespaceDescriptors(int nsid) {
        return new Identify(CNS_NAMESPACE_DESCRIPTORS, nsid);
    }

    /**
     * NVM Command Set specific Identify Namespace (CNS 05h, CSI 00h) for {@code nsid}: the Logical Block Storage Tag
     * Mask, the Protection Information Capabilities and the Extended LBA Formats (the protection information format,
     * PIF, and Storage Tag size of each LBA format); decode with {@code NvmIdentifyNamespace.decode}. Controllers
     * before NVMe 2.0 answer {@link io.github.jring.nvme.status.NvmeStatusCode#INVALID_FIELD}.
     *
     * @param nsid the namespace
     * @return the command
     */
    public static Identify nvmNamespace(int nsid) {
        return new Identify(CNS_CSI_NAMESPACE, nsid).csi(CSI_NVM);
    }

    /**
     * Zoned Namespace Command Set specific Identify Namespace (CNS 05h, CSI 02h) for {@code nsid}.
     *
     * @param nsid a zoned namespace
     * @return the command; set its 4096-byte buffer
     */
    public static Identify zonedNamespace(int nsid) {
        return new Identify(CNS_CSI_NAMESPACE, nsid).csi(CSI_ZNS);
    }

    /**
     * Zoned Namespace Command Set specific Identify Controller (CNS 06h, CSI 02h).
     *
     * @return the command; set its 4096-byte buffer
     */
    public static Identify zonedController() {
        return new Identify(CNS_CSI_CONTROLLER, 0).csi(CSI_ZNS);
    }

    /**
     * Sets the Command Set Identifier (CDW11 bits 31:24).
     *
     * @param csi 0 NVM, 2 Zoned Namespace ...
     * @return this command
     */
    public Identify csi(int csi) {
        cdw11 = field(cdw11, 24, 8, csi, "CSI");
        return this;
    }

    /**
     * Sets the Controller Identifier (CDW10 bits 31:16).
     *
     * @param cntid the controller
     * @return this command
     */
    public Identify controllerId(int cntid) {
        cdw10 = field(cdw10, 16, 16, cntid, "CNTID");
        return this;
    }

    /**
     * The CNS.
     *
     * @return the structure selector
     */
    public int cns() {
        return cdw10 & 0xFF;
    }

    /**
     * The CSI.
     *
     * @return the command set identifier
     */
    public int csi() {
        return cdw11 >>> 24;
    }

    /**
     * Decodes an Active Namespace ID list: the non-zero NSIDs, in the order given (ascending).
     *
     * @param buf the 4096-byte list
     * @return the namespace ids
     */
    public static int[] decodeNamespaceList(MemorySegment buf) {
        int n = 0;
        while (n < 1024 && Decode.u32(buf, n * 4L) != 0) {
            n++;
        }
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = Decode.u32(buf, i * 4L);
        }
        return ids;
    }

    /**
     * Finds the Command Set Identifier in a Namespace Identification Descriptor list: descriptors of NIDT (1 byte),
     * NIDL (1 byte), 2 reserved bytes and NIDL bytes of identifier; NIDT 04h is the CSI (1 byte).
     *
     * @param buf the 4096-byte list
     * @return the CSI ({@link #CSI_NVM}, {@link #CSI_ZNS} ...), or -1 if the list has none (controllers before NVMe
     *         2.0 list no CSI: their namespaces use the NVM Command Set)
     */
    public static int decodeCommandSet(MemorySegment buf) {
        long off = 0;
        while (off + 4 <= DATA_SIZE) {
            int nidt = Decode.u8(buf, off);
            int nidl = Decode.u8(buf, off + 1);
            if (nidt == 0 || nidl == 0) {
                return -1;
            }
            if (nidt == 0x04) {
                return Decode.u8(buf, off + 4);
            }
            off += 4 + nidl;
        }
        return -1;
    }

    @Override
    public long requiredDataLength(int lbaDataSize) {
        return DATA_SIZE;
    }

    @Override
    public String describe() {
        return "Identify (CNS " + String.format("%02Xh", cns()) + (csi() != 0 ? ", CSI " + csi() : "") + ", nsid "
                + Integer.toUnsignedString(nsid) + ")";
    }

    @Override
    public String name() {
        return "Identify";
    }
}
