package io.github.jring.examples;

import io.github.jring.nvme.command.Identify;
import io.github.jring.nvme.data.IdentifyController;
import io.github.jring.nvme.data.IdentifyNamespace;
import io.github.jring.nvme.NvmeController;
import io.github.jring.nvme.NvmeNamespace;
import io.github.jring.nvme.NvmeQueue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * Admin commands: Identify Controller sent over io_uring to the controller's character device {@code /dev/nvmeX}
 * ({@code NVME_URING_CMD_ADMIN}), and Identify Namespace sent synchronously (the {@code NVME_IOCTL_ADMIN64_CMD}
 * ioctl) on the namespace's {@code /dev/ngXnY}. Both return 4 KiB that the device fills, decoded by jring.
 */
public final class IdentifyDevice {

    private IdentifyDevice() {
    }

    /**
     * Identify Controller over io_uring.
     *
     * @param controller the controller device, for example {@code /dev/nvme0}
     * @return the decoded data structure
     * @throws IOException if the command fails
     */
    public static IdentifyController controller(Path controller) throws IOException {
        // snippet:identify-controller
        try (NvmeController ctrl = NvmeController.open(controller);
             NvmeQueue admin = NvmeQueue.open(ctrl, 4);                // admin commands go to /dev/nvmeX
             Arena arena = Arena.ofConfined()) {
            MemorySegment data = arena.allocate(Identify.DATA_SIZE, 4096);
            admin.execute(Identify.controller().data(data));           // opcode 06h, CNS 01h
            return IdentifyController.decode(data);                    // serial, model, MDTS, ONCS ...
        }
        // end:identify-controller
    }

    /**
     * Identify Namespace through the synchronous ioctl.
     *
     * @param namespace the namespace device, for example {@code /dev/ng0n1}
     * @return the decoded data structure
     * @throws IOException if the command fails
     */
    public static IdentifyNamespace namespace(Path namespace) throws IOException {
        // snippet:identify-namespace
        try (NvmeNamespace ns = NvmeNamespace.open(namespace);
             Arena arena = Arena.ofConfined()) {
            MemorySegment data = arena.allocate(Identify.DATA_SIZE, 4096);
            ns.execute(Identify.namespace(ns.nsid()).data(data));      // ioctl(NVME_IOCTL_ADMIN64_CMD): waits
            return IdentifyNamespace.decode(data);                     // NSZE, LBA formats, FLBAS ...
        }
        // end:identify-namespace
    }

    /**
     * Runs the example.
     *
     * @param args the controller and the namespace (default {@code /dev/nvme0 /dev/ng0n1})
     * @throws IOException if it fails
     */
    public static void main(String[] args) throws IOException {
        IdentifyController c = controller(Path.of(args.length > 0 ? args[0] : "/dev/nvme0"));
        IdentifyNamespace n = namespace(Path.of(args.length > 1 ? args[1] : "/dev/ng0n1"));
        System.out.println(c.model().strip() + " serial " + c.serial().strip() + " firmware " + c.firmware().strip());
        System.out.println("namespace: " + n.nsze() + " blocks of " + n.lbaSize() + " bytes");
    }
}
