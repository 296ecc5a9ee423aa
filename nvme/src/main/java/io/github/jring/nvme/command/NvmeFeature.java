package io.github.jring.nvme.command;

/**
 * Feature Identifiers (FID) for {@link GetFeatures} and {@link SetFeatures} (NVMe Base 2.0, "Feature Identifiers").
 * The value of most features is the completion's Dword 0 (the passthrough result).
 */
public final class NvmeFeature {

    /** 01h Arbitration: bits 2:0 arbitration burst, then low/medium/high priority weights. */
    public static final int ARBITRATION = 0x01;
    /** 02h Power Management: bits 4:0 power state, 7:5 workload hint. */
    public static final int POWER_MANAGEMENT = 0x02;
    /** 04h Temperature Threshold: bits 15:0 threshold in Kelvin, 19:16 sensor, 21:20 over/under. */
    public static final int TEMPERATURE_THRESHOLD = 0x04;
    /** 05h Error Recovery: bits 15:0 time limited error recovery in 100 ms units, bit 16 DULBE. */
    public static final int ERROR_RECOVERY = 0x05;
    /** 06h Volatile Write Cache: bit 0 WCE, write cache enabled (only if Identify Controller VWC bit 0). */
    public static final int VOLATILE_WRITE_CACHE = 0x06;
    /** 07h Number of Queues: bits 15:0 I/O submission queues and 31:16 completion queues, both 0-based. */
    public static final int NUMBER_OF_QUEUES = 0x07;
    /** 08h Interrupt Coalescing: bits 7:0 aggregation threshold, 15:8 time in 100 us units. */
    public static final int INTERRUPT_COALESCING = 0x08;
    /** 0Ah Write Atomicity Normal: bit 0 DN. */
    public static final int WRITE_ATOMICITY = 0x0A;
    /** 0Bh Asynchronous Event Configuration: which events are reported. */
    public static final int ASYNC_EVENT_CONFIGURATION = 0x0B;
    /** 0Ch Autonomous Power State Transition (data structure). */
    public static final int AUTONOMOUS_POWER_STATE_TRANSITION = 0x0C;
    /** 0Fh Keep Alive Timer. */
    public static final int KEEP_ALIVE_TIMER = 0x0F;
    /** 1Dh Flexible Data Placement (per endurance group). */
    public static final int FLEXIBLE_DATA_PLACEMENT = 0x1D;
    /** 1Eh FDP Events (per endurance group and placement handle). */
    public static final int FDP_EVENTS = 0x1E;

    private NvmeFeature() {
    }
}
