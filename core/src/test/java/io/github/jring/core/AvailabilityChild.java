package io.github.jring.core;

import io.github.jring.core.internal.Syscalls;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * The main class of the child JVMs of {@link AvailabilityChildTest}: optionally installs a seccomp filter that
 * answers io_uring_setup, io_uring_enter and io_uring_register (425, 426, 427 on x86-64) with an errno, then prints
 * {@code IoUring.availability().toJson()} on stdout.
 *
 * <p>Usage: {@code AvailabilityChild none|<errno number>}. The filter is what a container runtime installs: a
 * classic-BPF program given to {@code seccomp(SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC, &prog)} after
 * {@code prctl(PR_SET_NO_NEW_PRIVS, 1)}, for every thread of the JVM (TSYNC).
 */
@SuppressWarnings("restricted")
public final class AvailabilityChild {

    // <linux/prctl.h>, <linux/seccomp.h>, <linux/filter.h>, <linux/audit.h>, <asm/unistd_64.h>
    private static final int PR_SET_NO_NEW_PRIVS = 38;
    private static final long SYS_SECCOMP = 317;
    private static final long SECCOMP_SET_MODE_FILTER = 1;
    private static final long SECCOMP_FILTER_FLAG_TSYNC = 1;
    private static final int SECCOMP_RET_ALLOW = 0x7fff0000;
    private static final int SECCOMP_RET_ERRNO = 0x00050000;
    private static final int AUDIT_ARCH_X86_64 = 0xC000003E;
    private static final short BPF_LD_W_ABS = 0x20;  // BPF_LD | BPF_W | BPF_ABS
    private static final short BPF_JEQ_K = 0x15;     // BPF_JMP | BPF_JEQ | BPF_K
    private static final short BPF_RET_K = 0x06;     // BPF_RET | BPF_K
    /** Offsets in struct seccomp_data { int nr; __u32 arch; __u64 instruction_pointer; __u64 args[6]; }. */
    private static final int DATA_NR = 0;
    private static final int DATA_ARCH = 4;

    private AvailabilityChild() {
    }

    public static void main(String[] args) throws Throwable {
        if (!args[0].equals("none")) {
            installFilter(Integer.parseInt(args[0]));
        }
        System.out.println(IoUring.availability().toJson());
        // what a program that just opens a ring is told (stderr, so that stdout stays one JSON object)
        try (IoUring ring = IoUring.open(8)) {
            System.err.println("IoUring.open: ok, fd " + ring.fd());
        } catch (ErrnoException e) {
            System.err.println("IoUring.open: " + e.getMessage());
        }
    }

    static void installFilter(int errno) throws Throwable {
        // int prctl(int option, ...) and long syscall(long number, ...): variadic, every argument as a long
        MethodHandle prctl = Syscalls.link("prctl",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
                Linker.Option.firstVariadicArg(1));
        MethodHandle syscall = Syscalls.link("syscall",
                FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS),
                Linker.Option.firstVariadicArg(1));
        int[][] program = {
            {BPF_LD_W_ABS, 0, 0, DATA_ARCH},
            {BPF_JEQ_K, 1, 0, AUDIT_ARCH_X86_64},        // x86-64: on to the numbers
            {BPF_RET_K, 0, 0, SECCOMP_RET_ALLOW},        // another ABI (x32 is not run here): allow
            {BPF_LD_W_ABS, 0, 0, DATA_NR},
            {BPF_JEQ_K, 3, 0, 425},                      // io_uring_setup
            {BPF_JEQ_K, 2, 0, 426},                      // io_uring_enter
            {BPF_JEQ_K, 1, 0, 427},                      // io_uring_register
            {BPF_RET_K, 0, 0, SECCOMP_RET_ALLOW},
            {BPF_RET_K, 0, 0, SECCOMP_RET_ERRNO | (errno & 0xffff)},
        };
        try (Arena arena = Arena.ofConfined()) {
            // struct sock_filter { __u16 code; __u8 jt; __u8 jf; __u32 k; }: 8 bytes each
            MemorySegment filter = arena.allocate(8L * program.length, 8);
            for (int i = 0; i < program.length; i++) {
                long at = 8L * i;
                filter.set(JAVA_SHORT, at, (short) program[i][0]);
                filter.set(JAVA_BYTE, at + 2, (byte) program[i][1]);
                filter.set(JAVA_BYTE, at + 3, (byte) program[i][2]);
                filter.set(JAVA_INT, at + 4, program[i][3]);
            }
            // struct sock_fprog { unsigned short len; struct sock_filter *filter; }: the pointer at offset 8
            MemorySegment fprog = arena.allocate(16, 8);
            fprog.set(JAVA_SHORT, 0, (short) program.length);
            fprog.set(ADDRESS, 8, filter);
            int rc = (int) prctl.invokeExact(PR_SET_NO_NEW_PRIVS, 1L, 0L, 0L, 0L);
            if (rc != 0) {
                throw new IllegalStateException("prctl(PR_SET_NO_NEW_PRIVS) failed");
            }
            long r = (long) syscall.invokeExact(SYS_SECCOMP, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC,
                    fprog);
            if (r != 0) {
                throw new IllegalStateException("seccomp(SECCOMP_SET_MODE_FILTER, TSYNC) returned " + r);
            }
        }
    }
}
