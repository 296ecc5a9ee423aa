package io.github.jring.core.internal;

import io.github.jring.bindings.Uapi;
import io.github.jring.core.NativeAccessError;

import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The check that jring may use the FFM API's restricted methods, run first by the static initialiser of each class an
 * application starts from ({@code IoUring}, {@code IoUringBuilder}, {@code Probe}, {@code AsyncRing}, the NVMe devices
 * and queues), before anything touches the bindings.
 *
 * <p>Without {@code --enable-native-access}, a JVM either warns once per module and carries on (JDK 22 to 25 by
 * default: the JDK's own warning already names the flag) or refuses with an {@code IllegalCallerException}
 * ({@code --illegal-native-access=deny}). A refusal from the first restricted call, somewhere in a static initialiser
 * of the bindings, would reach the user as an {@code ExceptionInInitializerError} deep inside generated code; this
 * check turns it into one {@link NativeAccessError} whose message says what to do.
 */
@SuppressWarnings("restricted") // the probe call below is the restricted method whose refusal this class reports
public final class NativeAccess {

    /** jring's modules, in the order a module path names them. */
    private static final List<String> MODULES = List.of("io.github.jring.bindings", "io.github.jring.core",
            "io.github.jring.nvme");

    private static volatile boolean checked;
    /**
     * The modules that lacked native access when jring first checked, before its first restricted call. Asked later,
     * the JDK would say they have it: under "warn" it grants a module access once it has warned about it.
     */
    private static volatile List<String> lackingAtFirstCheck;

    private NativeAccess() {
    }

    /**
     * Returns when jring may use restricted methods (or the JVM only warns); throws {@link NativeAccessError} when the
     * JVM denies them.
     *
     * @throws NativeAccessError if native access is denied to jring
     */
    public static void require() {
        if (checked) {
            return;
        }
        List<String> lacking = lackingNow();
        if (lackingAtFirstCheck == null) {
            lackingAtFirstCheck = lacking;
        }
        if (lacking.isEmpty()) {
            checked = true;
            return;
        }
        if (!NativeAccess.class.getModule().isNativeAccessEnabled()) {
            try {
                // The cheapest restricted method: it only builds a method handle. Under "warn" this prints the JDK's
                // warning for this module (which the first real call would print anyway) and succeeds.
                Linker.nativeLinker().downcallHandle(FunctionDescriptor.ofVoid());
            } catch (IllegalCallerException denied) {
                throw new NativeAccessError(message(lacking), denied);
            }
        } else if (deniedOnCommandLine()) {
            // core may, another of jring's modules may not, and core cannot try on its behalf: the command line says.
            throw new NativeAccessError(message(lacking), null);
        }
        checked = true;
    }

    /**
     * The flag that grants jring native access where it runs, as a sentence.
     *
     * @return "run java with --enable-native-access=..." for the class path or the module path
     */
    public static String flagAdvice() {
        boolean unnamed = !NativeAccess.class.getModule().isNamed();
        return "run java with " + (unnamed ? "--enable-native-access=ALL-UNNAMED"
                : "--enable-native-access=" + String.join(",", presentModules()));
    }

    /** What the error says: who lacks access and the flag that grants it, for the class path and the module path. */
    static String message(List<String> lacking) {
        boolean unnamed = !NativeAccess.class.getModule().isNamed();
        String flag = unnamed ? "--enable-native-access=ALL-UNNAMED" : "--enable-native-access=" + String.join(",",
                presentModules());
        return "jring needs native access (java.lang.foreign's restricted methods), which this JVM denies to "
                + String.join(", ", lacking) + ": run java with " + flag + (unnamed
                ? " (jring is on the class path; on the module path name its modules: --enable-native-access="
                        + String.join(",", MODULES) + ")"
                        + "; an executable jar can carry 'Enable-Native-Access: ALL-UNNAMED' in its manifest instead"
                : " (jring is on the module path)")
                + ".";
    }

    /** Whether the JVM was started with {@code --illegal-native-access=deny} (its command line, or JDK_JAVA_OPTIONS). */
    private static boolean deniedOnCommandLine() {
        String options = System.getenv("JDK_JAVA_OPTIONS");
        if (options != null && options.contains("--illegal-native-access=deny")) {
            return true;
        }
        try {
            byte[] cmdline = Files.readAllBytes(Path.of("/proc/self/cmdline"));
            return new String(cmdline, StandardCharsets.UTF_8).contains("--illegal-native-access=deny");
        } catch (IOException | SecurityException e) {
            return false;
        }
    }

    /**
     * jring's modules present in this JVM that were not granted native access ("ALL-UNNAMED (the class path)" on the
     * class path), as they were when jring first checked (see {@link #require()}).
     *
     * @return the modules, empty when every one has native access
     */
    public static List<String> lackingModules() {
        List<String> first = lackingAtFirstCheck;
        return first != null ? first : lackingNow();
    }

    private static List<String> lackingNow() {
        Module core = NativeAccess.class.getModule();
        if (!core.isNamed()) {
            return core.isNativeAccessEnabled() ? List.of() : List.of("ALL-UNNAMED (the class path)");
        }
        List<String> lacking = new ArrayList<>();
        for (String name : presentModules()) {
            Optional<Module> m = Optional.ofNullable(core.getLayer()).flatMap(layer -> layer.findModule(name));
            if (m.isPresent() && !m.get().isNativeAccessEnabled()) {
                lacking.add(name);
            }
        }
        return lacking;
    }

    private static List<String> presentModules() {
        Module core = NativeAccess.class.getModule();
        if (core.getLayer() == null) {
            return List.of(core.getName(), Uapi.class.getModule().getName());
        }
        return MODULES.stream().filter(n -> core.getLayer().findModule(n).isPresent()).toList();
    }
}
