package io.github.jring.bench.report;

import io.github.jring.bench.engine.Api;
import io.github.jring.bench.engine.IoStats;
import io.github.jring.bench.engine.JobSpec;
import io.github.jring.bench.fio.FioResult;
import io.github.jring.bench.run.CacheState;
import io.github.jring.bench.run.JobFigures;
import io.github.jring.bench.run.Repeats;
import io.github.jring.bench.run.RunResult;
import org.HdrHistogram.Histogram;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** fio-like text: one block per run, then, for a sweep, the table of Kiops with rows QD and columns engines. */
public final class TextReport {
    private TextReport() {
    }

    /** The run's block: options, IOPS and bandwidth, latency and its percentiles, CPU; and fio's figures beside. */
    public static void run(PrintStream out, RunResult r) {
        JobSpec s = r.spec();
        StringBuilder head = new StringBuilder(r.jobName()).append(": rw=").append(s.rw().fioName());
        if (s.rw().mixed()) head.append(", rwmixread=").append(s.rwmixread());
        head.append(", bs=").append(Units.size(s.bs())).append(", ioengine=").append(r.engine());
        if (s.api() != Api.RAW) head.append(", api=").append(s.api().label());
        head.append(", iodepth=").append(s.iodepth());
        if (s.iodepth() != s.requestedIodepth()) {
            head.append(" (asked ").append(s.requestedIodepth()).append("; ").append(r.engine()).append(" is synchronous)");
        }
        head.append(", numjobs=").append(s.numjobs());
        out.println(head);
        if (r.failed()) {
            out.println("  error: " + r.error());
        }
        if (r.interrupted()) {
            out.println("  (interrupted: figures cover the part that ran)");
        }
        if (r.read().ios() > 0 || (!r.failed() && s.reads())) direction(out, "read", r, r.read());
        if (r.write().ios() > 0 || (!r.failed() && s.writes())) direction(out, "write", r, r.write());
        if (r.allIos() > 0) {
            out.printf(Locale.ROOT, "  cpu          : usr=%.2f%%, sys=%.2f%%, ctx=%d, majf=%d, minf=%d%n",
                    r.usrCpuPercent(), r.sysCpuPercent(), r.jobCpu().contextSwitches(), r.jobCpu().majorFaults(),
                    r.jobCpu().minorFaults());
            out.printf(Locale.ROOT, "  per I/O      : cpu %.2f usec in the job thread%s, %.2f usec for the whole process;"
                    + " %.1f bytes allocated in the job thread%s, %.1f by all threads%n", r.jobCpuMicrosPerIo(),
                    s.numjobs() > 1 ? "s" : "", r.processCpuMicrosPerIo(), r.allocatedBytesPerIo(),
                    s.numjobs() > 1 ? "s" : "", r.processAllocatedBytesPerIo());
        }
        for (JobFigures j : r.perJob()) {
            out.printf(Locale.ROOT, "  job %-8s : %s IOPS (%.0f%% of the total), cpu %.2f usec per I/O, %s%s%n", j.job(),
                    Units.count(j.iops(r.runtimeNanos())), r.totalIops() > 0 ? j.iops(r.runtimeNanos()) * 100 / r.totalIops() : 0,
                    j.cpuMicrosPerIo(), j.target(), j.cpu() >= 0 ? ", on cpu " + j.cpu() : "");
        }
        if (r.cache() != null) {
            out.println("  page cache   : " + r.cache().policy().label() + ", resident before jring "
                    + CacheState.percent(r.cache().residentBeforeJring()) + ", before fio "
                    + CacheState.percent(r.cache().residentBeforeFio()));
        }
        if (r.repeats() != null) {
            Repeats rep = r.repeats();
            StringBuilder sb = new StringBuilder("  repeats      : ").append(rep.n()).append(" passes")
                    .append(rep.hasFio() ? " (jring, fio interleaved)" : "").append(", jring Kiops");
            for (double v : rep.jringIops()) sb.append(' ').append(kiops(v));
            if (rep.hasFio()) {
                sb.append("; fio Kiops");
                for (double v : rep.fioIops()) sb.append(' ').append(kiops(v));
                sb.append("; jring/fio median ").append(rep.ratioText());
            }
            sb.append("; median jring ").append(kiops(rep.jringMedian())).append(" Kiops; this block is pass ")
                    .append(rep.medianPass() + 1);
            out.println(sb);
        }
        if (r.fio() != null) {
            vsFio(out, r, r.fio());
        } else if (r.fioNote() != null) {
            out.println("  vs fio       : " + r.fioNote());
        }
    }

    private static void direction(PrintStream out, String name, RunResult r, IoStats st) {
        double bps = r.bytesPerSecond(st);
        out.printf(Locale.ROOT, "  %s: IOPS=%s, BW=%s(%s/%dmsec)%n", name, Units.count(r.iops(st)),
                Units.bandwidth(bps), Units.compactBytes(st.bytes()), Math.round(r.runtimeNanos() / 1e6));
        Histogram h = st.latency();
        if (st.ios() == 0) return;
        out.printf(Locale.ROOT, "    lat (usec): min=%s, max=%s, avg=%.2f, stdev=%.2f%n", usec(h.getMinValue()),
                usec(h.getMaxValue()), h.getMean() / 1e3, h.getStdDeviation() / 1e3);
        StringBuilder sb = new StringBuilder("    lat percentiles (usec):");
        String sep = " ";
        for (double p : Percentiles.SHOWN) {
            sb.append(sep).append(Percentiles.label(p)).append("=").append(usec(h.getValueAtPercentile(p)));
            sep = ", ";
        }
        out.println(sb);
    }

