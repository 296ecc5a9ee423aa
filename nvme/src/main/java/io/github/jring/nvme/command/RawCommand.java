package io.github.jring.nvme.command;

/**
 * Any NVMe command, with every host-settable dword given directly: for commands jring has no builder for (vendor
 * specific ones, Directive Send/Receive, Format NVM ...). The kernel applies its own checks (Linux 6.2+ lets
 * unprivileged users send only known read-like I/O commands and Identify).
 */
public final class RawCommand extends NvmeCommand<RawCommand> {

    private final String name;

    private RawCommand(boolean admin, int opcode, int nsid) {
        super(admin, opcode, nsid);
        this.name = (admin ? "admin" : "I/O") + " opcode " + String.format("%02Xh", opcode);
    }

    /**
     * An I/O command.
     *
     * @param opcode the opcode
     * @param nsid   the namespace
     * @return the command
     */
    public static RawCommand io(int opcode, int nsid) {
        return new RawCommand(false, opcode, nsid);
    }

    /**
     * An admin command.
     *
     * @param opcode the opcode
     * @param nsid   the namespace, 0 when not used
     * @return the command
     */
    public static RawCommand admin(int opcode, int nsid) {
        return new RawCommand(true, opcode, nsid);
    }

    /**
     * Sets a command dword: 2, 3 or 10 to 15.
     *
     * @param index the dword's number
     * @param value its value
     * @return this command
     */
    public RawCommand cdw(int index, int value) {
        switch (index) {
            case 2 -> cdw2 = value;
            case 3 -> cdw3 = value;
            case 10 -> cdw10 = value;
            case 11 -> cdw11 = value;
            case 12 -> cdw12 = value;
            case 13 -> cdw13 = value;
            case 14 -> cdw14 = value;
            case 15 -> cdw15 = value;
            default -> throw new IllegalArgumentException("not a host-settable command dword: " + index);
        }
        return this;
    }

    /**
     * The kernel's rule (opcode bit 0, data to the controller) for I/O commands; for admin commands, also Namespace
     * Management (0Dh), Format NVM (80h) and Sanitize (84h), which destroy or remove a namespace's data. A read-only
     * namespace handle refuses these.
     *
     * @return whether a read-only handle must refuse it
     */
    @Override
    public boolean writesMedium() {
        return admin ? opcode == 0x0D || opcode == 0x80 || opcode == 0x84 : (opcode & 1) != 0;
    }

    @Override
    public String name() {
        return name;
    }
}
