package io.github.jring.nvme.internal;

import io.github.jring.bindings.Uapi;
import io.github.jring.bindings.nvme_uring_cmd;
import io.github.jring.core.IoUring;
import io.github.jring.core.Sqe;
import io.github.jring.core.async.RingRequest;
import io.github.jring.nvme.command.Read;
import io.github.jring.nvme.command.Write;
import io.github.jring.nvme.status.NvmeStatus;
import io.github.jring.nvme.status.NvmeStatusCode;
import io.github.jring.nvme.status.NvmeStatusException;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.CompletionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bridge through which bench's {@code AsyncNamespaceRequestBenchmark} drives {@code AsyncNamespace}'s request
 * without a device, on the host: the request a one-command read or write makes, its SQE as the ring's completion
 * thread writes it (read back through the jextract accessors), and its completion from a CQE's fields, success and an
 * NVMe status. The template stays unchanged, as every transfer of every thread shares it.
 */
class TransportAccessTest {

    private static final TransportAccess TRANSPORT = TransportAccess.get();
    private static final int FD = 5; // never submitted: any number

    @Test
    void aTransferRequestFillsItsSqeFromTheTemplateAndCompletesFromItsCqe() throws Exception {
        try (IoUring ring = IoUring.builder().sqe128().cqe32().build(8); Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(4096, 4096);
            Read template = new Read(1, 0, 1);
            RingRequest<Void> request = TRANSPORT.transferRequest(template, null, 0x1_0000_0008L, 8, buf, FD);
            Sqe sqe = ring.getSqe();
            try {
                TRANSPORT.prepare(request, sqe);
                assertEquals(Uapi.IORING_OP_URING_CMD(), sqe.opcode());
                assertEquals(FD, sqe.fd());
                MemorySegment cmd = sqe.cmd();
                assertEquals(0x02, nvme_uring_cmd.opcode(cmd), "Read");
                assertEquals(1, nvme_uring_cmd.nsid(cmd));
                assertEquals(buf.address(), nvme_uring_cmd.addr(cmd));
                assertEquals(4096, nvme_uring_cmd.data_len(cmd));
                assertEquals(8, nvme_uring_cmd.cdw10(cmd), "SLBA low");
                assertEquals(1, nvme_uring_cmd.cdw11(cmd), "SLBA high");
                assertEquals(7, nvme_uring_cmd.cdw12(cmd), "NLB, 0's based");
                assertEquals(0, template.slba(), "the template is not changed");
                assertEquals(1, template.blocks());
            } finally {
                sqe.prepNop(); // the slot was handed out: let the kernel consume it as a NOP
                ring.submitAndWait(1);
            }
            TRANSPORT.complete(request, 0, 0, 0, 0);
            assertTrue(request.isDone());
            assertNull(request.join());

            RingRequest<Void> failing = TRANSPORT.transferRequest(new Write(1, 0, 1), null, 64, 8, buf, FD);
            TRANSPORT.complete(failing, NvmeStatus.of(0, 0x80, true).value(), 0, 0, 0); // the CQE's res: the status
            NvmeStatusException status = assertInstanceOf(NvmeStatusException.class,
                    assertThrows(CompletionException.class, failing::join).getCause());
            assertEquals(NvmeStatusCode.LBA_OUT_OF_RANGE, status.code());
            assertTrue(status.getMessage().contains("Write (nsid 1"), status.getMessage());
        }
    }

    @Test
    void theBaselinesPiecesAreTheTransportsOwn() throws Exception {
        try (IoUring ring = IoUring.builder().sqe128().cqe32().build(8); Arena arena = Arena.ofConfined()) {
            Read read = new Read(1, 0, 1).data(arena.allocate(512, 4096), 0, 512);
            TRANSPORT.preflight(read, null, 512, 0);
            assertEquals(Uapi.NVME_URING_CMD_IO(), TRANSPORT.cmdOp(read));
            Sqe sqe = ring.getSqe();
            try {
                MemorySegment area = TRANSPORT.startUringCmd(sqe, FD, TRANSPORT.cmdOp(read));
                assertEquals(Uapi.IORING_OP_URING_CMD(), sqe.opcode());
                assertEquals(FD, sqe.fd());
                assertEquals(sqe.cmd().address(), area.address(), "the command area");
            } finally {
                sqe.prepNop();
                ring.submitAndWait(1);
            }
            Arena gone = Arena.ofConfined();
            Read freed = new Read(1, 0, 1).data(gone.allocate(512, 4096), 0, 512);
            gone.close();
            assertThrows(IllegalStateException.class, () -> TRANSPORT.preflight(freed, null, 512, 0));
        }
    }
}
