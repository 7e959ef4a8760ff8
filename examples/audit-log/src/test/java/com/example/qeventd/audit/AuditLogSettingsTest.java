package com.example.qeventd.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qeventd.api.PluginSettings;
import io.qeventd.testkit.TestSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuditLogSettingsTest {

    private static PluginSettings settings(Map<String, Object> section) {
        return TestSettings.of(section);
    }

    @Test
    void theFileIsBoundFromThePluginsSection() {
        AuditLogSettings s = AuditLogSettings.from(settings(Map.of("file", "/var/log/qeventd/audit.jsonl")));
        assertThat(s.path()).isEqualTo(Path.of("/var/log/qeventd/audit.jsonl"));
    }

    @Test
    void withoutAFileThePluginCannotBeCreatedAndTheMessageNamesTheKey() {
        assertThatThrownBy(() -> new AuditLogHandlers(settings(Map.of())))
                .isInstanceOf(InvalidAuditLogSettingsException.class)
                .hasMessageStartingWith("pluginSettings.audit-log.file is not set");
    }

    @Test
    void aRelativeFileIsRefusedSinceTheDaemonsWorkingDirectoryIsNoPlaceForIt() {
        assertThatThrownBy(() -> AuditLogSettings.from(settings(Map.of("file", "audit.jsonl"))))
                .isInstanceOf(InvalidAuditLogSettingsException.class)
                .hasMessage("pluginSettings.audit-log.file must be an absolute path, got 'audit.jsonl'");
    }

    @Test
    void aMisspeltKeyIsRefusedRatherThanIgnored() {
        assertThatThrownBy(() -> AuditLogSettings.from(settings(Map.of("fiel", "/tmp/audit.jsonl"))))
                .isInstanceOf(InvalidAuditLogSettingsException.class)
                .hasMessage("pluginSettings.audit-log: unknown key fiel; valid keys: file");
    }

    @Test
    void aFileThatIsNotTextIsRefusedNamingTheSection() {
        assertThatThrownBy(() -> AuditLogSettings.from(settings(Map.of("file", List.of("/a", "/b")))))
                .isInstanceOf(InvalidAuditLogSettingsException.class)
                .hasMessageStartingWith("pluginSettings.audit-log: ");
    }
}
