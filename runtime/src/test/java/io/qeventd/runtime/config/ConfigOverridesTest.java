package io.qeventd.runtime.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigOverridesTest {
    private static final String TWO_DOMAINS = """
            domains:
              - name: vm1
                qmp: /run/qemu/vm1.qmp
              - name: vm2
                qmp: /run/qemu/vm2.qmp
            """;

    private static QeventdConfig twoDomains() throws ConfigException {
        return ConfigLoader.parse(TWO_DOMAINS, "qeventd.yaml", Path.of("/etc/qeventd"));
    }

    @Test
    void pluginsDirOverrideChangesNothingElse() throws Exception {
        QeventdConfig original = twoDomains();

        QeventdConfig overridden = original.withPluginsDir(Path.of("/srv/plugins"));

        assertThat(overridden.plugins()).isEqualTo(new PluginsConfig(Path.of("/srv/plugins"), true, false));
        assertThat(overridden).usingRecursiveComparison().ignoringFields("plugins").isEqualTo(original);
        assertThat(original.plugins().dir()).isEqualTo(Path.of("/etc/qeventd/plugins"));
    }

    @Test
    void relativeOverridesAreTakenFromTheWorkingDirectory() throws Exception {
        QeventdConfig overridden = twoDomains().withPluginsDir(Path.of("build/plugins")).withJournal(Path.of("j.log"));

        assertThat(overridden.plugins().dir()).isEqualTo(Path.of("build/plugins").toAbsolutePath());
        assertThat(overridden.journal()).contains(Path.of("j.log").toAbsolutePath());
    }

    @Test
    void journalOverrideEnablesTheJournal() throws Exception {
        QeventdConfig original = twoDomains();

        QeventdConfig overridden = original.withJournal(Path.of("/var/lib/qeventd/journal"));

        assertThat(overridden.journal()).contains(Path.of("/var/lib/qeventd/journal"));
        assertThat(overridden).usingRecursiveComparison().ignoringFields("journal").isEqualTo(original);
        assertThat(original.journal()).isEmpty();
    }

    @Test
    void addedDomainsComeAfterTheConfiguredOnes() throws Exception {
        DomainConfig vm3 = DomainConfig.parseQmpFlag("vm3=/run/qemu/vm3.qmp");

        QeventdConfig config = twoDomains().withDomainsAdded(List.of(vm3));

        assertThat(config.domains()).extracting(DomainConfig::name).containsExactly("vm1", "vm2", "vm3");
    }

    @Test
    void addedDomainsMayNotReuseANameAndEveryClashIsListed() throws Exception {
        List<DomainConfig> added = List.of(
                DomainConfig.withDefaults("vm2", Path.of("/tmp/a.qmp")),
                DomainConfig.withDefaults("vm3", Path.of("/tmp/b.qmp")),
                DomainConfig.withDefaults("vm3", Path.of("/tmp/c.qmp")));
        QeventdConfig config = twoDomains();

        ConfigException e = catchThrowableOfType(ConfigException.class, () -> config.withDomainsAdded(added));

        assertThat(e.getMessage()).isEqualTo("""
                domains: duplicate domain name 'vm2' (already defined in qeventd.yaml)
                domains: duplicate domain name 'vm3' (given twice)""");
    }

    @Test
    void qmpFlagGivesADomainWithTheFileDefaults() throws Exception {
        DomainConfig domain = DomainConfig.parseQmpFlag("vm1=/run/qemu/vm1=x.qmp");

        assertThat(domain).isEqualTo(new DomainConfig("vm1", Path.of("/run/qemu/vm1=x.qmp"), true,
                DomainConfig.DEFAULT_RECONNECT_MAX_DELAY, List.of()));
        assertThat(DomainConfig.parseQmpFlag("vm1=vm1.qmp").qmp()).isEqualTo(Path.of("vm1.qmp").toAbsolutePath());
    }

    @Test
    void qmpFlagErrorsSayWhatWasExpected() {
        assertThat(qmpFlagError("vm1")).isEqualTo("--qmp expects NAME=SOCKET, got 'vm1'");
        assertThat(qmpFlagError("=/run/qemu/vm1.qmp"))
                .isEqualTo("--qmp expects NAME=SOCKET, got '=/run/qemu/vm1.qmp': the name is empty");
        assertThat(qmpFlagError("vm1="))
                .isEqualTo("--qmp expects NAME=SOCKET, got 'vm1=': the socket path is empty");
        assertThat(qmpFlagError("my vm=/x.qmp")).isEqualTo("--qmp expects NAME=SOCKET, got 'my vm=/x.qmp':"
                + " domain name 'my vm' may contain only letters, digits, '.', '_' and '-'");
    }

    private static String qmpFlagError(String flag) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> DomainConfig.parseQmpFlag(flag));
        assertThat(e).as("--qmp %s must be refused", flag).isNotNull();
        return e.getMessage();
    }
}
