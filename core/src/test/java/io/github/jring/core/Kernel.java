package io.github.jring.core;

/** The running kernel's version, for tests of behaviour that a later kernel added (the suite also runs on 6.1). */
final class Kernel {

    private static final int MAJOR;
    private static final int MINOR;

    static {
        // os.version is the uname release, e.g. "6.18.44-fc-v657" or "6.1.0-56-amd64".
        String[] v = System.getProperty("os.version").split("[.-]");
        MAJOR = Integer.parseInt(v[0]);
        MINOR = Integer.parseInt(v[1]);
    }

    private Kernel() {
    }

    static boolean atLeast(int major, int minor) {
        return MAJOR > major || (MAJOR == major && MINOR >= minor);
    }

    static String version() {
        return MAJOR + "." + MINOR;
    }
}
