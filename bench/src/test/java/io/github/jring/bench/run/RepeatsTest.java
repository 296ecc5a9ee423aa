package io.github.jring.bench.run;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RepeatsTest {
    @Test
    void medianRatioAndSpreadComeFromThePairsInRunOrder() {
        Repeats r = new Repeats(List.of(100.0, 300.0, 200.0, 400.0), List.of(100.0, 200.0, 400.0, 400.0));
        // ratios 1.0, 1.5, 0.5, 1.0: median 1.0, spread 0.5..1.5
        assertEquals(1.0, r.ratioMedian(), 1e-12);
        assertEquals(0.5, r.ratioMin(), 1e-12);
        assertEquals(1.5, r.ratioMax(), 1e-12);
        assertEquals(250.0, r.jringMedian(), 1e-12);
        assertEquals(300.0, r.fioMedian(), 1e-12);
        assertEquals(0, r.medianPass()); // the first pass whose ratio is the median
        assertEquals("1.00x (0.50-1.50)", r.ratioText());
    }

    @Test
    void withoutFioTheMedianPassIsTheMedianJringRun() {
        Repeats r = new Repeats(List.of(5.0, 1.0, 3.0), List.of());
        assertFalse(r.hasFio());
        assertEquals(2, r.medianPass());
        assertEquals(3.0, r.jringMedian(), 1e-12);
        assertEquals("-", r.ratioText());
        assertTrue(Double.isNaN(Repeats.median(new double[0])));
    }
}
