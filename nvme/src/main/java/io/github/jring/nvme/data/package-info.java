/**
 * Data the controller returns, decoded: Identify pages ({@link io.github.jring.nvme.data.IdentifyController},
 * {@link io.github.jring.nvme.data.IdentifyNamespace} and their zoned-namespace counterparts), log pages
 * ({@link io.github.jring.nvme.data.SmartLog}, {@link io.github.jring.nvme.data.ErrorLogEntry},
 * {@link io.github.jring.nvme.data.FirmwareSlotLog}, {@link io.github.jring.nvme.data.ChangedZoneList}) and zone
 * reports ({@link io.github.jring.nvme.data.ZoneReport} of {@link io.github.jring.nvme.data.ZoneDescriptor}s).
 */
package io.github.jring.nvme.data;
