package io.github.jring.bench.engine;

import java.io.IOException;

/**
 * One job of an engine: its fd(s), ring and buffers, opened by {@link Engine#open} on the job's own thread and
 * closed on it after {@link #run} returns or throws.
 */
public interface EngineJob extends AutoCloseable {

    /**
     * Does I/O until {@link JobContext#tryIssue} says stop, then waits for every I/O still in flight, reporting each
     * completed I/O through {@link JobContext#complete}. Called once, on the job's thread, after all jobs of the run
     * have opened. Throws (an {@link io.github.jring.core.ErrnoException}, a short transfer, a verify mismatch)
     * on the first I/O that fails; the run is then reported as failed with that message.
     */
    void run() throws IOException;

    /** Releases fds and rings; buffers from {@link JobContext#allocateBuffer} are freed by the framework after this. */
    @Override
    void close() throws IOException;
}
