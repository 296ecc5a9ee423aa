package io.github.jring.bench.cli;

import io.github.jring.bench.engine.FdpSpec;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --fdp and --plids as fio spells them. */
class FdpOptionsTest {

    private static FdpSpec parse(String... args) {
        FdpOptions o = new FdpOptions();
        new CommandLine(o).parseArgs(args);
        return o.spec();
    }

    @Test
    void fioSpellings() {
        assertFalse(parse().fdp());
        assertTrue(parse("--fdp").fdp());
        assertTrue(parse("--fdp=1").fdp());
        assertFalse(parse("--fdp=0").fdp());
        assertEquals(List.of(), parse("--fdp=1").plids());
        assertEquals(List.of(0, 2, 3, 4), parse("--fdp=1", "--plids=0,2-4").plids());
    }

    @Test
    void badInput() {
        assertThrows(IllegalArgumentException.class, () -> parse("--plids=1"), "--plids without --fdp");
        assertThrows(IllegalArgumentException.class, () -> parse("--fdp=1", "--plids=3-1"));
        assertThrows(IllegalArgumentException.class, () -> parse("--fdp=maybe"));
    }
}
