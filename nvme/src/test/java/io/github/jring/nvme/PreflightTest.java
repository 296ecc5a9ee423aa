package io.github.jring.nvme;

import io.github.jring.nvme.command.Compare;
import io.github.jring.nvme.command.Copy;
import io.github.jring.nvme.command.DatasetManagement;
import io.github.jring.nvme.command.Flush;
import io.github.jring.nvme.command.Identify;
import io.github.jring.nvme.command.NvmeCommand;
import io.github.jring.nvme.command.RawCommand;
import io.github.jring.nvme.command.Read;
import io.github.jring.nvme.command.Verify;
import io.github.jring.nvme.command.Write;
import io.github.jring.nvme.command.WriteUncorrectable;
import io.github.jring.nvme.command.WriteZeroes;
import io.github.jring.nvme.command.ZoneAction;
import io.github.jring.nvme.command.ZoneAppend;
import io.github.jring.nvme.command.ZoneManagementReceive;
import io.github.jring.nvme.command.ZoneManagementSend;
import io.github.jring.nvme.internal.CommandAccess;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The checks every transport makes before the kernel sees a command, and the lengths it sends, on the host (the VM
 * test {@code NvmeSafetyIT} shows them against the device).
 */
class PreflightTest {

    private static final CommandAccess COMMANDS = CommandAccess.get();

    @Test
    void aClosedArenasBufferIsRefusedNamingTheCommandAndTheBuffer() {
        Arena gone = Arena.ofConfined();
        MemorySegment buf = gone.allocate(4096, 4096);
        Read r = new Read(1, 8, 8, buf);
        Write w = new Write(1, 8, 8).data(buf);
        gone.close();
        IllegalStateException x = assertThrows(IllegalStateException.class, () -> Preflight.check(r, null, 512, 0));
        assertEquals("Read (nsid 1, SLBA 0x8, 8 blocks): data buffer belongs to a closed arena (the device would "
                + "write into freed memory); keep the arena open until the command has completed", x.getMessage());
        x = assertThrows(IllegalStateException.class, () -> Preflight.check(w, null, 512, 0));
        assertTrue(x.getMessage().contains("read freed memory"), x.getMessage());
        try (Arena arena = Arena.ofConfined()) {
            Arena metaArena = Arena.ofConfined();
            Read m = new Read(1, 0, 1, arena.allocate(512)).metadata(metaArena.allocate(8));
            metaArena.close();
            x = assertThrows(IllegalStateException.class, () -> Preflight.check(m, null, 512, 8));
            assertTrue(x.getMessage().contains("metadata buffer belongs to a closed arena"), x.getMessage());
        }
    }

    @Test
    void theTransferIsWhatTheCommandSaysNotWhatTheBufferHolds() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment big = arena.allocate(1 << 20, 4096);
            Read r = new Read(1, 0, 1, big).metadata(arena.allocate(4096));
            assertEquals(1 << 20, r.dataLength(), "the buffer as set");
            assertEquals(512, COMMANDS.wireDataLength(r, 512), "data_len as sent");
            assertEquals(8, COMMANDS.wireMetadataLength(r, 8), "metadata_len as sent");
            assertEquals(1 << 20, COMMANDS.wireDataLength(r, 0), "unknown LBA size: the buffer's length");
            MemorySegment sqe = arena.allocate(NvmeCommand.URING_CMD_SIZE);
            COMMANDS.encodeUringCmd(r, sqe, COMMANDS.wireDataLength(r, 4096), COMMANDS.wireMetadataLength(r, 0));
            assertEquals(4096, sqe.get(java.lang.foreign.ValueLayout.JAVA_INT,
                    io.github.jring.bindings.nvme_uring_cmd.data_len$offset()));
            Read small = new Read(1, 0, 8, arena.allocate(512));
            IllegalArgumentException x = assertThrows(IllegalArgumentException.class,
                    () -> Preflight.check(small, null, 512, 0));
            assertTrue(x.getMessage().contains("transfers 4096 bytes but its data buffer has 512"), x.getMessage());
            Read smallMeta = new Read(1, 0, 8, arena.allocate(4096)).metadata(arena.allocate(8));
            x = assertThrows(IllegalArgumentException.class, () -> Preflight.check(smallMeta, null, 512, 8));
            assertTrue(x.getMessage().contains("64 bytes of metadata"), x.getMessage());
        }
    }

    @Test
    void eachCommandSaysWhetherItWritesTheMedium() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(4096);
            assertTrue(new Write(1, 0, 1, buf).writesMedium());
            assertTrue(new WriteZeroes(1, 0, 1).writesMedium());
            assertTrue(new WriteUncorrectable(1, 0, 1).writesMedium());
            assertTrue(new DatasetManagement(1, 1, buf).deallocate(true).writesMedium());
            assertFalse(new DatasetManagement(1, 1, buf).integralRead(true).writesMedium());
            assertTrue(new Copy(1, 0, 1, buf).writesMedium());
            assertTrue(new ZoneAppend(1, 0, 1, buf).writesMedium());
            assertTrue(new ZoneManagementSend(1, 0, ZoneAction.RESET).writesMedium());
            assertFalse(new ZoneManagementReceive(1, 0, buf).writesMedium());
            assertFalse(new Read(1, 0, 1, buf).writesMedium());
            assertFalse(new Compare(1, 0, 1, buf).writesMedium());
            assertFalse(new Verify(1, 0, 1).writesMedium());
            assertFalse(new Flush(1).writesMedium());
            assertFalse(Identify.controller().writesMedium());
            assertTrue(RawCommand.admin(0x80, 1).writesMedium(), "Format NVM");
            assertTrue(RawCommand.io(0x81, 1).writesMedium(), "a vendor command that sends data");
            assertFalse(RawCommand.io(0x82, 1).writesMedium());
        }
    }

    @Test
    void vectoredBuffersMustTotalExactlyTheTransfer() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment piece = arena.allocate(8192, 4096);
            MemorySegment iov = arena.allocate(16, 8);
            iov.set(java.lang.foreign.ValueLayout.JAVA_LONG, 0, piece.address());
            iov.set(java.lang.foreign.ValueLayout.JAVA_LONG, 8, piece.byteSize());
            Read r = new Read(1, 0, 8).dataVectored(iov, 1);
            IllegalArgumentException x = assertThrows(IllegalArgumentException.class,
                    () -> Preflight.check(r, null, 512, 0));
            assertTrue(x.getMessage().contains("iovecs total 8192"), x.getMessage());
            Preflight.check(r.blocks(16), null, 512, 0);
        }
    }
}
