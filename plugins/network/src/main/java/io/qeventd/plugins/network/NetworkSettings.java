package io.qeventd.plugins.network;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.qeventd.api.PluginSettings;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code pluginSettings.network}:
 * <pre>
 * reconnect:                          # netdev id -> how to bring its peer back when it disconnects
 *   net0-stream: {command: [systemctl, restart, passt@vm1.service], timeoutSeconds: 30}
 * domains:
 *   vm1: {reconnect: {...}}           # per domain; adds to and overrides the above
 * </pre>
 * The command runs with {@code QEVENTD_DOMAIN} and {@code QEVENTD_NETDEV} in its environment, as libvirt
 * restarts a passt backend when its stream disconnects: QEMU listening ({@code server=on}), or QEMU 8.0+
 * retrying ({@code reconnect=}), then connects to the restarted peer. QEMU 7.2 has no {@code reconnect} option:
 * its client-side stream netdevs stay disconnected whatever the peer does.
 */
public record NetworkSettings(@JsonProperty("reconnect") Map<String, Reconnect> reconnect,
                              @JsonProperty("domains") Map<String, Domain> domains) {

    /** How to bring one netdev's peer back. */
    public record Reconnect(@JsonProperty("command") List<String> command,
                            @JsonProperty("timeoutSeconds") Integer timeoutSeconds) {
        public Reconnect {
            if (command == null || command.isEmpty() || command.get(0).isBlank()) {
                throw new IllegalArgumentException("reconnect.<netdev>.command: give the program and its arguments,"
                        + " e.g. [systemctl, restart, passt@vm1.service]");
            }
            command = List.copyOf(command);
            if (timeoutSeconds != null && timeoutSeconds <= 0) {
                throw new IllegalArgumentException("reconnect.<netdev>.timeoutSeconds: must be positive, not "
                        + timeoutSeconds);
            }
        }

        Duration timeout() {
            return Duration.ofSeconds(timeoutSeconds == null ? 30 : timeoutSeconds);
        }
    }

    /** One domain's settings. */
    public record Domain(@JsonProperty("reconnect") Map<String, Reconnect> reconnect) {
        public Domain {
            reconnect = reconnect == null ? Map.of() : Map.copyOf(reconnect);
        }
    }

    public NetworkSettings {
        reconnect = reconnect == null ? Map.of() : Map.copyOf(reconnect);
        domains = domains == null ? Map.of() : Map.copyOf(domains);
    }

    static NetworkSettings from(PluginSettings settings) {
        try {
            return settings.as(NetworkSettings.class);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("pluginSettings.network: " + e.getMessage(), e);
        }
    }

    Reconnect reconnect(String domain, String netdev) {
        Map<String, Reconnect> all = new LinkedHashMap<>(reconnect);
        Domain d = domains.get(domain);
        if (d != null) {
            all.putAll(d.reconnect());
        }
        return all.get(netdev);
    }
}
