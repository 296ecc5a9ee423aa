package io.github.jring.core;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Where io_uring cannot be used (here: a seccomp filter answers its system calls with EPERM), the drop-in provider
 * says so once and hands out the JDK's channel, so that installing it never breaks a program.
 */
class DropInFallbackTest {

    @Test
    void withoutIoUringTheProviderHandsOutTheJdksChannel() {
        assumeTrue(System.getProperty("os.arch").equals("amd64"), "the filter's syscall numbers are x86-64's");
        ChildJvm.Result r = ChildJvm.run(DropInFallbackChild.class);
        assertEquals(0, r.rc(), r::toString);
        assertTrue(r.out().contains("channel=sun.nio.ch.") && r.out().contains("wrote=3"), r::toString);
        assertTrue(r.err().contains("jring: io_uring cannot be used here (") && r.err().contains("EPERM")
                && r.err().contains("falls back to the JDK's channel"), r::toString);
    }
}
