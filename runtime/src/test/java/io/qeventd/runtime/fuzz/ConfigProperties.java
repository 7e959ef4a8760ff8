package io.qeventd.runtime.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.qeventd.runtime.config.ConfigException;
import io.qeventd.runtime.config.ConfigLoader;
import io.qeventd.runtime.config.QeventdConfig;
import java.nio.file.Path;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Configuration text, fuzzed from a seed that uses every section: the loader returns a configuration or
 * refuses it with problems that each name a position, and never fails any other way.
 */
class ConfigProperties {
    private static final String SEED = """
            workers: 4
            queueLimit: 1024
            journal: /var/log/qeventd/journal.jsonl
            journalSync: interval
            processTimeout: 30s
            plugins:
              dir: /usr/lib/qeventd/plugins
              watch: true
            admin:
              socket: /run/qeventd/admin.sock
            log:
              level: info
              format: json
            discover:
              dir: /run/qemu
              glob: "*.qmp"
            domains:
              - name: vm1
                qmp: /run/qemu/vm1.qmp
                nics:
                  - alias: net0
                    hostDevice: macvtap0
                    trustGuestRxFilters: true
            pluginSettings:
              audit-log:
                path: /tmp/a.jsonl
            """;

    @Provide
    Arbitrary<String> configs() {
        Arbitrary<String> mutated = Combinators.combine(
                Arbitraries.integers().between(0, SEED.length() - 1),
                Arbitraries.integers().between(0, 20),
                Arbitraries.strings().ofMaxLength(12).withChars(" :-\n\t\"'{}[]&*!|>%@`#,?0123456789abcxyz\\"))
                .as((at, drop, insert) -> SEED.substring(0, at) + insert
                        + SEED.substring(Math.min(SEED.length(), at + drop)));
        return Arbitraries.oneOf(mutated, Arbitraries.strings().ofMaxLength(200));
    }

    @Property(tries = 1500)
    void aConfigurationIsReadOrRefusedWithPositionsNeverAnythingElse(@ForAll("configs") String yaml) {
        try {
            QeventdConfig c = ConfigLoader.parse(yaml, "fuzz.yaml", Path.of("/etc/qeventd"));
            assertThat(c).isNotNull();
        } catch (ConfigException e) {
            assertThat(e.errors()).isNotEmpty();
            assertThat(e.getMessage()).startsWith("fuzz.yaml");
        }
    }
}
