package io.github.jring.bench.engine;

import java.io.IOException;

/** Data read back differs from the pattern written: names the target offset and both words. */
public final class VerifyException extends IOException {
    private static final long serialVersionUID = 1L;

    public VerifyException(String message) {
        super(message);
    }
}
