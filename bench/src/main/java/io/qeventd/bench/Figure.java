package io.qeventd.bench;

/**
 * One measured figure, beside the baseline it is read against (measured in the same run).
 *
 * @param scenario  what was run
 * @param metric    what was measured
 * @param value     the figure
 * @param unit      its unit
 * @param baseline  what it is compared to (null when nothing is), e.g. "wire"
 * @param reference the baseline's figure in this run, or NaN
 */
record Figure(String scenario, String metric, double value, String unit, String baseline, double reference) {
    static Figure of(String scenario, String metric, double value, String unit) {
        return new Figure(scenario, metric, value, unit, null, Double.NaN);
    }

    Figure against(String baselineName, double baselineValue) {
        return new Figure(scenario, metric, value, unit, baselineName, baselineValue);
    }

    String ratio() {
        return baseline == null || reference == 0 || Double.isNaN(reference) ? ""
                : String.format("%.1f %% of %s", 100 * value / reference, baseline);
    }

    String json() {
        return String.format(java.util.Locale.ROOT,
                "{\"scenario\":\"%s\",\"metric\":\"%s\",\"value\":%.3f,\"unit\":\"%s\",\"baseline\":%s,\"reference\":%s}",
                scenario, metric, value, unit, baseline == null ? "null" : "\"" + baseline + "\"",
                Double.isNaN(reference) ? "null" : String.format(java.util.Locale.ROOT, "%.3f", reference));
    }
}
