package io.github.jring.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** jring's JSON reader on output shaped like nvme-cli's and fio's, and on what RFC 8259 rejects. */
class JsonTest {

    @Test
    void readsNvmeCliShapedOutput() {
        String text = """
                {
                  "nsze":2097152,
                  "nvmcap":"0",
                  "eui64":"0000000000000000",
                  "lbafs":[
                    { "ms":0, "ds":9, "rp":0 },
                    { "ms":8, "ds":12, "rp":0 }
                  ],
                  "mar":-1,
                  "big":340282366920938463463374607431768211455
                }
                """;
        Map<String, Object> m = Json.object(Json.parse(text));

        assertEquals(List.of("nsze", "nvmcap", "eui64", "lbafs", "mar", "big"), List.copyOf(m.keySet()));
        assertEquals(2097152L, m.get("nsze"));
        assertEquals(0L, Json.longValue(m.get("nvmcap")), "128-bit fields come as strings");
        assertEquals(12L, Json.longValue(Json.at(m, "lbafs", 1, "ds")));
        assertEquals(-1L, m.get("mar"));
        assertEquals(BigInteger.TWO.pow(128).subtract(BigInteger.ONE), m.get("big"));
    }

    @Test
    void readsFioShapedNumbersStringsAndLiterals() {
        Object v = Json.parse("{\"jobs\":[{\"read\":{\"iops\":10582.47,\"bw_mean\":4.2e4},"
                + "\"name\":\"a\\\"b\\\\c\\u00e9\\n\",\"ok\":true,\"no\":false,\"none\":null,\"e\":[],\"o\":{}}]}");

        Map<String, Object> job = Json.object(Json.at(v, "jobs", 0));
        assertEquals(10582.47, Json.at(job, "read", "iops"));
        assertEquals(42000.0, Json.doubleValue(Json.at(job, "read", "bw_mean")));
        assertEquals("a\"b\\c\u00e9\n", job.get("name"));
        assertEquals(Boolean.TRUE, job.get("ok"));
        assertEquals(Boolean.FALSE, job.get("no"));
        assertTrue(job.containsKey("none"));
        assertNull(job.get("none"));
        assertEquals(List.of(), job.get("e"));
        assertEquals(Map.of(), job.get("o"));
    }

    @Test
    void malformedInputIsRejectedWithItsOffset() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\":1,}"));
        assertTrue(e.getMessage().contains("offset 7"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Json.parse("[1 2]"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\":1} x"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("\"open"));
        assertThrows(IllegalArgumentException.class, () -> Json.longValue(Json.parse("1.5")));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("\"a\nb\""), "a raw control character");
        assertThrows(IllegalArgumentException.class, () -> Json.parse("01"), "a leading zero");
        assertThrows(IllegalArgumentException.class, () -> Json.parse("1."), "a point without digits");
        assertThrows(IllegalArgumentException.class, () -> Json.parse("1-2"));
    }

    @Test
    void readsNumbersAndEscapesAsJsonDefinesThem() {
        assertEquals(-12L, Json.parse("-12"));
        assertEquals(1.0e3, Json.parse("1e3"));
        assertEquals(0.25, Json.parse("0.25"));
        assertEquals(2L, Json.longValue(Json.parse("2.0")));
        assertEquals("\u00e9\n", Json.parse("\"\\u00e9\\n\""));
        assertEquals(List.of(), Json.parse(" [ ] "));
        assertEquals(Map.of("iodepth", "2", "bs", "4k"), Json.parse("{\"iodepth\":\"4\",\"bs\":\"4k\",\"iodepth\":\"2\"}"),
                "of a repeated key (fio's options given twice) the last counts");
    }

    @Test
    void aMissingPathStepIsNullAndItsNumberZero() {
        Object v = Json.parse("{\"a\":{\"b\":[1,2.5]},\"s\":\"x\"}");
        assertEquals(2.5, Json.at(v, "a", "b", 1));
        assertNull(Json.at(v, "missing"));
        assertNull(Json.at(v, "a", "b", 2), "index out of range");
        assertNull(Json.at(v, "s", "deeper"), "a step into a string");
        assertEquals(0.0, Json.number(v, "a", "missing"));
        assertEquals(1.0, Json.number(v, "a", "b", 0));
    }

    /** fio prints notes before its JSON on stdout; parseFirstObject skips to the object. */
    @Test
    void findsTheFirstObjectAfterNotes() {
        String out = "note: both iodepth >= 1 and synchronous I/O engine are selected\n{ \"fio version\" : \"fio-3.33\" }\n";
        assertEquals(Map.of("fio version", "fio-3.33"), Json.parseFirstObject(out));
        assertThrows(IllegalArgumentException.class, () -> Json.parseFirstObject("no object"));
    }
}
