package io.github.jring.bench.cli;

import io.github.jring.bench.Bench;
import io.github.jring.bench.engine.FdpSpec;
import io.github.jring.bench.engine.JobSpec;
import io.github.jring.bench.engine.PiSpec;
import io.github.jring.bench.engine.Rw;
import io.github.jring.nvme.pi.Prinfo;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** fio's protection options on jring-bench's command line, and what --vs-fio would hand fio for them. */
class PiOptionsTest {

    private static PiSpec parse(String... args) {
        BenchCommand cmd = new BenchCommand(null);
        new CommandLine(cmd).parseArgs(args);
        return cmd.piSpec();
    }

    @Test
    void defaultsAreNoProtection() {
        PiSpec pi = parse();
        assertFalse(pi.enabled());
        assertEquals(0, pi.prinfo());
    }

    @Test
    void fioSpellings() {
        PiSpec pi = parse("--pi_act=1", "--pi_chk=GUARD,REFTAG,APPTAG", "--apptag=0x4321", "--apptag_mask", "0xff00",
                "--md_per_io_size=64");
        assertTrue(pi.enabled());
        assertEquals(Prinfo.PRACT | Prinfo.CHECK_ALL, pi.prinfo());
        assertEquals(0x4321, pi.appTag());
        assertEquals(0xFF00, pi.appTagMask());
        assertEquals(64, pi.mdPerIoSize());
        assertEquals(List.of("--md_per_io_size=64", "--pi_act=1", "--pi_chk=GUARD,REFTAG,APPTAG", "--apptag=0x4321",
                "--apptag_mask=0xff00"), pi.fioArgs());
        assertEquals(Prinfo.CHECK_GUARD, parse("--pi_chk", "guard").prinfo());
        assertEquals(Prinfo.PRACT, parse("--pi_act").prinfo());
    }

    @Test
    void wrongValuesNameTheOption() {
        CommandLine.ParameterException e = assertThrows(CommandLine.ParameterException.class,
                () -> parse("--pi_chk=GUARD,CRC"));
        assertTrue(e.getMessage().contains("pi_chk"), e.getMessage());
        e = assertThrows(CommandLine.ParameterException.class, () -> parse("--apptag=0x10000"));
        assertTrue(e.getMessage().contains("--apptag"), e.getMessage());
        e = assertThrows(CommandLine.ParameterException.class, () -> parse("--pi_act=2"));
        assertTrue(e.getMessage().contains("--pi_act"), e.getMessage());
    }

    @Test
    void theOptionsTravelInTheRunsConfigurationAndEveryJobSpec() {
        BenchCommand cmd = new BenchCommand(null);
        new CommandLine(cmd).parseArgs("--filename=/dev/ng0n1", "--pi_act=1", "--pi_chk=GUARD", "--apptag=0x77",
                "--fdp", "--plids=0-1");
        Bench.Config config = cmd.config();
        assertEquals(new PiSpec(0, true, Prinfo.CHECK_GUARD, 0x77, 0xFFFF), config.pi(), "no process-wide setting");
        assertEquals(new FdpSpec(true, List.of(0, 1)), config.fdp());
        JobSpec spec = new JobSpec(Rw.RANDREAD, 50, 4096, 1, 1, 1, 1 << 20, 0, 0, 0, true, false, false, false, false,
                1, 1, false, 0).withPlacement(config.fdp()).withProtection(config.pi());
        for (JobSpec derived : List.of(spec.withIodepth(8, 8), spec.withRuntime(5), spec.withBs(512),
                spec.withTuning(false, true, true, true, 2, 2, true, false), spec.withApi(spec.api()))) {
            assertEquals(config.pi(), derived.pi(), "every derived spec keeps the protection options");
            assertEquals(config.fdp(), derived.fdp(), "and the placement");
        }
        JobSpec plain = new JobSpec(Rw.READ, 50, 4096, 1, 1, 1, 1 << 20, 0, 0, 0, true, false, false, false, false, 1,
                1, false, 0);
        assertEquals(PiSpec.NONE, plain.pi());
        assertEquals(FdpSpec.NONE, plain.fdp());
    }
}
