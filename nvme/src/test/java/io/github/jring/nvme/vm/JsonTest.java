package io.github.jring.nvme.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The JSON reader GuestTools uses, on output shaped like nvme-cli's and fio's. */
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
        assertEquals(new BigDecimal("10582.47"), Json.at(job, "read", "iops"));
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
        assertThrows(IllegalArgumentException.class, () -> Json.at(Json.parse("{}"), "missing"));
        assertThrows(IllegalArgumentException.class, () -> Json.longValue(Json.parse("1.5")));
    }
}
