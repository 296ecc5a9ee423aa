package io.github.jring.nvme.command;


/**
 * Directive Send (admin opcode 19h): enables or disables a directive type for a namespace (Identify, Enable
 * Directive) or releases streams resources. Identify Controller OACS bit 5 says whether the controller has directives.
 *
 * <pre>
 *   CDW10     NUMD  number of dwords of data (0-based); set from the buffer's size, 0 without data
 *   CDW11     bits 7:0   DOPER Directive Operation
 *             bits 15:8  DTYPE Directive Type
 *             bits 31:16 DSPEC Directive Specific (Streams Release Identifier: the stream)
 *   CDW12     operation specific; Identify Enable Directive: bit 0 ENDIR (enable), bits 15:8 TDTYPE (the type)
 * </pre>
 * Errors: {@code INVALID_FIELD} for a type the controller does not support or cannot enable that way (Data
 * Placement, for one, is enabled per endurance group by Set Features FDP, not here).
 */
public final class DirectiveSend extends NvmeCommand<DirectiveSend> {

    /** Opcode 19h. */
    public static final int OPCODE = 0x19;
    /** Identify, operation 01h: Enable Directive. */
    public static final int DOPER_IDENTIFY_ENABLE_DIRECTIVE = 0x01;
    /** Streams, operation 01h: Release Identifier (DSPEC: the stream). */
    public static final int DOPER_STREAMS_RELEASE_IDENTIFIER = 0x01;
    /** Streams, operation 02h: Release Resources. */
    public static final int DOPER_STREAMS_RELEASE_RESOURCES = 0x02;

    /**
     * A Directive Send of {@code dtype}/{@code doper} for {@code nsid}, without data.
     *
     * @param nsid  the namespace
     * @param dtype the directive type
     * @param doper the directive operation
     */
    public DirectiveSend(int nsid, int dtype, int doper) {
        super(true, OPCODE, nsid);
        cdw11 = field(field(0, 0, 8, doper, "DOPER"), 8, 8, dtype, "DTYPE");
    }

    /**
     * Identify, Enable Directive: enables or disables directive type {@code type} for {@code nsid}.
     *
     * @param nsid   the namespace
     * @param type   the directive type to switch (for example {@link DirectiveReceive#DTYPE_STREAMS})
     * @param enable whether to enable it
     * @return the command
     */
    public static DirectiveSend enable(int nsid, int type, boolean enable) {
        DirectiveSend c = new DirectiveSend(nsid, DirectiveReceive.DTYPE_IDENTIFY, DOPER_IDENTIFY_ENABLE_DIRECTIVE);
        c.cdw12 = field(enable ? 1 : 0, 8, 8, type, "TDTYPE");
        return c;
    }

    /**
     * Streams, Release Identifier: releases stream {@code streamId} of {@code nsid}.
     *
     * @param nsid     the namespace
     * @param streamId the stream
     * @return the command
     */
    public static DirectiveSend releaseStream(int nsid, int streamId) {
        return new DirectiveSend(nsid, DirectiveReceive.DTYPE_STREAMS, DOPER_STREAMS_RELEASE_IDENTIFIER)
                .directiveSpecific(streamId);
    }

    /**
     * Streams, Release Resources: releases all streams resources the host allocated for {@code nsid}.
     *
     * @param nsid the namespace
     * @return the command
     */
    public static DirectiveSend releaseStreamResources(int nsid) {
        return new DirectiveSend(nsid, DirectiveReceive.DTYPE_STREAMS, DOPER_STREAMS_RELEASE_RESOURCES);
    }

    /**
     * Directive Specific (CDW11 bits 31:16).
     *
     * @param dspec the value
     * @return this command
     */
    public DirectiveSend directiveSpecific(int dspec) {
        cdw11 = field(cdw11, 16, 16, dspec, "DSPEC");
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

    /**
     * Operation-specific CDW12.
     *
     * @return the dword
     */
    public int cdw12() {
        return cdw12;
    }

    @Override
    void dataChanged() {
        cdw10 = zeroBasedDwords(dataBytes(), "a Directive Send");
    }

    @Override
    public long requiredDataLength(int lbaDataSize) {
        return dataBytes();
    }

    @Override
    public String describe() {
        return "Directive Send (nsid " + Integer.toUnsignedString(nsid) + ", DTYPE "
                + String.format("%02Xh", directiveType()) + ", DOPER " + String.format("%02Xh", directiveOperation())
                + ")";
    }

    @Override
    public String name() {
        return "Directive Send";
    }
}
