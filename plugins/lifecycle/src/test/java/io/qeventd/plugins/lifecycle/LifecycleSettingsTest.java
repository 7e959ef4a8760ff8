package io.qeventd.plugins.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.qeventd.runtime.plugin.MapPluginSettings;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LifecycleSettingsTest {
    @TempDir
    Path tmp;

    private static LifecycleSettings read(Map<String, Object> map) {
        return LifecycleSettings.from(new MapPluginSettings(map, new ObjectMapper()));
    }

    @Test
    void withoutSettingsQemuIsKeptAndACrashedGuestPreserved() {
        assertThat(read(Map.of()).policy("vm1")).isEqualTo(DomainPolicy.DEFAULT);
    }

    @Test
    void aDomainOverridesThePluginWidePolicy() {
        LifecycleSettings s = read(Map.of("onCrash", "quit", "dumpDirectory", tmp.toString(),
                "domains", Map.of("vm1", Map.of("onCrash", "reset", "onPoweroff", "quit"))));
        assertThat(s.policy("vm1")).isEqualTo(new DomainPolicy(PoweroffAction.QUIT, CrashAction.RESET, Optional.of(tmp)));
        assertThat(s.policy("vm2")).isEqualTo(new DomainPolicy(PoweroffAction.KEEP, CrashAction.QUIT, Optional.of(tmp)));
    }

    @Test
    void badValuesAreRefusedNamingTheKey() {
        assertThatThrownBy(() -> read(Map.of("onCrash", "restart")))
                .hasMessage("pluginSettings.lifecycle.onCrash: 'restart' is not one of preserve, reset, quit");
        assertThatThrownBy(() -> read(Map.of("onPowerof", "quit")))
                .hasMessageStartingWith("pluginSettings.lifecycle.onPowerof: unknown key");
        assertThatThrownBy(() -> read(Map.of("domains", Map.of("vm1", Map.of("dumpDirectory", "dumps")))))
                .hasMessageStartingWith("pluginSettings.lifecycle.domains.vm1.dumpDirectory: 'dumps' is not an absolute path");
        assertThatThrownBy(() -> read(Map.of("dumpDirectory", tmp.resolve("missing").toString())))
                .hasMessageEndingWith("missing is not a directory");
    }
}
