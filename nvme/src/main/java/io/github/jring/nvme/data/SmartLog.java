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
 * The SMART / Health Information log page (LID 02h, 512 bytes), decoded. The 128-bit counters are given as their low
 * 64 bits (a data unit is 1000 blocks of 512 bytes, so 64 bits hold 9.4 zettabytes).
 *
 * @param criticalWarning          byte 0: bit 0 spare below threshold, 1 temperature, 2 reliability degraded, 3 read
 *                                 only, 4 volatile memory backup failed, 5 persistent memory region read only
 * @param compositeTemperature     bytes 2:1, Kelvin
 * @param availableSpare           byte 3, percent
 * @param availableSpareThreshold  byte 4, percent
 * @param percentageUsed           byte 5, percent of the endurance used (may exceed 100)
 * @param enduranceGroupWarning    byte 6, Endurance Group Critical Warning Summary
 * @param dataUnitsRead            bytes 47:32, thousands of 512-byte units read by the host
 * @param dataUnitsWritten         bytes 63:48, thousands of 512-byte units written by the host
 * @param hostReadCommands         bytes 79:64
 * @param hostWriteCommands        bytes 95:80
 * @param controllerBusyTime       bytes 111:96, minutes
 * @param powerCycles              bytes 127:112
 * @param powerOnHours             bytes 143:128
 * @param unsafeShutdowns          bytes 159:144
 * @param mediaErrors              bytes 175:160, unrecovered data integrity errors
 * @param errorLogEntries          bytes 191:176, Error Information log entries over the controller's life
 * @param warningTemperatureTime   bytes 195:192, minutes above WCTEMP
 * @param criticalTemperatureTime  bytes 199:196, minutes above CCTEMP
 * @param temperatureSensors       bytes 215:200, sensors 1 to 8 in Kelvin (0 when not implemented)
 */
public record SmartLog(int criticalWarning, int compositeTemperature, int availableSpare, int availableSpareThreshold,
                       int percentageUsed, int enduranceGroupWarning, long dataUnitsRead, long dataUnitsWritten,
                       long hostReadCommands, long hostWriteCommands, long controllerBusyTime, long powerCycles,
                       long powerOnHours, long unsafeShutdowns, long mediaErrors, long errorLogEntries,
                       int warningTemperatureTime, int criticalTemperatureTime, List<Integer> temperatureSensors) {

    /** Size of the log page. */
    public static final int SIZE = 512;

    /**
     * Decodes the log page.
     *
     * @param buf at least 512 bytes
     * @return the decoded page
     */
    public static SmartLog decode(MemorySegment buf) {
        Decode.requireSize(buf, SIZE, "SMART / Health log");
        List<Integer> sensors = new ArrayList<>(8);
        for (int i = 0; i < 8; i++) {
            sensors.add(u16(buf, 200 + 2L * i));
        }
        return new SmartLog(u8(buf, 0), u16(buf, 1), u8(buf, 3), u8(buf, 4), u8(buf, 5), u8(buf, 6), u64(buf, 32),
                u64(buf, 48), u64(buf, 64), u64(buf, 80), u64(buf, 96), u64(buf, 112), u64(buf, 128), u64(buf, 144),
                u64(buf, 160), u64(buf, 176), u32(buf, 192), u32(buf, 196), List.copyOf(sensors));
    }

    /**
     * The composite temperature in degrees Celsius.
     *
     * @return Kelvin minus 273
     */
    public int compositeTemperatureCelsius() {
        return compositeTemperature - 273;
    }
}
