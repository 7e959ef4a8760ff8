package io.qeventd.plugins.devices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.qeventd.runtime.plugin.MapPluginSettings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DevicesSettingsTest {
    private static DevicesSettings read(Map<String, Object> map) {
        return DevicesSettings.from(new MapPluginSettings(map, new ObjectMapper()));
    }

    @Test
    void theRemovalTimeoutDefaultsToThirtySecondsAndTakesUnits() {
        assertThat(read(Map.of()).removalTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(read(Map.of("removalTimeout", "500ms")).removalTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(read(Map.of("removalTimeout", "2m")).removalTimeout()).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void badSettingsAreRefusedNamingTheKey() {
        assertThatThrownBy(() -> read(Map.of("removalTimeout", "soon")))
                .hasMessage("pluginSettings.devices.removalTimeout: 'soon' is not a positive duration such as 500ms,"
                        + " 30s or 2m");
        assertThatThrownBy(() -> read(Map.of("timeout", "5s")))
                .hasMessage("pluginSettings.devices.timeout: unknown key (expected removalTimeout)");
    }
}
