package io.github.jring.core;

/**
 * Receives completions from {@link IoUring#forEachCqe(CqeHandler)}.
 *
 * <p>The {@link Cqe} is a flyweight over ring memory, valid only during the call: copy out what is needed. Keep one
 * consumer instance (for example a field, or a lambda that captures nothing) rather than creating one per reap, so
 * reaping allocates nothing.
 */
@FunctionalInterface
public interface CqeHandler {

    /**
     * Handles one completion.
     *
     * @param cqe the completion, valid until this method returns
     */
    void accept(Cqe cqe);
}
