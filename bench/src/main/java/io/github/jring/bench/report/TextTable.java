package io.github.jring.bench.report;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** A plain text table: a header row, then rows; the first column left-aligned unless it holds numbers, the others right-aligned. */
public final class TextTable {
    private final List<String[]> rows = new ArrayList<>();

    public TextTable(String... header) {
        rows.add(header);
    }

    public TextTable row(String... cells) {
        rows.add(cells);
        return this;
    }

    public void print(PrintStream out, String indent) {
        int cols = rows.stream().mapToInt(r -> r.length).max().orElse(0);
        int[] width = new int[cols];
        for (String[] r : rows) {
            for (int c = 0; c < r.length; c++) width[c] = Math.max(width[c], r[c].length());
        }
        boolean numericFirst = rows.size() > 1
                && rows.subList(1, rows.size()).stream().allMatch(r -> r.length > 0 && r[0].matches("[0-9.]+"));
        for (String[] r : rows) {
            StringBuilder sb = new StringBuilder(indent);
            for (int c = 0; c < r.length; c++) {
                String cell = r[c];
                String pad = " ".repeat(width[c] - cell.length());
                if (c == 0 && !numericFirst) sb.append(cell).append(pad);
                else if (c == 0) sb.append(pad).append(cell);
                else sb.append("  ").append(pad).append(cell);
            }
            out.println(sb.toString().stripTrailing());
        }
    }
}
