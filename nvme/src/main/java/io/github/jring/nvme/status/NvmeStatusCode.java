package io.github.jring.nvme.status;

/**
 * The named NVMe completion status codes: the pair (Status Code Type, Status Code) of the NVMe Base Specification
 * 2.0 (figures "Status Code - Generic Command Status Values", "Status Code - Command Specific Status Values",
 * "Status Code - Media and Data Integrity Errors", "Status Code - Path Related Status"), the NVM Command Set
 * Specification's additions (LBA Out of Range, Compare Failure ...) and the Zoned Namespace Command Set
 * Specification's ({@code Zone Is Full} ...).
 *
 * <p>Codes 80h-BFh of types 0 and 1 belong to the I/O command set the command was sent for; the names here are the
 * NVM and Zoned Namespace command sets' (the only ones jring speaks), which do not overlap. A status not in this
 * table (vendor specific, or from a later revision) is still decoded by {@link NvmeStatus}, just without a name.
 */
public enum NvmeStatusCode {

    // ---- Generic Command Status (SCT 0h) ----
    /** 00h: the command completed without error. */
    SUCCESS(0, 0x00, "Successful Completion"),
    /** 01h: the opcode is reserved or not supported by the controller. */
    INVALID_COMMAND_OPCODE(0, 0x01, "Invalid Command Opcode"),
    /** 02h: a reserved or unsupported value in a defined field (other than the opcode or NSID). */
    INVALID_FIELD(0, 0x02, "Invalid Field in Command"),
    /** 03h: the command identifier is already in use. */
    COMMAND_ID_CONFLICT(0, 0x03, "Command ID Conflict"),
    /** 04h: transferring the data or metadata failed. */
    DATA_TRANSFER_ERROR(0, 0x04, "Data Transfer Error"),
    /** 05h: aborted because of a power loss notification. */
    ABORTED_POWER_LOSS(0, 0x05, "Commands Aborted due to Power Loss Notification"),
    /** 06h: the command was not completed successfully because of an internal error. */
    INTERNAL_ERROR(0, 0x06, "Internal Error"),
    /** 07h: aborted by an Abort command. */
    ABORT_REQUESTED(0, 0x07, "Command Abort Requested"),
    /** 08h: aborted because its submission queue was deleted. */
    ABORTED_SQ_DELETION(0, 0x08, "Command Aborted due to SQ Deletion"),
    /** 09h: aborted because the other command of a fused operation failed. */
    ABORTED_FAILED_FUSED(0, 0x09, "Command Aborted due to Failed Fused Command"),
    /** 0Ah: aborted because the companion fused command was not found. */
    ABORTED_MISSING_FUSED(0, 0x0A, "Command Aborted due to Missing Fused Command"),
    /** 0Bh: the namespace or its format is not valid for this command (for example an inactive NSID). */
    INVALID_NAMESPACE_OR_FORMAT(0, 0x0B, "Invalid Namespace or Format"),
    /** 0Ch: the command was a protocol violation in a multi-command sequence. */
    COMMAND_SEQUENCE_ERROR(0, 0x0C, "Command Sequence Error"),
    /** 0Dh. */
    INVALID_SGL_SEGMENT_DESCRIPTOR(0, 0x0D, "Invalid SGL Segment Descriptor"),
    /** 0Eh. */
    INVALID_NUMBER_OF_SGL_DESCRIPTORS(0, 0x0E, "Invalid Number of SGL Descriptors"),
    /** 0Fh. */
    DATA_SGL_LENGTH_INVALID(0, 0x0F, "Data SGL Length Invalid"),
    /** 10h. */
    METADATA_SGL_LENGTH_INVALID(0, 0x10, "Metadata SGL Length Invalid"),
    /** 11h. */
    SGL_DESCRIPTOR_TYPE_INVALID(0, 0x11, "SGL Descriptor Type Invalid"),
    /** 12h. */
    INVALID_USE_OF_CMB(0, 0x12, "Invalid Use of Controller Memory Buffer"),
    /** 13h: a PRP entry's offset is not valid. */
    PRP_OFFSET_INVALID(0, 0x13, "PRP Offset Invalid"),
    /** 14h. */
    ATOMIC_WRITE_UNIT_EXCEEDED(0, 0x14, "Atomic Write Unit Exceeded"),
    /** 15h: the command was denied for an unspecified reason (for example security). */
    OPERATION_DENIED(0, 0x15, "Operation Denied"),
    /** 16h. */
    SGL_OFFSET_INVALID(0, 0x16, "SGL Offset Invalid"),
    /** 18h. */
    HOST_ID_INCONSISTENT_FORMAT(0, 0x18, "Host Identifier Inconsistent Format"),
    /** 19h. */
    KEEP_ALIVE_TIMER_EXPIRED(0, 0x19, "Keep Alive Timer Expired"),
    /** 1Ah. */
    KEEP_ALIVE_TIMEOUT_INVALID(0, 0x1A, "Keep Alive Timeout Invalid"),
    /** 1Bh. */
    ABORTED_PREEMPT_AND_ABORT(0, 0x1B, "Command Aborted due to Preempt and Abort"),
    /** 1Ch. */
    SANITIZE_FAILED(0, 0x1C, "Sanitize Failed"),
    /** 1Dh: the command is prohibited while a sanitize operation is in progress. */
    SANITIZE_IN_PROGRESS(0, 0x1D, "Sanitize In Progress"),
    /** 1Eh. */
    SGL_DATA_BLOCK_GRANULARITY_INVALID(0, 0x1E, "SGL Data Block Granularity Invalid"),
    /** 1Fh. */
    COMMAND_NOT_SUPPORTED_FOR_QUEUE_IN_CMB(0, 0x1F, "Command Not Supported for Queue in CMB"),
    /** 20h: the command would modify a write protected namespace. */
    NAMESPACE_WRITE_PROTECTED(0, 0x20, "Namespace is Write Protected"),
    /** 21h: interrupted; retry may succeed. */
    COMMAND_INTERRUPTED(0, 0x21, "Command Interrupted"),
    /** 22h. */
    TRANSIENT_TRANSPORT_ERROR(0, 0x22, "Transient Transport Error"),
    /** 23h. */
    PROHIBITED_BY_LOCKDOWN(0, 0x23, "Command Prohibited by Command and Feature Lockdown"),
    /** 24h. */
    ADMIN_COMMAND_MEDIA_NOT_READY(0, 0x24, "Admin Command Media Not Ready"),

