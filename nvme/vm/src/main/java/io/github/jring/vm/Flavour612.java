package io.github.jring.vm;

/**
 * The device nodes of the 6.12 VM flavour (nvme/vm/README.md, "The 6.12 flavour"): the 6.12 guest kernel on qemu 10,
 * with {@code /dev/nvme0} as in the 6.1 flavour ({@link GuestTools#NS1_CHAR}, {@link GuestTools#NS2_CHAR}) and two
 * more controllers.
 *
 * <p>Names are stable: the guest binds the controllers in PCI order and attaches each controller's namespaces one at
 * a time, so {@code ng<c>n<k>} is always namespace {@code k} of controller {@code c}. Each namespace is 256 MiB of
 * 512-byte blocks, zeroes at boot.
 */
public final class Flavour612 {

    private Flavour612() {}

    /** The flavour's name, for {@link RequiresFlavour}. */
    public static final String NAME = "6.12";

    /** The FDP controller (serial jring-fdp), in an FDP-enabled subsystem: 1 reclaim group, 8 reclaim unit handles (0-7), 16 MiB reclaim units. */
    public static final String FDP_CONTROLLER = "/dev/nvme1";
    /** Namespace 1 of {@link #FDP_CONTROLLER}: placement handles 0-7 map to reclaim unit handles 0-7. */
    public static final String FDP_NS_CHAR = "/dev/ng1n1";
    /** Namespace 2 of {@link #FDP_CONTROLLER}: two placement handles, 0 and 1, mapping to reclaim unit handles 2 and 5. */
    public static final String FDP_SUBSET_NS_CHAR = "/dev/ng1n2";

    /** The protection information controller (serial jring-pi). */
    public static final String PI_CONTROLLER = "/dev/nvme2";
    /** PI type 1, 8 bytes of metadata, extended LBA (metadata after each block's data), 16-bit guard. */
    public static final String PI_TYPE1_EXTENDED_CHAR = "/dev/ng2n1";
    /** PI type 2, 8 bytes of metadata in a separate buffer, 16-bit guard. */
    public static final String PI_TYPE2_SEPARATE_CHAR = "/dev/ng2n2";
    /** PI type 3, 8 bytes of metadata in a separate buffer, 16-bit guard. */
    public static final String PI_TYPE3_SEPARATE_CHAR = "/dev/ng2n3";
    /** PI type 1, 16 bytes of metadata in a separate buffer, all of it the 16-byte PI of the 64-bit guard format (PIF 2). */
    public static final String PI_TYPE1_GUARD64_CHAR = "/dev/ng2n4";
    /** PI type 3, 16 bytes of metadata, extended LBA, the 8-byte PI in the first 8 bytes of the metadata (DPS PIL 1). */
    public static final String PI_TYPE3_EXTENDED_LAST_CHAR = "/dev/ng2n5";
}
