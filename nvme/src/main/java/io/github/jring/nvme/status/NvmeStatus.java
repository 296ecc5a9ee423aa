package io.github.jring.nvme.status;

/**
 * An NVMe completion status, as Linux hands it to user space.
 *
 * <p>The controller's completion queue entry has a 16-bit Status field in Dword 3 bits 31:16: bit 0 is the Phase
 * Tag, bits 15:1 the status proper. Linux's NVMe driver keeps {@code le16_to_cpu(cqe->status) >> 1} in
 * {@code nvme_req(req)->status} and returns exactly that as a passthrough command's result: the CQE {@code res} of
 * an {@code IORING_OP_URING_CMD} (when {@code > 0}) and the return value of the {@code NVME_IOCTL_*_CMD} ioctls (when
 * {@code > 0}). With the phase bit shifted out, the value this class wraps is laid out as:
 * <pre>
 *   bits  7:0   SC    Status Code
 *   bits 10:8   SCT   Status Code Type (0 generic, 1 command specific, 2 media and data integrity, 3 path, 7 vendor)
 *   bits 12:11  CRD   Command Retry Delay (index into the controller's CRDT1..3, 0 = retry at once)
 *   bit  13     M     More: the Error Information log page has more about this command
 *   bit  14     DNR   Do Not Retry: the same command is expected to fail again
 * </pre>
 * A kernel error ({@code res < 0}, {@code -errno}) is not an NVMe status and is reported separately, as
 * {@link io.github.jring.core.ErrnoException}.
 *
 * @param value the status field without the phase tag ({@code 0} to {@code 0x7FFF}), as the kernel returns it
 */
public record NvmeStatus(int value) {

    /** Status Code, bits 7:0. */
    private static final int SC_MASK = 0xFF;
    /** Status Code Type, bits 10:8. */
    private static final int SCT_SHIFT = 8;
    private static final int SCT_MASK = 0x7;
    /** Command Retry Delay, bits 12:11. */
    private static final int CRD_SHIFT = 11;
    private static final int CRD_MASK = 0x3;
    /** More, bit 13 (the kernel's NVME_SC_MORE, 0x2000). */
    private static final int MORE = 1 << 13;
    /** Do Not Retry, bit 14 (the kernel's NVME_SC_DNR, 0x4000). */
    private static final int DNR = 1 << 14;

    /**
     * Checks the range.
     *
     * @param value the status field without the phase tag
     * @throws IllegalArgumentException if it has bits above 14 set or is negative (a negative CQE {@code res} is an
     *                                  errno, not a status)
     */
    public NvmeStatus {
        if (value < 0 || value > 0x7FFF) {
            throw new IllegalArgumentException("not an NVMe status field (15 bits): " + value
                    + (value < 0 ? " (a negative result is a kernel errno)" : ""));
        }
    }

    /**
     * Builds the status a controller reports as (SCT, SC), with DNR as given. Useful to compare against.
     *
     * @param sct Status Code Type
     * @param sc  Status Code
     * @param dnr Do Not Retry
     * @return the status
     */
    public static NvmeStatus of(int sct, int sc, boolean dnr) {
        if (sct < 0 || sct > SCT_MASK || sc < 0 || sc > SC_MASK) {
            throw new IllegalArgumentException("SCT must be 0..7 and SC 0..255: " + sct + ", " + sc);
        }
        return new NvmeStatus((sct << SCT_SHIFT) | sc | (dnr ? DNR : 0));
    }

    /**
     * Status Code (bits 7:0).
     *
     * @return 0 to 255
     */
    public int sc() {
        return value & SC_MASK;
    }

    /**
     * Status Code Type (bits 10:8).
     *
     * @return 0 to 7
     */
    public int sct() {
        return (value >>> SCT_SHIFT) & SCT_MASK;
    }

    /**
     * Command Retry Delay (bits 12:11): 0 retry at once, 1 to 3 select the controller's CRDT1 to CRDT3 (in units of
     * 100 ms, Identify Controller bytes 134:139).
     *
     * @return 0 to 3
     */
    public int crd() {
        return (value >>> CRD_SHIFT) & CRD_MASK;
    }

    /**
     * More (bit 13): the Error Information log page holds more about this failure.
     *
     * @return whether the bit is set
     */
    public boolean more() {
        return (value & MORE) != 0;
    }

    /**
     * Do Not Retry (bit 14): the controller expects the same command to fail again.
     *
     * @return whether the bit is set
     */
    public boolean dnr() {
        return (value & DNR) != 0;
    }

    /**
     * Whether this is Successful Completion (SCT 0, SC 0).
     *
     * @return {@code true} on success
     */
    public boolean isSuccess() {
        return (value & ((SCT_MASK << SCT_SHIFT) | SC_MASK)) == 0;
    }

    /**
     * The named status code, if the specification names it.
     *
     * @return the code, or {@code null} for vendor-specific, reserved or newer codes
     */
    public NvmeStatusCode code() {
        return NvmeStatusCode.of(sct(), sc());
    }

    /**
     * Whether this status has the given (SCT, SC), whatever its DNR, More and CRD bits.
     *
     * @param code a named status
     * @return whether type and code match
     */
    public boolean is(NvmeStatusCode code) {
        return code.sct() == sct() && code.sc() == sc();
    }

    /**
     * The specification's name for the status, or a description of its type when it has none.
     *
     * @return for example {@code "Zone Is Full"} or {@code "Vendor Specific status 0xC1"}
     */
    public String name() {
        NvmeStatusCode c = code();
        if (c != null) {
            return c.description();
        }
        String type = switch (sct()) {
            case 0 -> "Generic";
            case 1 -> "Command Specific";
            case 2 -> "Media and Data Integrity";
            case 3 -> "Path Related";
            case 7 -> "Vendor Specific";
            default -> "Reserved type " + sct();
        };
        return type + " status 0x" + Integer.toHexString(sc()).toUpperCase();
    }

    /**
     * The name with the type, code and flags, for example {@code "Zone Is Full (SCT 1h, SC B9h, DNR)"}.
     *
     * @return the description
     */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(name()).append(" (SCT ").append(sct()).append("h, SC ")
                .append(String.format("%02Xh", sc()));
        if (dnr()) {
            b.append(", DNR");
        }
        if (more()) {
            b.append(", More");
        }
        if (crd() != 0) {
            b.append(", CRD ").append(crd());
        }
        return b.append(')').toString();
    }
}
