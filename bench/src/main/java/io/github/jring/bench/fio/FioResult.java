package io.github.jring.bench.fio;

import io.github.jring.core.internal.Json;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The part of fio's JSON output that jring-bench compares: per direction IOPS, bandwidth, bytes and latency
 * percentiles, and the job's CPU use.
 *
 * @param version     fio's {@code "fio version"}
 * @param ioengine    the engine fio ran
 * @param command     the command line, for the report
 * @param read        reads
 * @param write       writes
 * @param usrCpu      fio's {@code usr_cpu} (percent)
 * @param sysCpu      fio's {@code sys_cpu} (percent)
 */
public record FioResult(String version, String ioengine, List<String> command, Direction read, Direction write,
                        double usrCpu, double sysCpu) {

    /**
     * One direction of fio's job.
     *
     * @param iops          {@code iops}
     * @param bwBytes       {@code bw_bytes} (bytes/s)
     * @param ioBytes       {@code io_bytes}
     * @param totalIos      {@code total_ios}
     * @param runtimeMs     {@code runtime}
     * @param meanLatNs     mean of {@code lat_ns} (submission to completion)
     * @param percentilesNs latency percentiles in ns by fio's key ("50.000000"): {@code lat_ns} when fio ran with
     *                      {@code lat_percentiles=1}, else {@code clat_ns}
     */
    public record Direction(double iops, double bwBytes, long ioBytes, long totalIos, long runtimeMs,
                            double meanLatNs, Map<String, Long> percentilesNs) {

        /** The percentile for a fio key such as {@code "99.000000"}, or -1. */
        public long percentile(String key) {
            Long v = percentilesNs.get(key);
            return v == null ? -1 : v;
        }
    }

    /** Reads fio's JSON (the first job; jring-bench runs fio with group_reporting). */
    public static FioResult parse(String json, String ioengine, List<String> command) {
        Map<String, Object> root = Json.parseFirstObject(json);
        Object jobs = root.get("jobs");
        if (!(jobs instanceof List<?> list) || list.isEmpty()) {
            throw new IllegalArgumentException("fio's JSON has no jobs");
        }
        Object job = list.get(0);
        Object version = root.get("fio version");
        return new FioResult(version == null ? "fio" : version.toString(), ioengine, List.copyOf(command),
                direction(job, "read"), direction(job, "write"), Json.number(job, "usr_cpu"), Json.number(job, "sys_cpu"));
    }

    private static Direction direction(Object job, String dir) {
        Map<String, Long> pct = new LinkedHashMap<>();
        Object p = Json.at(job, dir, "lat_ns", "percentile");
        if (!(p instanceof Map<?, ?>)) p = Json.at(job, dir, "clat_ns", "percentile");
        if (p instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (e.getValue() instanceof Number n) pct.put(e.getKey().toString(), n.longValue());
            }
        }
        return new Direction(Json.number(job, dir, "iops"), Json.number(job, dir, "bw_bytes"),
                (long) Json.number(job, dir, "io_bytes"), (long) Json.number(job, dir, "total_ios"),
                (long) Json.number(job, dir, "runtime"), Json.number(job, dir, "lat_ns", "mean"), pct);
    }

    /** Read plus write IOPS. */
    public double totalIops() {
        return read.iops() + write.iops();
    }
}
