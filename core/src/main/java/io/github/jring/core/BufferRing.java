package io.github.jring.core;

import io.github.jring.bindings.Uapi;
import io.github.jring.bindings.io_uring_buf;
import io.github.jring.bindings.io_uring_buf_ring;
import io.github.jring.core.internal.Syscalls;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.util.Objects;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * A buffer ring ({@code IORING_REGISTER_PBUF_RING}, Linux 5.19): a group of equal buffers that the application hands
 * to the kernel in advance, from which a receive or read with {@code IOSQE_BUFFER_SELECT} takes one only when data is
 * there. A socket server then needs memory for the data in flight, not a buffer per idle connection; and a multishot
 * receive ({@link Sqe#prepRecvMultishotSelect}) needs one, since the kernel picks a new buffer for each completion.
 * The Java counterpart of liburing's {@code io_uring_setup_buf_ring}.
 * {@snippet :
 * try (BufferRing buffers = BufferRing.setup(ring, 7, 16, 4096, 0)) {   // group 7: 16 buffers of 4 KiB
 *     ring.getSqe().prepRecvMultishotSelect(socket, buffers.groupId(), 0).userData(1);
 *     ring.submit();
 *     Cqe cqe = ring.waitCqe();
 *     for (int i = 0, n = buffers.consume(cqe); i < n; i++) {            // usually one buffer
 *         MemorySegment data = buffers.buffer(buffers.consumedId(i))
 *                 .asSlice(buffers.consumedOffset(i), buffers.consumedLength(i));
 *         // ... use data, then give the buffer back:
 *         buffers.recycle(buffers.consumedId(i));
 *     }
 *     ring.cqeSeen(cqe);
 * }
 * }
 *
 * <h2>Ownership</h2>
 * This object owns its memory, in an arena of its own: the ring of {@code entries} 16-byte
 * {@code struct io_uring_buf} entries (page-aligned, as the kernel pins it) and {@code entries} buffers of
 * {@code bufferSize} bytes, buffer id {@code i} at {@code buffer(i)}. Each buffer is at any time either with the
 * <em>kernel</em> (in the ring, or partly filled and kept by an incremental ring) or with the <em>application</em>.
 * {@link #consume(Cqe)} moves the buffers a completion filled to the application; {@link #recycle(int)} (or
 * {@link #add} and {@link #advance()}) moves one back. Adding a buffer the kernel has is refused
 * ({@link IllegalStateException}): the kernel would hand out the same memory twice.
 *
 * <h2>Ordering</h2>
 * The application is the ring's only producer: it writes an entry ({@code addr}, {@code len}, {@code bid}) at
 * {@code tail & mask}, then publishes the new tail with a release store ({@code io_uring_smp_store_release}, as
 * liburing's {@code io_uring_buf_ring_advance}), so the kernel, which reads the tail with an acquire load, never sees
 * a tail before the entries it covers. The kernel keeps its head to itself ({@link #kernelHead()} asks it, Linux
 * 6.8). Completions of one group are posted in the order the kernel took buffers, which is what lets
 * {@link #consume(Cqe)} name every buffer of a bundle.
 *
 * <h2>Incremental consumption</h2>
 * With {@code IOU_PBUF_RING_INC} (Linux 6.12) the kernel fills a buffer piece by piece: each completion uses the bytes
 * right after the previous one's, and sets {@link Cqe#hasBufMore()} while the buffer is not full, which keeps it with
 * the kernel. {@link #consumedOffset(int)} tells where a completion's bytes begin; the buffer comes to the
 * application with the completion without {@code IORING_CQE_F_BUF_MORE}. Large buffers then serve many small
 * receives.
 *
 * <h2>Closing: when the kernel may still write</h2>
 * A request that selects from the group may write into a buffer from its submission until its last completion (the
 * one without {@link Cqe#hasMore()}) has been reaped; a multishot receive is such a request for as long as it is
 * armed. The ring cannot tell which requests select from which group, so {@link #close()} refuses, with
 * {@link IllegalStateException}, while the {@link IoUring} has any request in flight ({@link IoUring#inFlight()} above
 * 0): cancel or finish them first. Otherwise it unregisters the group ({@code IORING_UNREGISTER_PBUF_RING}), and
 * only then frees the memory. After the {@code IoUring} is closed (which waits for all of its requests), close
 * only frees the memory. Never hand out {@link #buffer(int)} views beyond {@code close()}: they die with the arena.
 *
 * <p>Not thread-safe: use it from the thread that reaps the completions, as a ring's CQ. {@link #consume},
 * {@link #add}, {@link #advance} and {@link #recycle} allocate nothing. Requests name the group by
 * {@link #groupId()}; the group must not be registered twice on one ring ({@code EEXIST}).
 */
public final class BufferRing implements AutoCloseable {

    /** Largest ring the kernel accepts ({@code ring_entries < 65536}, a power of two). */
    public static final int MAX_ENTRIES = 32768;

    private static final VarHandle SHORT = JAVA_SHORT.varHandle();
    private static final long TAIL = io_uring_buf_ring.tail$offset();
    private static final long ENTRY_SIZE = io_uring_buf.layout().byteSize();
    private static final long ENTRY_ADDR = io_uring_buf.addr$offset();
    private static final long ENTRY_LEN = io_uring_buf.len$offset();
    private static final long ENTRY_BID = io_uring_buf.bid$offset();
    private static final int INC = Uapi.IOU_PBUF_RING_INC();
    private static final int MMAP = Uapi.IOU_PBUF_RING_MMAP();

    private static final byte WITH_APPLICATION = 0;
    private static final byte WITH_KERNEL = 1;

    private final IoUring ring;
    private final Registrar registrar;
    private final Arena arena;
    private final MemorySegment entriesMem;
    private final MemorySegment[] views;
    private final long buffersAddress;
    private final int groupId;
    private final int entries;
    private final int mask;
    private final int bufferSize;
    private final boolean incremental;

    /** Per buffer id: who has it; the length it was added with; bytes used so far (incremental); its ring position. */
    private final byte[] state;
    private final int[] length;
    private final int[] used;
    private final int[] position;
    /** Per ring slot: the buffer id written there last. */
    private final int[] slotBid;

    /** The tail the kernel has seen, and how many entries were written after it but not yet published. */
    private int tail;
    private int staged;

    /** What the last {@link #consume(Cqe)} found: buffer ids, offsets and lengths. */
    private final int[] outId;
    private final int[] outOffset;
    private final int[] outLength;
    private int outCount;

    private boolean closed;

    private BufferRing(IoUring ring, int groupId, int entries, int bufferSize, int flags) throws ErrnoException {
        this.ring = ring;
        this.registrar = new Registrar(ring.fd());
        this.groupId = groupId;
        this.entries = entries;
        this.mask = entries - 1;
        this.bufferSize = bufferSize;
        this.incremental = (flags & INC) != 0;
        long page = Syscalls.pageSize();
        long ringBytes = (entries * ENTRY_SIZE + page - 1) / page * page;
        Arena a = Arena.ofShared();
        try {
            this.entriesMem = a.allocate(ringBytes, page);
            MemorySegment buffers = a.allocate((long) entries * bufferSize, page);
            this.buffersAddress = buffers.address();
            this.views = new MemorySegment[entries];
            for (int i = 0; i < entries; i++) {
                views[i] = buffers.asSlice((long) i * bufferSize, bufferSize);
            }
            registrar.registerPbufRing(entriesMem.address(), entries, groupId, flags);
        } catch (ErrnoException | RuntimeException e) {
            a.close();
            throw e;
        }
        this.arena = a;
        this.state = new byte[entries];
        this.length = new int[entries];
        this.used = new int[entries];
        this.position = new int[entries];
        this.slotBid = new int[entries];
        this.outId = new int[entries];
        this.outOffset = new int[entries];
        this.outLength = new int[entries];
    }

    /**
     * Registers a buffer ring of {@code entries} buffers of {@code bufferSize} bytes as buffer group {@code groupId}
     * of {@code ring} and hands every buffer to the kernel, ready for receives and reads.
     *
     * @param ring       the ring whose requests will select from it
     * @param groupId    the buffer group id ({@code __u16}), unique on {@code ring}
     * @param entries    number of buffers and ring entries: a power of two, 1 to {@value #MAX_ENTRIES}
     * @param bufferSize bytes per buffer, at least 1
     * @param flags      0, or {@code IOU_PBUF_RING_INC} (Linux 6.12) for incremental consumption
     * @return the registered ring
     * @throws ErrnoException from {@code IORING_REGISTER_PBUF_RING}: {@code EINVAL} before 5.19 or for a flag the
     *                        kernel lacks, {@code EEXIST} if the group is taken
     * @throws IllegalArgumentException for entries that are not a power of two up to 32768, a size below 1,
     *                                  or {@code IOU_PBUF_RING_MMAP} (this type owns the memory itself)
     * @throws IllegalStateException if {@code ring} is closed
     */
    public static BufferRing setup(IoUring ring, int groupId, int entries, int bufferSize, int flags)
            throws ErrnoException {
        BufferRing br = setupEmpty(ring, groupId, entries, bufferSize, flags);
        for (int i = 0; i < entries; i++) {
            br.add(i, bufferSize);
        }
        br.advance();
        return br;
    }

    /**
     * Like {@link #setup}, but every buffer starts with the application: for send bundles
     * ({@link Sqe#prepSendBundle}), where a buffer goes into the ring once it holds data
     * ({@link #recycle(int, int)}).
     *
     * @param ring       the ring whose requests will select from it
     * @param groupId    the buffer group id ({@code __u16}), unique on {@code ring}
     * @param entries    number of buffers and ring entries: a power of two, 1 to {@value #MAX_ENTRIES}
     * @param bufferSize bytes per buffer, at least 1
     * @param flags      0, or {@code IOU_PBUF_RING_INC} (Linux 6.12)
     * @return the registered ring, empty
     * @throws ErrnoException from {@code IORING_REGISTER_PBUF_RING}
     * @throws IllegalArgumentException as for {@link #setup}
     * @throws IllegalStateException if {@code ring} is closed
     */
    public static BufferRing setupEmpty(IoUring ring, int groupId, int entries, int bufferSize, int flags)
            throws ErrnoException {
        Objects.requireNonNull(ring, "ring");
        if (ring.isClosed()) {
            throw new IllegalStateException("io_uring is closed");
        }
        if (entries < 1 || entries > MAX_ENTRIES || Integer.bitCount(entries) != 1) {
            throw new IllegalArgumentException("entries must be a power of two from 1 to " + MAX_ENTRIES + ": "
                    + entries);
        }
        if (bufferSize < 1) {
            throw new IllegalArgumentException("bufferSize must be at least 1: " + bufferSize);
        }
        if ((flags & MMAP) != 0) {
            throw new IllegalArgumentException("IOU_PBUF_RING_MMAP: a BufferRing allocates the ring memory itself");
        }
        if (groupId < 0 || groupId > 0xFFFF) {
            throw new IllegalArgumentException("groupId must be a __u16: " + groupId);
        }
        return new BufferRing(ring, groupId, entries, bufferSize, flags);
    }

    /**
     * The buffer group id that requests name ({@link Sqe#bufferSelect(int)}, {@link Sqe#prepRecvSelect}).
     *
     * @return the group id
     */
    public int groupId() {
        return groupId;
    }

    /**
     * Number of ring entries, which is also the number of buffers (ids 0 to {@code entries() - 1}).
     *
     * @return the entries
     */
    public int entries() {
        return entries;
    }

    /**
     * Bytes per buffer.
     *
     * @return the size
     */
    public int bufferSize() {
        return bufferSize;
    }

    /**
     * Whether the ring was registered with {@code IOU_PBUF_RING_INC}.
     *
     * @return true for incremental consumption
     */
    public boolean incremental() {
        return incremental;
    }

    /**
     * Buffer {@code bufferId}, all {@link #bufferSize()} bytes (a view made once; valid until {@link #close()}).
     * Read it only while the application has it (after {@link #consume(Cqe)}); write it only before adding it.
     *
     * @param bufferId the id
     * @return the buffer
     */
    public MemorySegment buffer(int bufferId) {
        return views[checkId(bufferId)];
    }

    /**
     * Whether buffer {@code bufferId} is the kernel's: in the ring (added, published or not), or partly used by an
     * incremental ring.
     *
     * @param bufferId the id
     * @return true while the application must not touch it
     */
    public boolean isWithKernel(int bufferId) {
        return state[checkId(bufferId)] == WITH_KERNEL;
    }

    /**
     * Number of buffers the kernel has, by this object's accounting of completions ({@link #consume(Cqe)}).
     *
     * @return buffers with the kernel
     */
    public int withKernel() {
        int n = 0;
        for (byte s : state) {
            n += s;
        }
        return n;
    }

    /**
     * The tail published to the kernel ({@code __u16} in the ring, kept here as a counter that wraps like it).
     *
     * @return the tail, modulo 65536
     */
    public int tail() {
        return tail & 0xFFFF;
    }

    /**
     * The kernel's head of this ring, from {@code IORING_REGISTER_PBUF_STATUS} (Linux 6.8): the ring position of
     * the next buffer it will take (modulo 65536). {@code tail() - kernelHead()} buffers are waiting in the ring.
     *
     * @return the head
     * @throws ErrnoException {@code EINVAL} before 6.8
     * @throws IllegalStateException if closed
     */
    public int kernelHead() throws ErrnoException {
        checkOpen();
        return registrar.pbufRingHead(groupId) & 0xFFFF;
    }

    /**
     * Writes buffer {@code bufferId}, all of it, into the ring's next entry, without publishing it:
     * {@link #advance()} does that for every entry added since, with one release store.
     *
     * @param bufferId a buffer the application has
     * @throws IllegalStateException if the kernel has it, or if closed
     */
    public void add(int bufferId) {
        add(bufferId, bufferSize);
    }

    /**
     * Writes the first {@code length} bytes of buffer {@code bufferId} into the ring's next entry, without
     * publishing it. For a send bundle, {@code length} is the data to send; for a receive, the space to fill.
     *
     * @param bufferId a buffer the application has
     * @param length   1 to {@link #bufferSize()}
     * @throws IllegalStateException if the kernel has the buffer, or if closed
     * @throws IllegalArgumentException for a length out of range
     */
    public void add(int bufferId, int length) {
        checkOpen();
        checkId(bufferId);
        if (state[bufferId] == WITH_KERNEL) {
            throw new IllegalStateException("buffer " + bufferId + " of group " + groupId + " is with the kernel: "
                    + "adding it again would hand out the same memory twice");
        }
        if (length < 1 || length > bufferSize) {
            throw new IllegalArgumentException("length must be 1 to " + bufferSize + ": " + length);
        }
        int pos = tail + staged;
        long e = (pos & mask) * ENTRY_SIZE;
        // addr, len and bid only: the resv field of entry 0 is the ring's tail.
        entriesMem.set(JAVA_LONG, e + ENTRY_ADDR, buffersAddress + (long) bufferId * bufferSize);
        entriesMem.set(JAVA_INT, e + ENTRY_LEN, length);
        entriesMem.set(JAVA_SHORT, e + ENTRY_BID, (short) bufferId);
        slotBid[pos & mask] = bufferId;
        position[bufferId] = pos;
        this.length[bufferId] = length;
        used[bufferId] = 0;
        state[bufferId] = WITH_KERNEL;
        staged++;
    }

    /**
     * Publishes the entries added since the last call: one release store of the new tail, after which the kernel
     * may take them.
     *
     * @throws IllegalStateException if closed
     */
    public void advance() {
        checkOpen();
        tail += staged;
        staged = 0;
        SHORT.setRelease(entriesMem, TAIL, (short) tail);
    }

    /**
     * Gives buffer {@code bufferId}, all of it, back to the kernel: {@link #add(int)} then {@link #advance()}.
     *
     * @param bufferId a buffer the application has
     * @throws IllegalStateException if the kernel has it, or if closed
     */
    public void recycle(int bufferId) {
        add(bufferId);
        advance();
    }

    /**
     * Queues the first {@code length} bytes of buffer {@code bufferId} and publishes them: {@link #add(int, int)}
     * then {@link #advance()}.
     *
     * @param bufferId a buffer the application has
     * @param length   1 to {@link #bufferSize()}
     * @throws IllegalStateException if the kernel has it, or if closed
     */
    public void recycle(int bufferId, int length) {
        add(bufferId, length);
        advance();
    }

    /**
     * Accounts for a completion of a request that selected from this group and says where its data is. A
     * completion without {@link Cqe#hasBuffer()} used no buffer: 0. Otherwise the buffers it used, in order, are
     * listed by {@link #consumedId(int)}, {@link #consumedOffset(int)} and {@link #consumedLength(int)} for
     * {@code i} below the result (until the next call): one buffer, or for a bundle as many as {@code res} bytes
     * filled, consecutive in ring order from {@link Cqe#bufferId()}. Every buffer listed now belongs to the
     * application, except, on an incremental ring, the last one of a completion with {@link Cqe#hasBufMore()}, which
     * the kernel keeps filling. Call it once per completion, in the order they are reaped.
     *
     * @param cqe a completion of a request on this group
     * @return the number of buffers it used
     * @throws IllegalStateException if the completion names a buffer this ring does not have with the kernel, or
     *                               {@code res} exceeds the buffers in the ring (a completion of another group, or
     *                               one consumed twice)
     */
    public int consume(Cqe cqe) {
        checkOpen();
        outCount = 0;
        if (!cqe.hasBuffer()) {
            return 0;
        }
        int bid = cqe.bufferId();
        if (bid >= entries || state[bid] != WITH_KERNEL) {
            throw new IllegalStateException("the completion names buffer " + bid + ", which group " + groupId
                    + " does not have with the kernel (a completion of another group, or consumed twice?)");
        }
        int remaining = Math.max(cqe.res(), 0);
        boolean keptByKernel = incremental && cqe.hasBufMore();
        int pos = position[bid];
        int n = 0;
        while (true) {
            int b = slotBid[pos & mask];
            int off = used[b];
            int take = Math.min(remaining, length[b] - off);
            outId[n] = b;
            outOffset[n] = off;
            outLength[n] = take;
            n++;
            remaining -= take;
            if (remaining == 0 && keptByKernel) {
                used[b] = off + take;
                break;
            }
            state[b] = WITH_APPLICATION;
            used[b] = 0;
            if (remaining == 0) {
                break;
            }
            pos++;
            if (pos - tail >= 0 || state[slotBid[pos & mask]] != WITH_KERNEL) {
                outCount = n;
                throw new IllegalStateException("the completion's " + cqe.res() + " bytes exceed the buffers that "
                        + "group " + groupId + " had in the ring from buffer " + bid);
            }
        }
        outCount = n;
        return n;
    }

    /**
     * The id of the {@code i}-th buffer the last {@link #consume(Cqe)} listed.
     *
     * @param i 0 to {@code consume(...) - 1}
     * @return the buffer id
     */
    public int consumedId(int i) {
        return outId[Objects.checkIndex(i, outCount)];
    }

    /**
     * Where in {@link #buffer(int) buffer} {@link #consumedId(int) consumedId(i)} the completion's bytes begin: 0,
     * except on an incremental ring, where it is the number of bytes earlier completions put in that buffer.
     *
     * @param i 0 to {@code consume(...) - 1}
     * @return the byte offset
     */
    public int consumedOffset(int i) {
        return outOffset[Objects.checkIndex(i, outCount)];
    }

    /**
     * How many of the completion's bytes are in the {@code i}-th buffer listed.
     *
     * @param i 0 to {@code consume(...) - 1}
     * @return the byte count
     */
    public int consumedLength(int i) {
        return outLength[Objects.checkIndex(i, outCount)];
    }

    /**
     * Unregisters the group and frees the ring and every buffer; see the class description for when it refuses.
     * Idempotent.
     *
     * @throws IllegalStateException if the ring still has requests in flight (one of them could write into a
     *                               buffer), or if the kernel refuses to unregister; the buffer ring then stays
     *                               registered and usable
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (!ring.isClosed()) {
            int inFlight = ring.inFlight();
            if (inFlight > 0) {
                throw new IllegalStateException("buffer group " + groupId + " cannot be freed: the ring has "
                        + inFlight + " request(s) in flight, which may still write into its buffers; "
                        + "cancel or reap them first");
            }
            try {
                registrar.unregisterPbufRing(groupId);
            } catch (ErrnoException e) {
                throw new IllegalStateException("buffer group " + groupId + " stays registered", e);
            }
        }
        closed = true;
        arena.close();
    }

    private int checkId(int bufferId) {
        return Objects.checkIndex(bufferId, entries);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("buffer ring (group " + groupId + ") is closed");
        }
    }

    @Override
    public String toString() {
        return "BufferRing[group=" + groupId + ", " + entries + " x " + bufferSize + " B"
                + (incremental ? ", incremental" : "") + ", tail=" + tail() + (closed ? ", closed" : "") + "]";
    }
}
