package io.github.jring.nvme.command;

import java.util.ArrayList;
import java.util.List;

/**
 * Placement identifiers of Flexible Data Placement: what {@link Write#placement(int)} puts in DSPEC, and fio's
 * {@code plids} lists.
 *
 * <p>A placement identifier is a reclaim group and a placement handle in one 16-bit value: the reclaim group in
 * bits 15:(16 - RGIF) and the placement handle in the bits below, where RGIF (Reclaim Group Identifier Format) is
 * FDPA bits 3:0 of the FDP configuration in use ({@code FdpConfiguration.reclaimGroupIdFormat()}). With one reclaim
 * group RGIF is 0 and the identifier is the placement handle.
 */
public final class PlacementIds {

    private PlacementIds() {
    }

    /**
     * The placement identifier of {@code placementHandle} in {@code reclaimGroup}.
     *
     * @param reclaimGroup    the reclaim group, below 2^rgif
     * @param placementHandle the placement handle, below 2^(16 - rgif)
     * @param rgif            the Reclaim Group Identifier Format, 0 to 15
     * @return the 16-bit placement identifier
     */
    public static int of(int reclaimGroup, int placementHandle, int rgif) {
        if (rgif < 0 || rgif > 15) {
            throw new IllegalArgumentException("RGIF is 0 to 15: " + rgif);
        }
        int handleBits = 16 - rgif;
        if (placementHandle < 0 || placementHandle >= 1 << handleBits) {
            throw new IllegalArgumentException("placement handle " + placementHandle + " does not fit " + handleBits
                    + " bits (RGIF " + rgif + ")");
        }
        if (reclaimGroup < 0 || reclaimGroup >= 1 << rgif) {
            throw new IllegalArgumentException("reclaim group " + reclaimGroup + " does not fit " + rgif
                    + " bits (RGIF " + rgif + ")");
        }
        return reclaimGroup << handleBits | placementHandle;
    }

    /**
     * The placement handle part of {@code placementId}.
     *
     * @param placementId the identifier
     * @param rgif        the Reclaim Group Identifier Format
     * @return the placement handle
     */
    public static int placementHandle(int placementId, int rgif) {
        return placementId & ((1 << (16 - rgif)) - 1);
    }

    /**
     * The reclaim group part of {@code placementId}.
     *
     * @param placementId the identifier
     * @param rgif        the Reclaim Group Identifier Format
     * @return the reclaim group
     */
    public static int reclaimGroup(int placementId, int rgif) {
        return rgif == 0 ? 0 : (placementId & 0xFFFF) >>> (16 - rgif);
    }

    /**
     * Parses a list as fio's {@code plids} option writes it: indexes into the namespace's placement identifiers,
     * separated by commas, each a number or a range {@code a-b} (inclusive), e.g. {@code "0,2-4"} is 0, 2, 3, 4.
     * Duplicates are kept, in order.
     *
     * @param list the text
     * @return the values, in order
     * @throws IllegalArgumentException for an empty list, a non-number, a descending range or a value above 65535
     */
    public static int[] parse(String list) {
        if (list == null || list.isBlank()) {
            throw new IllegalArgumentException("empty placement identifier list");
        }
        List<Integer> out = new ArrayList<>();
        for (String part : list.split(",")) {
            String p = part.strip();
            int dash = p.indexOf('-', 1);
            int from;
            int to;
            try {
                from = Integer.parseInt(dash < 0 ? p : p.substring(0, dash).strip());
                to = dash < 0 ? from : Integer.parseInt(p.substring(dash + 1).strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a placement identifier or range: '" + p + "' in '" + list
                        + "'");
            }
            if (from < 0 || to > 0xFFFF || from > to) {
                throw new IllegalArgumentException("placement identifiers are 0 to 65535, ranges ascending: '" + p
                        + "'");
            }
            for (int v = from; v <= to; v++) {
                out.add(v);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Checks {@code placementHandle} against the number of placement handles the namespace has (the
     * {@code ReclaimUnitHandleStatus} descriptors, or Identify Namespace's FDP fields): a handle the namespace lacks
     * is refused here, before the device answers {@code INVALID_FIELD} for the write.
     *
     * @param placementHandle the handle
     * @param handles         the namespace's number of placement handles
     * @return {@code placementHandle}
     * @throws IllegalArgumentException if the namespace has no such handle
     */
    public static int requireHandle(int placementHandle, int handles) {
        if (placementHandle < 0 || placementHandle >= handles) {
            throw new IllegalArgumentException("placement handle " + placementHandle + " is not one of the namespace's "
                    + handles + " (0 to " + (handles - 1) + ")");
        }
        return placementHandle;
    }
}
