package io.github.jring.vm;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Says which VM flavour (nvme/vm/README.md, "Flavours") a VM test class or method needs, and which device nodes.
 *
 * <p>Where the running VM is another flavour, or a named device node is missing, {@link FlavourCondition} reports the
 * test as skipped with the reason (and says so on stderr), never as passed. Example:
 *
 * {@snippet :
 * @RequiresFlavour(value = "6.12", devices = {Flavour612.FDP_NS_CHAR})
 * class FdpIT { ... }
 * }
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ExtendWith(FlavourCondition.class)
public @interface RequiresFlavour {

    /**
     * The flavours the test can run in, e.g. {@code "6.12"}.
     *
     * @return the flavour names ({@code jring-vm run --flavour NAME})
     */
    String[] value();

    /**
     * Device nodes the test needs, e.g. {@code "/dev/ng1n1"}.
     *
     * @return absolute paths; empty for none beyond the flavour's
     */
    String[] devices() default {};
}
