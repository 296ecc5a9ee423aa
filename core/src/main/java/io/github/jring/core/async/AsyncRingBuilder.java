package io.github.jring.core.async;

import io.github.jring.core.ErrnoException;
import io.github.jring.core.IoUringBuilder;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Options for an {@link AsyncRing}; obtain one with {@link AsyncRing#builder()}, finish with {@link #build()}.
 * {@snippet :
 * try (AsyncRing ring = AsyncRing.builder().entries(256).sqe128().cqe32().build()) {   // for NVMe passthrough
 *     // ...
 * }
 * }
 */
public final class AsyncRingBuilder {

    /** The default {@link #spin}: about what one sleep and wakeup of a thread costs on a virtual machine. */
    static final Duration DEFAULT_SPIN = Duration.ofNanos(20_000);

    int entries = 256;
    Consumer<IoUringBuilder> ringOptions;
    boolean sqe128;
    boolean cqe32;
    int maxInFlight;
    Duration closeTimeout = Duration.ofSeconds(10);
    boolean deferTaskrun = true;
    Duration spin = DEFAULT_SPIN;
    String threadName;

    AsyncRingBuilder() {
    }

    /**
     * SQ entries of the ring (default 256; the CQ gets the kernel's default of twice as many).
     *
     * @param entries SQ entries
     * @return this builder
     */
    public AsyncRingBuilder entries(int entries) {
        if (entries <= 0) {
            throw new IllegalArgumentException("entries must be positive: " + entries);
        }
        this.entries = entries;
        return this;
    }

    /**
     * Further {@code io_uring_setup} options, applied to a fresh {@link IoUringBuilder} on the completion thread
     * (for example {@code b -> b.cqSize(4096)} or {@code b -> b.ioPoll()}). The ring adds
     * {@code SINGLE_ISSUER|DEFER_TASKRUN|TASKRUN_FLAG|SUBMIT_ALL} (or {@code COOP_TASKRUN|SUBMIT_ALL}) when the kernel
     * accepts them with these options, see {@link #deferTaskrun(boolean)}: as the choices of
     * {@link IoUringBuilder#preferFlags(int...)}, which replace any given here.
     *
     * <p>With {@code ioPoll()} ({@code IORING_SETUP_IOPOLL}: only O_DIRECT files on devices with poll queues, and
     * NVMe passthrough) the completion thread polls for completions while requests are in the kernel, taking new
     * requests between polls, and parks when none is (a submitter unparks it: such a ring refuses the eventfd read
     * that wakes it otherwise). With {@code sqPoll(idle)} the kernel's SQ thread submits (the ring then runs without
     * {@code DEFER_TASKRUN}, which SQPOLL excludes).
     *
     * @param options sets options on the builder
     * @return this builder
     */
    public AsyncRingBuilder ring(Consumer<IoUringBuilder> options) {
        this.ringOptions = Objects.requireNonNull(options, "options");
        return this;
    }

    /**
     * 128-byte SQEs ({@code IORING_SETUP_SQE128}, Linux 5.19): an 80-byte {@code uring_cmd} area, as NVMe
     * passthrough needs.
     *
     * @return this builder
     */
    public AsyncRingBuilder sqe128() {
        this.sqe128 = true;
        return this;
    }

    /**
     * 32-byte CQEs ({@code IORING_SETUP_CQE32}, Linux 5.19): {@link Completion#bigCqe0()} and
     * {@link Completion#bigCqe1()} carry the driver's extra result (NVMe: the completion's result dword).
     *
     * @return this builder
     */
    public AsyncRingBuilder cqe32() {
        this.cqe32 = true;
        return this;
    }

    /**
     * The most requests in the kernel at once (default: the CQ size, so the CQ cannot overflow). Requests beyond it
     * wait, in order, until completions free room.
     *
     * @param maxInFlight at least 1
     * @return this builder
     */
    public AsyncRingBuilder maxInFlight(int maxInFlight) {
        if (maxInFlight <= 0) {
            throw new IllegalArgumentException("maxInFlight must be positive: " + maxInFlight);
        }
        this.maxInFlight = maxInFlight;
        return this;
    }

    /**
     * How long {@link AsyncRing#close()} waits, after cancelling what is in flight, for the kernel's last completions
     * (default 10 s). Requests still in flight then are failed with {@link RingClosedException}, and the ring and
     * their buffers are kept until the kernel completes them; {@code close()} does not wait for that.
     *
     * @param timeout the bound, not negative
     * @return this builder
     */
    public AsyncRingBuilder closeTimeout(Duration timeout) {
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("closeTimeout must not be negative: " + timeout);
        }
        this.closeTimeout = timeout;
        return this;
    }

    /**
     * Whether to ask for {@code IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN} (Linux 6.0 / 6.1; default
     * true). The completion thread is the ring's only submitter and waiter, which is exactly what these flags
     * require; completions then run in that thread when it waits, not as interrupts of it. Dropped (falling back to
     * {@code COOP_TASKRUN}, then to no extra flag) when the kernel answers {@code EINVAL}, as with SQPOLL.
     *
     * @param defer false to never ask
     * @return this builder
     */
    public AsyncRingBuilder deferTaskrun(boolean defer) {
        this.deferTaskrun = defer;
        return this;
    }

    /**
     * How long the completion thread, when it has nothing to submit or reap, keeps watching for new requests before
     * it goes to sleep in {@code io_uring_enter} (default 20 µs). A submitter that comes back within that time hands
     * its request over without an eventfd write and without waking a thread, at the price of that much busy CPU after
     * each burst. The same time bounds how long a platform thread calling {@code join()} or {@code get()} on one of
     * the ring's futures (or a blocking method) watches for the result before it parks.
     *
     * <p>Why 20 µs: spinning for about as long as a sleep and a wakeup cost, then sleeping, never wastes more than
     * that cost again (the classic spin-then-block bound: at most twice the CPU of an oracle that knew when work would
     * come), while a thread that sleeps at once pays the wakeup on every request that comes one at a time. On the
     * 2-vCPU development VM a one-at-a-time NOP through a future took 45 µs without spinning and 0.67 µs with it
     * ({@code docs/benchmarks.md}). {@code Duration.ZERO} sleeps at once: for an oversubscribed machine, or a ring
     * that is used rarely and must cost no CPU at all between uses.
     *
     * @param spin the time, not negative
     * @return this builder
     */
    public AsyncRingBuilder spin(Duration spin) {
        if (spin.isNegative()) {
            throw new IllegalArgumentException("spin must not be negative: " + spin);
        }
        this.spin = spin;
        return this;
    }

    /**
     * The completion thread's name (default {@code "jring-async-<ring fd>"}).
     *
     * @param name the name
     * @return this builder
     */
    public AsyncRingBuilder threadName(String name) {
        this.threadName = Objects.requireNonNull(name, "name");
        return this;
    }

    /**
     * Sets the ring up on a new completion thread and returns when it is ready.
     *
     * @return the open ring
     * @throws ErrnoException if {@code io_uring_setup}, a mapping or {@code eventfd} fails
     */
    public AsyncRing build() throws ErrnoException {
        return new AsyncRing(this);
    }
}
