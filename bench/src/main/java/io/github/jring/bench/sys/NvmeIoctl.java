package io.github.jring.bench.sys;

import io.github.jring.core.ErrnoException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Synchronous NVMe passthrough with {@code ioctl(2)} on a namespace's generic char device {@code /dev/ngXnY} (or its
 * block device): {@code NVME_IOCTL_IO64_CMD} with a {@code struct nvme_passthru_cmd64}, and {@code NVME_IOCTL_ID}.
 * The ioctl returns 0 on success, the NVMe status field (&gt; 0) for a command the device failed, or -1 with errno.
 *
 * <p>Kept in bench for the {@code sync-pt} engine until {@code io.github.jring.nvme} offers the same path.
 */
public final class NvmeIoctl {
    /** {@code _IO('N', 0x40)}: returns the namespace id of the fd. */
    public static final long NVME_IOCTL_ID = 0x4E40L;
    /** {@code _IOWR('N', 0x48, struct nvme_passthru_cmd64)}, 80 bytes. */
    public static final long NVME_IOCTL_IO64_CMD = 0xC0504E48L;

    /** NVM command set opcodes. */
    public static final byte OPC_WRITE = 0x01, OPC_READ = 0x02;

    /** {@code struct nvme_passthru_cmd64} field offsets (include/uapi/linux/nvme_ioctl.h). */
    public static final long CMD_SIZE = 80, OFF_OPCODE = 0, OFF_FLAGS = 1, OFF_NSID = 4, OFF_CDW2 = 8,
            OFF_METADATA = 16, OFF_ADDR = 24, OFF_METADATA_LEN = 32, OFF_DATA_LEN = 36, OFF_CDW10 = 40,
            OFF_CDW11 = 44, OFF_CDW12 = 48, OFF_CDW13 = 52, OFF_CDW14 = 56, OFF_CDW15 = 60, OFF_TIMEOUT_MS = 64,
            OFF_RESULT = 72;

    private NvmeIoctl() {
    }

    /** {@code ioctl(fd, NVME_IOCTL_ID)}: the namespace id behind an open NVMe namespace fd. */
    public static int namespaceId(int fd, Path path) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Libc.newCallState(arena);
            int nsid = Libc.ioctl(state, fd, NVME_IOCTL_ID, MemorySegment.NULL);
            if (nsid < 0) {
                throw new ErrnoException("ioctl(" + path + ", NVME_IOCTL_ID)", Libc.errno(state));
            }
            return nsid;
        }
    }

    /**
     * Fills the fixed part of a read or write command: nsid, data buffer, length, and NLB (0-based) in CDW12. The
     * caller sets the opcode and SLBA (CDW10/11) per I/O with {@link #setIo}.
     */
    public static void prepareIo(MemorySegment cmd, int nsid, MemorySegment buf, int bytes, int lbaSize) {
        cmd.fill((byte) 0);
        cmd.set(JAVA_INT, OFF_NSID, nsid);
        cmd.set(JAVA_LONG, OFF_ADDR, buf.address());
        cmd.set(JAVA_INT, OFF_DATA_LEN, bytes);
        cmd.set(JAVA_INT, OFF_CDW12, bytes / lbaSize - 1);
    }

    /** Sets opcode and starting LBA of a prepared command, and clears the result. */
    public static void setIo(MemorySegment cmd, byte opcode, long slba) {
        cmd.set(JAVA_BYTE, OFF_OPCODE, opcode);
        cmd.set(JAVA_INT, OFF_CDW10, (int) slba);
        cmd.set(JAVA_INT, OFF_CDW11, (int) (slba >>> 32));
        cmd.set(JAVA_LONG, OFF_RESULT, 0L);
    }

    /**
     * Describes an NVMe status field (as the ioctl returns it: SC in bits 0-7, SCT in 8-10, CRD 11-12, More 13, DNR
     * 14), e.g. {@code "NVMe status 0x4002: Invalid Field in Command (SCT 0 generic, SC 0x02, DNR)"}.
     */
    public static String describeStatus(int status) {
        int sc = status & 0xff;
        int sct = (status >> 8) & 0x7;
        String name = switch (sct) {
            case 0 -> switch (sc) {
                case 0x00 -> "Successful Completion";
                case 0x01 -> "Invalid Command Opcode";
                case 0x02 -> "Invalid Field in Command";
                case 0x04 -> "Data Transfer Error";
                case 0x06 -> "Internal Error";
                case 0x07 -> "Command Abort Requested";
                case 0x0b -> "Invalid Namespace or Format";
                case 0x80 -> "LBA Out of Range";
                case 0x81 -> "Capacity Exceeded";
                case 0x82 -> "Namespace Not Ready";
                default -> "generic status 0x" + Integer.toHexString(sc);
            };
            case 1 -> "command specific status 0x" + Integer.toHexString(sc);
            case 2 -> switch (sc) {
                case 0x80 -> "Write Fault";
                case 0x81 -> "Unrecovered Read Error";
                case 0x86 -> "Access Denied";
                default -> "media error 0x" + Integer.toHexString(sc);
            };
            case 3 -> "path related status 0x" + Integer.toHexString(sc);
            default -> "vendor specific status 0x" + Integer.toHexString(sc);
        };
        String sctName = switch (sct) {
            case 0 -> "generic";
            case 1 -> "command specific";
            case 2 -> "media";
            case 3 -> "path";
            default -> "vendor";
        };
        return String.format("NVMe status 0x%04x: %s (SCT %d %s, SC 0x%02x%s%s)", status, name, sct, sctName, sc,
                (status & 0x2000) != 0 ? ", More" : "", (status & 0x4000) != 0 ? ", DNR" : "");
    }
}
