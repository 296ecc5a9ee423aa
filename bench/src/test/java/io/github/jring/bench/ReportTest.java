package io.github.jring.bench;

import io.github.jring.bench.report.CsvReport;
import io.github.jring.core.internal.Json;
import io.github.jring.bench.target.TempFile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The output formats, from real short runs: fio's JSON keys, CSV shape, the SVG plot, the text table. */
class ReportTest {
    @TempDir
    Path dir;
    Path file;

    @BeforeEach
    void data() throws Exception {
        file = dir.resolve("data");
        TempFile.writePattern(file, 8 << 20, true);
    }

    private Cli.Result sweep(String... extra) {
        List<String> args = new ArrayList<>(List.of("--filename=" + file, "--engine=psync,filechannel",
                "--iodepth=1,4", "--number_ios=300"));
        args.addAll(List.of(extra));
        return Cli.run(dir, args.toArray(String[]::new));
    }

    @Test
    void jsonHasFiosShapeAndKeys() {
        Cli.Result r = sweep("--output-format=json");
        assertEquals(0, r.rc(), r.toString());
        Map<String, Object> root = Json.parseFirstObject(r.out());
        assertTrue(r.out().trim().startsWith("{"), "JSON output starts with the object, notes go to stderr");
        assertTrue(root.get("fio version").toString().startsWith("jring-bench-"));
        assertTrue(root.get("timestamp") instanceof Long);
        assertNotNull(root.get("global options"));
        List<?> jobs = (List<?>) root.get("jobs");
        assertEquals(4, jobs.size(), "2 engines x 2 depths");
        Set<String> names = new HashSet<>();
        for (Object job : jobs) {
            names.add((String) Json.at(job, "jobname"));
            assertEquals(0L, Json.at(job, "error"));
            for (String key : List.of("usr_cpu", "sys_cpu", "ctx", "majf", "minf", "job options")) {
                assertNotNull(Json.at(job, key), key);
            }
            for (String key : List.of("io_bytes", "io_kbytes", "bw_bytes", "bw", "iops", "runtime", "total_ios")) {
                assertNotNull(Json.at(job, "read", key), "read." + key);
                assertNotNull(Json.at(job, "write", key), "write." + key);
            }
            assertEquals(300L, Json.at(job, "read", "total_ios"));
            assertEquals(300L * 4096, Json.at(job, "read", "io_bytes"));
            assertEquals(300L * 4096 / 1024, Json.at(job, "read", "io_kbytes"));
            double iops = Json.number(job, "read", "iops");
            assertEquals(Math.round(iops * 4096 / 1024), (long) Json.number(job, "read", "bw"), 1.0, "bw is KiB/s");
            Object pct = Json.at(job, "read", "clat_ns", "percentile");
            assertTrue(pct instanceof Map<?, ?>, "clat_ns.percentile");
            Map<?, ?> p = (Map<?, ?>) pct;
            for (String k : List.of("1.000000", "50.000000", "90.000000", "99.000000", "99.900000", "99.990000")) {
                assertTrue(p.get(k) instanceof Long, "percentile " + k);
            }
            assertTrue((Long) p.get("50.000000") <= (Long) p.get("99.000000"));
            assertTrue(Json.number(job, "read", "clat_ns", "mean") > 0);
            assertEquals(300L, Json.at(job, "read", "clat_ns", "N"));
        }
        assertEquals(Set.of("psync-qd1", "filechannel-qd1", "psync-qd4", "filechannel-qd4"), names);
        Object qd4 = jobs.get(2);
        assertEquals(4L, Json.at(qd4, "jring", "iodepth_requested"));
        assertEquals(1L, Json.at(qd4, "jring", "iodepth"), "psync ran at iodepth 1");
    }

    @Test
    void csvHasTheHeaderAndOneEqualWidthLinePerRun() {
        Cli.Result r = sweep("--output-format=csv");
        assertEquals(0, r.rc(), r.toString());
        List<String> lines = r.out().lines().toList();
        assertEquals(5, lines.size(), r.out());
        assertEquals(String.join(",", CsvReport.header()), lines.get(0));
        int columns = CsvReport.header().size();
        for (String line : lines.subList(1, lines.size())) {
            assertEquals(columns, line.split(",", -1).length, line);
        }
        String[] first = lines.get(1).split(",", -1);
        int ios = CsvReport.header().indexOf("read_ios");
        int bytes = CsvReport.header().indexOf("read_bytes");
        assertEquals("300", first[ios]);
        assertEquals(String.valueOf(300 * 4096), first[bytes]);
        assertEquals("psync-qd1", first[0]);
    }

    @Test
    void svgIsWellFormedWithOnePolylinePerEngine() throws Exception {
        Path svg = dir.resolve("plot.svg");
        Cli.Result r = sweep("--plot=" + svg);
        assertEquals(0, r.rc(), r.toString());
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(svg.toFile());
        assertEquals("svg", doc.getDocumentElement().getTagName());
        NodeList lines = doc.getElementsByTagName("polyline");
        assertEquals(2, lines.getLength(), "one polyline per engine");
        for (int i = 0; i < lines.getLength(); i++) {
            String points = ((Element) lines.item(i)).getAttribute("points");
            assertEquals(2, points.trim().split(" ").length, "one point per iodepth: " + points);
        }
        String text = Files.readString(svg);
        assertTrue(text.contains(">psync<") && text.contains(">filechannel<"), "legend names the engines");
        assertTrue(text.contains("queue depth") && text.contains("Kiops"), "labelled axes");
    }

    @Test
    void pngPlotIsAnImage() throws Exception {
        Path png = dir.resolve("plot.png");
        Cli.Result r = sweep("--plot=" + png);
        assertEquals(0, r.rc(), r.toString());
        BufferedImage img = ImageIO.read(png.toFile());
        assertNotNull(img, "readable PNG");
        assertEquals(880, img.getWidth());
    }

    @Test
    void textShowsEachRunAndTheSweepTable() {
        Cli.Result r = sweep();
        assertEquals(0, r.rc(), r.toString());
        String out = r.out();
        assertTrue(out.contains("psync-qd4: rw=randread, bs=4k, ioengine=psync, iodepth=1 (asked 4; psync is synchronous)"), out);
        assertTrue(out.contains("lat percentiles (usec): p50="), out);
        assertTrue(out.contains("p99.99="), out);
        assertTrue(out.contains("per I/O      : cpu "), out);
        int table = out.indexOf("4k randread, 1 job, Kiops");
        assertTrue(table > 0, out);
        List<String> rows = out.substring(table).lines().toList();
        assertTrue(rows.get(1).matches("\\s*QD\\s+psync\\s+filechannel"), rows.get(1));
        assertTrue(rows.get(2).matches("\\s*1\\s+[0-9.]+\\s+[0-9.]+"), rows.get(2));
        assertTrue(rows.get(3).matches("\\s*4\\s+[0-9.]+\\s+[0-9.]+"), rows.get(3));
    }
}
