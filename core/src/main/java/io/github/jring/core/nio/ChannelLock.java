package io.github.jring.core.nio;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileLock;

/**
 * A region lock of an {@link UringFileChannel}: a POSIX record lock in the kernel (what other processes see) and an
 * entry in {@link LockTable} (what the JDK checks within one JVM, where POSIX locks of one process never conflict).
 */
final class ChannelLock extends FileLock {

    private volatile boolean released;

    ChannelLock(UringFileChannel channel, long position, long size, boolean shared) {
        super(channel, position, size, shared);
    }

    @Override
    public boolean isValid() {
        return !released && acquiredBy().isOpen();
    }

    /** Marks it released without telling the kernel (the channel is closing: closing the fd drops its locks). */
    void invalidate() {
        released = true;
    }

    @Override
    public synchronized void release() throws IOException {
        if (!acquiredBy().isOpen()) {
            throw new ClosedChannelException();
        }
        if (!released) {
            ((UringFileChannel) acquiredBy()).unlock(this);
            released = true;
        }
    }
}
