package io.github.jring.core;

import io.github.jring.bindings.Uapi;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The capability record against what the kernel does when asked directly. */
class CapabilitiesTest {

    @Test
    void recordIsProbedOnceAndPrinted() {
        Capabilities c = IoUring.capabilities();
        assertSame(c, IoUring.capabilities());
        String text = c.toText();
        System.out.println(text);
        assertTrue(text.contains(c.kernelRelease()), text);
        assertTrue(c.hasOp(Uapi.IORING_OP_NOP()));
        assertTrue(c.hasRegisterOp(Uapi.IORING_REGISTER_PROBE()));
    }

    @Test
    void everySetupFlagAgreesWithADirectSetup() throws Exception {
        Capabilities c = Caps.KERNEL;
        int[] single = {Uapi.IORING_SETUP_SQE128(), Uapi.IORING_SETUP_CQE32(), Uapi.IORING_SETUP_NO_SQARRAY(), Uapi.IORING_SETUP_SINGLE_ISSUER(),
            Uapi.IORING_SETUP_SUBMIT_ALL(), Uapi.IORING_SETUP_COOP_TASKRUN()};
        for (int flag : single) {
            boolean works;
            try (IoUring ring = IoUring.builder().flags(flag).useSqArray().build(2)) {
                works = (ring.flags() & flag) == flag;
            } catch (ErrnoException e) {
                assertEquals(Uapi.EINVAL(), e.errno(), e.getMessage());
                works = false;
            }
            assertEquals(works, c.hasSetupFlag(flag), IoUring.setupFlagNames(flag) + " on " + c.kernelRelease());
            assertEquals(works ? 0 : Uapi.EINVAL(), c.setupFlagErrno(flag), IoUring.setupFlagNames(flag));
        }
    }

    @Test
    void registerOpsBelowTheLimitAreKnownAndTheLimitIsNot() throws Exception {
        Capabilities c = Caps.KERNEL;
        Caps.assumeSetupFlag(Uapi.IORING_SETUP_R_DISABLED());
        int limit = c.registerOpLimit();
        assertTrue(limit > Uapi.IORING_REGISTER_ENABLE_RINGS(), "limit " + limit);
        assertFalse(c.hasRegisterOp(limit));
        // On an ordinary ring an opcode past the limit is EINVAL whatever its arguments.
        try (IoUring ring = IoUring.open(2)) {
            assertEquals(-Uapi.EINVAL(), io.github.jring.core.internal.Syscalls.ioUringRegister(ring.fd(), limit,
                    0L, 0));
        }
    }

    @Test
    void theRecordFollowsTheKernelTimeline() {
        // Each flag's first kernel (kernel-rules.md): the probe must find it exactly from that version on.
        Object[][] since = {
            {Uapi.IORING_SETUP_R_DISABLED(), 5, 10}, {Uapi.IORING_SETUP_SQE128(), 5, 19},
            {Uapi.IORING_SETUP_COOP_TASKRUN(), 5, 19}, {Uapi.IORING_SETUP_SINGLE_ISSUER(), 6, 0},
            {Uapi.IORING_SETUP_DEFER_TASKRUN(), 6, 1}, {Uapi.IORING_SETUP_NO_MMAP(), 6, 5},
            {Uapi.IORING_SETUP_NO_SQARRAY(), 6, 6}, {Uapi.IORING_SETUP_HYBRID_IOPOLL(), 6, 13},
            {Uapi.IORING_SETUP_CQE_MIXED(), 6, 18}, {Uapi.IORING_SETUP_SQE_MIXED(), 6, 19},
        };
        for (Object[] s : since) {
            int flag = (Integer) s[0];
            assertEquals(Kernel.atLeast((Integer) s[1], (Integer) s[2]), Caps.KERNEL.hasSetupFlag(flag),
                    IoUring.setupFlagNames(flag) + " is " + s[1] + "." + s[2] + "; this is " + Kernel.version());
        }
        assertEquals(Kernel.atLeast(6, 19), Caps.KERNEL.hasOp(Uapi.IORING_OP_NOP128()));
        assertEquals(Kernel.atLeast(6, 13), Caps.KERNEL.hasRegisterOp(Uapi.IORING_REGISTER_RESIZE_RINGS()));
        assertEquals(Kernel.atLeast(6, 0), Caps.KERNEL.hasRegisterOp(Uapi.IORING_REGISTER_FILE_ALLOC_RANGE()));
    }

    @Test
    void theCiHostHasWhatKernelRulesSay() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Caps.hostIs618(), "the figures are the 6.18 host's; this is "
                + Caps.KERNEL.kernelRelease());
        Capabilities c = Caps.KERNEL;
        assertEquals(62, c.opcodes().lastOp());
        assertTrue(c.hasSetupFlag(Uapi.IORING_SETUP_CQE_MIXED()));
        assertFalse(c.hasSetupFlag(Uapi.IORING_SETUP_SQE_MIXED()));
        assertFalse(c.hasOp(Uapi.IORING_OP_NOP128()));
        assertEquals(Uapi.IORING_REGISTER_QUERY() + 1, c.registerOpLimit());
        assertEquals(0x3ffff, c.features());
    }

    @Test
    void assumeSkipsNamingTheKernelAndWhatIsMissing() {
        var e = assertThrows(org.opentest4j.TestAbortedException.class, () -> Caps.assume(false, "IORING_OP_X"));
        assertTrue(e.getMessage().contains("kernel " + Caps.KERNEL.kernelRelease() + " lacks IORING_OP_X"),
                e.getMessage());
    }
}
