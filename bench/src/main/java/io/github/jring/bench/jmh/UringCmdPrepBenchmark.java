package io.github.jring.bench.jmh;

import io.github.jring.bindings.Uapi;
import io.github.jring.bindings.nvme_uring_cmd;
import io.github.jring.core.ErrnoException;
import io.github.jring.core.IoUring;
import io.github.jring.core.Sqe;
import io.github.jring.nvme.NvmeQueue;
import io.github.jring.nvme.command.Read;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * What preparing one NVMe passthrough SQE ({@code IORING_OP_URING_CMD} with a 4 KiB NVMe Read in its
 * {@code struct nvme_uring_cmd}, on an SQE128 ring) costs, without the system call: jring-nvme's path, a reused
 * {@link Read} whose starting LBA is set and {@link NvmeQueue#prepare} (what {@code async-pt} does per I/O), against
 * {@link #handWritten}, the field stores {@code async-pt} used to make itself, kept here as the reference baseline.
 * As in {@link SqePrepBenchmark} both rewrite one slot of the mapped SQE array, taken once and never submitted as a
 * URING_CMD (so the fd in it is never used; no NVMe device is needed). {@code fixed} adds {@code --fixedbufs} and
 * {@code --registerfiles} ({@link NvmeQueue#prepareFixed}, {@code IOSQE_FIXED_FILE}). Allocation must be 0
 * ({@code -prof gc}).
 *
 * <pre>java -jar bench/target/jring-bench.jar jmh UringCmdPrepBenchmark -prof gc</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class UringCmdPrepBenchmark {
    private static final long CMD_OPCODE = nvme_uring_cmd.opcode$offset();
    private static final long CMD_NSID = nvme_uring_cmd.nsid$offset();
    private static final long CMD_ADDR = nvme_uring_cmd.addr$offset();
    private static final long CMD_DATA_LEN = nvme_uring_cmd.data_len$offset();
    private static final long CMD_CDW10 = nvme_uring_cmd.cdw10$offset();
    private static final long CMD_CDW11 = nvme_uring_cmd.cdw11$offset();
    private static final long CMD_CDW12 = nvme_uring_cmd.cdw12$offset();
    private static final long NVME_URING_CMD_IO = Uapi.NVME_URING_CMD_IO();
    private static final int URING_CMD_FIXED = Uapi.IORING_URING_CMD_FIXED();

    private static final int LBA = 512;
    private static final int BS = 4096;
    private static final int NSID = 1;
    /** Any fd: the entry is never submitted as a URING_CMD. */
    private static final int FD = 5;

    /**
     * The reference baseline: the stores {@code async-pt}'s job made for each I/O before it went through
     * jring-nvme (bench's {@code AsyncPassthroughEngine} until issue 15), unchecked: no arena, length or NSID check.
     * The host test {@code PassthroughSlotsTest} checks that the library's path writes the same entry.
     *
     * @param sqe       an entry of an SQE128 ring
     * @param sqeFd     the namespace's fd, or its registered index when {@code fixedFile}
     * @param fixedFile {@code IOSQE_FIXED_FILE}
     * @param fixedBufs {@code IORING_URING_CMD_FIXED} with buffer index {@code slot}
     * @param nsid      the namespace
     * @param opcode    NVMe opcode (2 read, 1 write)
     * @param addr      the data buffer's address
     * @param dataLen   bytes
     * @param slba      starting LBA
     * @param nlb0      number of blocks minus one
     * @param slot      the registered buffer's index, for {@code fixedBufs}
     * @return the entry
     */
    public static Sqe handWritten(Sqe sqe, int sqeFd, boolean fixedFile, boolean fixedBufs, int nsid, int opcode,
                                  long addr, int dataLen, long slba, int nlb0, int slot) {
        sqe.prepUringCmd(NVME_URING_CMD_IO, sqeFd);
        MemorySegment cmd = sqe.cmd();
        cmd.set(JAVA_BYTE, CMD_OPCODE, (byte) opcode);
        cmd.set(JAVA_INT, CMD_NSID, nsid);
        cmd.set(JAVA_LONG, CMD_ADDR, addr);
        cmd.set(JAVA_INT, CMD_DATA_LEN, dataLen);
        cmd.set(JAVA_INT, CMD_CDW10, (int) slba);
        cmd.set(JAVA_INT, CMD_CDW11, (int) (slba >>> 32));
        cmd.set(JAVA_INT, CMD_CDW12, nlb0);
        if (fixedBufs) {
            sqe.opFlags(URING_CMD_FIXED);
            sqe.bufIndex(slot);
        }
        if (fixedFile) sqe.fixedFile();
        return sqe;
    }

    /** An SQE128 ring, one slot taken from it and rewritten by each invocation, and one buffer with its Read. */
    @State(Scope.Thread)
    public static class Held extends HeldSqe {
        /** {@code --fixedbufs --registerfiles}: registered buffer 0 and file 0. */
        @Param({"false", "true"})
        public boolean fixed;

        Read read;
        long slba;
        int fd;

        @Setup(Level.Trial)
        public void setUp() throws ErrnoException {
            hold(IoUring.builder().sqe128().cqe32().build(8), Arena.ofConfined(), BS);
            read = new Read(NSID, 0, BS / LBA, buf);
            fd = fixed ? 0 : FD;
        }

        long nextSlba() {
            return slba = (slba + BS / LBA) & 0xFF_FFFF;
        }
    }

    /**
     * The baseline: {@link #handWritten}.
     *
     * @param s the held slot
     * @return the entry, for the blackhole
     */
    @Benchmark
    public Sqe handWrittenStores(Held s) {
        return handWritten(s.sqe, s.fd, s.fixed, s.fixed, NSID, Read.OPCODE, s.addr, BS, s.nextSlba(),
                BS / LBA - 1, 0);
    }

    /**
     * jring-nvme: {@code read.slba(...)} and {@link NvmeQueue#prepare} (or {@link NvmeQueue#prepareFixed}), with its
     * checks.
     *
     * @param s the held slot
     * @return the entry, for the blackhole
     */
    @Benchmark
    public Sqe nvmeQueuePrepare(Held s) {
        Read r = s.read.slba(s.nextSlba());
        if (s.fixed) {
            NvmeQueue.prepareFixed(s.sqe, s.fd, true, r, 0, LBA);
        } else {
            NvmeQueue.prepare(s.sqe, s.fd, false, r, LBA);
        }
        return s.sqe;
    }
}
