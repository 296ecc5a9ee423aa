package io.github.jring.nvme;

import io.github.jring.nvme.status.PassthroughOutcome;
import io.github.jring.nvme.status.NvmeStatus;
import io.github.jring.nvme.status.NvmeStatusCode;
import io.github.jring.nvme.status.NvmeStatusException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Decoding of the status the kernel returns: the controller's CQE status word (Dword 3 bits 31:16: P bit 0, SC 8:1,
 * SCT 11:9, CRD 13:12, M 14, DNR 15) shifted right by one, as {@code nvme_req(req)->status} holds it.
 */
class NvmeStatusTest {

    /** The 16-bit status word a controller puts in its CQE, from its parts (phase tag given). */
    private static int cqeStatusWord(int sct, int sc, int crd, boolean more, boolean dnr, boolean phase) {
        return (phase ? 1 : 0) | (sc << 1) | (sct << 9) | (crd << 12) | (more ? 1 << 14 : 0) | (dnr ? 1 << 15 : 0);
    }

    /** What Linux returns as the passthrough result for that CQE. */
    private static NvmeStatus asTheKernelReturnsIt(int cqeStatusWord) {
        return new NvmeStatus(cqeStatusWord >>> 1);
    }

    @Test
    void lbaOutOfRangeWithDoNotRetry() {
        NvmeStatus s = asTheKernelReturnsIt(cqeStatusWord(0, 0x80, 0, false, true, true));
        assertEquals(0x4080, s.value(), "the value nvme-cli prints for this failure");
        assertEquals(NvmeStatusCode.LBA_OUT_OF_RANGE, s.code());
        assertEquals(0, s.sct());
        assertEquals(0x80, s.sc());
        assertTrue(s.dnr());
        assertFalse(s.more());
        assertEquals("LBA Out of Range (SCT 0h, SC 80h, DNR)", s.toString());
    }

    @Test
    void zonedStatusesAreCommandSpecific() {
        NvmeStatus full = asTheKernelReturnsIt(cqeStatusWord(1, 0xB9, 0, false, true, false));
        assertEquals(NvmeStatusCode.ZONE_IS_FULL, full.code());
        assertEquals("Zone Is Full", full.name());
        NvmeStatus invalidWrite = asTheKernelReturnsIt(cqeStatusWord(1, 0xBC, 0, false, false, true));
        assertEquals(NvmeStatusCode.ZONE_INVALID_WRITE, invalidWrite.code());
        assertTrue(invalidWrite.is(NvmeStatusCode.ZONE_INVALID_WRITE));
        assertFalse(invalidWrite.is(NvmeStatusCode.ZONE_IS_FULL));
        // The same SC in another type is another status.
        assertEquals(NvmeStatusCode.WRITE_FAULT, asTheKernelReturnsIt(cqeStatusWord(2, 0x80, 0, false, false, false))
                .code());
        assertEquals(NvmeStatusCode.CONFLICTING_ATTRIBUTES, NvmeStatus.of(1, 0x80, false).code());
    }

    @Test
    void moreAndRetryDelayAreKeptApartFromTheCode() {
        NvmeStatus s = asTheKernelReturnsIt(cqeStatusWord(2, 0x85, 3, true, false, true));
        assertEquals(NvmeStatusCode.COMPARE_FAILURE, s.code());
        assertTrue(s.more());
        assertEquals(3, s.crd());
        assertFalse(s.dnr());
        assertFalse(s.isSuccess());
        assertEquals("Compare Failure (SCT 2h, SC 85h, More, CRD 3)", s.toString());
        assertTrue(asTheKernelReturnsIt(cqeStatusWord(0, 0, 0, true, false, true)).isSuccess());
    }

    @Test
    void unnamedStatusesStillDescribeThemselves() {
        NvmeStatus vendor = NvmeStatus.of(7, 0xC1, true);
        assertNull(vendor.code());
        assertEquals("Vendor Specific status 0xC1", vendor.name());
        assertEquals("Command Specific status 0xFE", NvmeStatus.of(1, 0xFE, false).name());
        assertThrows(IllegalArgumentException.class, () -> new NvmeStatus(-22), "an errno is not a status");
        assertThrows(IllegalArgumentException.class, () -> new NvmeStatus(0x8000));
    }

    @Test
    void exceptionsKeepTheStatusAndNameTheCommand() {
        NvmeStatusException e = new NvmeStatusException("Write (nsid 2, SLBA 0x20000, 8 blocks)", 0x41B9);
        assertSame(NvmeStatusCode.ZONE_IS_FULL, e.code());
        assertEquals("Write (nsid 2, SLBA 0x20000, 8 blocks): Zone Is Full (SCT 1h, SC B9h, DNR)", e.getMessage());
        assertEquals("success", PassthroughOutcome.describe(0));
        assertEquals("Invalid Field in Command (SCT 0h, SC 02h, DNR)", PassthroughOutcome.describe(0x4002));
    }

    @Test
    void everyNamedCodeIsFoundByItsPair() {
        for (NvmeStatusCode c : NvmeStatusCode.values()) {
            assertSame(c, NvmeStatusCode.of(c.sct(), c.sc()));
            assertSame(c, NvmeStatus.of(c.sct(), c.sc(), false).code());
        }
        assertNull(NvmeStatusCode.of(8, 0));
    }
}
