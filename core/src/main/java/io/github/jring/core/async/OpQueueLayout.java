package io.github.jring.core.async;

/**
 * The field layout of {@link OpQueue}: the consumer's {@link Head#head}, which the completion thread writes at every
 * poll, and the {@code tail} that every producer exchanges, kept 128 bytes apart so that they never share a cache line
 * (false sharing would make each side's write evict the other's line). HotSpot lays out a superclass's fields before
 * its subclass's, which is what orders head, padding, tail.
 */
final class OpQueueLayout {

    private OpQueueLayout() {
    }

    /** The consumer's end. */
    static class Head {
        /** Consumer only: the next node to take, or the stub when none is linked. */
        Op<?> head;
    }

    /** Two cache lines of nothing between the head and {@link OpQueue}'s tail. */
    @SuppressWarnings("unused")
    static class Padded extends Head {
        long p0, p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11, p12, p13, p14, p15;
    }
}
