package io.github.jring.nvme.command;

import io.github.jring.nvme.NvmeNamespace;

/**
 * Flush (NVM Command Set, opcode 00h): "commit data and metadata associated with the specified namespace(s) to
 * non-volatile media"; all writes completed before it are durable when it completes. No data. The namespace id may
 * be {@link #NSID_ALL} for all namespaces when Identify Controller VWC bits 2:1 say the controller supports it.
 * On a namespace's {@code /dev/ngXnY} the NSID must be that namespace's (the driver refuses any other, so jring says
 * so before sending it). Read-only handles ({@link NvmeNamespace#openReadOnly}) allow Flush: it makes completed
 * writes durable but changes no block's contents, and the kernel lets an unprivileged reader send it too.
 */
public final class Flush extends NvmeCommand<Flush> {

    /** Opcode 00h. */
    public static final int OPCODE = 0x00;

    /**
     * A flush of namespace {@code nsid}.
     *
     * @param nsid the namespace
     */
    public Flush(int nsid) {
        super(false, OPCODE, nsid);
    }

    @Override
    public String name() {
        return "Flush";
    }
}
