package io.github.jring.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/** Test helper: collects completions (user_data -> res, in arrival order) with a timeout so a bug cannot hang. */
final class Reap {

    private Reap() {
    }

    /** Waits for {@code n} completions (5 s at most each) and returns user_data -> res in arrival order. */
    static Map<Long, Integer> await(IoUring ring, int n) throws ErrnoException {
        Map<Long, Integer> m = new LinkedHashMap<>();
        while (m.size() < n) {
            Cqe c = ring.waitCqe(5, TimeUnit.SECONDS);
            if (c == null) {
                fail("timed out waiting for completion " + (m.size() + 1) + " of " + n + "; got " + m);
            }
            if (m.put(c.userData(), c.res()) != null) {
                fail("user_data " + c.userData() + " completed twice");
            }
            ring.cqeSeen(c);
        }
        return m;
    }

    /** Waits for {@code n} completions and returns them as {user_data, res, flags} in arrival order. */
    static List<long[]> awaitAll(IoUring ring, int n) throws ErrnoException {
        List<long[]> out = new ArrayList<>();
        while (out.size() < n) {
            Cqe c = ring.waitCqe(5, TimeUnit.SECONDS);
            if (c == null) {
                fail("timed out waiting for completion " + (out.size() + 1) + " of " + n);
            }
            out.add(new long[] {c.userData(), c.res(), c.flags()});
            ring.cqeSeen(c);
        }
        return out;
    }

    /** Submits what is queued and waits for exactly one completion, returning its res. */
    static int one(IoUring ring) throws ErrnoException {
        ring.submit();
        return await(ring, 1).values().iterator().next();
    }
}