    // ---- Generic Command Status, NVM Command Set (SCT 0h, 80h-BFh) ----
    /** 80h: the command references an LBA beyond the size of the namespace. */
    LBA_OUT_OF_RANGE(0, 0x80, "LBA Out of Range"),
    /** 81h: the command would exceed the capacity of the namespace. */
    CAPACITY_EXCEEDED(0, 0x81, "Capacity Exceeded"),
    /** 82h: the namespace is not ready to be accessed (retry may succeed unless DNR is set). */
    NAMESPACE_NOT_READY(0, 0x82, "Namespace Not Ready"),
    /** 83h: access conflicts with a reservation held on the namespace. */
    RESERVATION_CONFLICT(0, 0x83, "Reservation Conflict"),
    /** 84h: a Format NVM command is in progress on the namespace. */
    FORMAT_IN_PROGRESS(0, 0x84, "Format In Progress"),

    // ---- Command Specific Status (SCT 1h) ----
    /** 00h. */
    COMPLETION_QUEUE_INVALID(1, 0x00, "Completion Queue Invalid"),
    /** 01h. */
    INVALID_QUEUE_IDENTIFIER(1, 0x01, "Invalid Queue Identifier"),
    /** 02h. */
    INVALID_QUEUE_SIZE(1, 0x02, "Invalid Queue Size"),
    /** 03h. */
    ABORT_COMMAND_LIMIT_EXCEEDED(1, 0x03, "Abort Command Limit Exceeded"),
    /** 05h. */
    ASYNC_EVENT_REQUEST_LIMIT_EXCEEDED(1, 0x05, "Asynchronous Event Request Limit Exceeded"),
    /** 06h. */
    INVALID_FIRMWARE_SLOT(1, 0x06, "Invalid Firmware Slot"),
    /** 07h. */
    INVALID_FIRMWARE_IMAGE(1, 0x07, "Invalid Firmware Image"),
    /** 08h. */
    INVALID_INTERRUPT_VECTOR(1, 0x08, "Invalid Interrupt Vector"),
    /** 09h: Get Log Page for a log page the controller does not support. */
    INVALID_LOG_PAGE(1, 0x09, "Invalid Log Page"),
    /** 0Ah. */
    INVALID_FORMAT(1, 0x0A, "Invalid Format"),
    /** 0Bh. */
    FIRMWARE_ACTIVATION_REQUIRES_CONVENTIONAL_RESET(1, 0x0B, "Firmware Activation Requires Conventional Reset"),
    /** 0Ch. */
    INVALID_QUEUE_DELETION(1, 0x0C, "Invalid Queue Deletion"),
    /** 0Dh: Set Features with Save for a feature that cannot be saved. */
    FEATURE_NOT_SAVEABLE(1, 0x0D, "Feature Identifier Not Saveable"),
    /** 0Eh: Set Features for a feature that cannot be changed. */
    FEATURE_NOT_CHANGEABLE(1, 0x0E, "Feature Not Changeable"),
    /** 0Fh. */
    FEATURE_NOT_NAMESPACE_SPECIFIC(1, 0x0F, "Feature Not Namespace Specific"),
    /** 10h. */
    FIRMWARE_ACTIVATION_REQUIRES_NVM_SUBSYSTEM_RESET(1, 0x10, "Firmware Activation Requires NVM Subsystem Reset"),
    /** 11h. */
    FIRMWARE_ACTIVATION_REQUIRES_CONTROLLER_RESET(1, 0x11, "Firmware Activation Requires Controller Level Reset"),
    /** 12h. */
    FIRMWARE_ACTIVATION_REQUIRES_MAX_TIME_VIOLATION(1, 0x12, "Firmware Activation Requires Maximum Time Violation"),
    /** 13h. */
    FIRMWARE_ACTIVATION_PROHIBITED(1, 0x13, "Firmware Activation Prohibited"),
    /** 14h. */
    OVERLAPPING_RANGE(1, 0x14, "Overlapping Range"),
    /** 15h. */
    NAMESPACE_INSUFFICIENT_CAPACITY(1, 0x15, "Namespace Insufficient Capacity"),
    /** 16h. */
    NAMESPACE_ID_UNAVAILABLE(1, 0x16, "Namespace Identifier Unavailable"),
    /** 18h. */
    NAMESPACE_ALREADY_ATTACHED(1, 0x18, "Namespace Already Attached"),
    /** 19h. */
    NAMESPACE_IS_PRIVATE(1, 0x19, "Namespace Is Private"),
    /** 1Ah. */
    NAMESPACE_NOT_ATTACHED(1, 0x1A, "Namespace Not Attached"),
    /** 1Bh. */
    THIN_PROVISIONING_NOT_SUPPORTED(1, 0x1B, "Thin Provisioning Not Supported"),
    /** 1Ch. */
    CONTROLLER_LIST_INVALID(1, 0x1C, "Controller List Invalid"),
    /** 1Dh. */
    DEVICE_SELF_TEST_IN_PROGRESS(1, 0x1D, "Device Self-test In Progress"),
    /** 1Eh. */
    BOOT_PARTITION_WRITE_PROHIBITED(1, 0x1E, "Boot Partition Write Prohibited"),
    /** 1Fh. */
    INVALID_CONTROLLER_IDENTIFIER(1, 0x1F, "Invalid Controller Identifier"),
    /** 20h. */
    INVALID_SECONDARY_CONTROLLER_STATE(1, 0x20, "Invalid Secondary Controller State"),
    /** 21h. */
    INVALID_NUMBER_OF_CONTROLLER_RESOURCES(1, 0x21, "Invalid Number of Controller Resources"),
    /** 22h. */
    INVALID_RESOURCE_IDENTIFIER(1, 0x22, "Invalid Resource Identifier"),
    /** 23h. */
    SANITIZE_PROHIBITED_WHILE_PMR_ENABLED(1, 0x23, "Sanitize Prohibited While Persistent Memory Region is Enabled"),
    /** 24h. */
    ANA_GROUP_IDENTIFIER_INVALID(1, 0x24, "ANA Group Identifier Invalid"),
    /** 25h. */
    ANA_ATTACH_FAILED(1, 0x25, "ANA Attach Failed"),
    /** 26h. */
    INSUFFICIENT_CAPACITY(1, 0x26, "Insufficient Capacity"),
    /** 27h. */
    NAMESPACE_ATTACHMENT_LIMIT_EXCEEDED(1, 0x27, "Namespace Attachment Limit Exceeded"),
    /** 28h. */
    PROHIBITION_NOT_SUPPORTED(1, 0x28, "Prohibition of Command Execution Not Supported"),
    /** 29h: the command set identifier (CSI) names a command set the controller does not support. */
    IO_COMMAND_SET_NOT_SUPPORTED(1, 0x29, "I/O Command Set Not Supported"),
    /** 2Ah. */
    IO_COMMAND_SET_NOT_ENABLED(1, 0x2A, "I/O Command Set Not Enabled"),
    /** 2Bh. */
    IO_COMMAND_SET_COMBINATION_REJECTED(1, 0x2B, "I/O Command Set Combination Rejected"),
    /** 2Ch. */
    INVALID_IO_COMMAND_SET(1, 0x2C, "Invalid I/O Command Set"),
    /** 2Dh. */
    IDENTIFIER_UNAVAILABLE(1, 0x2D, "Identifier Unavailable"),

