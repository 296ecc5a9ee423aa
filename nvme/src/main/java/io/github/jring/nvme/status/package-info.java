/**
 * How a command ended: {@link io.github.jring.nvme.status.PassthroughOutcome} (status and result dword),
 * {@link io.github.jring.nvme.status.NvmeStatus} (the status field decoded), its named codes
 * {@link io.github.jring.nvme.status.NvmeStatusCode}, and {@link io.github.jring.nvme.status.NvmeStatusException},
 * which the transports throw for a failed command.
 */
package io.github.jring.nvme.status;
