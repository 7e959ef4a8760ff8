package io.qeventd.plugins.blockjobs;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.qeventd.api.PluginSettings;
import java.util.List;
import java.util.Map;

/**
 * {@code pluginSettings.block-jobs}:
 * <pre>
 * dismiss: never | succeeded | always    # concluded jobs; default never
 * pivot: [mirror0]                       # mirror job ids to complete (pivot) on BLOCK_JOB_READY, any domain
 * domains:
 *   vm1: {dismiss: always, pivot: [copy-vda]}   # per domain; dismiss overrides, pivot adds
 * </pre>
 */
public record BlockJobSettings(@JsonProperty("dismiss") DismissPolicy dismiss,
                               @JsonProperty("pivot") List<String> pivot,
                               @JsonProperty("domains") Map<String, Domain> domains) {

    /** One domain's settings. */
    public record Domain(@JsonProperty("dismiss") DismissPolicy dismiss, @JsonProperty("pivot") List<String> pivot) {
        public Domain {
            pivot = pivot == null ? List.of() : List.copyOf(pivot);
        }
    }

    public BlockJobSettings {
        dismiss = dismiss == null ? DismissPolicy.NEVER : dismiss;
        pivot = pivot == null ? List.of() : List.copyOf(pivot);
        domains = domains == null ? Map.of() : Map.copyOf(domains);
    }

    static BlockJobSettings from(PluginSettings settings) {
        try {
            return settings.as(BlockJobSettings.class);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("pluginSettings.block-jobs: " + e.getMessage(), e);
        }
    }

    DismissPolicy dismissFor(String domain) {
        Domain d = domains.get(domain);
        return d == null || d.dismiss() == null ? dismiss : d.dismiss();
    }

    boolean pivots(String domain, String jobId) {
        Domain d = domains.get(domain);
        return pivot.contains(jobId) || d != null && d.pivot().contains(jobId);
    }
}
