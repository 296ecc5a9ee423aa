package io.github.jring.nvme.command;

import io.github.jring.nvme.data.ChangedZoneList;
import io.github.jring.nvme.data.FdpConfigurations;
import io.github.jring.nvme.data.FdpEvents;
import io.github.jring.nvme.data.FdpStatistics;
import io.github.jring.nvme.data.ReclaimUnitHandleUsage;
import io.github.jring.nvme.data.ErrorLogEntry;
import io.github.jring.nvme.data.FirmwareSlotLog;
import io.github.jring.nvme.data.SmartLog;
import io.github.jring.nvme.status.NvmeStatusCode;
import java.lang.foreign.MemorySegment;

/**
 * Get Log Page (admin opcode 02h): returns (part of) a log page. The buffer's size sets how many bytes are read.
 *
 * <pre>
 *   CDW10     bits 7:0   LID   Log Page Identifier
 *             bits 14:8  LSP   Log Specific Parameter
 *             bit  15    RAE   Retain Asynchronous Event
 *             bits 31:16 NUMDL number of dwords (0-based), low half
 *   CDW11     bits 15:0  NUMDU number of dwords, high half
 *             bits 31:16 LSI   Log Specific Identifier
 *   CDW12-13  LPO   Log Page Offset in bytes (dword aligned)
 *   CDW14     bits 31:24 CSI   Command Set Identifier
 * </pre>
 * A log page the controller does not support completes with {@link NvmeStatusCode#INVALID_LOG_PAGE}; one not
 * available per namespace (LPA bit 0 clear for SMART) with {@link NvmeStatusCode#INVALID_FIELD} when an NSID is given.
 */
public final class GetLogPage extends NvmeCommand<GetLogPage> {

    /** Opcode 02h. */
    public static final int OPCODE = 0x02;
    /** LID 01h: Error Information, 64-byte entries, newest first ({@link ErrorLogEntry}). */
    public static final int LID_ERROR_INFORMATION = 0x01;
    /** LID 02h: SMART / Health Information, 512 bytes ({@link SmartLog}). */
    public static final int LID_SMART = 0x02;
    /** LID 03h: Firmware Slot Information, 512 bytes ({@link FirmwareSlotLog}). */
    public static final int LID_FIRMWARE_SLOT = 0x03;
    /** LID 20h: FDP Configurations, per endurance group ({@link FdpConfigurations}). */
    public static final int LID_FDP_CONFIGURATIONS = 0x20;
    /** LID 21h: Reclaim Unit Handle Usage, per endurance group ({@link ReclaimUnitHandleUsage}). */
    public static final int LID_RECLAIM_UNIT_HANDLE_USAGE = 0x21;
    /** LID 22h: FDP Statistics, per endurance group, 64 bytes ({@link FdpStatistics}). */
    public static final int LID_FDP_STATISTICS = 0x22;
    /** LID 23h: FDP Events, per endurance group ({@link FdpEvents}); LSP bit 0 picks host or controller events. */
    public static final int LID_FDP_EVENTS = 0x23;
    /** LID BFh: Changed Zone List (Zoned Namespace Command Set), 4096 bytes ({@link ChangedZoneList}). */
    public static final int LID_CHANGED_ZONE_LIST = 0xBF;

    /**
     * Get Log Page {@code lid} for {@code nsid}; set the buffer (its size, a multiple of 4, is what is read).
     *
     * @param lid  the log page
     * @param nsid the namespace, or {@link #NSID_ALL} for the controller-wide page
     */
    public GetLogPage(int lid, int nsid) {
        super(true, OPCODE, nsid);
        cdw10 = field(0, 0, 8, lid, "LID");
    }

    /**
     * Error Information log (LID 01h).
     *
     * @param buffer 64 bytes per entry wanted
     * @return the command
     */
    public static GetLogPage errorInformation(MemorySegment buffer) {
        return new GetLogPage(LID_ERROR_INFORMATION, NSID_ALL).data(buffer);
    }

    /**
     * SMART / Health Information log (LID 02h) for the whole controller.
     *
     * @param buffer 512 bytes
     * @return the command
     */
    public static GetLogPage smartHealth(MemorySegment buffer) {
        return new GetLogPage(LID_SMART, NSID_ALL).data(buffer);
    }

    /**
     * Firmware Slot Information log (LID 03h).
     *
     * @param buffer 512 bytes
     * @return the command
     */
    public static GetLogPage firmwareSlot(MemorySegment buffer) {
        return new GetLogPage(LID_FIRMWARE_SLOT, NSID_ALL).data(buffer);
    }

    /**
     * Changed Zone List log (LID BFh, CSI 02h) of a zoned namespace: zones the controller changed (for example
     * finished on its own). Reading it clears it (unless RAE).
     *
     * @param nsid   the zoned namespace
     * @param buffer 4096 bytes
     * @return the command
     */
    public static GetLogPage changedZoneList(int nsid, MemorySegment buffer) {
        return new GetLogPage(LID_CHANGED_ZONE_LIST, nsid).csi(Identify.CSI_ZNS).data(buffer);
    }

    // Flexible Data Placement (NVMe 2.0c / TP4146): the log pages are per endurance group, named by the Log Specific
    // Identifier; the namespace id is not used (0).

