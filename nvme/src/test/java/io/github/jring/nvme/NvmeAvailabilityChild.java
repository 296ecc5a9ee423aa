package io.github.jring.nvme;

/**
 * The main class of {@link NvmeAvailabilityIT}'s child JVMs (run as another user): prints
 * {@code NvmeAvailability.check().toJson()} on stdout.
 */
public final class NvmeAvailabilityChild {

    private NvmeAvailabilityChild() {
    }

    public static void main(String[] args) {
        System.out.println(NvmeAvailability.check().toJson());
    }
}
