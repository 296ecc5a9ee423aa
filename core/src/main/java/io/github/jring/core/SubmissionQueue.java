package io.github.jring.core;

import io.github.jring.bindings.Uapi;
import io.github.jring.bindings.io_sqring_offsets;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * The submission queue: the kernel's SQ ring ({@code head}, {@code tail}, {@code flags}, {@code dropped}, the index
 * array) and the SQE array, with the application's own tail. The application produces (writes the tail), the kernel
 * consumes (writes the head). Every ordered access to the SQ ring is one of the accessors at the top of this class,
 * each named after what it does in the protocol and the rule it serves (see {@code docs/io-uring-anatomy.md}, "Memory
 * ordering", and liburing's {@code io_uring_load_sq_head}, {@code io_uring_smp_store_release}). The submitting thread
 * only.
 *
 * <p><b>Mixed rings</b> ({@code IORING_SETUP_SQE_MIXED}, 6.19): every slot is 64 bytes and a 128-byte SQE
 * ({@code IORING_OP_NOP128}, {@code IORING_OP_URING_CMD128}) takes two slots in a row, handed out by
 * {@link #next128()}. One never wraps: when it would start at the last slot, that slot gets a NOP flagged
 * {@code IOSQE_CQE_SKIP_SUCCESS} (no completion) and the SQE starts at slot 0, as liburing's
 * {@code io_uring_get_sqe128} does. The kernel's head then counts slots, of which the fillers and the second halves are
 * no requests: {@link #consumedSinceSetup()} subtracts them, from a record of which positions they took.
 */
final class SubmissionQueue {

    private static final VarHandle INT = JAVA_INT.varHandle();
    private static final int SQ_NEED_WAKEUP = Uapi.IORING_SQ_NEED_WAKEUP();
    private static final int SQE_LINK_FLAGS = Uapi.IOSQE_IO_LINK() | Uapi.IOSQE_IO_HARDLINK();

    // The ring's layout: set at setup, and again only by moveTo (IORING_REGISTER_RESIZE_RINGS).
    private MemorySegment ring;
    private MemorySegment sqes;
    private long kHead;
    private long kTail;
    private long kFlags;
    private long kDropped;
    private int entries;
    private int mask;
    private Sqe[] slots;
    /** 64, or 128 with SQE128: the slot size. */
    private final int sqeSize;
    /** false with IORING_SETUP_NO_SQARRAY. */
    private final boolean hasSqArray;
    /** IORING_SETUP_SQE_MIXED: 64- and 128-byte SQEs in one SQ of 64-byte slots. */
    private final boolean mixed;
    /** Mixed rings: the 128-byte view of each slot (its command area runs into the next slot); none at the last. */
    private Sqe[] wide;
    /** Mixed rings: for each slot, the SQ position it last held if that held no request of its own, else a value
     * no position handed out can have. */
    private int[] extraPos;
    /** Mixed rings: the extra positions (fillers, second halves) whose slots have been handed out again since. */
    private int extraRetired;
    /** Mixed rings: where the last request handed out starts, and the last published one. */
    private int lastStart;
    private int lastPublishedStart;

    // liburing's sqe_tail/sqe_head: entries handed out, and entries published to the kernel.
    private int sqeTail;
    private int sqePublished;
    /** The kernel's SQ head as last read; only ever behind the real one, so it is safe for the "full" check. */
    private int cachedHead;
    /** The kernel's SQ head at setup, from which {@link #consumedSinceSetup()} counts. */
    private final int headBase;

    /**
     * @param ring       the SQ ring's memory
     * @param sqes       the SQE array's memory
     * @param offsets    {@code io_uring_params.sq_off}
     * @param entries    SQ entries
     * @param sqeSize    64, or 128 with SQE128
     * @param hasSqArray false with {@code IORING_SETUP_NO_SQARRAY}
     * @param mixed      whether the ring was set up with {@code IORING_SETUP_SQE_MIXED} ({@code sqeSize} 64)
     */
    SubmissionQueue(MemorySegment ring, MemorySegment sqes, MemorySegment offsets, int entries, int sqeSize,
                    boolean hasSqArray, boolean mixed) {
        this.sqeSize = sqeSize;
        this.hasSqArray = hasSqArray;
        this.mixed = mixed;
        layOut(ring, sqes, offsets, entries);
        this.sqeTail = this.sqePublished = loadTailAcquire();
        this.cachedHead = this.headBase = loadHeadAcquire();
        if (mixed) {
            java.util.Arrays.fill(extraPos, noExtra());
            lastStart = lastPublishedStart = sqeTail - 1;
        }
    }

    /** Points this queue at the SQ ring {@code ring} and the SQE array {@code sqes}, with a flyweight per slot. */
    private void layOut(MemorySegment ring, MemorySegment sqes, MemorySegment offsets, int entries) {
        this.ring = ring;
        this.sqes = sqes;
        this.entries = entries;
        this.kHead = Integer.toUnsignedLong(io_sqring_offsets.head(offsets));
        this.kTail = Integer.toUnsignedLong(io_sqring_offsets.tail(offsets));
        this.kFlags = Integer.toUnsignedLong(io_sqring_offsets.flags(offsets));
        this.kDropped = Integer.toUnsignedLong(io_sqring_offsets.dropped(offsets));
        this.mask = ring.get(JAVA_INT, Integer.toUnsignedLong(io_sqring_offsets.ring_mask(offsets)));
        if (hasSqArray) {
            // Identity mapping, written once (as liburing does): SQ slot i holds SQE i.
            long arrayOff = Integer.toUnsignedLong(io_sqring_offsets.array(offsets));
            for (int i = 0; i < entries; i++) {
                ring.set(JAVA_INT, arrayOff + 4L * i, i);
            }
        }
        this.slots = new Sqe[entries];
        for (int i = 0; i < entries; i++) {
            slots[i] = new Sqe(sqes, i, sqeSize);
        }
        this.wide = mixed ? new Sqe[entries] : null;
        this.extraPos = mixed ? new int[entries] : null;
        if (mixed) {
            for (int i = 0; i < entries - 1; i++) {
                wide[i] = new Sqe(sqes, i, sqeSize, 2 * sqeSize);
            }
        }
    }

    /**
     * Moves the queue to the rings that {@code IORING_REGISTER_RESIZE_RINGS} (6.13) made: {@code ring} and
     * {@code sqes} of {@code entries} slots, which the kernel has already given the old rings' head, tail and the
     * entries between them. Every entry handed out and not yet consumed keeps its SQ position and is copied whole to
     * that position's slot in the new array: those never published, which the kernel has not seen, and the published
     * ones again, which the kernel copied, so that they do not depend on how a kernel copies them (one 64-byte
     * {@code io_uring_sqe} a position, as the 6.13 source reads; 6.18 moves {@code SQE128} entries whole).
     * The old memory must stay mapped until this returns; the flyweights handed out before are the old memory's.
     * Call only with at most {@code entries} entries pending ({@link #unconsumed()}), none in a mixed ring (where a
     * 128-byte entry might straddle the new SQ's end), and the submitting side idle.
     */
    void moveTo(MemorySegment ring, MemorySegment sqes, MemorySegment offsets, int entries) {
        int head = loadHeadAcquire(); // the old ring's head: the kernel copied it and consumes nothing meanwhile
        MemorySegment oldSqes = this.sqes;
        int oldMask = mask;
        int retired = mixed ? extrasBefore(head) : 0;
        layOut(ring, sqes, offsets, entries);
        for (int pos = head; pos != sqeTail; pos++) {
            MemorySegment.copy(oldSqes, (long) (pos & oldMask) * sqeSize, sqes, (long) (pos & mask) * sqeSize,
                    sqeSize);
        }
        cachedHead = head;
        if (mixed) {
            // Nothing pending: every extra position is behind the head, and counted in extraRetired.
            extraRetired = retired;
            java.util.Arrays.fill(extraPos, noExtra());
        }
    }

    /** A value no position handed out (all at or after {@link #headBase}) nor its previous lap can have. */
    private int noExtra() {
        return headBase - entries - 1;
    }

    /**
     * The byte size the SQ ring's mapping must cover: up to the end of the index array, or without it
     * ({@code NO_SQARRAY}) up to the last of the header fields.
     */
    static long ringSize(MemorySegment offsets, int entries, boolean hasSqArray) {
        if (hasSqArray) {
            return Integer.toUnsignedLong(io_sqring_offsets.array(offsets)) + 4L * entries;
        }
        return 4L + Math.max(Math.max(Integer.toUnsignedLong(io_sqring_offsets.head(offsets)),
                        Integer.toUnsignedLong(io_sqring_offsets.tail(offsets))),
                Math.max(Math.max(Integer.toUnsignedLong(io_sqring_offsets.ring_mask(offsets)),
                                Integer.toUnsignedLong(io_sqring_offsets.ring_entries(offsets))),
                        Math.max(Integer.toUnsignedLong(io_sqring_offsets.flags(offsets)),
                                Integer.toUnsignedLong(io_sqring_offsets.dropped(offsets)))));
    }

    // ---- The ordered accessors: the only places the SQ ring's shared fields are read or written. ----------------

    /**
     * The kernel's SQ head, with acquire: the kernel publishes it with {@code smp_store_release} once it has read
     * the SQEs before it, so a slot behind it may be rewritten (liburing's {@code io_uring_load_sq_head}).
     */
    private int loadHeadAcquire() {
        return (int) INT.getAcquire(ring, kHead);
    }

    /** The SQ tail as the kernel last saw it (only at setup: afterwards this side is its only writer). */
    private int loadTailAcquire() {
        return (int) INT.getAcquire(ring, kTail);
    }

    /**
     * Publishes the SQ tail with release: the SQE contents must be visible before the new tail, since an SQPOLL
     * thread may read them at once (liburing's {@code io_uring_smp_store_release(sq->ktail)}).
     */
    private void storeTailRelease(int tail) {
        INT.setRelease(ring, kTail, tail);
    }

    /**
     * SQPOLL: whether the kernel thread went to sleep and must be woken with {@code IORING_ENTER_SQ_WAKEUP}. Called
     * after the tail store: the full fence orders that store before the flags load (liburing's
     * {@code io_uring_smp_mb()}), as the kernel sets the flag and then re-reads the tail. Without it each side
     * could miss the other's store and the thread sleep with new entries in the ring.
     */
    boolean needsWakeup() {
        VarHandle.fullFence();
        return ((int) INT.getOpaque(ring, kFlags) & SQ_NEED_WAKEUP) != 0;
    }

    /**
     * The SQ flags word, relaxed ({@code IO_URING_READ_ONCE(*sq->kflags)} in liburing): a hint that completions
     * wait in the kernel, re-read each time (opaque: never hoisted out of a loop), ordering nothing.
     */
    int flagsRelaxed() {
        return (int) INT.getOpaque(ring, kFlags);
    }

    /** The SQ flags word, with acquire (for {@link IoUring#sqFlags()}). */
    int flagsAcquire() {
        return (int) INT.getAcquire(ring, kFlags);
    }

    /** The kernel's count of invalid SQEs it skipped, with acquire. */
    int dropped() {
        return (int) INT.getAcquire(ring, kDropped);
    }

    // ---- The queue. ----------------------------------------------------------------------------------------------

    int entries() {
        return entries;
    }

    /**
     * The next free SQE, or {@code null} when every slot has been handed out and not yet consumed by the kernel.
     * Re-reads the kernel's head only when the cached copy says "full".
     */
    Sqe next() {
        int tail = sqeTail;
        if (tail - cachedHead >= entries) {
            // Looks full: the kernel may have consumed entries since we last looked.
            int head = loadHeadAcquire();
            cachedHead = head;
            if (tail - head >= entries) {
                return null;
            }
        }
        sqeTail = tail + 1;
        if (mixed) {
            handOut(tail, false);
        }
        return slots[tail & mask];
    }

    /**
     * Mixed rings: the next free 128-byte SQE (two slots), or {@code null} when there is no room for it (and, at the
     * last slot, for the filler before it).
     */
    Sqe next128() {
        int tail = sqeTail;
        int need = ((tail + 1) & mask) == 0 ? 3 : 2; // at the last slot: the filler, then slots 0 and 1
        if (tail + need - cachedHead > entries) {
            int head = loadHeadAcquire();
            cachedHead = head;
            if (tail + need - head > entries) {
                return null;
            }
        }
        if (need == 3) {
            slots[tail & mask].prepNop().userData(0L).cqeSkipSuccess();
            handOut(tail, true);
            tail++;
        }
        handOut(tail, false);
        handOut(tail + 1, true);
        sqeTail = tail + 2;
        return wide[tail & mask];
    }

    /** Mixed rings: records what SQ position {@code pos} holds, retiring what its slot held a lap before. */
    private void handOut(int pos, boolean extra) {
        int slot = pos & mask;
        if (extraPos[slot] == pos - entries) {
            extraRetired++; // consumed long ago: the kernel's head is past it, or the slot could not be handed out
        }
        extraPos[slot] = extra ? pos : noExtra();
        if (!extra) {
            lastStart = pos;
        }
    }

    /** Mixed rings: the positions before {@code head} that held no request of their own. */
    private int extrasBefore(int head) {
        int n = extraRetired;
        int lo = sqeTail - entries - headBase > 0 ? sqeTail - entries : headBase;
        for (int q = lo; q - head < 0; q++) {
            if (extraPos[q & mask] == q) {
                n++;
            }
        }
        return n;
    }

    /** Publishes the SQ tail; returns how many entries this call published. */
    int flush() {
        int tail = sqeTail;
        int published = tail - sqePublished;
        if (published != 0) {
            sqePublished = tail;
            if (mixed) {
                lastPublishedStart = lastStart;
            }
            storeTailRelease(tail);
        }
        return published;
    }

    /** Entries handed out and not yet consumed by the kernel, published or not. */
    int unconsumed() {
        return sqeTail - loadHeadAcquire();
    }

    /** Entries published and not yet consumed by the kernel. */
    int publishedUnconsumed() {
        return sqePublished - loadHeadAcquire();
    }

    /** The SQEs the kernel has consumed since setup (its head, which an SQPOLL thread advances on its own). */
    int consumedSinceSetup() {
        int head = loadHeadAcquire();
        return mixed ? head - headBase - extrasBefore(head) : head - headBase;
    }

    /** Whether nothing was ever published, and the kernel's head is where it was at setup. */
    boolean neverPublished() {
        return sqePublished == headBase && loadHeadAcquire() == headBase;
    }

    /** Drops the entries handed out and never published: the kernel has not seen them, and they must not run. */
    void dropUnpublished() {
        sqeTail = sqePublished;
    }

    /**
     * Whether the last entry published links to the next one ({@code IOSQE_IO_LINK}/{@code HARDLINK}) and the
     * kernel has not consumed it yet, so that the next entry would join its chain.
     */
    boolean chainOpen() {
        int last = mixed ? lastPublishedStart : sqePublished - 1;
        return loadHeadAcquire() != sqePublished && (slots[last & mask].flags() & SQE_LINK_FLAGS) != 0;
    }
}
