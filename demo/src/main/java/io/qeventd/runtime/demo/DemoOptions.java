package io.qeventd.runtime.demo;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How to run the demo.
 *
 * @param pluginsDir the built-in plugins (the distribution's {@code plugins/})
 * @param added      more plugins directories, loaded on top of the built-ins ({@code --plugins})
 * @param dev        plugin projects loaded from their build output on top of those ({@code --dev})
 * @param pace       the pause between two steps of a VM's story
 * @param realQemu   start real QEMU instances instead of simulated ones
 * @param view       how to show progress
 * @param journal    where to keep the journal, or empty to keep none after the demo
 */
public record DemoOptions(Path pluginsDir, List<Path> added, List<Path> dev, Duration pace, boolean realQemu, View view,
                          Optional<Path> journal) {
    public DemoOptions {
        added = List.copyOf(added);
        dev = List.copyOf(dev);
        Objects.requireNonNull(pluginsDir, "pluginsDir");
        Objects.requireNonNull(pace, "pace");
        Objects.requireNonNull(view, "view");
        Objects.requireNonNull(journal, "journal");
    }

    /** Every directory plugins come from, added ones first. */
    public List<Path> pluginSources() {
        List<Path> all = new java.util.ArrayList<>(added);
        all.add(pluginsDir);
        all.addAll(dev);
        return all;
    }

    /** {@code live} redraws a status view in place (for a terminal); {@code plain} prints progress lines. */
    public enum View { AUTO, LIVE, PLAIN }
}
