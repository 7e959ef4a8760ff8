package io.qeventd.runtime.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.qeventd.runtime.plugin.PluginLifecycle;
import io.qeventd.runtime.plugin.PluginStateListener;
import io.qeventd.runtime.plugin.PluginStatus;
import java.util.HashMap;
import java.util.Map;

/**
 * Reloads per plugin, ok or failed, told by the plugin host on its own thread. A reload went well when the
 * plugin runs again with a higher reload count; it failed when the plugin runs on with an error (the new
 * version was rejected, or aborted, and the old one kept) or ends failed. Series go when the plugin is unloaded.
 */
final class PluginReloadMetrics implements PluginStateListener {
    static final String OK = "ok";
    static final String FAILED = "failed";

    private final Counter reloads;
    /** Reload count of each plugin seen running: plugin-manager thread only. */
    private final Map<String, Integer> seen = new HashMap<>();

    PluginReloadMetrics(PrometheusRegistry registry) {
        this.reloads = Counter.builder()
                .name("qeventd_plugin_reloads_total")
                .help("Reloads of a plugin (its jar or classes replaced): result ok, or failed (the old version"
                        + " kept running, or nothing of the plugin runs)")
                .labelNames("plugin", "result")
                .register(registry);
    }

    @Override
    public void changed(PluginStatus status, PluginLifecycle before) {
        String id = status.id();
        Integer count = seen.get(id);
        switch (status.state()) {
            case STARTED -> {
                if (count == null) {
                    reloads.initLabelValues(id, OK);
                    reloads.initLabelValues(id, FAILED);
                } else if (status.reloads() > count) {
                    reloads.labelValues(id, OK).inc();
                } else if (status.error() != null) {
                    reloads.labelValues(id, FAILED).inc();
                }
                seen.put(id, status.reloads());
            }
            case FAILED -> {
                if (count != null) {
                    reloads.labelValues(id, FAILED).inc();
                }
            }
            case UNLOADED -> {
                seen.remove(id);
                reloads.remove(id, OK);
                reloads.remove(id, FAILED);
            }
            default -> {
                // checking or refused: the plugin's id is not known yet
            }
        }
    }
}
