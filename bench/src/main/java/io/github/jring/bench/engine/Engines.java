package io.github.jring.bench.engine;

import io.github.jring.bench.target.Target;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * The engines on the class path: every {@link Engine} listed in a {@code META-INF/services/io.github.jring.bench.engine.Engine}
 * file, ordered by {@link Engine#order()}. Names are unique (a duplicate is an error naming both classes).
 */
public final class Engines {
    private static volatile List<Engine> all;

    private Engines() {
    }

    /** All registered engines, in display order. */
    public static List<Engine> all() {
        List<Engine> engines = all;
        if (engines == null) {
            engines = load();
            all = engines;
        }
        return engines;
    }

    private static List<Engine> load() {
        Map<String, Engine> byName = new HashMap<>();
        List<Engine> list = new ArrayList<>();
        for (Engine e : ServiceLoader.load(Engine.class, Engines.class.getClassLoader())) {
            Engine previous = byName.putIfAbsent(e.name(), e);
            if (previous != null) {
                throw new IllegalStateException("two engines are named '" + e.name() + "': "
                        + previous.getClass().getName() + " and " + e.getClass().getName());
            }
            list.add(e);
        }
        list.sort(Comparator.comparingInt(Engine::order).thenComparing(Engine::name));
        return List.copyOf(list);
    }

    /** The engine named {@code name}; throws naming the known engines when there is none. */
    public static Engine byName(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (Engine e : all()) {
            if (e.name().equals(n)) return e;
        }
        throw new IllegalArgumentException("unknown engine '" + name + "' (known: " + names() + ")");
    }

    /** The engines a run without {@code --engine} uses on this target. */
    public static List<Engine> defaultsFor(Target target) {
        return all().stream().filter(e -> e.inDefaultSet(target)).toList();
    }

    /** The registered engine names, comma-separated. */
    public static String names() {
        return all().stream().map(Engine::name).collect(Collectors.joining(", "));
    }
}
