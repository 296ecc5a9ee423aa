package io.github.jring.core;

import io.github.jring.bindings.Uapi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every {@code IORING_OP_*} of the bindings has a {@code prep*} method that writes it, and preparing each allocates
 * nothing. What each does in the kernel is tested by the family classes (OpcodesTest, FileOpsTest, XattrOpsTest,
 * NetOpsTest, FutexWaitidTest, MultishotTest); this one is the inventory.
 */
class AllOpsPrepTest {

    /** Opcodes whose prep methods come with another part of issue 19 (128-byte entries). */
    private static final Set<String> PREPARED_ELSEWHERE = Set.of("NOP128", "URING_CMD128");

    IoUring ring;
    Arena arena;
    /** One prep call per opcode, in opcode order. */
    Map<Integer, Consumer<Sqe>> preps;

    @BeforeEach
    void open() throws ErrnoException {
        ring = IoUring.open(4);
        arena = Arena.ofConfined();
        MemorySegment buf = arena.allocate(4096, 4096);
        MemorySegment path = arena.allocateFrom("p");
        MemorySegment ts = KernelTimespec.allocate(arena, 1);
        MemorySegment big = arena.allocate(256, 8); // large enough for every struct an op reads (msghdr, statx ...)
        preps = new LinkedHashMap<>();
        put(Uapi.IORING_OP_NOP(), Sqe::prepNop);
        put(Uapi.IORING_OP_READV(), s -> s.prepReadv(0, big, 1, 0));
        put(Uapi.IORING_OP_WRITEV(), s -> s.prepWritev(0, big, 1, 0));
        put(Uapi.IORING_OP_FSYNC(), s -> s.prepFsync(0, 0));
        put(Uapi.IORING_OP_READ_FIXED(), s -> s.prepReadFixed(0, buf, 0, 0));
        put(Uapi.IORING_OP_WRITE_FIXED(), s -> s.prepWriteFixed(0, buf, 0, 0));
        put(Uapi.IORING_OP_POLL_ADD(), s -> s.prepPollAdd(0, 1));
        put(Uapi.IORING_OP_POLL_REMOVE(), s -> s.prepPollRemove(1));
        put(Uapi.IORING_OP_SYNC_FILE_RANGE(), s -> s.prepSyncFileRange(0, 0, 0, 0));
        put(Uapi.IORING_OP_SENDMSG(), s -> s.prepSendmsg(0, big, 0));
        put(Uapi.IORING_OP_RECVMSG(), s -> s.prepRecvmsg(0, big, 0));
        put(Uapi.IORING_OP_TIMEOUT(), s -> s.prepTimeout(ts, 0, 0));
        put(Uapi.IORING_OP_TIMEOUT_REMOVE(), s -> s.prepTimeoutRemove(1, 0));
        put(Uapi.IORING_OP_ACCEPT(), s -> s.prepAccept(0, null, null, 0));
        put(Uapi.IORING_OP_ASYNC_CANCEL(), s -> s.prepCancel(1, 0));
        put(Uapi.IORING_OP_LINK_TIMEOUT(), s -> s.prepLinkTimeout(ts, 0));
        put(Uapi.IORING_OP_CONNECT(), s -> s.prepConnect(0, big));
        put(Uapi.IORING_OP_FALLOCATE(), s -> s.prepFallocate(0, 0, 0, 1));
        put(Uapi.IORING_OP_OPENAT(), s -> s.prepOpenat(0, path, 0, 0));
        put(Uapi.IORING_OP_CLOSE(), s -> s.prepClose(0));
        put(Uapi.IORING_OP_FILES_UPDATE(), s -> s.prepFilesUpdate(big, 1, 0));
        put(Uapi.IORING_OP_STATX(), s -> s.prepStatx(0, path, 0, 0, big));
        put(Uapi.IORING_OP_READ(), s -> s.prepRead(0, buf, 0));
        put(Uapi.IORING_OP_WRITE(), s -> s.prepWrite(0, buf, 0));
        put(Uapi.IORING_OP_FADVISE(), s -> s.prepFadvise(0, 0, 0, 0));
        put(Uapi.IORING_OP_MADVISE(), s -> s.prepMadvise(buf, 0));
        put(Uapi.IORING_OP_SEND(), s -> s.prepSend(0, buf, 0));
        put(Uapi.IORING_OP_RECV(), s -> s.prepRecv(0, buf, 0));
        put(Uapi.IORING_OP_OPENAT2(), s -> s.prepOpenat2(0, path, big));
        put(Uapi.IORING_OP_EPOLL_CTL(), s -> s.prepEpollCtl(0, 0, 0, big));
        put(Uapi.IORING_OP_SPLICE(), s -> s.prepSplice(0, -1, 0, -1, 1, 0));
        put(Uapi.IORING_OP_PROVIDE_BUFFERS(), s -> s.prepProvideBuffers(buf, 64, 1, 0, 0));
        put(Uapi.IORING_OP_REMOVE_BUFFERS(), s -> s.prepRemoveBuffers(1, 0));
        put(Uapi.IORING_OP_TEE(), s -> s.prepTee(0, 0, 1, 0));
        put(Uapi.IORING_OP_SHUTDOWN(), s -> s.prepShutdown(0, 0));
        put(Uapi.IORING_OP_RENAMEAT(), s -> s.prepRenameat(0, path, 0, path, 0));
        put(Uapi.IORING_OP_UNLINKAT(), s -> s.prepUnlinkat(0, path, 0));
        put(Uapi.IORING_OP_MKDIRAT(), s -> s.prepMkdirat(0, path, 0));
        put(Uapi.IORING_OP_SYMLINKAT(), s -> s.prepSymlinkat(path, 0, path));
        put(Uapi.IORING_OP_LINKAT(), s -> s.prepLinkat(0, path, 0, path, 0));
        put(Uapi.IORING_OP_MSG_RING(), s -> s.prepMsgRing(0, 0, 0, 0));
        put(Uapi.IORING_OP_FSETXATTR(), s -> s.prepFsetxattr(0, path, buf, 0));
        put(Uapi.IORING_OP_SETXATTR(), s -> s.prepSetxattr(path, path, buf, 0));
        put(Uapi.IORING_OP_FGETXATTR(), s -> s.prepFgetxattr(0, path, buf));
        put(Uapi.IORING_OP_GETXATTR(), s -> s.prepGetxattr(path, path, buf));
        put(Uapi.IORING_OP_SOCKET(), s -> s.prepSocket(0, 0, 0, 0));
        put(Uapi.IORING_OP_URING_CMD(), s -> s.prepUringCmd(0, 0));
        put(Uapi.IORING_OP_SEND_ZC(), s -> s.prepSendZc(0, buf, 0, 0));
        put(Uapi.IORING_OP_SENDMSG_ZC(), s -> s.prepSendmsgZc(0, big, 0, 0));
        put(Uapi.IORING_OP_READ_MULTISHOT(), s -> s.prepReadMultishot(0, 0, 0, 0));
        put(Uapi.IORING_OP_WAITID(), s -> s.prepWaitid(0, 0, big, 0, 0));
        put(Uapi.IORING_OP_FUTEX_WAIT(), s -> s.prepFutexWait(big, 0, 0, 0, 0));
        put(Uapi.IORING_OP_FUTEX_WAKE(), s -> s.prepFutexWake(big, 0, 0, 0, 0));
        put(Uapi.IORING_OP_FUTEX_WAITV(), s -> s.prepFutexWaitv(big, 1, 0));
        put(Uapi.IORING_OP_FIXED_FD_INSTALL(), s -> s.prepFixedFdInstall(0, 0));
        put(Uapi.IORING_OP_FTRUNCATE(), s -> s.prepFtruncate(0, 0));
        put(Uapi.IORING_OP_BIND(), s -> s.prepBind(0, big));
        put(Uapi.IORING_OP_LISTEN(), s -> s.prepListen(0, 1));
        put(Uapi.IORING_OP_RECV_ZC(), s -> s.prepRecvZc(0, 0, 0));
        put(Uapi.IORING_OP_EPOLL_WAIT(), s -> s.prepEpollWait(0, big, 1, 0));
        put(Uapi.IORING_OP_READV_FIXED(), s -> s.prepReadvFixed(0, big, 1, 0, 0, 0));
        put(Uapi.IORING_OP_WRITEV_FIXED(), s -> s.prepWritevFixed(0, big, 1, 0, 0, 0));
        put(Uapi.IORING_OP_PIPE(), s -> s.prepPipe(big, 0));
    }