    // ---- Command Specific Status, NVM Command Set (SCT 1h, 80h-BFh) ----
    /** 80h: Dataset Management or Copy attributes that conflict with each other. */
    CONFLICTING_ATTRIBUTES(1, 0x80, "Conflicting Attributes"),
    /** 81h: the protection information (PRINFO) field is not valid for the namespace format. */
    INVALID_PROTECTION_INFORMATION(1, 0x81, "Invalid Protection Information"),
    /** 82h: a write to a range that is read only. */
    ATTEMPTED_WRITE_TO_READ_ONLY_RANGE(1, 0x82, "Attempted Write to Read Only Range"),
    /** 83h: the command (Copy, Verify, Write Zeroes ...) exceeds a size limit the namespace reports. */
    COMMAND_SIZE_LIMIT_EXCEEDED(1, 0x83, "Command Size Limit Exceeded"),

    // ---- Command Specific Status, Zoned Namespace Command Set (SCT 1h, B8h-BFh) ----
    /** B8h: a read or write crosses a zone boundary and the namespace does not allow it. */
    ZONE_BOUNDARY_ERROR(1, 0xB8, "Zoned Boundary Error"),
    /** B9h: a write or Zone Append to a zone in the Full state (or one that would exceed its capacity). */
    ZONE_IS_FULL(1, 0xB9, "Zone Is Full"),
    /** BAh: a write to a zone in the Read Only state. */
    ZONE_IS_READ_ONLY(1, 0xBA, "Zone Is Read Only"),
    /** BBh: access to a zone in the Offline state. */
    ZONE_IS_OFFLINE(1, 0xBB, "Zone Is Offline"),
    /** BCh: a write that does not start at the zone's write pointer. */
    ZONE_INVALID_WRITE(1, 0xBC, "Zone Invalid Write"),
    /** BDh: the command would exceed the Maximum Active Resources. */
    TOO_MANY_ACTIVE_ZONES(1, 0xBD, "Too Many Active Zones"),
    /** BEh: the command would exceed the Maximum Open Resources. */
    TOO_MANY_OPEN_ZONES(1, 0xBE, "Too Many Open Zones"),
    /** BFh: the Zone Management Send action is not valid from the zone's current state. */
    INVALID_ZONE_STATE_TRANSITION(1, 0xBF, "Invalid Zone State Transition"),

