package io.github.jring.bench.run;

import io.github.jring.bench.sys.PageCache;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The page-cache state a buffered {@code --vs-fio} comparison started from, on each side: which policy gave both sides
 * the same state, and the share of the target's pages that were resident (mincore) just before the jring run and just
 * before the fio run. A comparison in which one side reads the cache and the other the disk measures the cache, not
 * the engines: fio's default {@code invalidate=1} drops the file's pages before it starts, so fio runs with
 * {@code --invalidate=0} and, under {@link Policy#WARM}, jring reads the range in before each side.
 *
 * @param policy              what was done before each side
 * @param residentBeforeJring share of the pages resident before the jring run, 0 to 1 (NaN if it could not be read)
 * @param residentBeforeFio   the same before the fio run (NaN when fio did not run)
 */
public record CacheState(Policy policy, double residentBeforeJring, double residentBeforeFio) {

    /** What happens to the page cache before each side of a buffered comparison. */
    public enum Policy {
        /** The range is read in (when not all resident) before each side: both start fully cached. */
        WARM("warm", "the target's range is read into the page cache before each side (fio gets --invalidate=0)"),
        /** The range does not fit in the available memory: nothing is loaded, fio keeps the cache as jring left it. */
        AS_IS("as-is", "the range is larger than half the available memory, so it is not loaded; fio gets"
                + " --invalidate=0 and starts from the cache as jring's run left it");

        private final String label;
        private final String description;

        Policy(String label, String description) {
            this.label = label;
            this.description = description;
        }

        public String label() {
            return label;
        }

        public String description() {
            return description;
        }
    }

    /** The policy for a buffered comparison over {@code length} bytes: warm when the range fits in half of MemAvailable. */
    public static Policy policyFor(long length) {
        long available = PageCache.available();
        return available > 0 && length <= available / 2 ? Policy.WARM : Policy.AS_IS;
    }

    /** Applies {@code policy} to {@code [0, length)} of {@code path} before one side runs; returns the resident share then. */
    public static double prepare(Policy policy, Path path, long length) {
        try {
            double resident = PageCache.resident(path, length);
            if (policy == Policy.WARM && resident < 1) {
                PageCache.load(path, length);
                resident = PageCache.resident(path, length);
            }
            return resident;
        } catch (IOException e) {
            return Double.NaN;
        }
    }

    public CacheState withFio(double residentBeforeFio) {
        return new CacheState(policy, residentBeforeJring, residentBeforeFio);
    }

    /** {@code 100.0%}, or {@code ?} when unknown. */
    public static String percent(double share) {
        return Double.isNaN(share) ? "?" : String.format(Locale.ROOT, "%.1f%%", share * 100);
    }
}
