package io.github.jring.core;

import io.github.jring.bindings.Uapi;
import io.github.jring.bindings.io_cqring_offsets;
import io.github.jring.bindings.io_sqring_offsets;
import io.github.jring.bindings.io_uring_params;
import io.github.jring.core.internal.Syscalls;

import java.lang.foreign.MemorySegment;

/**
 * The memory of a ring: the SQ ring, the CQ ring and the SQE array, in one of two ways.
 * <ul>
 * <li>{@link #map}: the kernel allocated them at {@code io_uring_setup}, and the process maps them from the ring fd
 *     at the {@code IORING_OFF_*} offsets (one mapping for both rings with {@code IORING_FEAT_SINGLE_MMAP}, 5.4).</li>
 * <li>{@link #allocate}: with {@code IORING_SETUP_NO_MMAP} (Linux 6.5) the process allocates two regions before the
 *     setup and passes their addresses in {@code io_uring_params} ({@code cq_off.user_addr}: the SQ and CQ rings, one
 *     region; {@code sq_off.user_addr}: the SQE array), and the kernel pins their pages. Here they are anonymous
 *     shared mappings, page-aligned (the kernel requires it) and populated.</li>
 * </ul>
 * Either way they are owned by the ring and unmapped by {@link #free} when it closes.
 *
 * <p>The NO_MMAP regions must be allocated before {@code io_uring_setup}, which is what tells the ring's real sizes,
 * so the sizes are worked out as the kernel works them out ({@code io_uring_fill_params}, {@code rings_size}) with
 * room to spare: the kernel pins only what it needs from the start of each region, and a region larger than that is
 * harmless, a smaller one would not be.
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
    private static final int MAP_SHARED_POPULATE = Uapi.MAP_SHARED() | Uapi.MAP_POPULATE();
    private static final int PROT_RW = Uapi.PROT_READ() | Uapi.PROT_WRITE();

    final long sqRingAddr;
    final long sqRingSize;
    final long cqRingAddr;
    final long cqRingSize;
    final long sqesAddr;
    final long sqesSize;
    /** Whether the memory was allocated by the process ({@code IORING_SETUP_NO_MMAP}). */
    final boolean userAllocated;

    private RingMemory(long sqRingAddr, long sqRingSize, long cqRingAddr, long cqRingSize, long sqesAddr,
                       long sqesSize, boolean userAllocated) {
        this.sqRingAddr = sqRingAddr;
        this.sqRingSize = sqRingSize;
        this.cqRingAddr = cqRingAddr;
        this.cqRingSize = cqRingSize;
        this.sqesAddr = sqesAddr;
        this.sqesSize = sqesSize;
        this.userAllocated = userAllocated;
    }

    /**
     * Maps the memory the kernel allocated for the ring {@code ringFd}: the SQ ring ({@code sqSize} bytes), the CQ
     * ring ({@code cqSize}; or, with {@code singleMmap}, one mapping of the larger size for both) and the SQE array.
     * A failure unmaps what was mapped.
     *
     * @throws ErrnoException if a mapping fails
     */
    static RingMemory map(MemorySegment errno, int ringFd, long sqSize, long cqSize, boolean singleMmap,
                          long sqesSize) throws ErrnoException {
        if (singleMmap) {
            sqSize = cqSize = Math.max(sqSize, cqSize);
        }
        long sqAddr = 0;
        long cqAddr = 0;
        long sqesAddr = 0;
        try {
            sqAddr = mmapOrThrow(errno, sqSize, MAP_SHARED_POPULATE, ringFd, Uapi.IORING_OFF_SQ_RING(), "SQ ring");
            cqAddr = singleMmap ? sqAddr
                    : mmapOrThrow(errno, cqSize, MAP_SHARED_POPULATE, ringFd, Uapi.IORING_OFF_CQ_RING(), "CQ ring");
            sqesAddr = mmapOrThrow(errno, sqesSize, MAP_SHARED_POPULATE, ringFd, Uapi.IORING_OFF_SQES(), "SQE array");
        } catch (ErrnoException | RuntimeException | Error e) {
            if (sqesAddr > 0) {
                Syscalls.munmap(errno, sqesAddr, sqesSize);
            }
            if (cqAddr > 0 && cqAddr != sqAddr) {
                Syscalls.munmap(errno, cqAddr, cqSize);
            }
            if (sqAddr > 0) {
                Syscalls.munmap(errno, sqAddr, sqSize);
            }
            throw e;
        }
        return new RingMemory(sqAddr, sqSize, cqAddr, cqSize, sqesAddr, sqesSize, false);
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
        return new RingMemory(ringsAddr, rings, ringsAddr, rings, sqesAddr, sqes, true);
    }

    /**
     * Where the kernel puts the SQ index array in the rings: after the CQEs (which start at {@code cqesOffset}),
     * aligned to a 64-byte cacheline ({@code rings_size}). For the resize, which answers without
     * {@code sq_off.array} (6.13 to 6.18 at least leave it as the caller passed it).
     */
    static long sqArrayOffset(long cqesOffset, int cqEntries, int cqeSize) {
        return (cqesOffset + (long) cqEntries * cqeSize + 63) & -64L;
    }

    /** Writes the NO_MMAP regions' addresses into the setup parameters. */
    void describe(MemorySegment params) {
        io_cqring_offsets.user_addr(io_uring_params.cq_off(params), sqRingAddr);
        io_sqring_offsets.user_addr(io_uring_params.sq_off(params), sqesAddr);
    }

    /** Whether the SQ and CQ rings are one mapping. */
    boolean singleMapping() {
        return cqRingAddr == sqRingAddr;
    }

    /**
     * Unmaps the SQE array and the rings, in liburing's order (the kernel keeps the pages it pinned until the ring
     * is gone).
     */
    void free(MemorySegment errno) {
        Syscalls.munmap(errno, sqesAddr, sqesSize);
        Syscalls.munmap(errno, sqRingAddr, sqRingSize);
        if (cqRingAddr != sqRingAddr) {
            Syscalls.munmap(errno, cqRingAddr, cqRingSize);
        }
    }

    private static long map(MemorySegment errno, long size, String what) throws ErrnoException {
        return mmapOrThrow(errno, size, MAP_SHARED_ANON_POPULATE, -1, 0L, what + " (IORING_SETUP_NO_MMAP)");
    }

    /** A read-write mapping for the ring ({@code what} names it in the error), or an ErrnoException. */
    private static long mmapOrThrow(MemorySegment errno, long size, int mapFlags, int fd, long offset, String what)
            throws ErrnoException {
        long a = Syscalls.mmap(errno, size, PROT_RW, mapFlags, fd, offset);
        if (a < 0 && a >= -4095) {
            throw new ErrnoException("mmap of the io_uring " + what + " (" + size + " bytes)", (int) -a);
        }
        return a;
    }

    private static int roundUpPow2(int n) {
        return n <= 1 ? 1 : n > (1 << 30) ? 1 << 30 : Integer.highestOneBit(n - 1) << 1;
    }

    private static long pageAlign(long n) {
        return (n + PAGE - 1) & -PAGE;
    }
}
