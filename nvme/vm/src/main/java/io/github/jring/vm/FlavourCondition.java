package io.github.jring.vm;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Skips, loudly and with the reason, a test whose {@link RequiresFlavour} the running VM does not meet.
 *
 * <p>The flavour is the guest's {@code JRING_VM_FLAVOUR} (the harness exports it into every command it runs; "6.1"
 * where it is unset, the first flavour). A skip is printed to stderr as well as reported, so that a suite run in the
 * wrong flavour shows what it left out.
 */
public final class FlavourCondition implements ExecutionCondition {

    /** The flavour of the VM this JVM runs in: {@code JRING_VM_FLAVOUR}, else "6.1". */
    public static String currentFlavour() {
        String f = System.getenv("JRING_VM_FLAVOUR");
        return f == null || f.isBlank() ? "6.1" : f;
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        Optional<RequiresFlavour> needs = AnnotationSupport.findAnnotation(context.getElement(), RequiresFlavour.class);
        if (needs.isEmpty()) {
            return ConditionEvaluationResult.enabled("no flavour required");
        }
        String flavour = currentFlavour();
        RequiresFlavour r = needs.get();
        if (Arrays.stream(r.value()).noneMatch(flavour::equals)) {
            return skip(context, "needs VM flavour " + String.join(" or ", r.value()) + " (jring-vm run --flavour "
                    + r.value()[0] + ", or JRING_VM_FLAVOUR), this VM is flavour " + flavour);
        }
        for (String dev : r.devices()) {
            if (!Files.exists(Path.of(dev))) {
                return skip(context, "needs " + dev + ", which this VM (flavour " + flavour + ") does not have");
            }
        }
        return ConditionEvaluationResult.enabled("VM flavour " + flavour + " has what the test needs");
    }

    private static ConditionEvaluationResult skip(ExtensionContext context, String why) {
        System.err.println("SKIPPED " + context.getDisplayName() + ": " + why);
        return ConditionEvaluationResult.disabled(why);
    }
}
