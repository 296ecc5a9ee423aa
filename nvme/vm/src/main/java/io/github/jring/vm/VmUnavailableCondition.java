package io.github.jring.vm;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Reports every test as skipped, with the reason, when the NVMe VM cannot run on this machine.
 *
 * <p>{@code nvme/vm/bin/java} (failsafe's forked "java" for the {@code *IT} classes) switches this on where
 * {@code jring-vm check} says the VM is unavailable: it runs the fork on the host with
 * {@code -Djring.vm.unavailable=<reason>} and {@code -Djunit.jupiter.extensions.autodetection.enabled=true}, and this
 * class is registered for auto-detection in {@code META-INF/services}. The suite then shows up in the build as
 * "Skipped: N" with the reason in each report, never as passed. Without that system property it enables everything,
 * so it changes nothing in any other run.
 */
public final class VmUnavailableCondition implements ExecutionCondition {

    /** The system property that carries the reason the VM is unavailable. */
    public static final String PROPERTY = "jring.vm.unavailable";

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        String reason = System.getProperty(PROPERTY);
        if (reason == null) {
            return ConditionEvaluationResult.enabled("the NVMe VM is available");
        }
        return ConditionEvaluationResult.disabled("NVMe VM unavailable, test not run: " + reason);
    }
}