    // ---- Media and Data Integrity Errors (SCT 2h) ----
    /** 80h: the write could not be completed because of an error on the media. */
    WRITE_FAULT(2, 0x80, "Write Fault"),
    /** 81h: the read could not be completed because of an unrecovered error on the media (for example after Write
     * Uncorrectable). */
    UNRECOVERED_READ_ERROR(2, 0x81, "Unrecovered Read Error"),
    /** 82h. */
    END_TO_END_GUARD_CHECK_ERROR(2, 0x82, "End-to-end Guard Check Error"),
    /** 83h. */
    END_TO_END_APPLICATION_TAG_CHECK_ERROR(2, 0x83, "End-to-end Application Tag Check Error"),
    /** 84h. */
    END_TO_END_REFERENCE_TAG_CHECK_ERROR(2, 0x84, "End-to-end Reference Tag Check Error"),
    /** 85h: a Compare command found the data different from the data it was given. */
    COMPARE_FAILURE(2, 0x85, "Compare Failure"),
    /** 86h: access to the namespace or LBAs is denied (for example by security). */
    ACCESS_DENIED(2, 0x86, "Access Denied"),
    /** 87h: a read of deallocated or unwritten blocks when the namespace is configured to report it. */
    DEALLOCATED_OR_UNWRITTEN_BLOCK(2, 0x87, "Deallocated or Unwritten Logical Block"),
    /** 88h. */
    END_TO_END_STORAGE_TAG_CHECK_ERROR(2, 0x88, "End-to-End Storage Tag Check Error"),

