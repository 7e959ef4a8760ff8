package io.qeventd.plugins.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.qeventd.runtime.plugin.MapPluginSettings;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MigrationSettingsTest {
    private static MigrationSettings read(Map<String, Object> map) {
        return MigrationSettings.from(new MapPluginSettings(map, new ObjectMapper()));
    }

    @Test
    void eventsAreTurnedOnAndPassesQueriedUnlessSaidOtherwise() {
        assertThat(read(Map.of())).isEqualTo(new MigrationSettings(true, true));
        assertThat(read(Map.of("queryOnPass", false))).isEqualTo(new MigrationSettings(true, false));
    }

    @Test
    void badSettingsAreRefusedNamingTheKey() {
        assertThatThrownBy(() -> read(Map.of("enableEvents", "yes")))
                .hasMessage("pluginSettings.migration.enableEvents: 'yes' is not true or false");
        assertThatThrownBy(() -> read(Map.of("queryEveryPass", true)))
                .hasMessage("pluginSettings.migration.queryEveryPass: unknown key (expected enableEvents, queryOnPass)");
    }
}
