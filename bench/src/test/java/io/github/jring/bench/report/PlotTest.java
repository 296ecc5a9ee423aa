package io.github.jring.bench.report;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** The plot's colours: fio's dashed line has the colour of the engine it is compared with. */
class PlotTest {

    private static List<double[]> pts(double... kiops) {
        List<double[]> l = new ArrayList<>();
        for (int i = 0; i < kiops.length; i++) l.add(new double[]{1 << i, kiops[i]});
        return l;
    }

    @Test
    void fioLinesTakeTheColourOfTheirEngineEvenWhenAnEngineHasNoFioLine() throws Exception {
        // sync-pt first and without a fio line: positional colours would give fio-for-uring-block sync-pt's colour.
        String svg = Plot.svg("t", List.of(
                new Plot.Series("sync-pt", pts(10, 10), false),
                new Plot.Series("uring-block", pts(10, 20), false),
                new Plot.Series("async-pt", pts(10, 21), false),
                new Plot.Series("fio for uring-block", pts(9, 19), true, "uring-block"),
                new Plot.Series("fio for async-pt", pts(9, 18), true, "async-pt")));
        NodeList lines = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8))).getElementsByTagName("polyline");
        assertEquals(5, lines.getLength());
        String[] stroke = new String[5];
        for (int i = 0; i < 5; i++) stroke[i] = ((Element) lines.item(i)).getAttribute("stroke");
        assertNotEquals(stroke[0], stroke[1]);
        assertNotEquals(stroke[1], stroke[2]);
        assertNotEquals(stroke[0], stroke[2]);
        assertEquals(stroke[1], stroke[3], "fio for uring-block");
        assertEquals(stroke[2], stroke[4], "fio for async-pt");
        assertEquals("6,4", ((Element) lines.item(3)).getAttribute("stroke-dasharray"));
        assertEquals("", ((Element) lines.item(1)).getAttribute("stroke-dasharray"));
    }
}
