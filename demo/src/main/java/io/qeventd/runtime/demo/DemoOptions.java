package io.qeventd.runtime.demo;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How to run the demo.
 *
 * @param pluginsDir the plugins to run (the distribution's {@code plugins/} by default)
 * @param pace       the pause between two steps of a VM's story
 * @param realQemu   start real QEMU instances instead of simulated ones
 * @param view       how to show progress
 * @param journal    where to keep the journal, or empty to keep none after the demo
 */
public record DemoOptions(Path pluginsDir, Duration pace, boolean realQemu, View view, Optional<Path> journal) {
    public DemoOptions {
        Objects.requireNonNull(pluginsDir, "pluginsDir");
        Objects.requireNonNull(pace, "pace");
        Objects.requireNonNull(view, "view");
        Objects.requireNonNull(journal, "journal");
    }

    /** {@code live} redraws a status view in place (for a terminal); {@code plain} prints progress lines. */
    public enum View { AUTO, LIVE, PLAIN }
}
