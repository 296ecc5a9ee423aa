package io.github.jring.bench.report;

import io.github.jring.bench.engine.Api;
import io.github.jring.bench.engine.IoStats;
import io.github.jring.bench.engine.JobSpec;
import io.github.jring.bench.fio.FioResult;
import io.github.jring.bench.run.JobFigures;
import io.github.jring.bench.run.Repeats;
import io.github.jring.bench.run.RunResult;
import org.HdrHistogram.Histogram;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * fio's {@code --output-format=json} shape, so fio tooling can read it: a {@code "fio version"} header, then
 * {@code jobs[]}, one per run (engine at an iodepth, jobs group-reported), each with {@code jobname},
 * {@code read}/{@code write} objects ({@code iops}, {@code bw} in KiB/s, {@code bw_bytes}, {@code io_bytes},
 * {@code runtime} in ms, {@code total_ios}, {@code clat_ns}/{@code lat_ns} with fio's {@code percentile} keys),
 * {@code usr_cpu}, {@code sys_cpu}, {@code ctx}, {@code majf}, {@code minf}. Extra jring facts (engine, requested and
 * effective iodepth, the API driven, CPU and heap bytes allocated per I/O, fio comparison) sit under {@code "jring"};
 * fio readers ignore them.
 *
 * <p>Latency is measured from just before an I/O is issued to its completion, so {@code clat_ns} and {@code lat_ns}
 * carry the same figures and {@code slat_ns} is zero.
 */
public final class JsonReport {
    private JsonReport() {
    }

    public static Map<String, Object> build(List<RunResult> runs, String version, Map<String, Object> globalOptions) {
        Map<String, Object> root = new LinkedHashMap<>();
        ZonedDateTime now = ZonedDateTime.now();
        root.put("fio version", "jring-bench-" + version);
        root.put("timestamp", now.toEpochSecond());
        root.put("timestamp_ms", now.toInstant().toEpochMilli());
        root.put("time", now.format(DateTimeFormatter.ofPattern("EEE MMM d HH:mm:ss yyyy", Locale.ROOT)));
        root.put("global options", globalOptions);
        List<Object> jobs = new ArrayList<>();
        int group = 0;
        for (RunResult r : runs) jobs.add(job(r, group++));
        root.put("jobs", jobs);
        return root;
    }

    private static Map<String, Object> job(RunResult r, int group) {
        JobSpec s = r.spec();
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("jobname", r.jobName());
        j.put("groupid", group);
        j.put("error", r.failed() ? 5 : 0);
        j.put("eta", 0);
        j.put("elapsed", Math.round(r.wallNanos() / 1e9));
        Map<String, Object> opts = new LinkedHashMap<>();
        opts.put("ioengine", r.engine());
        if (r.api() != Api.RAW) opts.put("api", r.api().label());
        opts.put("filename", String.valueOf(r.target().path()));
        opts.put("rw", s.rw().fioName());
        if (s.rw().mixed()) opts.put("rwmixread", String.valueOf(s.rwmixread()));
        opts.put("bs", String.valueOf(s.bs()));
        opts.put("iodepth", String.valueOf(s.iodepth()));
        opts.put("numjobs", String.valueOf(s.numjobs()));
        opts.put("size", String.valueOf(s.size()));
        opts.put("direct", s.direct() ? "1" : "0");
        j.put("job options", opts);
        j.put("read", direction(r, r.read()));
        j.put("write", direction(r, r.write()));
        j.put("job_runtime", Math.round(r.runtimeNanos() / 1e6));
        j.put("usr_cpu", r.usrCpuPercent());
        j.put("sys_cpu", r.sysCpuPercent());
        j.put("ctx", r.jobCpu().contextSwitches());
        j.put("majf", r.jobCpu().majorFaults());
        j.put("minf", r.jobCpu().minorFaults());
        Map<String, Object> jring = new LinkedHashMap<>();
        jring.put("engine", r.engine());
        jring.put("api", r.api().label());
        jring.put("synchronous", r.synchronous());
        jring.put("iodepth_requested", s.requestedIodepth());
        jring.put("iodepth", s.iodepth());
        jring.put("target", r.target().describe());
        jring.put("cpu_usec_per_io", r.jobCpuMicrosPerIo());
        jring.put("process_cpu_usec_per_io", r.processCpuMicrosPerIo());
        jring.put("all_ios_including_ramp", r.allIos());
        jring.put("alloc_bytes_per_io", r.allocatedBytesPerIo());
        jring.put("process_alloc_bytes_per_io", r.processAllocatedBytesPerIo());
        if (r.failed()) jring.put("error", r.error());
        if (r.interrupted()) jring.put("interrupted", true);
        if (r.cache() != null) {
            Map<String, Object> cache = new LinkedHashMap<>();
            cache.put("policy", r.cache().policy().label());
            // NaN (not read, or no fio run) is left out rather than written as a number
            if (!Double.isNaN(r.cache().residentBeforeJring())) cache.put("resident_before_jring", r.cache().residentBeforeJring());
            if (!Double.isNaN(r.cache().residentBeforeFio())) cache.put("resident_before_fio", r.cache().residentBeforeFio());
            jring.put("page_cache", cache);
        }
        if (!r.perJob().isEmpty()) {
            List<Object> perJob = new ArrayList<>();
            for (JobFigures f : r.perJob()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("job", f.job());
                m.put("filename", String.valueOf(f.target()));
                m.put("cpu", f.cpu());
                m.put("iops", f.iops(r.runtimeNanos()));
                m.put("total_ios", f.ios());
                m.put("cpu_usec_per_io", f.cpuMicrosPerIo());
                perJob.add(m);
            }
            jring.put("per_job", perJob);
        }
        if (r.repeats() != null) jring.put("repeats", repeats(r.repeats()));
        if (r.fio() != null) jring.put("fio", fio(r, r.fio()));
        else if (r.fioNote() != null) jring.put("fio_note", r.fioNote());
        j.put("jring", jring);
        return j;
    }

    private static Map<String, Object> direction(RunResult r, IoStats st) {
        Map<String, Object> d = new LinkedHashMap<>();
        double bps = r.bytesPerSecond(st);
        d.put("io_bytes", st.bytes());
        d.put("io_kbytes", st.bytes() / 1024);
        d.put("bw_bytes", Math.round(bps));
        d.put("bw", Math.round(bps / 1024));
        d.put("iops", r.iops(st));
        d.put("runtime", st.ios() > 0 ? Math.round(r.runtimeNanos() / 1e6) : 0);
        d.put("total_ios", st.ios());
        d.put("short_ios", 0);
        d.put("drop_ios", 0);
        Map<String, Object> slat = new LinkedHashMap<>();
        slat.put("min", 0);
        slat.put("max", 0);
        slat.put("mean", 0.0);
        slat.put("stddev", 0.0);
        slat.put("N", 0);
        d.put("slat_ns", slat);
        d.put("clat_ns", latency(st, true));
        d.put("lat_ns", latency(st, true));
        return d;
    }

    private static Map<String, Object> latency(IoStats st, boolean percentiles) {
        Histogram h = st.latency();
        Map<String, Object> m = new LinkedHashMap<>();
        boolean any = st.ios() > 0;
        m.put("min", any ? h.getMinValue() : 0);
        m.put("max", any ? h.getMaxValue() : 0);
        m.put("mean", any ? h.getMean() : 0.0);
        m.put("stddev", any ? h.getStdDeviation() : 0.0);
        m.put("N", st.ios());
        if (percentiles && any) {
            m.put("percentile", new LinkedHashMap<String, Object>(Percentiles.fioMap(h)));
        }
        return m;
    }

    private static Map<String, Object> repeats(Repeats rep) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("n", rep.n());
        m.put("reported_pass", rep.medianPass());
        m.put("jring_iops", new ArrayList<Object>(rep.jringIops()));
        m.put("jring_iops_median", rep.jringMedian());
        if (rep.hasFio()) {
            m.put("fio_iops", new ArrayList<Object>(rep.fioIops()));
            m.put("fio_iops_median", rep.fioMedian());
            List<Object> ratios = new ArrayList<>();
            for (double v : rep.ratios()) ratios.add(v);
            m.put("ratios", ratios);
            m.put("ratio_median", rep.ratioMedian());
            m.put("ratio_min", rep.ratioMin());
            m.put("ratio_max", rep.ratioMax());
        }
        return m;
    }

    private static Map<String, Object> fio(RunResult r, FioResult f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", f.version());
        m.put("ioengine", f.ioengine());
        m.put("command", String.join(" ", f.command()));
        m.put("read_iops", f.read().iops());
        m.put("write_iops", f.write().iops());
        m.put("usr_cpu", f.usrCpu());
        m.put("sys_cpu", f.sysCpu());
        m.put("iops_ratio", f.totalIops() > 0 ? r.totalIops() / f.totalIops() : 0.0);
        return m;
    }
}
