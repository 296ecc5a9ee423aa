package io.github.jring.core;

import io.github.jring.bindings.Uapi;
import io.github.jring.bindings.io_cqring_offsets;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * The completion queue: the kernel's CQ ring ({@code head}, {@code tail}, {@code overflow}, the CQEs) with the
 * application's copy of the head. The kernel produces (writes the tail), the application consumes (writes the head).
 * Every ordered access to the CQ ring is one of the accessors at the top of this class, each named after what it
 * does in the protocol and the rule it serves (see {@code docs/io-uring-anatomy.md}, "Memory ordering"). This class
 * never enters the kernel: it reaps what is in the CQ. The reaping thread only.
 *
 * <p><b>Mixed rings</b> ({@code IORING_SETUP_CQE_MIXED}, 6.18): every slot is 16 bytes and a 32-byte CQE, flagged
 * {@code IORING_CQE_F_32}, takes two slots in a row; the head moves past both. A 32-byte CQE never wraps: when it
 * would start at the last slot, the kernel fills that slot with a 16-byte {@code IORING_CQE_F_SKIP} entry and posts the
 * CQE at slot 0. Such a filler is no completion: it is released where it is met and never handed out or counted. The
 * rest of the class counts in CQEs, not slots.
 *
 * <p><b>One step per entry.</b> What an entry is (its slots, a filler, the ring's own timeout) is decided in one place,
 * {@link #kind}, and what releasing it counts in one other, {@link #release}; every loop that reads entries goes
 * through them. An ordinary ring ({@link #plain}: 16- or 32-byte CQEs, and timed waits that queue no timeouts of their
 * own) has none but one-slot CQEs to hand out, so its loops are chosen once per call and do per CQE only what
 * {@link #release} comes to there: one test of the flags for the rare completions that count differently.
 */
final class CompletionQueue {

    /** The {@code user_data} of the ring's own timeouts ({@link IoUring#INTERNAL_TIMEOUT_USER_DATA}). */
    static final long INTERNAL_TIMEOUT_USER_DATA = -1L;

    private static final VarHandle INT = JAVA_INT.varHandle();
    private static final int CQE_F_MORE = Uapi.IORING_CQE_F_MORE();
    private static final int CQE_F_NOTIF = Uapi.IORING_CQE_F_NOTIF();
    /** The flags that make a completion count differently: one test of both keeps the common case to one branch. */
    private static final int CQE_F_MORE_OR_NOTIF = CQE_F_MORE | CQE_F_NOTIF;
    private static final int CQE_F_32 = Uapi.IORING_CQE_F_32();
    private static final int CQE_F_SKIP = Uapi.IORING_CQE_F_SKIP();
    /** In a mixed ring, the flags of an entry that is not one 16-byte slot holding one CQE. */
    private static final int CQE_F_32_OR_SKIP = CQE_F_32 | CQE_F_SKIP;

    // The ring's layout: set at setup, and again only by moveTo (IORING_REGISTER_RESIZE_RINGS).
    private MemorySegment ring;
    private long kHead;
    private long kTail;
    private long kOverflow;
    private long cqesOff;
    private int mask;
    private Cqe[] slots;
    /** 16, or 32 with CQE32 (16 in a mixed ring: the slot size). */
    private final int cqeSize;
    /** Without IORING_FEAT_EXT_ARG: completions with the ring's internal timeout user_data are skipped. */
    private final boolean skipInternalTimeouts;
    /** IORING_SETUP_CQE_MIXED: 16- and 32-byte CQEs in one ring of 16-byte slots, and filler entries at the wrap. */
    private final boolean mixed;
    /** Neither {@link #mixed} nor {@link #skipInternalTimeouts}: every entry is one slot and one CQE to hand out. */
    private final boolean plain;

    /** The CQ head: only this side writes it, so the local copy is exact. */
    private int head;
    /** The CQ head at setup, from which {@link #endedSinceSetup()} counts. */
    private final int headBase;
    /** Completions reaped with IORING_CQE_F_MORE: they do not end their request. */
    private int moreReaped;
    /** Whether a zero-copy send's notification ({@code IORING_CQE_F_NOTIF}) was ever reaped from this ring. */
    private boolean notificationReaped;
    /** Mixed rings: slots released that held no CQE of their own (second halves of 32-byte CQEs, fillers). */
    private int extraSlots;

    /**
     * @param ring                 the CQ ring's memory
     * @param offsets              {@code io_uring_params.cq_off}
     * @param entries              CQ entries
     * @param cqeSize              16, or 32 with CQE32 (16 in a mixed ring: the slot size)
     * @param skipInternalTimeouts whether completions with {@link #INTERNAL_TIMEOUT_USER_DATA} are the ring's
     * @param mixed                whether the ring was set up with {@code IORING_SETUP_CQE_MIXED}
     */
    CompletionQueue(MemorySegment ring, MemorySegment offsets, int entries, int cqeSize,
                    boolean skipInternalTimeouts, boolean mixed) {
        this.skipInternalTimeouts = skipInternalTimeouts;
        this.mixed = mixed;
        this.plain = !mixed && !skipInternalTimeouts;
        this.cqeSize = cqeSize;
        layOut(ring, offsets, entries);
        this.head = this.headBase = loadHeadAcquire();
    }

    /** Points this queue at the CQ ring {@code ring}, with a flyweight per slot. */
    private void layOut(MemorySegment ring, MemorySegment offsets, int entries) {
        this.ring = ring;
        this.kHead = Integer.toUnsignedLong(io_cqring_offsets.head(offsets));
        this.kTail = Integer.toUnsignedLong(io_cqring_offsets.tail(offsets));
        this.kOverflow = Integer.toUnsignedLong(io_cqring_offsets.overflow(offsets));
        this.mask = ring.get(JAVA_INT, Integer.toUnsignedLong(io_cqring_offsets.ring_mask(offsets)));
        this.cqesOff = Integer.toUnsignedLong(io_cqring_offsets.cqes(offsets));
        this.slots = new Cqe[entries];
        for (int i = 0; i < entries; i++) {
            slots[i] = new Cqe(ring, cqesOff, i, cqeSize, mixed);
        }
    }

    /**
     * Moves the queue to the CQ ring that {@code IORING_REGISTER_RESIZE_RINGS} (6.13) made: {@code ring} of
     * {@code entries} slots, which the kernel has already given the old ring's head, tail and the CQEs between them.
     * The CQEs not yet reaped keep their positions, and jring copies them whole once more to those positions' slots,
     * so that they do not depend on how a kernel copies them (its loop reads as one 16-byte {@code io_uring_cqe} a
     * position in the 6.13 source; 6.18 moves {@code CQE32} entries whole, as {@code ResizeRingsTest} showed with
     * this copy switched off). Only the range the kernel copied, up to the old ring's tail: a CQE posted since went to
     * the new ring, past it.
     * The old memory must stay mapped until this returns; the flyweights handed out before are the old memory's.
     * Call only after {@link #unreapedFitIn} said yes, with the reaping side idle.
     */
    void moveTo(MemorySegment ring, MemorySegment offsets, int entries) {
        int tail = loadTailAcquire(); // the old ring's tail, which the kernel copied
        MemorySegment oldRing = this.ring;
        long oldCqesOff = cqesOff;
        int oldMask = mask;
        layOut(ring, offsets, entries);
        for (int pos = head; pos != tail; pos++) {
            MemorySegment.copy(oldRing, oldCqesOff + (long) (pos & oldMask) * cqeSize, ring,
                    cqesOff + (long) (pos & mask) * cqeSize, cqeSize);
        }
    }

    /**
     * Whether the CQEs not yet reaped fit in a CQ of {@code entries} slots where jring can read them: in a mixed
     * ring no 32-byte CQE may then start at the last slot (it would straddle the end; the kernel never posts one
     * there). How many fit the kernel checks itself ({@code EOVERFLOW}).
     */
    boolean unreapedFitIn(int entries) {
        if (!mixed) {
            return true;
        }
        int tail = loadTailAcquire();
        for (int h = head; h != tail; ) {
            int f = slots[h & mask].flags();
            if ((f & CQE_F_32) != 0 && (h & (entries - 1)) == entries - 1) {
                return false;
            }
            h += (f & CQE_F_32) != 0 ? 2 : 1;
        }
        return true;
    }

    /** The byte size the CQ ring's mapping must cover: up to the end of the CQEs. */
    static long ringSize(MemorySegment offsets, int entries, int cqeSize) {
        return Integer.toUnsignedLong(io_cqring_offsets.cqes(offsets)) + (long) entries * cqeSize;
    }

    // ---- The ordered accessors: the only places the CQ ring's shared fields are read or written. ----------------

    /**
     * The kernel's CQ tail, with acquire: the kernel writes the CQEs and then publishes the tail with
     * {@code smp_store_release}, so the CQEs before it are read only after this load (liburing's
     * {@code io_uring_smp_load_acquire(cq->ktail)}). Performed each time: a polling loop sees the tail move.
     */
    private int loadTailAcquire() {
        return (int) INT.getAcquire(ring, kTail);
    }

    /**
     * Releases CQ slots up to {@code newHead} with release: the reads of those CQEs happen before the kernel may
     * overwrite them (liburing's {@code io_uring_smp_store_release(cq->khead)}).
     */
    private void storeHeadRelease(int newHead) {
        INT.setRelease(ring, kHead, newHead);
    }

    /** The CQ head as the kernel last saw it (only at setup: afterwards this side is its only writer). */
    private int loadHeadAcquire() {
        return (int) INT.getAcquire(ring, kHead);
    }

    /** The kernel's count of completions it had to drop, with acquire. */
    int overflow() {
        return (int) INT.getAcquire(ring, kOverflow);
    }

    // ---- What one entry is: the per-CQE step every reaping loop shares. ------------------------------------------

    /** {@link #kind}: the slots the entry takes, 1, or 2 for a 32-byte CQE in a mixed ring. */
    private static final int SLOTS = 3;
    /** {@link #kind}: a mixed ring's filler ({@code IORING_CQE_F_SKIP}): no CQE at all. */
    private static final int FILLER = 4;
    /** {@link #kind}: the ring's own timeout: a CQE that ends its request, never handed out. */
    private static final int INTERNAL = 8;
    /** {@link #kind}: the entries a reaping loop passes over without handing them out. */
    private static final int HIDDEN = FILLER | INTERNAL;

    /**
     * What the entry {@code c} with flags {@code f} is: its {@link #SLOTS}, and whether it is a {@link #FILLER} or
     * an {@link #INTERNAL} timeout. Reads nothing but {@code c}; an ordinary ring's entry is always 1.
     */
    private int kind(Cqe c, int f) {
        int k = 1;
        if (mixed && (f & CQE_F_32_OR_SKIP) != 0) {
            if ((f & CQE_F_SKIP) != 0) {
                return 1 | FILLER;
            }
            k = 2;
        }
        if (skipInternalTimeouts && c.userData() == INTERNAL_TIMEOUT_USER_DATA) {
            k |= INTERNAL;
        }
        return k;
    }

    /**
     * The step of a loop that releases what it reads: {@link #kind}, and the counts the ring keeps of what it
     * released (slots without a CQE of their own, completions that do not end their request, notifications).
     */
    private int release(Cqe c, int f) {
        int k = kind(c, f);
        if ((k & FILLER) != 0) {
            extraSlots++;
            return k;
        }
        if ((k & SLOTS) == 2) {
            extraSlots++; // the second half of a 32-byte CQE
        }
        countIfFlagged(f);
        return k;
    }

    /**
     * The whole of {@link #release} on an ordinary ring (every entry one slot, one CQE, handed out): the counting,
     * which in the common case is one test of the flags.
     */
    private void countIfFlagged(int f) {
        if ((f & CQE_F_MORE_OR_NOTIF) != 0) {
            countFlagged(f);
        }
    }

    /** Out of line: the rare completions that count differently stay out of the loops the JIT compiles hot. */
    private void countFlagged(int f) {
        if ((f & CQE_F_MORE) != 0) {
            moreReaped++; // not the request's last completion: it stays in flight
        } else {
            notificationReaped = true;
        }
    }

    // ---- Reaping. ------------------------------------------------------------------------------------------------

    /** Completions in the CQ, ready to be reaped (not counting any in the kernel's overflow list). */
    int ready() {
        int tail = loadTailAcquire();
        return mixed ? cqesBetween(head, tail) : tail - head;
    }

    /** Mixed rings: the CQEs (not slots, not fillers) from slot {@code h} to {@code tail}. */
    private int cqesBetween(int h, int tail) {
        int n = 0;
        while (h != tail) {
            Cqe c = slots[h & mask];
            int k = kind(c, c.flags());
            h += k & SLOTS;
            n += (k & FILLER) != 0 ? 0 : 1;
        }
        return n;
    }

    /**
     * The completion at the head, or {@code null}; passes over (and releases) what is not to be handed out: a mixed
     * ring's fillers, the ring's own timeout completions.
     */
    Cqe peek() {
        for (;;) {
            int h = head;
            if (h == loadTailAcquire()) {
                return null;
            }
            Cqe c = slots[h & mask];
            if (plain || (kind(c, c.flags()) & HIDDEN) == 0) {
                return c;
            }
            h += release(c, c.flags()) & SLOTS;
            head = h;
            storeHeadRelease(h);
        }
    }

    /**
     * Marks {@code cqe}, which must be the completion at the head, seen: this queue's flyweight of the head's slot
     * (not one of another ring, nor one from before a resize).
     */
    void seen(Cqe cqe) {
        int h = head;
        if (cqe != slots[h & mask] || loadTailAcquire() == h) {
            // Named by its slot: a stale flyweight's memory (another ring's, or from before a resize) may be gone.
            throw new IllegalArgumentException("cqeSeen: the Cqe of slot " + cqe.index()
                    + " is not the completion at the CQ head (slot " + (h & mask) + " of this ring)");
        }
        advance(1);
    }

    /** Releases {@code n} completions, checked against what is in the CQ. */
    void advanceChecked(int n) {
        int ready = ready();
        if (n < 0 || n > ready) {
            throw new IllegalArgumentException("cqAdvance(" + n + ") with " + ready + " completions in the CQ");
        }
        advance(n);
    }

    /**
     * Releases {@code n} completions from the head (counting the ring's own timeouts among them, as {@link #ready()}
     * does), and in a mixed ring the fillers among and before them.
     */
    private void advance(int n) {
        int h = head;
        if (plain) {
            for (int i = 0; i < n; i++) {
                countIfFlagged(slots[(h + i) & mask].flags());
            }
            h += n;
        } else {
            for (int i = 0; i < n; ) {
                Cqe c = slots[h & mask];
                int k = release(c, c.flags());
                h += k & SLOTS;
                if ((k & FILLER) == 0) {
                    i++;
                }
            }
        }
        head = h;
        storeHeadRelease(h);
    }

    /**
     * Fills {@code out} with up to {@code out.length} completions from the head without releasing them; stops
     * before what is not to be handed out (the next {@link #peek()} passes over it at the head).
     */
    int peekBatch(Cqe[] out) {
        if (peek() == null) {
            return 0;
        }
        int h = head;
        int tail = loadTailAcquire();
        int n = 0;
        while (h != tail && n < out.length) {
            Cqe c = slots[h & mask];
            int k = kind(c, c.flags());
            if ((k & HIDDEN) != 0) {
                return n; // stop before it; the next call passes over it at the head
            }
            out[n++] = c;
            h += k & SLOTS;
        }
        return n;
    }

    /**
     * Hands every completion in the CQ to {@code consumer}, then releases them all with one store of the head (also
     * when the consumer throws: those delivered so far, the one it threw on included).
     */
    int drain(CqeHandler consumer) {
        int h = head;
        int tail = loadTailAcquire();
        if (h == tail) {
            return 0;
        }
        return plain ? drainPlain(consumer, h, tail) : drainClassified(consumer, h, tail);
    }

    /** {@link #drain} on an ordinary ring: every entry from {@code h} to {@code tail} is one CQE to hand out. */
    private int drainPlain(CqeHandler consumer, int h, int tail) {
        int n = 0;
        try {
            while (h != tail) {
                Cqe c = slots[h & mask];
                h++;
                countIfFlagged(c.flags());
                n++;
                consumer.accept(c);
            }
        } finally {
            head = h;
            storeHeadRelease(h);
        }
        return n;
    }

    /** {@link #drain} on a mixed ring, or one whose own timeouts complete in its CQ: each entry by {@link #release}. */
    private int drainClassified(CqeHandler consumer, int h, int tail) {
        int n = 0;
        try {
            while (h != tail) {
                Cqe c = slots[h & mask];
                int k = release(c, c.flags());
                h += k & SLOTS;
                if ((k & HIDDEN) == 0) {
                    n++;
                    consumer.accept(c);
                }
            }
        } finally {
            head = h;
            storeHeadRelease(h);
        }
        return n;
    }

    /** Copies up to {@code userData.length} completions into the arrays and releases them. */
    int copy(long[] userData, int[] res, int[] flags) {
        int h = head;
        int tail = loadTailAcquire();
        int n = 0;
        if (plain) {
            int end = h + Math.min(tail - h, userData.length);
            while (h != end) {
                Cqe c = slots[h & mask];
                h++;
                int f = c.flags();
                countIfFlagged(f);
                copyOut(c, f, n++, userData, res, flags);
            }
        } else {
            while (h != tail && n < userData.length) {
                Cqe c = slots[h & mask];
                int f = c.flags();
                int k = release(c, f);
                h += k & SLOTS;
                if ((k & HIDDEN) == 0) {
                    copyOut(c, f, n++, userData, res, flags);
                }
            }
        }
        head = h;
        storeHeadRelease(h);
        return n;
    }

    private static void copyOut(Cqe c, int f, int i, long[] userData, int[] res, int[] flags) {
        userData[i] = c.userData();
        if (res != null) {
            res[i] = c.res();
        }
        if (flags != null) {
            flags[i] = f;
        }
    }

    /** The completions reaped since setup that end a request: all but those flagged {@code IORING_CQE_F_MORE}. */
    int endedSinceSetup() {
        return head - headBase - moreReaped - extraSlots;
    }

    /**
     * Whether a zero-copy send's notification ({@code IORING_CQE_F_NOTIF}) was ever reaped: a completion the kernel
     * posts for no SQE of its own, which kernels before 6.16 leave out of their drain accounting (see
     * {@link InFlightDrain}).
     */
    boolean notificationReaped() {
        return notificationReaped;
    }

    /** Whether no completion was ever reaped. */
    boolean neverReaped() {
        return head - extraSlots == headBase && moreReaped == 0;
    }
}
