package io.github.jring.core.async;

import java.util.Arrays;

/**
 * The requests of an {@link AsyncRing} that are in the kernel, by {@code user_data}: a preallocated array of slots,
 * a free list of indices and a generation count per slot, so that a request costs no map entry, no boxing and no
 * allocation. A request's {@code user_data} is its slot index with the slot's generation in the upper half; a
 * completion whose generation does not match (which the kernel's protocol rules out) is not taken for the slot's
 * current request.
 *
 * <p>Completion thread only. The table is an object of its own, allocated by that thread, so that its counters,
 * written at every request, do not share a cache line with the fields that submitting threads read at every request.
 */
final class SlotTable {

    private final Op<?>[] slots;
    private final int[] generations;
    private final int[] free;
    private int freeTop;

    SlotTable(int capacity) {
        slots = new Op<?>[capacity];
        generations = new int[capacity];
        free = new int[capacity];
        for (int i = 0; i < capacity; i++) {
            free[i] = capacity - 1 - i; // hand out low indices first
        }
        freeTop = capacity;
    }

    int capacity() {
        return slots.length;
    }

    /** Requests holding a slot. */
    int inFlight() {
        return slots.length - freeTop;
    }

    boolean hasFree() {
        return freeTop > 0;
    }

    /** Gives {@code op} a free slot (there must be one) and returns its {@code user_data}. */
    long take(Op<?> op) {
        int idx = free[--freeTop];
        int gen = (generations[idx] + 1) & 0x7FFF_FFFF;
        generations[idx] = gen;
        slots[idx] = op;
        return ((long) gen << 32) | idx;
    }

    /** The request whose {@code user_data} this is, or {@code null}. */
    Op<?> get(long userData) {
        int idx = (int) userData;
        if (idx < 0 || idx >= slots.length || generations[idx] != (int) (userData >>> 32)) {
            return null;
        }
        return slots[idx];
    }

    /** Frees the slot of {@code userData} (its request had its last completion). */
    void release(long userData) {
        int idx = (int) userData;
        slots[idx] = null;
        free[freeTop++] = idx;
    }

    /**
     * The {@code user_data} of a request in flight, or -1. A search, because the request does not record its slot:
     * the submitting thread may be watching the request's result field, and every store of the completion thread into
     * that cache line would cost both threads a transfer. Only cancels look, and they are rare.
     */
    long userDataOf(Op<?> op) {
        for (int i = 0; i < slots.length; i++) {
            if (slots[i] == op) {
                return userData(i);
            }
        }
        return -1;
    }

    /** The request in slot {@code idx}, or {@code null}: for walking every request in flight. */
    Op<?> at(int idx) {
        return slots[idx];
    }

    /** The {@code user_data} of slot {@code idx}'s request. */
    long userData(int idx) {
        return ((long) generations[idx] << 32) | idx;
    }

    /** Drops every reference (the ring is gone and the kernel holds nothing). */
    void clear() {
        Arrays.fill(slots, null);
    }
}