    private void put(int opcode, Consumer<Sqe> prep) {
        preps.put(opcode, prep);
    }

    @AfterEach
    void close() {
        ring.close();
        arena.close();
    }

    @Test
    void everyOpcodeHasAPrepMethodThatWritesIt() {
        Sqe sqe = ring.getSqe();
        List<String> missing = new ArrayList<>();
        for (int op = 0; op < Uapi.IORING_OP_LAST(); op++) {
            Consumer<Sqe> prep = preps.get(op);
            String name = Probe.opcodeName(op);
            if (prep == null) {
                if (!PREPARED_ELSEWHERE.contains(name)) {
                    missing.add(name);
                }
                continue;
            }
            prep.accept(sqe);
            assertEquals(op, sqe.opcode(), name);
        }
        assertEquals(List.of(), missing, "opcodes without a prep method");
        System.out.println("[AllOpsPrepTest] " + preps.size() + " of " + Uapi.IORING_OP_LAST()
                + " IORING_OP_* prepared here; elsewhere: " + PREPARED_ELSEWHERE);
    }

    @Test
    void preparingEveryOpcodeAllocatesNothing() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Sqe sqe = ring.getSqe();
        @SuppressWarnings("unchecked")
        Consumer<Sqe>[] all = preps.values().toArray(new Consumer[0]);
        long best = Long.MAX_VALUE;
        int rounds = 20_000;
        for (int attempt = 0; attempt < 15 && best > 1024; attempt++) {
            long before = mx.getCurrentThreadAllocatedBytes();
            for (int r = 0; r < rounds; r++) {
                for (Consumer<Sqe> prep : all) {
                    prep.accept(sqe);
                }
            }
            best = Math.min(best, mx.getCurrentThreadAllocatedBytes() - before);
        }
        if (best > 1024) { // name the culprits
            List<String> allocating = new ArrayList<>();
            for (Map.Entry<Integer, Consumer<Sqe>> e : preps.entrySet()) {
                long min = Long.MAX_VALUE;
                for (int a = 0; a < 5; a++) {
                    long b0 = mx.getCurrentThreadAllocatedBytes();
                    for (int r = 0; r < rounds; r++) {
                        e.getValue().accept(sqe);
                    }
                    min = Math.min(min, mx.getCurrentThreadAllocatedBytes() - b0);
                }
                if (min > 1024) {
                    allocating.add(Probe.opcodeName(e.getKey()) + " " + min / rounds + " B");
                }
            }
            System.out.println("[AllOpsPrepTest] allocating preps: " + allocating);
        }
        assertTrue(best <= 1024, "best round allocated " + best + " bytes for " + rounds * all.length + " preps");
    }
}
