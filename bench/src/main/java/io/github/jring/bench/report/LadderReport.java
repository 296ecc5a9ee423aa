package io.github.jring.bench.report;

import io.github.jring.bench.engine.IoStats;
import io.github.jring.bench.run.Ladder;
import io.github.jring.bench.run.RunResult;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The configuration ladder's and the peak's reports: a table with one row per rung (Kiops, the ratio to the rung
 * below, CPU per I/O, latency percentiles, and with {@code --vs-fio} fio's Kiops and jring/fio); the same rows in
 * fio's JSON shape with the rung under {@code jring.rung}, or as CSV with the rung first; the bars of a plot.
 */
public final class LadderReport {
    private static final double[] PERCENTILES = {50, 99, 99.9};

    private LadderReport() {
    }

    /** The table of one depth's rungs. */
    public static void table(PrintStream out, List<Ladder.Step> steps, String title) {
        boolean anyFio = steps.stream().anyMatch(s -> s.result() != null && s.result().fio() != null);
        List<String> header = new ArrayList<>(List.of("rung", "engine", "Kiops", "vs below", "cpu us/IO", "proc us/IO"));
        for (double p : PERCENTILES) header.add(Percentiles.label(p) + " us");
        if (anyFio) header.addAll(List.of("fio Kiops", "jring/fio", "fio us/IO"));
        TextTable t = new TextTable(header.toArray(String[]::new));
        List<String> skipped = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            Ladder.Step s = steps.get(i);
            List<String> row = new ArrayList<>(List.of(s.rung().name(), s.rung().engine().name()));
            RunResult r = s.result();
            if (r == null || (r.failed() && r.allIos() == 0)) {
                row.add(r == null ? "skipped" : "error");
                if (r == null) skipped.add(s.rung().name() + ": " + s.rung().skipped());
                t.row(row.toArray(String[]::new));
                continue;
            }
            Ladder.Step below = Ladder.below(steps, i);
            row.add(TextReport.kiops(r.reportedIops()));
            row.add(below == null ? "" : TextReport.ratio(r.reportedIops(), below.result().reportedIops()));
            row.add(num(r.jobCpuMicrosPerIo()));
            row.add(num(r.processCpuMicrosPerIo()));
            IoStats st = r.read().ios() > 0 ? r.read() : r.write();
            for (double p : PERCENTILES) row.add(st.ios() > 0 ? num(st.latency().getValueAtPercentile(p) / 1e3) : "-");
            if (anyFio) {
                boolean has = r.fio() != null;
                row.add(has ? TextReport.kiops(r.reportedFioIops()) : "-");
                row.add(has ? r.reportedRatio() : "-");
                row.add(has ? num(fioCpuMicrosPerIo(r)) : "-");
            }
            t.row(row.toArray(String[]::new));
        }
        out.println(title);
        t.print(out, "  ");
        out.println("  (vs below: the ratio to the rung it builds on; cpu us/IO: the job thread's CPU per I/O,"
                + " proc: the whole process's, which counts an SQPOLL thread too)");
        // The first rung may have no fio job (the plain ring): any rung's passes say whether fio was interleaved.
        List<RunResult> repeated = steps.stream().map(Ladder.Step::result)
                .filter(r -> r != null && r.repeats() != null).toList();
        if (!repeated.isEmpty()) {
            boolean withFio = repeated.stream().anyMatch(r -> r.repeats().hasFio());
            out.println("  (medians of " + repeated.get(0).repeats().n() + " passes"
                    + (withFio ? ", jring and fio interleaved; jring/fio: median (min-max)" : "") + ")");
        }
        for (String why : skipped) out.println("  skipped " + why);
        for (Ladder.Step s : steps) {
            if (s.result() != null && s.result().failed()) out.println("  " + s.rung().name() + " failed: " + s.result().error());
            if (s.result() != null && s.result().fioNote() != null) {
                out.println("  " + s.rung().name() + ", fio: " + s.result().fioNote());
            }
        }
        out.println();
    }

    /**
     * fio's CPU per I/O: usr+sys percent of its runtime, over its I/Os. fio counts the ramp in neither, so this is
     * comparable with the job-thread figure only roughly (fio's runtime is its measured time).
     */
    static double fioCpuMicrosPerIo(RunResult r) {
        var f = r.fio();
        long ios = f.read().totalIos() + f.write().totalIos();
        long ms = Math.max(f.read().runtimeMs(), f.write().runtimeMs());
        return ios > 0 ? (f.usrCpu() + f.sysCpu()) / 100 * ms * 1e3 / ios : 0;
    }

    /** fio's JSON shape with every measured rung a job; {@code jring.rung} names it, {@code jring.vs_below} its ratio. */
    public static Map<String, Object> json(List<Ladder.Step> steps, String version, Map<String, Object> globalOptions) {
        List<RunResult> runs = new ArrayList<>();
        List<Ladder.Step> measured = new ArrayList<>();
        List<Object> skipped = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            Ladder.Step s = steps.get(i);
            if (s.result() != null) {
                runs.add(s.result());
                measured.add(s);
            } else {
                skipped.add(Map.of("rung", s.rung().name(), "engine", s.rung().engine().name(), "why", s.rung().skipped()));
            }
        }
        Map<String, Object> root = JsonReport.build(runs, version, globalOptions);
        List<?> jobs = (List<?>) root.get("jobs");
        for (int k = 0; k < jobs.size(); k++) {
            @SuppressWarnings("unchecked")
            Map<String, Object> job = (Map<String, Object>) jobs.get(k);
            @SuppressWarnings("unchecked")
            Map<String, Object> jring = (Map<String, Object>) job.get("jring");
            Ladder.Step s = measured.get(k);
            jring.put("rung", s.rung().name());
            jring.put("beside", s.rung().beside());
            Ladder.Step below = Ladder.below(steps, steps.indexOf(s));
            if (below != null && s.measured()) {
                jring.put("vs_below", s.result().reportedIops() / below.result().reportedIops());
                jring.put("below", below.rung().name());
            }
            job.put("jobname", slug(s.rung().name()) + "-qd" + s.result().spec().requestedIodepth());
        }
        root.put("skipped", skipped);
        return root;
    }

    /** CSV: {@link CsvReport}'s columns with the rung and its ratio to the rung below in front. */
    public static void csv(PrintStream out, List<Ladder.Step> steps) {
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        List<Ladder.Step> measured = steps.stream().filter(s -> s.result() != null).toList();
        try (PrintStream p = new PrintStream(buf, true, java.nio.charset.StandardCharsets.UTF_8)) {
            CsvReport.write(p, measured.stream().map(Ladder.Step::result).toList());
        }
        String[] lines = buf.toString(java.nio.charset.StandardCharsets.UTF_8).split("\n");
        out.println("rung,vs_below," + lines[0]);
        for (int k = 0; k < measured.size(); k++) {
            Ladder.Step s = measured.get(k);
            Ladder.Step below = Ladder.below(steps, steps.indexOf(s));
            String ratio = below != null && s.measured()
                    ? String.format(Locale.ROOT, "%.3f", s.result().reportedIops() / below.result().reportedIops()) : "";
            out.println("\"" + s.rung().name() + "\"," + ratio + "," + lines[k + 1]);
        }
    }

    /** The plot's bars: each measured rung's Kiops, and fio's beside it when it ran. */
    public static List<Plot.Bar> bars(List<Ladder.Step> steps) {
        List<Plot.Bar> bars = new ArrayList<>();
        boolean depths = steps.stream().filter(s -> s.result() != null).map(s -> s.result().spec().requestedIodepth())
                .distinct().count() > 1;
        for (Ladder.Step s : steps) {
            if (!s.measured()) continue;
            RunResult r = s.result();
            String label = s.rung().name() + (depths ? " QD " + r.spec().requestedIodepth() : "");
            bars.add(new Plot.Bar(label, r.reportedIops() / 1e3, r.fio() != null ? r.reportedFioIops() / 1e3 : Double.NaN));
        }
        return bars;
    }

    private static String slug(String name) {
        String s = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
        return s.isEmpty() ? "rung" : s;
    }

    private static String num(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }
}
