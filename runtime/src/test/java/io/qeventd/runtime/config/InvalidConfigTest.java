package io.qeventd.runtime.config;

import static io.qeventd.runtime.config.ConfigFixtures.file;
import static io.qeventd.runtime.config.ConfigFixtures.refused;
import static io.qeventd.runtime.config.ConfigFixtures.refusedText;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.assertj.core.api.AbstractListAssert;
import org.assertj.core.api.ObjectAssert;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InvalidConfigTest {

    @Test
    void wrongTypeNamesTheExpectedTypeAndWhatWasFound() {
        ConfigException e = refused("wrong-type.yaml");

        assertErrors(e).containsExactly(tuple(7, 10, "domains[1].qmp", "expected a socket path (string), got a number"));
        assertThat(e.getMessage()).isEqualTo(
                file("wrong-type.yaml") + ":7:10: domains[1].qmp: expected a socket path (string), got a number");
    }

    @Test
    void unknownKeysGetADidYouMeanHintOrTheListOfValidKeys() {
        ConfigException e = refused("unknown-key.yaml");

        assertErrors(e).containsExactly(
                tuple(3, 3, "plugins", "unknown key 'wach' (did you mean 'watch'?)"),
                tuple(4, 1, "", "unknown key 'worker' (did you mean 'workers'?)"),
                tuple(5, 1, "", "unknown key 'colour'; valid keys here: admin, commandTimeout, connectTimeout,"
                        + " discover, dispatch, domains, events, journal, journalRotate, journalSync, kafka, log,"
                        + " metrics, pluginSettings, plugins, processTimeout, queueLimit, queueLimitTotal, readers,"
                        + " reloadDrainTimeout, slowThreshold, workers"));
    }

    @Test
    void unknownTopLevelKeyRendersWithoutAKeyPath() {
        ConfigException e = refusedText("# qeventd\n\nworker: 8\n");

        assertThat(e.getMessage()).isEqualTo("qeventd.yaml:3:1: unknown key 'worker' (did you mean 'workers'?)");
    }

    @Test
    void truncatedAndMiscapitalisedKeysAreRecognised() {
        ConfigException e = refusedText("""
                queuelimit: 10
                domains:
                  - name: vm1
                    qmp: /q
                    nics:
                      - alias: net0
                        hostdev: mvt0
                """);

        assertErrors(e).containsExactly(
                tuple(1, 1, "", "unknown key 'queuelimit' (did you mean 'queueLimit'?)"),
                tuple(6, 9, "domains[0].nics[0]", "missing required key 'hostDevice' (a host network interface name)"),
                tuple(7, 9, "domains[0].nics[0]", "unknown key 'hostdev' (did you mean 'hostDevice'?)"));
    }

    @Test
    void keyWrittenAtTheWrongLevelIsPointedToWhereItBelongs() {
        ConfigException e = refusedText("""
                watch: false
                domains:
                  - name: vm1
                    qmp: /q
                    hostDevice: mvt0
                    nics:
                      - alias: net0
                        hostDevice: mvt0
                log:
                  dir: /var/log
                discover:
                  dir: /run/qemu
                """);

        assertErrors(e).containsExactly(
                tuple(1, 1, "", "unknown key 'watch' (did you mean 'plugins.watch'?)"),
                tuple(5, 5, "domains[0]", "unknown key 'hostDevice' (did you mean 'domains[].nics[].hostDevice'?)"),
                tuple(10, 3, "log", "unknown key 'dir' (did you mean 'plugins.dir' or 'discover.dir'?)"));
    }

    @Test
    void dottedKeyIsExplainedAsNesting() {
        ConfigException e = refusedText("plugins.dir: /srv/plugins\n");

        assertErrors(e).containsExactly(tuple(1, 1, "",
                "unknown key 'plugins.dir'; nested keys are written as 'plugins:' with 'dir:' indented below it"));
    }

    @Test
    void missingRequiredKeyPointsAtTheEnclosingMapping() {
        ConfigException e = refused("missing-qmp.yaml");

        assertErrors(e).containsExactly(
                tuple(4, 5, "domains[1]", "missing required key 'qmp' (a socket path)"),
                tuple(7, 9, "domains[1].nics[0]", "missing required key 'alias' (the QEMU device id)"));
    }

    @Test
    void duplicateDomainNamePointsAtTheSecondAndNamesTheFirst() {
        ConfigException e = refused("duplicate-domain.yaml");

        assertErrors(e).containsExactly(
                tuple(7, 11, "domains[2].name", "duplicate domain name 'vm1' (first at line 3)"));
    }

    @Test
    void nicAliasMustBeUniqueWithinItsDomainOnly() {
        ConfigException e = refused("duplicate-nic-alias.yaml");

        assertErrors(e).containsExactly(
                tuple(7, 16, "domains[0].nics[1].alias", "duplicate NIC alias 'net0' (first at line 5)"));
    }

    @Test
    void badDurationsSayWhatIsAccepted() {
        ConfigException e = refused("bad-duration.yaml");

        String expected = "expected a duration (e.g. 30s, 500ms, 2m, 1h, PT30S, or a number of seconds), got ";
        assertErrors(e).containsExactly(
                tuple(1, 17, "commandTimeout", expected + "'30 sec'"),
                tuple(2, 16, "slowThreshold", "expected a duration greater than zero, got '0s'"),
                tuple(3, 17, "connectTimeout", expected + "'1.5'"),
                tuple(7, 24, "domains[0].reconnectMaxDelay", expected + "'PT'"));
    }

    @Test
    void badEnumValueListsTheChoices() {
        ConfigException e = refused("bad-enum.yaml");

        assertErrors(e).containsExactly(
                tuple(1, 11, "dispatch", "expected one of per-domain, global-fifo, got 'global_fifo'"
                        + " (did you mean 'global-fifo'?)"),
                tuple(3, 10, "log.level", "expected one of trace, debug, info, warn, error, got 'verbose'"));
    }

    @Test
    void yamlSyntaxErrorHasLineAndColumn() {
        ConfigException e = refused("syntax-error.yaml");

        assertErrors(e).containsExactly(tuple(5, 8, "",
                "YAML syntax error: expected ',' or ']', but got : (while parsing a flow sequence at line 4, column 10)"));
    }

    @Test
    void tabIndentationIsASyntaxError() {
        ConfigException e = refused("tab-indent.yaml");

        assertThat(e.errors()).singleElement().satisfies(error -> {
            assertThat(error.line()).isEqualTo(2);
            assertThat(error.column()).isEqualTo(1);
            assertThat(error.message()).startsWith("YAML syntax error: ").contains("Do not use \\t(TAB) for indentation");
        });
    }

    @Test
    void duplicateYamlKeysAreErrorsAtEveryLevel() {
        ConfigException e = refused("duplicate-yaml-key.yaml");

        assertErrors(e).containsExactly(
                tuple(4, 3, "log", "duplicate key 'level' (first at line 3)"),
                tuple(5, 1, "", "duplicate key 'workers' (first at line 1)"));
    }

    @Test
    void everyErrorOfAFileIsReportedInFileOrder() {
        ConfigException e = refused("several-errors.yaml");

        assertErrors(e).containsExactly(
                tuple(2, 10, "workers", "expected an integer >= 1, got 0"),
                tuple(3, 10, "readers", "expected an integer >= 1, got 'many'"),
                tuple(5, 10, "plugins.watch", "expected true or false, got 'sometimes'"),
                tuple(7, 11, "domains[0].name", "domain name 'vm 1' may contain only letters, digits, '.', '_' and '-'"),
                tuple(10, 16, "domains[0].nics[0].alias", "'0net' is not a QEMU device id: it must start with a letter"
                        + " and contain only letters, digits, '-', '.' and '_'"),
                tuple(11, 21, "domains[0].nics[0].hostDevice", "'a-very-long-interface-name' is longer than the 15"
                        + " characters Linux allows for a network interface name"),
                tuple(12, 5, "domains[1]", "missing required key 'name' (a domain name)"),
                tuple(14, 3, "discover", "missing required key 'dir' (a directory path)"),
                tuple(14, 9, "discover.glob", "'*/x.qmp' contains '/', but the pattern is matched against file names only"));
        assertThat(e.getMessage().lines()).hasSize(9).allMatch(line -> line.startsWith(file("several-errors.yaml") + ":"));
    }

    @Test
    void sectionsListsAndNumbersOfTheWrongShapeAreReported() {
        ConfigException e = refused("wrong-shapes.yaml");

        assertErrors(e).containsExactly(
                tuple(1, 10, "plugins", "expected a mapping of keys, got '/srv/plugins'"),
                tuple(3, 3, "domains", "expected a list, got a mapping (start each item with '- ')"),
                tuple(6, 14, "pluginSettings.rx-filter", "expected a plugin's settings (a mapping of keys), got a boolean"),
                tuple(7, 13, "queueLimit", "expected an integer >= 1 and <= 2147483647, got 99999999999"),
                tuple(8, 10, "journal", "expected a file path, got an empty string"));
    }

    @Test
    void globalFifoRefusesMoreThanOneWorker() {
        ConfigException e = refused("global-fifo-workers.yaml");

        assertErrors(e).containsExactly(tuple(2, 10, "workers",
                "dispatch 'global-fifo' runs exactly one worker; remove 'workers' or set it to 1"));
    }

    @Test
    void yamlAliasesAreRefusedRatherThanReadAsText() {
        ConfigException e = refused("alias.yaml");

        assertErrors(e).containsExactly(tuple(5, 10, "domains[1].qmp",
                "YAML aliases (*socket) are not supported; write the value out in full"));
    }

    @Test
    void onlyOneYamlDocumentIsAllowed() {
        ConfigException e = refused("two-documents.yaml");

        assertErrors(e).containsExactly(tuple(3, 1, "", "only one YAML document is allowed, but another one starts here"));
    }

    @Test
    void rootMustBeAMapping() {
        ConfigException e = refused("root-list.yaml");

        assertErrors(e).containsExactly(tuple(1, 1, "", "the configuration must be a mapping of keys to values, got a list"));
    }

    @Test
    void domainGivenAsAPlainStringIsReported() {
        ConfigException e = refusedText("domains:\n  - vm1\n");

        assertErrors(e).containsExactly(tuple(2, 5, "domains[0]", "expected a domain (a mapping of keys), got 'vm1'"));
    }

    @Test
    void missingFileIsReportedWithItsPath(@TempDir Path dir) {
        Path missing = dir.resolve("qeventd.yaml");

        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(missing));

        assertThat(e.getMessage()).isEqualTo(missing + ": cannot read the configuration file: no such file");
    }

    @Test
    void directoryIsNotAConfigurationFile(@TempDir Path dir) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(dir));

        assertThat(e.getMessage()).isEqualTo(dir + ": cannot read the configuration file: it is a directory");
    }

    @Test
    void fileThatIsNotUtf8IsReported(@TempDir Path dir) throws Exception {
        Path latin1 = dir.resolve("qeventd.yaml");
        Files.write(latin1, new byte[] {'l', 'o', 'g', ':', ' ', (byte) 0xE9, '\n'});

        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(latin1));

        assertThat(e.getMessage()).isEqualTo(latin1 + ": cannot read the configuration file: it is not UTF-8 text");
    }

    private static AbstractListAssert<?, List<? extends Tuple>, Tuple, ObjectAssert<Tuple>> assertErrors(ConfigException e) {
        return assertThat(e.errors()).extracting(ConfigError::line, ConfigError::column, ConfigError::key,
                ConfigError::message);
    }
}
