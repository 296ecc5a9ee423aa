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
 * rest of the class counts in CQEs, not slots; ordinary rings pay one test of {@link #mixed} for it.
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
            int f = slots[h & mask].flags();
            h += (f & CQE_F_32) != 0 ? 2 : 1;
            n += (f & CQE_F_SKIP) != 0 ? 0 : 1;
        }
        return n;
    }

    /** The completion at the head, or {@code null}; skips (and releases) the ring's own timeout completions. */
    Cqe peek() {
        for (;;) {
            int h = head;
            if (h == loadTailAcquire()) {
                return null;
            }
            Cqe c = slots[h & mask];
            if (mixed && (c.flags() & CQE_F_SKIP) != 0) {
                releaseFiller();
                continue;
            }
            if (skipInternalTimeouts && c.userData() == INTERNAL_TIMEOUT_USER_DATA) {
                advance(1);
                continue;
            }
            return c;
        }
    }

    /** Mixed rings: releases the filler entry at the head. */
    private void releaseFiller() {
        extraSlots++;
        int h = head + 1;
        head = h;
        storeHeadRelease(h);
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

    /** Releases {@code n} completions from the head (in a mixed ring, and the fillers among them). */
    private void advance(int n) {
        int h = head;
        int more = 0;
        if (!mixed) {
            for (int i = 0; i < n; i++) {
                int f = slots[(h + i) & mask].flags();
                if ((f & CQE_F_MORE_OR_NOTIF) != 0) {
                    if ((f & CQE_F_MORE) != 0) {
                        more++; // not the request's last completion: it stays in flight
                    } else {
                        notificationReaped = true;
                    }
                }
            }
            h += n;
        } else {
            int extra = 0;
            for (int i = 0; i < n; ) {
                int f = slots[h & mask].flags();
                h++;
                if ((f & CQE_F_32_OR_SKIP) != 0) {
                    extra++;
                    if ((f & CQE_F_SKIP) != 0) {
                        continue;
                    }
                    h++;
                }
                if ((f & CQE_F_MORE_OR_NOTIF) != 0) {
                    if ((f & CQE_F_MORE) != 0) {
                        more++;
                    } else {
                        notificationReaped = true;
                    }
                }
                i++;
            }
            extraSlots += extra;
        }
        moreReaped += more;
        head = h;
        storeHeadRelease(h);
    }

    /**
     * Fills {@code out} with up to {@code out.length} completions from the head without releasing them; stops
     * before one of the ring's own timeouts (the next {@link #peek()} skips it at the head).
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
            if ((mixed && (c.flags() & CQE_F_SKIP) != 0)
                    || (skipInternalTimeouts && c.userData() == INTERNAL_TIMEOUT_USER_DATA)) {
                return n; // stop before it; the next call skips it at the head
            }
            out[n++] = c;
            h += mixed && (c.flags() & CQE_F_32) != 0 ? 2 : 1;
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
        int n = 0;
        int more = 0;
        int extra = 0;
        try {
            while (h != tail) {
                Cqe c = slots[h & mask];
                int f = c.flags();
                h++;
                if (mixed && (f & CQE_F_32_OR_SKIP) != 0) {
                    extra++;
                    if ((f & CQE_F_SKIP) != 0) {
                        continue;
                    }
                    h++;
                }
                if ((f & CQE_F_MORE_OR_NOTIF) != 0) {
                    if ((f & CQE_F_MORE) != 0) {
                        more++;
                    } else {
                        notificationReaped = true;
                    }
                }
                if (skipInternalTimeouts && c.userData() == INTERNAL_TIMEOUT_USER_DATA) {
                    continue;
                }
                n++;
                consumer.accept(c);
            }
        } finally {
            moreReaped += more;
            extraSlots += extra;
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
        int more = 0;
        int extra = 0;
        while (h != tail && n < userData.length) {
            Cqe c = slots[h & mask];
            h++;
            long ud = c.userData();
            int f = c.flags();
            if (mixed && (f & CQE_F_32_OR_SKIP) != 0) {
                extra++;
                if ((f & CQE_F_SKIP) != 0) {
                    continue;
                }
                h++;
            }
            if ((f & CQE_F_MORE_OR_NOTIF) != 0) {
                if ((f & CQE_F_MORE) != 0) {
                    more++;
                } else {
                    notificationReaped = true;
                }
            }
            if (skipInternalTimeouts && ud == INTERNAL_TIMEOUT_USER_DATA) {
                continue;
            }
            userData[n] = ud;
            if (res != null) {
                res[n] = c.res();
            }
            if (flags != null) {
                flags[n] = f;
            }
            n++;
        }
        moreReaped += more;
        extraSlots += extra;
        head = h;
        storeHeadRelease(h);
        return n;
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
