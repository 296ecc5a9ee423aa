package io.github.jring.bench.engine;

import io.github.jring.bindings.nvme_uring_cmd;
import io.github.jring.core.IoUring;
import io.github.jring.core.Sqe;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * async-pt with --fdp, on the host: writes carry DTYPE 2 and the placement identifiers round robin (fio's default
 * fdp_pli_select), reads carry no directive; the options parse as fio's; and fio's arguments for --vs-fio.
 */
class PassthroughSlotsFdpTest {
    private static final int DEPTH = 4;
    private static final int BS = 4096;

    private IoUring ring;
    private Arena arena;
    private Sqe sqe;
    private PassthroughSlots slots;

    @BeforeEach
    void setUp() throws Exception {
        ring = IoUring.builder().sqe128().cqe32().build(DEPTH);
        arena = Arena.ofConfined();
        MemorySegment[] buffers = new MemorySegment[DEPTH];
        for (int i = 0; i < DEPTH; i++) {
            buffers[i] = arena.allocate(BS, 4096);
        }
        slots = new PassthroughSlots(1, 512, BS, buffers, 7, false, false);
        sqe = ring.getSqe();
    }

    @AfterEach
    void tearDown() throws Exception {
        sqe.prepNop();
        ring.submitAndWait(1);
        ring.close();
        arena.close();
    }

    private int dtype() {
        return (nvme_uring_cmd.cdw12(sqe.cmd()) >>> 20) & 0xF;
    }

    private int dspec() {
        return nvme_uring_cmd.cdw13(sqe.cmd()) >>> 16;
    }

    @Test
    void writesCyclePlacementIdentifiersAndReadsCarryNone() {
        slots.placement(new int[] {3, 5, 6});
        int[] seen = new int[7];
        for (int i = 0; i < seen.length; i++) {
            slots.prepare(sqe, i % DEPTH, false, 4096L * i);
            assertEquals(2, dtype(), "DTYPE 2: data placement");
            seen[i] = dspec();
        }
        assertEquals(List.of(3, 5, 6, 3, 5, 6, 3), java.util.Arrays.stream(seen).boxed().toList());
        slots.prepare(sqe, 0, true, 0);
        assertEquals(0, dtype(), "a read carries no directive");
    }

    @Test
    void withoutPlacementWritesCarryNoDirective() {
        slots.prepare(sqe, 0, false, 0);
        assertEquals(0, dtype());
    }

    @Test
    void fioArguments() {
        assertEquals(List.of(), FdpSpec.NONE.fioArgs());
        assertEquals(List.of("--fdp=1"), new FdpSpec(true, List.of()).fioArgs());
        assertEquals(List.of("--fdp=1", "--plids=0,2,3"), new FdpSpec(true, List.of(0, 2, 3)).fioArgs());
        assertThrows(UnsupportedOperationException.class, () -> new FdpSpec(true, List.of(1)).plids().add(2));
    }
}
