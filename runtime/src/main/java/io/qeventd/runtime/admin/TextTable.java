package io.qeventd.runtime.admin;

import java.util.ArrayList;
import java.util.List;

/** A plain text table: columns padded to their widest cell, numbers aligned right. */
public final class TextTable {
    private final List<String> headers;
    private final boolean[] rightAligned;
    private final List<List<String>> rows = new ArrayList<>();

    /** Headers ending in {@code >} are right aligned (the {@code >} is not printed). */
    public TextTable(String... headers) {
        this.headers = new ArrayList<>();
        this.rightAligned = new boolean[headers.length];
        for (int i = 0; i < headers.length; i++) {
            boolean right = headers[i].endsWith(">");
            rightAligned[i] = right;
            this.headers.add(right ? headers[i].substring(0, headers[i].length() - 1) : headers[i]);
        }
    }

    public TextTable row(Object... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException("row of " + cells.length + " cells in a table of " + headers.size()
                    + " columns");
        }
        List<String> row = new ArrayList<>();
        for (Object c : cells) {
            row.add(c == null ? "-" : c.toString());
        }
        rows.add(row);
        return this;
    }

    /** The table's lines, each prefixed with {@code indent}; no trailing spaces. */
    public List<String> lines(String indent) {
        int[] width = new int[headers.size()];
        for (int i = 0; i < width.length; i++) {
            width[i] = headers.get(i).length();
            for (List<String> row : rows) {
                width[i] = Math.max(width[i], row.get(i).length());
            }
        }
        List<String> out = new ArrayList<>();
        out.add(line(indent, headers, width));
        for (List<String> row : rows) {
            out.add(line(indent, row, width));
        }
        return out;
    }

    private String line(String indent, List<String> cells, int[] width) {
        StringBuilder sb = new StringBuilder(indent);
        for (int i = 0; i < cells.size(); i++) {
            String c = cells.get(i);
            String pad = " ".repeat(width[i] - c.length());
            if (i > 0) {
                sb.append("  ");
            }
            sb.append(rightAligned[i] ? pad + c : c + pad);
        }
        return sb.toString().stripTrailing();
    }
}
