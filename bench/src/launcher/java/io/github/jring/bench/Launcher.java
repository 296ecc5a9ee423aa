package io.github.jring.bench;

import java.lang.reflect.InvocationTargetException;

/**
 * The entry point of {@code jring-bench.jar}, compiled for Java 8 so that any JVM a user is likely to have loads it and
 * can say in one sentence why the benchmark will not run there ("jring needs JDK 22 or newer; this is 17"), instead of
 * dying with an {@code UnsupportedClassVersionError} from the first class compiled for 22. On JDK 22 or newer it hands
 * over to {@link Main}; nothing else is written for the old release.
 */
public final class Launcher {

    /** The first release whose FFM API ({@code java.lang.foreign}) is final, and which jring's classes need. */
    static final int REQUIRED_FEATURE = 22;

    private Launcher() {
    }

    /**
     * Checks the running JDK, then runs {@code io.github.jring.bench.Main}.
     *
     * @param args the benchmark's command line
     * @throws Throwable whatever the benchmark throws
     */
    public static void main(String[] args) throws Throwable {
        String spec = System.getProperty("java.specification.version", "0");
        int feature = featureOf(spec);
        if (feature < REQUIRED_FEATURE) {
            System.err.println("jring needs JDK " + REQUIRED_FEATURE + " or newer; this is " + spec + " ("
                    + System.getProperty("java.home") + "). Run the jar with a JDK " + REQUIRED_FEATURE
                    + "+ (for example /usr/lib/jvm/temurin-25-jdk-amd64/bin/java -jar jring-bench.jar), or use"
                    + " ./jring bench, which finds one.");
            System.exit(2);
        }
        try {
            Class.forName("io.github.jring.bench.Main").getMethod("main", String[].class).invoke(null, (Object) args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** "1.8" is 8, "17" is 17. */
    static int featureOf(String specificationVersion) {
        String s = specificationVersion.startsWith("1.") ? specificationVersion.substring(2) : specificationVersion;
        int end = 0;
        while (end < s.length() && Character.isDigit(s.charAt(end))) {
            end++;
        }
        return end == 0 ? 0 : Integer.parseInt(s.substring(0, end));
    }
}
