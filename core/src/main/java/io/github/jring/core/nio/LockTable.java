package io.github.jring.core.nio;

import java.nio.channels.OverlappingFileLockException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The locks that {@link UringFileChannel}s of this JVM hold, per file (by the file key, device and inode): POSIX
 * record locks do not conflict within one process, so the JDK keeps such a table to answer a second overlapping lock
 * with {@link OverlappingFileLockException}; this is the same rule for jring's channels.
 */
final class LockTable {

    private static final ConcurrentHashMap<Object, List<ChannelLock>> LOCKS = new ConcurrentHashMap<>();

    private LockTable() {
    }

    /** Adds the lock, unless it overlaps one held in this JVM. Each file's list changes only inside compute. */
    static void add(Object fileKey, ChannelLock lock) {
        LOCKS.compute(fileKey, (k, locks) -> {
            List<ChannelLock> l = locks == null ? new ArrayList<>() : locks;
            for (ChannelLock held : l) {
                if (held.overlaps(lock.position(), lock.size())) {
                    throw new OverlappingFileLockException();
                }
            }
            l.add(lock);
            return l;
        });
    }

    static void remove(Object fileKey, ChannelLock lock) {
        LOCKS.computeIfPresent(fileKey, (k, locks) -> {
            locks.remove(lock);
            return locks.isEmpty() ? null : locks;
        });
    }

    /** Removes and invalidates every lock the channel holds. */
    static void removeAll(Object fileKey, UringFileChannel channel) {
        LOCKS.computeIfPresent(fileKey, (k, locks) -> {
            locks.removeIf(l -> {
                if (l.acquiredBy() == channel) {
                    l.invalidate();
                    return true;
                }
                return false;
            });
            return locks.isEmpty() ? null : locks;
        });
    }
}
