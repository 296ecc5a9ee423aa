package io.github.jring.nvme;

import io.github.jring.core.internal.Host;
import io.github.jring.core.Availability;
import io.github.jring.core.IoUring;
import io.github.jring.vm.GuestTools;
import io.github.jring.core.internal.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * {@link IoUring#availability()} on the VM's older kernel (6.1): the flags it lacks are refused, and under a seccomp
 * filter that answers ENOSYS, on a kernel without {@code kernel.io_uring_disabled} (6.6+) and so without evidence of
 * io_uring, the cause is a kernel without io_uring, which the host's 6.18 can never show.
 */
class IoUringAvailabilityIT {

    @BeforeAll
    static void vm() {
        GuestTools.requireVm();
    }

    @Test
    void theOlderKernelRefusesTheNewerFlagsWithEinvalAndKeepsThe519Ones() {
        assumeFalse(Host.kernelAtLeast(6, 6), "for a guest kernel before 6.6; this one is " + Host.kernelRelease());
        Availability a = IoUring.availability();
        assertTrue(a.usable(), a::toText);
        assertEquals(Host.kernelRelease(), a.kernelRelease());
        assertEquals(-1, a.ioUringDisabled(), "no kernel.io_uring_disabled before 6.6");
        for (String f : List.of("NO_SQARRAY", "CQE_MIXED", "SQE_MIXED")) {
            assertFalse(a.setupFlag(f).accepted(), f);
            assertEquals("EINVAL", a.setupFlag(f).errnoName(), f);
        }
        for (String f : List.of("SQE128", "CQE32", "COOP_TASKRUN", "SINGLE_ISSUER", "DEFER_TASKRUN", "SQPOLL")) {
            assertTrue(a.setupFlag(f).accepted(), f + ": " + a.toText());
        }
        assertTrue(a.opcodes().contains("URING_CMD"), a::toText);
        assertTrue(a.fixedBuffers().registered(), a::toText);
    }

    private static Object child(String errno) {
        GuestTools.Result r = GuestTools.run(Duration.ofMinutes(3), List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:-UsePerfData",
                "-XX:TieredStopAtLevel=1", "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), "io.github.jring.core.AvailabilityChild", errno));
        r.checkSuccess();
        return Json.parse(r.stdout().trim());
    }

    @Test
    void enosysFromAFilterOnAKernelWithoutTheSysctlIsReportedAsAKernelWithoutIoUring() {
        assumeFalse(Files.exists(Path.of("/proc/sys/kernel/io_uring_disabled")), "this kernel has the sysctl");
        Object j = child("38"); // ENOSYS
        assertEquals(false, Json.at(j, "usable"), j::toString);
        assertEquals("KERNEL_WITHOUT_IO_URING", Json.at(j, "cause"), j::toString);
        assertEquals("ENOSYS", Json.at(j, "errno"));
        assertEquals(2L, Json.longValue(Json.at(j, "seccompMode")));
        String reason = (String) Json.at(j, "reason");
        assertTrue(reason.contains("has no io_uring") && reason.contains("CONFIG_IO_URING"), reason);
        assertTrue(reason.contains("a filter can answer ENOSYS too"), reason);
        assertTrue(((String) Json.at(j, "fix")).contains("5.1 or later"), j::toString);
    }

    @Test
    void epermFromAFilterIsSeccompHereToo() {
        Object j = child("1"); // EPERM
        assertEquals("SECCOMP", Json.at(j, "cause"), j::toString);
        assertEquals("EPERM", Json.at(j, "errno"));
        assertEquals("io_uring_setup", Json.at(j, "failedCall"));
    }
}