    private static void vsFio(PrintStream out, RunResult r, FioResult f) {
        out.println("  vs " + f.version() + " (ioengine=" + f.ioengine() + ", same options):");
        TextTable t = new TextTable("", "jring", "fio", "jring/fio");
        addDirection(t, "read", r, r.read(), f.read());
        addDirection(t, "write", r, r.write(), f.write());
        double jc = r.usrCpuPercent() + r.sysCpuPercent();
        double fc = f.usrCpu() + f.sysCpu();
        t.row("cpu usr+sys", String.format(Locale.ROOT, "%.1f%%", jc), String.format(Locale.ROOT, "%.1f%%", fc), ratio(jc, fc));
        t.print(out, "    ");
    }

    private static void addDirection(TextTable t, String name, RunResult r, IoStats st, FioResult.Direction fd) {
        if (st.ios() == 0 && fd.totalIos() == 0) return;
        t.row(name + " IOPS", Units.count(r.iops(st)), Units.count(fd.iops()), ratio(r.iops(st), fd.iops()));
        t.row(name + " BW", Units.binaryRate(r.bytesPerSecond(st)), Units.binaryRate(fd.bwBytes()),
                ratio(r.bytesPerSecond(st), fd.bwBytes()));
        for (double p : new double[]{50, 99, 99.9}) {
            long fv = fd.percentile(Percentiles.key(p));
            if (fv < 0 || st.ios() == 0) continue;
            long jv = st.latency().getValueAtPercentile(p);
            t.row(name + " lat " + Percentiles.label(p) + " (usec)", usec(jv), usec(fv), ratio(jv, fv));
        }
    }

    /** {@code 0.99x}, or {@code -} when the denominator is 0. */
    public static String ratio(double a, double b) {
        return b > 0 ? String.format(Locale.ROOT, "%.2fx", a / b) : "-";
    }

    private static String usec(long nanos) {
        double us = nanos / 1e3;
        return us >= 100 ? String.format(Locale.ROOT, "%.0f", us) : String.format(Locale.ROOT, "%.1f", us);
    }

    /**
     * The sweep table: rows QD (as asked), columns engines (engine/api for {@code --api futures} and
     * {@code vthreads}), Kiops (reads plus writes); with fio results, each engine gets a fio column and the ratio
     * beside it; an engine/api column that has the same engine's raw column in the table gets the ratio to it,
     * {@code /raw}, measured in this run.
     */
    public static void table(PrintStream out, List<RunResult> runs, String title) {
        Set<Integer> qds = new LinkedHashSet<>();
        Set<String> engines = new LinkedHashSet<>();
        Map<String, RunResult> byKey = new LinkedHashMap<>();
        Set<String> sync = new LinkedHashSet<>();
        boolean anyFio = false;
        for (RunResult r : runs) {
            qds.add(r.spec().requestedIodepth());
            engines.add(r.label());
            byKey.put(r.label() + "@" + r.spec().requestedIodepth(), r);
            if (r.synchronous()) sync.add(r.engine());
            anyFio |= r.fio() != null;
        }
        Map<String, String> rawOf = new LinkedHashMap<>(); // engine/api column -> its engine's raw column
        for (RunResult r : runs) {
            if (r.api() != Api.RAW && engines.contains(r.engine())) rawOf.put(r.label(), r.engine());
        }
        List<String> header = new ArrayList<>(List.of("QD"));
        for (String e : engines) {
            header.add(e);
            if (rawOf.containsKey(e)) header.add("/raw");
            if (anyFio) {
                header.add("fio");
                header.add("ratio");
            }
        }
        TextTable t = new TextTable(header.toArray(String[]::new));
        for (int qd : qds) {
            List<String> row = new ArrayList<>(List.of(String.valueOf(qd)));
            for (String e : engines) {
                RunResult r = byKey.get(e + "@" + qd);
                row.add(r == null ? "-" : r.failed() && r.read().ios() + r.write().ios() == 0 ? "error" : kiops(r.reportedIops()));
                if (rawOf.containsKey(e)) {
                    RunResult raw = byKey.get(rawOf.get(e) + "@" + qd);
                    row.add(r == null || raw == null || r.failed() || raw.failed() ? "-" : ratio(r.reportedIops(), raw.reportedIops()));
                }
                if (anyFio) {
                    boolean has = r != null && r.fio() != null;
                    row.add(has ? kiops(r.reportedFioIops()) : "-");
                    row.add(has ? r.reportedRatio() : "-");
                }
            }
            t.row(row.toArray(String[]::new));
        }
        out.println();
        out.println(title);
        t.print(out, "  ");
        runs.stream().filter(r -> r.repeats() != null).findFirst().ifPresent(r -> out.println("  (medians of "
                + r.repeats().n() + " passes" + (r.repeats().hasFio() ? ", jring and fio interleaved; ratio: median (min-max)" : "") + ")"));
        if (!sync.isEmpty()) {
            out.println("  (" + String.join(", ", sync) + (sync.size() == 1 ? " is" : " are")
                    + " synchronous: every row ran at iodepth 1, as fio's psync does)");
        }
    }

    /** Kiops with one decimal, as the seed table prints them. */
    public static String kiops(double iops) {
        double k = iops / 1e3;
        return k >= 1000 ? String.format(Locale.ROOT, "%.0f", k) : String.format(Locale.ROOT, "%.1f", k);
    }
}
