package io.github.jring.bench.cli;

import io.github.jring.bench.engine.Api;
import io.github.jring.bench.engine.Rw;
import picocli.CommandLine;

/** picocli adapters for the fio-style value parsers. */
final class Converters {
    private Converters() {
    }

    static final class Size implements CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String v) {
            return wrap(() -> Sizes.parse(v));
        }
    }

    static final class Time implements CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String v) {
            return wrap(() -> Durations.parseNanos(v));
        }
    }

    static final class DepthList implements CommandLine.ITypeConverter<Depths> {
        @Override
        public Depths convert(String v) {
            return wrap(() -> Depths.parse(v));
        }
    }

    static final class RwMode implements CommandLine.ITypeConverter<Rw> {
        @Override
        public Rw convert(String v) {
            return wrap(() -> Rw.parse(v));
        }
    }

    static final class ApiName implements CommandLine.ITypeConverter<Api> {
        @Override
        public Api convert(String v) {
            return wrap(() -> Api.parse(v));
        }
    }

    private static <T> T wrap(java.util.function.Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
