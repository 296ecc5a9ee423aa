package io.github.jring.nvme.command;

import io.github.jring.nvme.data.DirectiveParameters;
import io.github.jring.nvme.data.StreamsParameters;

import java.lang.foreign.MemorySegment;

/**
 * Directive Receive (admin opcode 1Ah): reads directive-specific data, for example which directive types the
 * controller supports and has enabled for a namespace (Identify, {@link DirectiveParameters}) or the streams
 * resources ({@link StreamsParameters}). Identify Controller OACS bit 5 says whether the controller has directives.
 *
 * <pre>
 *   CDW10     NUMD  number of dwords to transfer (0-based); set from the buffer's size
 *   CDW11     bits 7:0   DOPER Directive Operation
 *             bits 15:8  DTYPE Directive Type (00h Identify, 01h Streams, 02h Data Placement)
 *             bits 31:16 DSPEC Directive Specific
 *   CDW12     operation specific (Streams Allocate Resources: NSR, the number of streams requested)
 * </pre>
 * A directive type the controller does not support, or an operation it does not know: {@code INVALID_FIELD}.
 */
public final class DirectiveReceive extends NvmeCommand<DirectiveReceive> {

    /** Opcode 1Ah. */
    public static final int OPCODE = 0x1A;
    /** Directive Type 00h: Identify. */
    public static final int DTYPE_IDENTIFY = 0x00;
    /** Directive Type 01h: Streams. */
    public static final int DTYPE_STREAMS = 0x01;
    /** Directive Type 02h: Data Placement. */
    public static final int DTYPE_DATA_PLACEMENT = 0x02;
    /** Identify, operation 01h: Return Parameters (4096 bytes). */
    public static final int DOPER_IDENTIFY_RETURN_PARAMETERS = 0x01;
    /** Streams, operation 01h: Return Parameters (32 bytes). */
    public static final int DOPER_STREAMS_RETURN_PARAMETERS = 0x01;
    /** Streams, operation 02h: Get Status (open streams and their identifiers). */
    public static final int DOPER_STREAMS_GET_STATUS = 0x02;
    /** Streams, operation 03h: Allocate Resources (CDW12 NSR; completion dword 0 NSA). */
    public static final int DOPER_STREAMS_ALLOCATE_RESOURCES = 0x03;

    /**
     * A Directive Receive of {@code dtype}/{@code doper} for {@code nsid} into {@code buffer} (a multiple of 4 bytes,
     * or none).
     *
     * @param nsid   the namespace
     * @param dtype  the directive type
     * @param doper  the directive operation
     * @param buffer native memory, or {@code null} for none
     */
    public DirectiveReceive(int nsid, int dtype, int doper, MemorySegment buffer) {
        super(true, OPCODE, nsid);
        cdw11 = field(field(0, 0, 8, doper, "DOPER"), 8, 8, dtype, "DTYPE");
        if (buffer != null) {
            data(buffer);
        }
    }

    /**
     * Identify Return Parameters: the directive types supported and enabled for {@code nsid}
     * ({@link DirectiveParameters#decode(MemorySegment)}).
     *
     * @param nsid   the namespace
     * @param buffer 4096 bytes
     * @return the command
     */
    public static DirectiveReceive identify(int nsid, MemorySegment buffer) {
        return new DirectiveReceive(nsid, DTYPE_IDENTIFY, DOPER_IDENTIFY_RETURN_PARAMETERS, buffer);
    }

    /**
     * Streams Return Parameters ({@link StreamsParameters#decode(MemorySegment)}).
     *
     * @param nsid   the namespace
     * @param buffer 32 bytes
     * @return the command
     */
    public static DirectiveReceive streamsParameters(int nsid, MemorySegment buffer) {
        return new DirectiveReceive(nsid, DTYPE_STREAMS, DOPER_STREAMS_RETURN_PARAMETERS, buffer);
    }

    /**
     * Directive Specific (CDW11 bits 31:16).
     *
     * @param dspec the value
     * @return this command
     */
    public DirectiveReceive directiveSpecific(int dspec) {
        cdw11 = field(cdw11, 16, 16, dspec, "DSPEC");
        return this;
    }

    /**
     * Operation-specific CDW12 (Streams Allocate Resources: the number of streams requested).
     *
     * @param value the dword
     * @return this command
     */
    public DirectiveReceive cdw12(int value) {
        cdw12 = value;
        return this;
    }

    /**
     * The Directive Type.
     *
     * @return DTYPE
     */
    public int directiveType() {
        return (cdw11 >>> 8) & 0xFF;
    }

    /**
     * The Directive Operation.
     *
     * @return DOPER
     */
    public int directiveOperation() {
        return cdw11 & 0xFF;
    }

    @Override
    void dataChanged() {
        cdw10 = zeroBasedDwords(dataBytes(), "a Directive Receive");
    }

    @Override
    public long requiredDataLength(int lbaDataSize) {
        return dataBytes() == 0 ? 0 : (Integer.toUnsignedLong(cdw10) + 1) * 4;
    }

    @Override
    public String describe() {
        return "Directive Receive (nsid " + Integer.toUnsignedString(nsid) + ", DTYPE "
                + String.format("%02Xh", directiveType()) + ", DOPER " + String.format("%02Xh", directiveOperation())
                + ")";
    }

    @Override
    public String name() {
        return "Directive Receive";
    }
}
