package io.github.jring.bench.report;

import io.github.jring.bench.engine.IoStats;
import io.github.jring.bench.run.Repeats;
import io.github.jring.bench.run.RunResult;
import org.HdrHistogram.Histogram;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** One header line, then one line per run; latencies in microseconds, bandwidth in KiB/s as fio's {@code bw}. */
public final class CsvReport {
    private static final String[] DIR_COLUMNS = {"ios", "bytes", "iops", "bw_kib", "lat_mean_us", "lat_p50_us",
        "lat_p90_us", "lat_p99_us", "lat_p99.9_us", "lat_p99.99_us"};

    private CsvReport() {
    }

    public static List<String> header() {
        List<String> h = new ArrayList<>(List.of("jobname", "engine", "api", "rw", "rwmixread", "bs", "iodepth",
                "iodepth_requested", "numjobs", "runtime_ms"));
        for (String dir : new String[]{"read", "write"}) {
            for (String c : DIR_COLUMNS) h.add(dir + "_" + c);
        }
        h.addAll(List.of("usr_cpu", "sys_cpu", "cpu_us_per_io", "process_cpu_us_per_io", "alloc_bytes_per_io",
                "process_alloc_bytes_per_io", "fio_iops", "jring_fio_ratio", "cache_policy", "cache_resident_before_jring",
                "cache_resident_before_fio", "repeat", "jring_iops_median", "fio_iops_median", "ratio_median", "ratio_min",
                "ratio_max", "per_job_iops", "per_job_cpu_us_per_io", "error"));
        return h;
    }

    public static void write(PrintStream out, List<RunResult> runs) {
        out.println(String.join(",", header()));
        for (RunResult r : runs) {
            List<String> c = new ArrayList<>();
            c.add(r.jobName());
            c.add(r.engine());
            c.add(r.api().label());
            c.add(r.spec().rw().fioName());
            c.add(String.valueOf(r.spec().readPercent()));
            c.add(String.valueOf(r.spec().bs()));
            c.add(String.valueOf(r.spec().iodepth()));
            c.add(String.valueOf(r.spec().requestedIodepth()));
            c.add(String.valueOf(r.spec().numjobs()));
            c.add(String.valueOf(Math.round(r.runtimeNanos() / 1e6)));
            direction(c, r, r.read());
            direction(c, r, r.write());
            c.add(num(r.usrCpuPercent()));
            c.add(num(r.sysCpuPercent()));
            c.add(num(r.jobCpuMicrosPerIo()));
            c.add(num(r.processCpuMicrosPerIo()));
            c.add(num(r.allocatedBytesPerIo()));
            c.add(num(r.processAllocatedBytesPerIo()));
            c.add(r.fio() == null ? "" : num(r.fio().totalIops()));
            c.add(r.fio() == null || r.fio().totalIops() == 0 ? "" : num(r.totalIops() / r.fio().totalIops()));
            c.add(r.cache() == null ? "" : r.cache().policy().label());
            c.add(r.cache() == null ? "" : num(r.cache().residentBeforeJring()));
            c.add(r.cache() == null ? "" : num(r.cache().residentBeforeFio()));
            Repeats rep = r.repeats();
            boolean ratios = rep != null && rep.hasFio();
            c.add(rep == null ? "1" : String.valueOf(rep.n()));
            c.add(rep == null ? "" : num(rep.jringMedian()));
            c.add(ratios ? num(rep.fioMedian()) : "");
            c.add(ratios ? num(rep.ratioMedian()) : "");
            c.add(ratios ? num(rep.ratioMin()) : "");
            c.add(ratios ? num(rep.ratioMax()) : "");
            c.add(r.perJob().stream().map(j -> num(j.iops(r.runtimeNanos()))).collect(Collectors.joining(";")));
            c.add(r.perJob().stream().map(j -> num(j.cpuMicrosPerIo())).collect(Collectors.joining(";")));
            c.add(r.error() == null ? "" : quote(r.error()));
            out.println(String.join(",", c));
        }
    }

    private static void direction(List<String> c, RunResult r, IoStats st) {
        Histogram h = st.latency();
        boolean any = st.ios() > 0;
        c.add(String.valueOf(st.ios()));
        c.add(String.valueOf(st.bytes()));
        c.add(num(r.iops(st)));
        c.add(String.valueOf(Math.round(r.bytesPerSecond(st) / 1024)));
        c.add(any ? num(h.getMean() / 1e3) : "");
        for (double p : Percentiles.SHOWN) c.add(any ? num(h.getValueAtPercentile(p) / 1e3) : "");
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    private static String quote(String s) {
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }
}