    // ---- Path Related Status (SCT 3h) ----
    /** 00h. */
    INTERNAL_PATH_ERROR(3, 0x00, "Internal Path Error"),
    /** 01h. */
    ASYMMETRIC_ACCESS_PERSISTENT_LOSS(3, 0x01, "Asymmetric Access Persistent Loss"),
    /** 02h. */
    ASYMMETRIC_ACCESS_INACCESSIBLE(3, 0x02, "Asymmetric Access Inaccessible"),
    /** 03h. */
    ASYMMETRIC_ACCESS_TRANSITION(3, 0x03, "Asymmetric Access Transition"),
    /** 60h. */
    CONTROLLER_PATHING_ERROR(3, 0x60, "Controller Pathing Error"),
    /** 70h: the host (for example Linux's multipath code) could not send the command on any path. */
    HOST_PATHING_ERROR(3, 0x70, "Host Pathing Error"),
    /** 71h: the host aborted the command. */
    COMMAND_ABORTED_BY_HOST(3, 0x71, "Command Aborted By Host");

    /** Lookup table indexed by (SCT &lt;&lt; 8) | SC. */
    private static final NvmeStatusCode[] BY_CODE = new NvmeStatusCode[8 << 8];

    static {
        for (NvmeStatusCode c : values()) {
            int key = (c.sct << 8) | c.sc;
            if (BY_CODE[key] != null) {
                throw new ExceptionInInitializerError("duplicate status code " + key);
            }
            BY_CODE[key] = c;
        }
    }

    private final int sct;
    private final int sc;
    private final String description;

    NvmeStatusCode(int sct, int sc, String description) {
        this.sct = sct;
        this.sc = sc;
        this.description = description;
    }

    /**
     * The Status Code Type: 0 generic, 1 command specific, 2 media and data integrity, 3 path related, 7 vendor.
     *
     * @return 0 to 7
     */
    public int sct() {
        return sct;
    }

    /**
     * The Status Code within its type.
     *
     * @return 0 to 255
     */
    public int sc() {
        return sc;
    }

    /**
     * The specification's name for this status, for example {@code "LBA Out of Range"}.
     *
     * @return the name
     */
    public String description() {
        return description;
    }

    /**
     * The named status for a (type, code) pair.
     *
     * @param sct Status Code Type, 0 to 7
     * @param sc  Status Code, 0 to 255
     * @return the status, or {@code null} when it has no name here (vendor specific, reserved, or newer)
     */
    public static NvmeStatusCode of(int sct, int sc) {
        if (sct < 0 || sct > 7 || sc < 0 || sc > 0xFF) {
            return null;
        }
        return BY_CODE[(sct << 8) | sc];
    }
}
