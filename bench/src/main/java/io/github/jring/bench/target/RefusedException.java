package io.github.jring.bench.target;

import java.io.IOException;

/** jring-bench will not do what was asked to this target (write to a device without --allow-write, or to one in use). */
public final class RefusedException extends IOException {
    private static final long serialVersionUID = 1L;

    public RefusedException(String message) {
        super(message);
    }
}
