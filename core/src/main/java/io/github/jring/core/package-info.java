/**
 * The io_uring ring: {@link io.github.jring.core.IoUring} (setup, submission, completion, registration), the
 * {@link io.github.jring.core.Sqe} and {@link io.github.jring.core.Cqe} flyweights over ring memory, and the errno
 * helpers {@link io.github.jring.core.Errno} and {@link io.github.jring.core.ErrnoException}.
 *
 * <p>Constants ({@code IORING_OP_*}, {@code IOSQE_*}, {@code IORING_SETUP_*}, errnos ...) come from the bindings,
 * {@code io.github.jring.bindings.Uapi}.
 */
package io.github.jring.core;
