/**
 * The NVMe commands, one class each, built from named parameters and sent by any transport of
 * {@link io.github.jring.nvme}: the NVM command set ({@link io.github.jring.nvme.command.Read},
 * {@link io.github.jring.nvme.command.Write}, {@link io.github.jring.nvme.command.Copy} ...), admin commands
 * ({@link io.github.jring.nvme.command.Identify}, {@link io.github.jring.nvme.command.GetLogPage},
 * {@link io.github.jring.nvme.command.GetFeatures} ...), zoned namespaces ({@link io.github.jring.nvme.command.ZoneAppend},
 * {@link io.github.jring.nvme.command.ZoneManagementSend} ...) and {@link io.github.jring.nvme.command.RawCommand}
 * for anything else; {@link io.github.jring.nvme.command.NvmeCommand} is what they share.
 */
package io.github.jring.nvme.command;
