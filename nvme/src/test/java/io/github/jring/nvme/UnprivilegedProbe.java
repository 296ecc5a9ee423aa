package io.github.jring.nvme;

import io.github.jring.nvme.command.Read;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Run by {@code NvmeSafetyIT} as an unprivileged user in the guest: opens the namespace given as the argument
 * read-only (which sends Identify) and prints {@code ok} or the exception's class and message on stdout.
 */
public final class UnprivilegedProbe {

    private UnprivilegedProbe() {
    }

    /**
     * Opens {@code args[0]} read-only and reads its first block.
     *
     * @param args the namespace's generic device
     */
    public static void main(String[] args) {
        try (NvmeNamespace ns = NvmeNamespace.openReadOnly(java.nio.file.Path.of(args[0]));
             Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(ns.lbaSize(), 4096);
            ns.execute(new Read(ns.nsid(), 0, 1, buf));
            System.out.println("ok");
        } catch (IOException | RuntimeException e) {
            System.out.println(e.getClass().getName() + ": " + e.getMessage());
        }
    }
}
