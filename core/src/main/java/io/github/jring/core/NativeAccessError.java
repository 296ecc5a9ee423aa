package io.github.jring.core;

/**
 * Thrown when the JVM denies jring the FFM API's restricted methods (downcalls, memory at an address the kernel gave),
 * which every jring operation needs: the JVM runs with {@code --illegal-native-access=deny} (a JDK 24+ option, and the
 * default of a future release) and the program was started without {@code --enable-native-access} for jring.
 *
 * <p>The message says which modules lack access and the command-line flag that grants it. It is an {@link Error}, not
 * an exception, because it is thrown while jring's first classes initialise and must reach the user as it is: the
 * JVM wraps any exception from a static initialiser in an {@code ExceptionInInitializerError} whose cause sits under a
 * stack trace from inside the bindings. Like {@link UnsatisfiedLinkError}, it reports a program that cannot run as
 * launched; the fix is on the command line, not in the code.
 */
public final class NativeAccessError extends LinkageError {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the error.
     *
     * @param message what is denied and the flag that grants it
     * @param cause   the JDK's own refusal
     */
    public NativeAccessError(String message, Throwable cause) {
        super(message, cause);
    }
}
