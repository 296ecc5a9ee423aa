/**
 * End-to-end data protection (NVM Command Set "Protection Information"): the PRINFO bits
 * ({@link io.github.jring.nvme.pi.Prinfo}), the protection types and guard formats
 * ({@link io.github.jring.nvme.pi.PiType}, {@link io.github.jring.nvme.pi.GuardFormat}), the guards' CRCs
 * ({@link io.github.jring.nvme.pi.Crc16T10Dif}, {@link io.github.jring.nvme.pi.Crc32c},
 * {@link io.github.jring.nvme.pi.Crc64Nvme}), one tuple's fields
 * ({@link io.github.jring.nvme.pi.PiTuple}) and a namespace's layout of them with the host's generate and verify
 * ({@link io.github.jring.nvme.pi.PiLayout}).
 */
package io.github.jring.nvme.pi;
