package io.github.jring.bench.report;

import io.github.jring.bench.fio.FioResult;
import io.github.jring.core.internal.Json;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The report's JSON writer, read back by jring's JSON reader, and fio's output as the benchmark reads it. */
class JsonWriterTest {

    @Test
    void parsesWhatItWritesAndKeepsKeyOrder() {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("fio version", "x");
        m.put("n", 12345678901L);
        m.put("d", 1.5);
        m.put("s", "a \"quoted\"\\ line\nnext\t\u0001");
        m.put("l", List.of(1L, true, Map.of("k", "v")));
        m.put("z", null);
        Object back = Json.parse(JsonWriter.write(m));
        assertEquals(m, back);
        assertEquals(List.of("fio version", "n", "d", "s", "l", "z"), List.copyOf(((Map<?, ?>) back).keySet()));
    }

    /** fio prints notes before its JSON on stdout; the parser skips to the object. */
    @Test
    void readsFiosOutputAfterItsNotes() {
        String out = """
                note: both iodepth >= 1 and synchronous I/O engine are selected, queue depth will be capped at 1
                {
                  "fio version" : "fio-3.33",
                  "jobs" : [
                    {
                      "jobname" : "jring-vs-fio",
                      "read" : {
                        "io_bytes" : 40960, "bw_bytes" : 2048000, "iops" : 500.5, "runtime" : 20, "total_ios" : 10,
                        "clat_ns" : { "mean" : 9.0, "percentile" : { "50.000000" : 100, "99.000000" : 900 } },
                        "lat_ns" : { "mean" : 1000.5, "percentile" : { "50.000000" : 1024, "99.000000" : 2048 } }
                      },
                      "write" : { "io_bytes" : 0, "iops" : 0.0, "total_ios" : 0, "lat_ns" : { "mean" : 0.0 } },
                      "usr_cpu" : 1.25, "sys_cpu" : 10.5
                    }
                  ]
                }
                """;
        FioResult f = FioResult.parse(out, "psync", List.of("fio"));
        assertEquals("fio-3.33", f.version());
        assertEquals(500.5, f.read().iops());
        assertEquals(40960, f.read().ioBytes());
        assertEquals(10, f.read().totalIos());
        assertEquals(1024, f.read().percentile("50.000000"), "lat_ns percentiles preferred over clat_ns");
        assertEquals(-1, f.read().percentile("99.900000"));
        assertEquals(0, f.write().totalIos());
        assertEquals(11.75, f.usrCpu() + f.sysCpu(), 1e-9);
        assertTrue(f.totalIops() > 500);
    }
}
