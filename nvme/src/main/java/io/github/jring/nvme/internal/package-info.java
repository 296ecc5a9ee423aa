/**
 * What nvme's packages share beyond its public API: the commands' encoding for the transports
 * ({@link io.github.jring.nvme.internal.CommandAccess}) and little-endian field readers
 * ({@link io.github.jring.nvme.internal.Decode}). Not exported.
 */
package io.github.jring.nvme.internal;
