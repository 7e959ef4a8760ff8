package com.example.qeventd.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.qeventd.testkit.TestSettings;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The configuration the README uses for development mode, read as the daemon reads it. */
class AuditLogDevConfigTest {

    @Test
    void theDevelopmentConfigurationIsValidAndGivesThePluginItsFile() throws Exception {
        var settings = TestSettings.fromConfig(Path.of("qeventd-dev.yaml"), "audit-log");

        assertThat(AuditLogSettings.from(settings).path()).isEqualTo(Path.of("/tmp/qeventd-audit.jsonl"));
    }
}
