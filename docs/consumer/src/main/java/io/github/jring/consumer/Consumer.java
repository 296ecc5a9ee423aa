package io.github.jring.consumer;

import io.github.jring.core.Cqe;
import io.github.jring.core.IoUring;
import io.github.jring.core.async.AsyncRing;
import io.github.jring.nvme.status.NvmeStatus;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * Uses jring as an application does, and checks what it gets: a NOP, then a file opened and read through
 * {@link IoUring} ({@code IORING_OP_OPENAT}, {@code READ}, {@code CLOSE}), then the same read through
 * {@link AsyncRing}'s futures; the bytes must be the file's. Prints one line per check and {@code consumer: ok}, or
 * exits 1 naming the first check that failed.
 */
public final class Consumer {

    private Consumer() {
    }

    /**
     * Runs the checks.
     *
     * @param args the file to read (it must exist and be non-empty)
     * @throws Exception if jring fails
     */
    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        byte[] expected = Files.readAllBytes(file);
        System.out.println("consumer: running on the " + (Consumer.class.getModule().isNamed()
                ? "module path as " + Consumer.class.getModule().getName() : "class path"));

        try (IoUring ring = IoUring.open(8); Arena arena = Arena.ofConfined()) {
            ring.getSqe().prepNop().userData(7);
            ring.submitAndWait(1);
            Cqe nop = ring.waitCqe();
            check(nop.userData() == 7 && nop.res() == 0, "NOP completes with user_data 7 and res 0: " + nop);
            ring.cqeSeen(nop);

            // open, read and close the file, all through the ring: no other native call is needed
            MemorySegment path = arena.allocateFrom(file.toAbsolutePath().toString());
            ring.getSqe().prepOpenat(-100 /* AT_FDCWD */, path, 0 /* O_RDONLY */, 0);
            ring.submitAndWait(1);
            Cqe opened = ring.waitCqe();
            int fd = opened.throwIfError("openat " + file);
            ring.cqeSeen(opened);

            MemorySegment buf = arena.allocate(expected.length, 4096);
            ring.getSqe().prepRead(fd, buf, 0);
            ring.submitAndWait(1);
            Cqe read = ring.waitCqe();
            int n = read.throwIfError("read");
            ring.cqeSeen(read);
            check(n == expected.length && Arrays.equals(buf.toArray(JAVA_BYTE), expected),
                    "IoUring read " + n + " bytes, the file's");

            try (AsyncRing async = AsyncRing.open(16)) {
                MemorySegment abuf = arena.allocate(expected.length, 4096);
                int an = async.read(fd, abuf, 0).get();
                check(an == expected.length && Arrays.equals(abuf.toArray(JAVA_BYTE), expected),
                        "AsyncRing read " + an + " bytes, the file's");
                check(async.nop().get() == 0, "AsyncRing NOP completes with 0");
            }

            ring.getSqe().prepClose(fd);
            ring.submitAndWait(1);
            Cqe closed = ring.waitCqe();
            closed.throwIfError("close");
            ring.cqeSeen(closed);
        }
        // and the NVMe module, without a device: status decoding
        String status = NvmeStatus.of(0, 0x80, true).toString();
        check(status.contains("LBA Out of Range"), "NVMe status 0/80h decodes as " + status);
        System.out.println("consumer: ok, " + new String(expected, StandardCharsets.UTF_8).strip().length()
                + " characters read twice");
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            System.out.println("consumer: FAILED: " + what);
            System.exit(1);
        }
        System.out.println("consumer: " + what);
    }
}
