package io.qeventd.runtime.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConfigDefaultsTest {
    private static final Path CONFIG_DIR = Path.of("/etc/qeventd");

    @Test
    void defaultsAreTheDocumentedValues() {
        QeventdConfig config = QeventdConfig.defaults();

        assertThat(config.source()).isEqualTo("built-in defaults");
        assertThat(config.plugins()).isEqualTo(new PluginsConfig(Path.of("plugins").toAbsolutePath(), true, false));
        assertThat(config.workers()).isEqualTo(4);
        assertThat(config.readers()).isEqualTo(1);
        assertThat(config.queueLimit()).isEqualTo(16_384);
        assertThat(config.dispatch()).isEqualTo(DispatchMode.PER_DOMAIN);
        assertThat(config.journal()).isEmpty();
        assertThat(config.commandTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.slowThreshold()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.reloadDrainTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.admin().socket()).isEqualTo(AdminConfig.defaultSocket(ProcessUser.current()));
        assertThat(config.log()).isEqualTo(new LogConfig(LogConfig.Level.INFO, LogConfig.Format.TEXT));
        assertThat(config.domains()).isEmpty();
        assertThat(config.pluginSettings()).isEmpty();
        assertThat(config.discover()).isEmpty();
    }

    @Test
    void emptyFileGivesTheDefaultsWithPluginsBesideIt() throws Exception {
        QeventdConfig config = ConfigLoader.parse("", "qeventd.yaml", CONFIG_DIR);

        assertThat(config.plugins().dir()).isEqualTo(Path.of("/etc/qeventd/plugins"));
        assertThat(config).usingRecursiveComparison().ignoringFields("source")
                .isEqualTo(ConfigLoader.defaults(CONFIG_DIR, ProcessUser.current()));
    }

    @Test
    void fileOfCommentsAndEmptySectionsGivesTheDefaults() throws Exception {
        QeventdConfig config = ConfigLoader.parse("""
                # nothing set yet
                plugins:
                admin:
                log:
                domains:
                pluginSettings:
                discover:
                """, "qeventd.yaml", CONFIG_DIR);

        assertThat(config).usingRecursiveComparison().ignoringFields("source")
                .isEqualTo(ConfigLoader.defaults(CONFIG_DIR, ProcessUser.current()));
    }

    @Test
    void adminSocketOfRootIsUnderRun() throws Exception {
        ProcessUser root = new ProcessUser(0, Optional.of(Path.of("/run/user/0")));

        assertThat(ConfigLoader.parse("", "qeventd.yaml", CONFIG_DIR, root).admin().socket())
                .isEqualTo(Path.of("/run/qeventd/admin.sock"));
    }

    @Test
    void adminSocketOfAnotherUserIsUnderTheirRuntimeDir() throws Exception {
        ProcessUser user = new ProcessUser(1000, Optional.of(Path.of("/run/user/1000")));

        assertThat(ConfigLoader.parse("", "qeventd.yaml", CONFIG_DIR, user).admin().socket())
                .isEqualTo(Path.of("/run/user/1000/qeventd/admin.sock"));
    }

    @Test
    void adminSocketWithoutRuntimeDirIsUnderTmpByUid() throws Exception {
        ProcessUser user = new ProcessUser(1000, Optional.empty());

        assertThat(ConfigLoader.parse("", "qeventd.yaml", CONFIG_DIR, user).admin().socket())
                .isEqualTo(Path.of("/tmp/qeventd-1000/admin.sock"));
    }

    @Test
    void relativeOrEmptyXdgRuntimeDirIsIgnored() {
        assertThat(ProcessUser.xdgRuntimeDir("run/user/1000")).isEmpty();
        assertThat(ProcessUser.xdgRuntimeDir("")).isEmpty();
        assertThat(ProcessUser.xdgRuntimeDir(null)).isEmpty();
        assertThat(ProcessUser.xdgRuntimeDir("/run/user/1000")).contains(Path.of("/run/user/1000"));
    }

    @Test
    void currentUserIsReadFromTheSystem() {
        // The build runs as root on the project's machines, but any user must be read correctly.
        long uid = ProcessUser.current().uid();
        String name = System.getProperty("user.name");

        assertThat(uid == 0).isEqualTo(name.equals("root"));
    }
}
