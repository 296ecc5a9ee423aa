package io.github.jring.nvme.data;

import io.github.jring.nvme.internal.Decode;

import java.lang.foreign.MemorySegment;

import static io.github.jring.nvme.internal.Decode.u32;

/**
 * The Identify directive's Return Parameters (Directive Receive, DTYPE 00h, DOPER 01h; 4096 bytes), decoded: three
 * 32-byte bitmaps of directive types, bit {@code n} for type {@code n}. Types 0 to 31 are kept (the specification
 * defines 00h Identify, 01h Streams and 02h Data Placement).
 *
 * <pre>
 *   bytes 31:0   Directives Supported
 *   bytes 63:32  Directives Enabled (for the namespace asked about)
 *   bytes 95:64  Directives Persistent Across Controller Level Resets
 * </pre>
 *
 * @param supported  types 0-31 supported, bit n = type n
 * @param enabled    types 0-31 enabled
 * @param persistent types 0-31 whose enablement survives a controller level reset
 */
public record DirectiveParameters(int supported, int enabled, int persistent) {

    /** Size of the structure. */
    public static final int SIZE = 4096;

    /**
     * Decodes the structure.
     *
     * @param buf at least 96 bytes (the command transfers 4096)
     * @return the decoded structure
     */
    public static DirectiveParameters decode(MemorySegment buf) {
        Decode.requireSize(buf, 96, "Identify directive parameters");
        return new DirectiveParameters(u32(buf, 0), u32(buf, 32), u32(buf, 64));
    }

    /**
     * Whether directive type {@code type} is supported.
     *
     * @param type 0 to 31
     * @return the bit
     */
    public boolean supports(int type) {
        return (supported >>> type & 1) != 0;
    }

    /**
     * Whether directive type {@code type} is enabled for the namespace.
     *
     * @param type 0 to 31
     * @return the bit
     */
    public boolean isEnabled(int type) {
        return (enabled >>> type & 1) != 0;
    }
}
