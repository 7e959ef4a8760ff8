package io.qeventd.runtime.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigErrorTest {

    @Test
    void rendersFileLineColumnKeyAndMessage() {
        assertThat(new ConfigError("qeventd.yaml", 7, 12, "domains[1].qmp", "expected a socket path (string), got a number")
                .render()).isEqualTo("qeventd.yaml:7:12: domains[1].qmp: expected a socket path (string), got a number");
    }

    @Test
    void leavesOutTheKeyAtTheTopLevel() {
        assertThat(new ConfigError("qeventd.yaml", 3, 1, "", "unknown key 'worker' (did you mean 'workers'?)")
                .render()).isEqualTo("qeventd.yaml:3:1: unknown key 'worker' (did you mean 'workers'?)");
    }

    @Test
    void leavesOutThePositionWhenThereIsNone() {
        assertThat(new ConfigError("/etc/qeventd.yaml", 0, 0, "", "cannot read the configuration file: no such file")
                .render()).isEqualTo("/etc/qeventd.yaml: cannot read the configuration file: no such file");
        assertThat(new ConfigError("", 0, 0, "", "--qmp expects NAME=SOCKET, got 'vm1'").render())
                .isEqualTo("--qmp expects NAME=SOCKET, got 'vm1'");
    }

    @Test
    void exceptionMessageHasOneLinePerError() {
        ConfigException e = new ConfigException(List.of(
                new ConfigError("a.yaml", 1, 1, "", "first"),
                new ConfigError("a.yaml", 2, 5, "log", "second")));

        assertThat(e.getMessage()).isEqualTo("a.yaml:1:1: first\na.yaml:2:5: log: second");
    }
}