    /**
     * FDP Configurations log (LID 20h) of endurance group {@code endgid}: a 16-byte header, then each configuration
     * with its reclaim unit handle descriptors ({@link FdpConfigurations#decode(MemorySegment)}).
     *
     * @param endgid the endurance group (Identify Namespace ENDGID; 1 on a controller with one)
     * @param buffer the log's size (its header says: {@code FdpConfigurations.size()}), a multiple of 4
     * @return the command
     */
    public static GetLogPage fdpConfigurations(int endgid, MemorySegment buffer) {
        return new GetLogPage(LID_FDP_CONFIGURATIONS, 0).logSpecificId(endgid).data(buffer);
    }

    /**
     * Reclaim Unit Handle Usage log (LID 21h) of endurance group {@code endgid}: an 8-byte header and 8 bytes per
     * reclaim unit handle ({@link ReclaimUnitHandleUsage#decode(MemorySegment)}).
     *
     * @param endgid the endurance group
     * @param buffer 8 + 8 x handles bytes
     * @return the command
     */
    public static GetLogPage reclaimUnitHandleUsage(int endgid, MemorySegment buffer) {
        return new GetLogPage(LID_RECLAIM_UNIT_HANDLE_USAGE, 0).logSpecificId(endgid).data(buffer);
    }

    /**
     * FDP Statistics log (LID 22h) of endurance group {@code endgid} ({@link FdpStatistics#decode(MemorySegment)}).
     *
     * @param endgid the endurance group
     * @param buffer 64 bytes
     * @return the command
     */
    public static GetLogPage fdpStatistics(int endgid, MemorySegment buffer) {
        return new GetLogPage(LID_FDP_STATISTICS, 0).logSpecificId(endgid).data(buffer);
    }

    /**
     * FDP Events log (LID 23h) of endurance group {@code endgid}: host events (LSP 0) or controller events (LSP 1),
     * a 64-byte header and 64 bytes per event ({@link FdpEvents#decode(MemorySegment)}).
     *
     * @param endgid           the endurance group
     * @param controllerEvents {@code true} for controller events, {@code false} for host events
     * @param buffer           64 + 64 x events bytes
     * @return the command
     */
    public static GetLogPage fdpEvents(int endgid, boolean controllerEvents, MemorySegment buffer) {
        return new GetLogPage(LID_FDP_EVENTS, 0).logSpecificId(endgid)
                .logSpecificParameter(controllerEvents ? 1 : 0).data(buffer);
    }

    /**
     * Log Specific Parameter (CDW10 bits 14:8).
     *
     * @param lsp the parameter
     * @return this command
     */
    public GetLogPage logSpecificParameter(int lsp) {
        cdw10 = field(cdw10, 8, 7, lsp, "LSP");
        return this;
    }

    /**
     * Retain Asynchronous Event (CDW10 bit 15): do not clear the asynchronous event that the log page reports.
     *
     * @param on whether to set it
     * @return this command
     */
    public GetLogPage retainAsyncEvent(boolean on) {
        cdw10 = bit(cdw10, 15, on);
        return this;
    }

    /**
     * Log Specific Identifier (CDW11 bits 31:16).
     *
     * @param lsi the identifier
     * @return this command
     */
    public GetLogPage logSpecificId(int lsi) {
        cdw11 = field(cdw11, 16, 16, lsi, "LSI");
        return this;
    }

    /**
     * Log Page Offset in bytes (CDW12-13); must be a multiple of 4 (Identify Controller LPA bit 2 says whether offsets
     * are supported).
     *
     * @param offset byte offset into the log page
     * @return this command
     */
    public GetLogPage offset(long offset) {
        if (offset < 0 || (offset & 3) != 0) {
            throw new IllegalArgumentException("log page offset must be a non-negative multiple of 4: " + offset);
        }
        cdw12 = (int) offset;
        cdw13 = (int) (offset >>> 32);
        return this;
    }

    /**
     * Command Set Identifier (CDW14 bits 31:24), for command-set-specific log pages.
     *
     * @param csi the command set
     * @return this command
     */
    public GetLogPage csi(int csi) {
        cdw14 = field(cdw14, 24, 8, csi, "CSI");
        return this;
    }

    /**
     * The Log Page Identifier.
     *
     * @return the LID
     */
    public int lid() {
        return cdw10 & 0xFF;
    }

    /**
     * Number of bytes requested (from NUMDL/NUMDU).
     *
     * @return bytes
     */
    public long length() {
        if (dataBytes() == 0) {
            return 0;
        }
        long numd = ((cdw10 >>> 16) & 0xFFFFL) | ((cdw11 & 0xFFFFL) << 16);
        return (numd + 1) * 4;
    }

    @Override
    void dataChanged() {
        long bytes = dataBytes();
        if (bytes == 0) {
            cdw10 &= 0xFFFF;
            cdw11 &= 0xFFFF_0000;
            return;
        }
        if (bytes % 4 != 0) {
            throw new IllegalArgumentException("a log page buffer must be a multiple of 4 bytes: " + bytes);
        }
        long numd = bytes / 4 - 1;
        cdw10 = (cdw10 & 0xFFFF) | (int) ((numd & 0xFFFF) << 16);
        cdw11 = (cdw11 & 0xFFFF_0000) | (int) ((numd >>> 16) & 0xFFFF);
    }

    @Override
    public long requiredDataLength(int lbaDataSize) {
        return length();
    }

    @Override
    public String describe() {
        return "Get Log Page (LID " + String.format("%02Xh", lid()) + ", nsid " + Integer.toUnsignedString(nsid) + ", "
                + length() + " bytes)";
    }

    @Override
    public String name() {
        return "Get Log Page";
    }
}
