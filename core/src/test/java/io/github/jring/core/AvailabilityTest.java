package io.github.jring.core;

import io.github.jring.bindings.Uapi;
import io.github.jring.core.Availability.Cause;
import io.github.jring.core.Availability.Facts;
import io.github.jring.core.Availability.SetupFlagCheck;
import io.github.jring.core.Availability.Verdict;
import io.github.jring.core.internal.Host;
import io.github.jring.core.internal.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@link IoUring#availability()} on this host, where io_uring works, checked against independent answers (uname -r,
 * a ring's own features and probe, /proc), and the decision table that explains each failure.
 */
class AvailabilityTest {

    private static Availability a;

    @BeforeAll
    static void check() {
        a = IoUring.availability();
    }

    @Test
    void usableOnThisHost() {
        assertTrue(a.usable(), a::toText);
        assertEquals(Cause.NONE, a.cause());
        assertEquals(0, a.errno());
        assertEquals("", a.reason());
        assertEquals("", a.fix());
        assertEquals("", a.failedCall());
    }

    @Test
    void kernelReleaseIsWhatUnameRPrints() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("uname", "-r").redirectErrorStream(true).start();
        String uname = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, p.waitFor());
        assertEquals(uname, a.kernelRelease());
    }

    @Test
    void featuresAndOpcodesAreWhatARingOfItsOwnReports() throws ErrnoException {
        try (IoUring ring = IoUring.open(2)) {
            assertEquals(ring.features(), a.features());
            Probe probe = ring.probe();
            assertEquals(probe.lastOp(), a.lastOp());
            List<String> names = new ArrayList<>();
            for (int op : probe.supportedOpcodes()) {
                names.add(Probe.opcodeName(op));
            }
            assertEquals(names, a.opcodes());
        }
        assertTrue(a.opcodes().containsAll(List.of("NOP", "READ", "WRITE", "READV")), a.opcodes()::toString);
        assertTrue(a.featureNames().contains("NODROP"), a.featureNames()::toString);
        assertTrue(a.featureNames().contains("EXT_ARG"), a.featureNames()::toString);
    }

    @Test
    void opcodeNamesFollowTheBindings() {
        assertEquals("NOP", Probe.opcodeName(Uapi.IORING_OP_NOP()));
        assertEquals("URING_CMD", Probe.opcodeName(Uapi.IORING_OP_URING_CMD()));
        assertEquals("READ", Probe.opcodeName(Uapi.IORING_OP_READ()));
        assertEquals("op 200", Probe.opcodeName(200));
        assertEquals("op -1", Probe.opcodeName(-1));
    }

    @Test
    void featureNamesNameEveryBitAndShowUnknownOnesInHex() {
        assertEquals(List.of("SINGLE_MMAP", "NODROP"), Availability.featureNames(3));
        assertEquals(List.of("EXT_ARG", "0x40000000"), Availability.featureNames(Uapi.IORING_FEAT_EXT_ARG() | 1 << 30));
        assertEquals(List.of(), Availability.featureNames(0));
    }

    @Test
    void setupFlagsTheKernelHasHadSince519AreAccepted() {
        Caps.assumeSetupFlag(Uapi.IORING_SETUP_SQE128() | Uapi.IORING_SETUP_CQE32() | Uapi.IORING_SETUP_COOP_TASKRUN());
        for (String f : List.of("SQPOLL", "IOPOLL", "SUBMIT_ALL", "COOP_TASKRUN", "TASKRUN_FLAG", "SQE128", "CQE32")) {
            SetupFlagCheck c = a.setupFlag(f);
            assertNotNull(c, f + " was not tried");
            assertTrue(c.accepted(), f + ": " + c);
            assertEquals(0, c.errno());
        }
        assertEquals("COOP_TASKRUN|TASKRUN_FLAG", a.setupFlag("TASKRUN_FLAG").tried());
        assertEquals("SINGLE_ISSUER|DEFER_TASKRUN", a.setupFlag("DEFER_TASKRUN").tried());
        assertEquals("IOPOLL|HYBRID_IOPOLL", a.setupFlag("HYBRID_IOPOLL").tried());
    }

    @Test
    void eachFlagsVerdictIsWhatTheBuilderGets() {
        // A second opinion: IoUringBuilder with the same flags and no fallback (useSqArray: NO_SQARRAY only when it
        // is among the flags), so the builder sees the kernel's own answer. The builder refuses the MIXED flags (its
        // ring does not handle their layout), and NO_MMAP comes through noMmap(), which falls back when refused.
        for (SetupFlagCheck c : a.setupFlags()) {
            if (c.flag().endsWith("_MIXED")) {
                continue;
            }
            if (c.flag().equals("NO_MMAP")) {
                try (IoUring ring = IoUring.builder().noMmap().useSqArray().build(2)) {
                    assertEquals(c.accepted(), (ring.flags() & Uapi.IORING_SETUP_NO_MMAP()) != 0, c.toString());
                } catch (ErrnoException e) {
                    throw new AssertionError(e);
                }
                continue;
            }
            int flags = flagsOf(c.tried());
            boolean builderAccepted;
            try (IoUring ring = IoUring.builder().flags(flags).useSqArray().build(2)) {
                builderAccepted = (ring.flags() & flags) == flags;
            } catch (ErrnoException e) {
                builderAccepted = false;
                assertEquals(c.errnoName(), e.errnoName(), c.flag());
            }
            assertEquals(builderAccepted, c.accepted(), c.toString());
        }
    }

    @Test
    void on618CqeMixedIsAcceptedAndSqeMixedRefusedWithEinval() {
        assumeTrue(a.kernelRelease().startsWith("6.18."), "the CI host's kernel is 6.18; this one is "
                + a.kernelRelease());
        assertTrue(a.setupFlag("CQE_MIXED").accepted());
        assertFalse(a.setupFlag("SQE_MIXED").accepted());
        assertEquals("EINVAL", a.setupFlag("SQE_MIXED").errnoName());
        assertTrue(a.setupFlag("NO_MMAP").accepted());
        assertTrue(a.setupFlag("NO_SQARRAY").accepted());
    }

    @Test
    void aFixedBufferIsRegisteredAndTheMemlockLimitIsGetrlimits() throws IOException {
        Availability.FixedBufferCheck b = a.fixedBuffers();
        assertEquals(64 * 1024, b.bytes());
        // /proc/self/limits: "Max locked memory  8388608  8388608  bytes" (or "unlimited")
        String line = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/limits")).stream()
                .filter(l -> l.startsWith("Max locked memory")).findFirst().orElseThrow();
        String[] w = line.substring("Max locked memory".length()).trim().split("\\s+");
        assertEquals(w[0].equals("unlimited") ? -1 : Long.parseLong(w[0]), b.memlockSoft());
        assertEquals(w[1].equals("unlimited") ? -1 : Long.parseLong(w[1]), b.memlockHard());
        long capEff = Long.parseUnsignedLong(Host.procStatus().get("CapEff"), 16);
        assertEquals((capEff & (1L << 14)) != 0, b.capIpcLock());
        if (b.capIpcLock() || b.memlockSoft() < 0 || b.memlockSoft() >= 1 << 20) {
            assertTrue(b.registered(), b::toString);
        }
    }

    @Test
    void seccompAndSysctlAreReadFromProc() {
        assertEquals(Integer.parseInt(Host.procStatus().get("Seccomp")), a.seccompMode());
        long disabled = Host.readLong(java.nio.file.Path.of("/proc/sys/kernel/io_uring_disabled"), -1);
        assertEquals(disabled, a.ioUringDisabled());
    }

    @Test
    void jsonParsesAndSaysWhatTheRecordSays() {
        Map<String, Object> j = Json.object(Json.parse(a.toJson()));
        assertEquals(List.of(), a.nativeAccessLacking(), "surefire runs the tests with --enable-native-access");
        assertEquals(List.of(), j.get("nativeAccessLacking"));
        assertEquals(true, j.get("usable"));
        assertEquals("NONE", j.get("cause"));
        assertEquals(null, j.get("errno"));
        assertEquals(a.kernelRelease(), j.get("kernelRelease"));
        assertEquals((long) a.features(), j.get("features"));
        assertEquals(a.opcodes(), j.get("opcodes"));
        assertEquals(a.featureNames(), j.get("featureNames"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> flags = (List<Map<String, Object>>) j.get("setupFlags");
        assertEquals(a.setupFlags().size(), flags.size());
        for (int i = 0; i < flags.size(); i++) {
            SetupFlagCheck c = a.setupFlags().get(i);
            assertEquals(c.flag(), flags.get(i).get("flag"));
            assertEquals(c.accepted(), flags.get(i).get("accepted"));
            assertEquals(c.errno() == 0 ? null : c.errnoName(), flags.get(i).get("errno"));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> fb = (Map<String, Object>) j.get("fixedBuffers");
        assertEquals(65536L, fb.get("bytes"));
        assertEquals(a.fixedBuffers().registered(), fb.get("registered"));
    }

    @Test
    void textSaysUsableAndListsTheChecks() {
        String t = a.toText();
        assertTrue(t.startsWith("io_uring: usable\n"), t);
        assertTrue(t.contains("kernel:        " + a.kernelRelease() + "\n"), t);
        assertTrue(t.contains(" SQE128"), t);
        assertTrue(t.contains("opcodes:       " + a.opcodes().size() + " supported"), t);
        assertTrue(t.contains("fixed buffers: "), t);
    }

    @Test
    void jsonStringsAreEscaped() {
        assertEquals("\"a\\\"b\\\\c\\n\\u0001\"", Availability.string("a\"b\\c\n\u0001"));
        assertEquals("a\"b\\c\n\u0001", Json.parse(Availability.string("a\"b\\c\n\u0001")));
    }

    @Test
    void aRecordThatContradictsItselfIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Availability(true, Cause.SECCOMP, "", 0, "", "", "x",
                0, 0, -1, 0, List.of(), List.of(), -1, List.of(), null, List.of()));
        assertThrows(NullPointerException.class, () -> new Availability(false, null, "", 0, "", "", "x",
                0, 0, -1, 0, List.of(), List.of(), -1, List.of(), null, List.of()));
    }

    // --- the decision table: every row, from the facts a process can see ---------------------------------------

    private static Facts facts(int seccomp, int disabled, int group, boolean inGroup, boolean sysAdmin,
                               boolean ipcLock) {
        return new Facts("6.18.0-test", seccomp, disabled, group, inGroup, sysAdmin, ipcLock,
                new Host.Limit(65536, 65536));
    }

    @Test
    void enosysWithoutEvidenceOfIoUringIsAKernelWithoutIt() {
        Verdict v = Availability.diagnose("io_uring_setup", Uapi.ENOSYS(), facts(0, -1, -1, false, false, false));
        assertEquals(Cause.KERNEL_WITHOUT_IO_URING, v.cause());
        assertTrue(v.reason().contains("CONFIG_IO_URING"), v.reason());
        assertTrue(v.fix().contains("5.1"), v.fix());
        // a filter is mentioned when there is one, but a kernel without the sysctl may lack io_uring itself
        Verdict f = Availability.diagnose("io_uring_setup", Uapi.ENOSYS(), facts(2, -1, -1, false, false, false));
        assertEquals(Cause.KERNEL_WITHOUT_IO_URING, f.cause());
        assertTrue(f.reason().contains("seccomp"), f.reason());
    }

    @Test
    void enosysFromAKernelThatHasIoUringUnderAFilterIsTheFilter() {
        Verdict v = Availability.diagnose("io_uring_setup", Uapi.ENOSYS(), facts(2, 0, -1, false, false, false));
        assertEquals(Cause.SECCOMP, v.cause());
        assertTrue(v.fix().contains("--security-opt seccomp="), v.fix());
    }

    @Test
    void epermUnderAFilterIsSeccomp() {
        Verdict v = Availability.diagnose("io_uring_setup", Uapi.EPERM(), facts(2, 0, -1, false, false, false));
        assertEquals(Cause.SECCOMP, v.cause());
        assertTrue(v.reason().contains("Seccomp: 2"), v.reason());
        assertTrue(v.fix().contains("io_uring_setup, io_uring_enter and io_uring_register"), v.fix());
    }

    @Test
    void epermWithIoUringDisabled2IsTheSysctlEvenUnderAFilter() {
        Verdict v = Availability.diagnose("io_uring_setup", Uapi.EPERM(), facts(2, 2, -1, false, true, false));
        assertEquals(Cause.SYSCTL_DISABLED, v.cause());
        assertTrue(v.reason().contains("io_uring_disabled is 2"), v.reason());
        assertTrue(v.fix().contains("sysctl -w kernel.io_uring_disabled=0"), v.fix());
    }

    @Test
    void epermWithIoUringDisabled1NamesTheGroupOrItsAbsence() {
        Verdict g = Availability.diagnose("io_uring_setup", Uapi.EPERM(), facts(0, 1, 1234, false, false, false));
        assertEquals(Cause.SYSCTL_RESTRICTED, g.cause());
        assertTrue(g.reason().contains("group 1234"), g.reason());
        assertTrue(g.fix().contains("add the user to group 1234"), g.fix());
        Verdict none = Availability.diagnose("io_uring_setup", Uapi.EPERM(), facts(0, 1, -1, false, false, false));
        assertEquals(Cause.SYSCTL_RESTRICTED, none.cause());
        assertTrue(none.reason().contains("no group is allowed"), none.reason());
        assertTrue(none.fix().contains("kernel.io_uring_group=<gid>"), none.fix());
    }

    @Test
    void epermWithIoUringDisabled1ForAMemberOrAnAdminIsNotTheSysctl() {
        // allowed by the sysctl, so something else refused: the filter if there is one, else an LSM
        assertEquals(Cause.SECCOMP, Availability.diagnose("io_uring_setup", Uapi.EPERM(),
                facts(2, 1, 1234, true, false, false)).cause());
        assertEquals(Cause.NOT_PERMITTED, Availability.diagnose("io_uring_setup", Uapi.EPERM(),
                facts(0, 1, -1, false, true, false)).cause());
    }

    @Test
    void enomemAtSetupIsMemlockUnlessTheProcessHasCapIpcLock() {
        Verdict v = Availability.diagnose("io_uring_setup", Uapi.ENOMEM(), facts(0, 0, -1, false, false, false));
        assertEquals(Cause.MEMLOCK, v.cause());
        assertTrue(v.reason().contains("64 KiB (soft) / 64 KiB (hard)"), v.reason());
        assertTrue(v.fix().contains("ulimit -l") && v.fix().contains("LimitMEMLOCK") && v.fix().contains("CAP_IPC_LOCK")
                && v.fix().contains("limits.conf"), v.fix());
        assertEquals(Cause.OTHER, Availability.diagnose("io_uring_setup", Uapi.ENOMEM(),
                facts(0, 0, -1, false, false, true)).cause());
    }

    @Test
    void anotherErrnoIsOtherAndNamed() {
        Verdict v = Availability.diagnose("io_uring_setup", Uapi.EMFILE(), facts(0, 0, -1, false, false, false));
        assertEquals(Cause.OTHER, v.cause());
        assertTrue(v.reason().contains("EMFILE"), v.reason());
        Verdict e = Availability.diagnose("io_uring_enter", Uapi.EFAULT(), facts(0, 0, -1, false, false, false));
        assertTrue(e.reason().startsWith("io_uring_enter failed with EFAULT"), e.reason());
    }

    @Test
    void bytesAreShownInWholeUnits() {
        assertEquals("64 KiB", Availability.bytesText(65536));
        assertEquals("8 MiB", Availability.bytesText(8 << 20));
        assertEquals("16 KiB", Availability.bytesText(16384));
        assertEquals("1000 bytes", Availability.bytesText(1000));
        assertEquals("0 bytes", Availability.bytesText(0));
    }

    private static int flagsOf(String names) {
        int flags = 0;
        for (String n : names.split("\\|")) {
            for (int bit = 0; bit < 32; bit++) {
                if (IoUring.setupFlagNames(1 << bit).equals(n)) {
                    flags |= 1 << bit;
                }
            }
        }
        return flags;
    }
}
