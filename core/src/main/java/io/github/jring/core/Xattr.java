package io.github.jring.core;

/**
 * The flags of {@link Sqe#prepFsetxattr} and {@link Sqe#prepSetxattr}, from {@code <linux/xattr.h>} (which the
 * bindings do not include). Without either flag, {@code setxattr} creates or replaces the attribute.
 */
public final class Xattr {

    /** {@code XATTR_CREATE}: create the attribute; fail with {@code EEXIST} if it exists. */
    public static final int XATTR_CREATE = 1;
    /** {@code XATTR_REPLACE}: replace the attribute; fail with {@code ENODATA} if it does not exist. */
    public static final int XATTR_REPLACE = 2;

    private Xattr() {
    }
}
