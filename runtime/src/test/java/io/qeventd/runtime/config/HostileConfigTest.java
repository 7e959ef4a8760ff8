package io.qeventd.runtime.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Configurations an operator gets wrong, or that were never configurations at all. */
class HostileConfigTest {
    @TempDir
    Path dir;

    private ConfigException refused(String yaml) {
        try {
            ConfigLoader.parse(yaml, "q.yaml", dir);
        } catch (ConfigException e) {
            return e;
        }
        throw new AssertionError("accepted: " + yaml);
    }

    @Test
    void aQmpPathTooLongForAUnixSocketIsRefusedWithItsPosition() {
        String path = dir.resolve("x".repeat(120) + ".qmp").toString();
        ConfigException e = refused("domains:\n  - name: vm1\n    qmp: " + path + "\n");
        assertThat(e.getMessage()).contains("q.yaml:3:10: domains[0].qmp: socket path is")
                .contains("a unix socket path holds at most 107");
    }

    @Test
    void aQmpPathThatIsARegularFileOrADirectoryIsRefused() throws Exception {
        Path file = Files.writeString(dir.resolve("f.qmp"), "not a socket");
        Path d = Files.createDirectory(dir.resolve("d.qmp"));
        ConfigException e = refused("domains:\n  - name: vm1\n    qmp: " + file + "\n  - name: vm2\n    qmp: " + d
                + "\n");
        assertThat(e.getMessage()).contains(file + " is a regular file, not a QMP socket")
                .contains(d + " is a directory, not a QMP socket");
    }

    @Test
    void anEndlessOrHugeFileIsRefusedWithoutReadingItAll() throws Exception {
        assertThatThrownBy(() -> ConfigLoader.load(Path.of("/dev/zero"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("/dev/zero").hasMessageContaining("larger than 1024 KiB");
        Path big = dir.resolve("big.yaml");
        Files.writeString(big, "# " + "x".repeat(ConfigLoader.MAX_BYTES) + "\n");
        assertThatThrownBy(() -> ConfigLoader.load(big)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("larger than");
    }

    @Test
    void journalSyncTakesItsThreeValues() throws Exception {
        assertThat(ConfigLoader.parse("journalSync: always\n", "q.yaml", dir).journalSync().configName())
                .isEqualTo("always");
        assertThat(refused("journalSync: sometimes\n").getMessage()).contains("journalSync")
                .contains("never").contains("interval").contains("always");
    }
}
