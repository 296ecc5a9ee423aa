package io.github.jring.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A test class that fails on purpose inside the VM, so that {@link JringVmHarnessTest} can prove a failing guest test
 * is reported as a failure. Neither Surefire nor the normal IT run selects it: its name matches neither's patterns,
 * and the {@code vm-fixture} tag is excluded from the IT run ({@code jring.it.excludedGroups}).
 */
@Tag("vm-fixture")
class DeliberatelyFailingFixture {

    @Test
    void seesTheNamespaceDevice() {
        assertTrue(GuestTools.inVm(), "runs in the guest");
        assertTrue(Files.exists(GuestTools.NS1_CHAR), GuestTools.NS1_CHAR + " exists in the guest");
    }

    @Test
    void failsOnPurpose() {
        assertEquals(3L, GuestTools.sysfsNsid(GuestTools.NS1_CHAR), "deliberate failure: namespace 1 is not 3");
    }
}
