package io.qeventd.runtime.config;

import static io.qeventd.runtime.config.ConfigFixtures.file;
import static org.assertj.core.api.Assertions.assertThat;

import io.qeventd.api.Nic;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ValidConfigTest {

    @Test
    void fullFileSetsEveryKey() throws Exception {
        Path file = file("full.yaml");
        Path dir = file.getParent();

        QeventdConfig config = ConfigLoader.load(file);

        assertThat(config.source()).isEqualTo(file.toString());
        assertThat(config.plugins()).isEqualTo(new PluginsConfig(dir.resolve("lib/plugins"), false, true));
        assertThat(config.workers()).isEqualTo(8);
        assertThat(config.readers()).isEqualTo(2);
        assertThat(config.queueLimit()).isEqualTo(256);
        assertThat(config.dispatch()).isEqualTo(DispatchMode.PER_DOMAIN);
        assertThat(config.journal()).contains(dir.resolve("state/journal.log"));
        assertThat(config.commandTimeout()).isEqualTo(Duration.ofSeconds(45));
        assertThat(config.slowThreshold()).isEqualTo(Duration.ofMillis(2500));
        assertThat(config.reloadDrainTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(config.connectTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(config.admin().socket()).isEqualTo(dir.resolve("run/admin.sock"));
        assertThat(config.log()).isEqualTo(new LogConfig(LogConfig.Level.DEBUG, LogConfig.Format.JSON));
        assertThat(config.domains()).containsExactly(
                new DomainConfig("vm1", Path.of("/run/qemu/vm1.qmp"), false, Duration.ofHours(1), List.of(
                        new NicConfig("net0", "mvt0", Optional.of("tenant1"), true),
                        new NicConfig("net1", "mvt1", Optional.empty(), false))),
                new DomainConfig("web-02.prod", dir.resolve("sockets/web.qmp"), true, Duration.ofSeconds(30),
                        List.of()));
        assertThat(config.pluginSettings()).containsOnlyKeys("rx-filter", "empty-plugin");
        assertThat(config.discover()).contains(new DiscoverConfig(Path.of("/run/qemu/sockets"), "vm-*.sock"));
    }

    @Test
    void relativePathsAreTakenFromTheConfigurationFilesDirectory() throws Exception {
        QeventdConfig config = ConfigLoader.parse("""
                plugins:
                  dir: ../lib/qeventd/plugins
                journal: journal.log
                domains:
                  - name: vm1
                    qmp: ./sockets/vm1.qmp
                """, "qeventd.yaml", Path.of("/etc/qeventd"));

        assertThat(config.plugins().dir()).isEqualTo(Path.of("/etc/lib/qeventd/plugins"));
        assertThat(config.journal()).contains(Path.of("/etc/qeventd/journal.log"));
        assertThat(config.domains().get(0).qmp()).isEqualTo(Path.of("/etc/qeventd/sockets/vm1.qmp"));
    }

    @Test
    void pluginSettingsAreKeptAsPlainValues() throws Exception {
        QeventdConfig config = ConfigLoader.load(file("full.yaml"));

        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("enabled", true);
        nested.put("nothing", null);
        assertThat(config.pluginSettings("rx-filter")).containsExactly(
                Map.entry("mode", "mirror"),
                Map.entry("limits", Arrays.asList(1, 2.5, "three")),
                Map.entry("nested", nested));
        assertThat(config.pluginSettings("empty-plugin")).isEmpty();
        assertThat(config.pluginSettings("not-configured")).isEmpty();
    }

    @Test
    void nicConvertsToTheApiRecord() throws Exception {
        DomainConfig vm1 = ConfigLoader.load(file("full.yaml")).domain("vm1").orElseThrow();

        assertThat(vm1.apiNics()).containsExactly(
                new Nic("net0", "mvt0", "tenant1", true),
                new Nic("net1", "mvt1", null, false));
        assertThat(vm1.nic("net1").map(NicConfig::toNic)).contains(new Nic("net1", "mvt1", null, false));
    }

    @Test
    void globalFifoRunsOneWorker() throws Exception {
        QeventdConfig config = ConfigLoader.parse("dispatch: global-fifo\n", "qeventd.yaml", Path.of("/etc/qeventd"));

        assertThat(config.dispatch()).isEqualTo(DispatchMode.GLOBAL_FIFO);
        assertThat(config.workers()).isEqualTo(1);
    }

    @Test
    void choicesIgnoreCase() throws Exception {
        QeventdConfig config = ConfigLoader.parse("log:\n  level: WARN\n  format: Json\n", "qeventd.yaml",
                Path.of("/etc/qeventd"));

        assertThat(config.log()).isEqualTo(new LogConfig(LogConfig.Level.WARN, LogConfig.Format.JSON));
    }

    @Test
    void explicitNullJournalMeansNoJournal() throws Exception {
        QeventdConfig config = ConfigLoader.parse("journal: null\n", "qeventd.yaml", Path.of("/etc/qeventd"));

        assertThat(config.journal()).isEmpty();
    }

    @Test
    void discoveredSocketsAreNamedAfterTheirFile() throws Exception {
        DiscoverConfig discover = ConfigLoader.parse("discover:\n  dir: /run/qemu\n", "qeventd.yaml",
                Path.of("/etc/qeventd")).discover().orElseThrow();

        assertThat(discover.glob()).isEqualTo("*.qmp");
        assertThat(discover.domainNameFor(Path.of("/run/qemu/vm1.qmp"))).contains("vm1");
        assertThat(discover.domainNameFor(Path.of("/run/qemu/web.prod.qmp"))).contains("web.prod");
        assertThat(discover.domainNameFor(Path.of("/run/qemu/vm1.sock"))).isEmpty();
        assertThat(discover.domainNameFor(Path.of("/run/qemu/bad name.qmp"))).isEmpty();
    }
}
