package io.github.jring.core;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Prints every skipped test with its reason on the test output, one line each ({@code [jring skip] Class.method:
 * reason}), so that a run on an older kernel (core's suite in the 6.1 guest) shows what it lacked, not only a count.
 * Registered for JUnit's extension auto-detection (META-INF/services), which core's Surefire configuration and nvme's
 * {@code vm-core} execution switch on.
 */
public final class SkipReporter implements TestWatcher {

    @Override
    public void testAborted(ExtensionContext context, Throwable cause) {
        System.out.println("[jring skip] " + context.getRequiredTestClass().getSimpleName() + "."
                + context.getRequiredTestMethod().getName() + ": " + cause.getMessage());
    }
}
