package com.example.qeventd.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.qeventd.runtime.config.ConfigLoader;
import io.qeventd.runtime.config.QeventdConfig;
import io.qeventd.runtime.plugin.MapPluginSettings;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The configuration the README uses for development mode, read as the daemon reads it. */
class AuditLogDevConfigTest {

    @Test
    void theDevelopmentConfigurationIsValidAndGivesThePluginItsFile() throws Exception {
        QeventdConfig config = ConfigLoader.load(Path.of("qeventd-dev.yaml"));

        var settings = new MapPluginSettings(config.pluginSettings("audit-log"), new ObjectMapper());
        assertThat(AuditLogSettings.from(settings).path()).isEqualTo(Path.of("/tmp/qeventd-audit.jsonl"));
        assertThat(config.domains()).singleElement().satisfies(d -> {
            assertThat(d.name()).isEqualTo("vm1");
            assertThat(d.qmp()).isEqualTo(Path.of("/tmp/vm1.qmp"));
        });
    }
}
