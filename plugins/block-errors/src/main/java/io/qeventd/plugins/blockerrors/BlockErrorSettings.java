package io.qeventd.plugins.blockerrors;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.qeventd.api.PluginSettings;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code pluginSettings.block-errors}:
 * <pre>
 * resumeWhenSpaceAdded: true          # cont a guest paused on ENOSPC once the operator says space was added
 * writeThresholds: {disk0: 1073741824} # node -> bytes: armed on connect, re-armed when space was added
 * domains:
 *   vm1: {writeThresholds: {vda-node: 536870912}}   # per domain; adds to and overrides the above
 * </pre>
 */
public record BlockErrorSettings(@JsonProperty("resumeWhenSpaceAdded") boolean resumeWhenSpaceAdded,
                                 @JsonProperty("writeThresholds") Map<String, Long> writeThresholds,
                                 @JsonProperty("domains") Map<String, Domain> domains) {

    /** One domain's settings. */
    public record Domain(@JsonProperty("writeThresholds") Map<String, Long> writeThresholds) {
        public Domain {
            writeThresholds = checked(writeThresholds, "domains.<name>.writeThresholds");
        }
    }

    public BlockErrorSettings {
        writeThresholds = checked(writeThresholds, "writeThresholds");
        domains = domains == null ? Map.of() : Map.copyOf(domains);
    }

    static BlockErrorSettings from(PluginSettings settings) {
        try {
            return settings.as(BlockErrorSettings.class);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("pluginSettings.block-errors: " + e.getMessage(), e);
        }
    }

    /** The thresholds to arm on {@code domain}'s nodes. */
    Map<String, Long> thresholds(String domain) {
        Map<String, Long> out = new LinkedHashMap<>(writeThresholds);
        Domain d = domains.get(domain);
        if (d != null) {
            out.putAll(d.writeThresholds());
        }
        return out;
    }

    private static Map<String, Long> checked(Map<String, Long> thresholds, String key) {
        if (thresholds == null) {
            return Map.of();
        }
        thresholds.forEach((node, bytes) -> {
            if (bytes == null || bytes <= 0) {
                throw new IllegalArgumentException("pluginSettings.block-errors." + key + "." + node
                        + ": a threshold is a positive number of bytes, not " + bytes);
            }
        });
        return Map.copyOf(thresholds);
    }
}
