package io.github.jring.core;

import io.github.jring.bindings.Uapi;
import io.github.jring.bindings.io_cqring_offsets;
import io.github.jring.bindings.io_sqring_offsets;
import io.github.jring.bindings.io_uring_params;
import io.github.jring.core.internal.Syscalls;

import java.lang.foreign.MemorySegment;

/**
 * The memory of a ring set up with {@code IORING_SETUP_NO_MMAP} (Linux 6.5): instead of the kernel allocating the
 * rings and SQE array and the process mapping them from the ring fd, the process allocates two regions and passes
 * their addresses in {@code io_uring_params} ({@code cq_off.user_addr}: the SQ and CQ rings, one region;
 * {@code sq_off.user_addr}: the SQE array), and the kernel pins their pages. Here they are anonymous shared mappings,
 * page-aligned (the kernel requires it) and populated, owned by the ring and unmapped when it closes.
 *
 * <p>They must be allocated before {@code io_uring_setup}, which is what tells the ring's real sizes, so the sizes are
 * worked out as the kernel works them out ({@code io_uring_fill_params}, {@code rings_size}) with room to spare:
 * the kernel pins only what it needs from the start of each region, and a region larger than that is harmless, a
 * smaller one would not be.
 */
final class RingMemory {

    private static final long PAGE = Syscalls.pageSize();
    /** {@code IORING_MAX_ENTRIES} and {@code IORING_MAX_CQ_ENTRIES}. */
    private static final int MAX_SQ = 32768;
    private static final int MAX_CQ = 2 * MAX_SQ;
    /**
     * Room for {@code struct io_rings}' header fields before the CQEs (64 bytes in 6.x: the heads, tails, masks,
     * flags, and the cacheline-aligned CQE array). 4 KiB, so that a kernel that grows the header still fits.
     */
    private static final long HEADER_ROOM = 4096;
    private static final int MAP_SHARED_ANON_POPULATE = Uapi.MAP_SHARED() | Uapi.MAP_ANONYMOUS() | Uapi.MAP_POPULATE();

    final long ringsAddr;
    final long ringsSize;
    final long sqesAddr;
    final long sqesSize;

    private RingMemory(long ringsAddr, long ringsSize, long sqesAddr, long sqesSize) {
        this.ringsAddr = ringsAddr;
        this.ringsSize = ringsSize;
        this.sqesAddr = sqesAddr;
        this.sqesSize = sqesSize;
    }

    /**
     * Allocates the two regions for a ring of {@code entries} with {@code setupFlags} (and, with
     * {@code IORING_SETUP_CQSIZE}, {@code cqEntries}). Sizes the kernel would refuse are not checked here (the setup
     * refuses them); they are bounded by the kernel's maximums.
     *
     * @throws ErrnoException if a mapping fails
     */
    static RingMemory allocate(MemorySegment errno, int entries, int setupFlags, int cqEntries) throws ErrnoException {
        int sq = Math.min(roundUpPow2(entries), MAX_SQ);
        int cq = (setupFlags & Uapi.IORING_SETUP_CQSIZE()) != 0
                ? Math.max(Math.min(roundUpPow2(cqEntries), MAX_CQ), sq) : 2 * sq;
        long cqeSize = (setupFlags & Uapi.IORING_SETUP_CQE32()) != 0 ? 32 : 16;
        long sqeSize = (setupFlags & Uapi.IORING_SETUP_SQE128()) != 0 ? 128 : 64;
        // The header, the CQEs, then (cacheline-aligned) the SQ index array unless NO_SQARRAY: counted either way.
        long rings = pageAlign(HEADER_ROOM + cq * cqeSize + 64 + 4L * sq);
        long sqes = pageAlign(sqeSize * sq);
        long ringsAddr = map(errno, rings, "rings");
        long sqesAddr;
        try {
            sqesAddr = map(errno, sqes, "SQE array");
        } catch (ErrnoException e) {
            Syscalls.munmap(errno, ringsAddr, rings);
            throw e;
        }
        return new RingMemory(ringsAddr, rings, sqesAddr, sqes);
    }

    /** Writes the regions' addresses into the setup parameters. */
    void describe(MemorySegment params) {
        io_cqring_offsets.user_addr(io_uring_params.cq_off(params), ringsAddr);
        io_sqring_offsets.user_addr(io_uring_params.sq_off(params), sqesAddr);
    }

    /** Unmaps both regions (the kernel keeps the pages it pinned until the ring is gone). */
    void free(MemorySegment errno) {
        Syscalls.munmap(errno, sqesAddr, sqesSize);
        Syscalls.munmap(errno, ringsAddr, ringsSize);
    }

    private static long map(MemorySegment errno, long size, String what) throws ErrnoException {
        return IoUring.mmapOrThrow(errno, size, MAP_SHARED_ANON_POPULATE, -1, 0L, what + " (IORING_SETUP_NO_MMAP)");
    }

    private static int roundUpPow2(int n) {
        return n <= 1 ? 1 : n > (1 << 30) ? 1 << 30 : Integer.highestOneBit(n - 1) << 1;
    }

    private static long pageAlign(long n) {
        return (n + PAGE - 1) & -PAGE;
    }
}
