package io.qeventd.runtime.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.qeventd.api.Nic;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The shipped example file and the reference documentation stay in step with the binder. */
class ExampleConfigTest {
    /** Surefire runs in the module directory; the example sits at the repository root. */
    private static final Path EXAMPLE = Path.of("..", "conf", "qeventd.yaml");
    private static final Path CONFIG_DIR = Path.of("/etc/qeventd");

    private static String example;
    private static Set<String> keyPaths;

    @BeforeAll
    static void readExampleAndKeys() throws IOException {
        example = Files.readString(EXAMPLE);
        keyPaths = keysAskedWhileBinding(Files.readString(ConfigFixtures.file("full.yaml")));
    }

    @Test
    void exampleLoadsWithItsOneDomain() throws Exception {
        QeventdConfig config = ConfigLoader.parse(example, "qeventd.yaml", CONFIG_DIR);

        assertThat(config.domains()).singleElement().satisfies(domain -> {
            assertThat(domain.name()).isEqualTo("vm1");
            assertThat(domain.qmp()).isEqualTo(Path.of("/run/qemu/vm1.qmp"));
            assertThat(domain.apiNics()).containsExactly(new Nic("net0", "macvtap0", null, false));
        });
    }

    @Test
    void exampleStatesTheDefaults() throws Exception {
        QeventdConfig config = ConfigLoader.parse(example, "qeventd.yaml", CONFIG_DIR);

        assertThat(config).usingRecursiveComparison().ignoringFields("source", "domains")
                .isEqualTo(ConfigLoader.defaults(CONFIG_DIR, ProcessUser.current()));
        assertThat(config.domains().get(0)).usingRecursiveComparison().ignoringFields("name", "qmp", "nics")
                .isEqualTo(DomainConfig.withDefaults("any", Path.of("/any")));
    }

    @Test
    void everyKeyAppearsInTheExample() {
        assertThat(keyPaths).hasSizeGreaterThan(25).allSatisfy(key -> {
            String leaf = key.substring(key.lastIndexOf('.') + 1).replace("[]", "");
            assertThat(example).as("the example mentions %s", key).containsPattern("(?m)^\\s*#?\\s*(- )?" + leaf + ":");
        });
    }

    @Test
    void everyKeyHasARowInTheReference() throws IOException {
        // Surefire runs in the module directory; the docs sit at the repository root.
        String reference = Files.readString(Path.of("..", "docs", "configuration.md"));

        assertThat(keyPaths).allSatisfy(key ->
                assertThat(reference).as("docs/configuration.md has a row for %s", key).contains("| `" + key + "` |"));
    }

    /** Every key path the binder reads, found by binding a file that has every section. */
    private static Set<String> keysAskedWhileBinding(String yaml) {
        ConfigErrors errors = new ConfigErrors("full.yaml");
        BindingContext context = new BindingContext(errors, CONFIG_DIR, ProcessUser.current());
        new ConfigBinder(context).bind(new YamlTreeReader(errors).read(yaml).orElseThrow());
        assertThat(errors.isEmpty()).as("full.yaml binds without errors").isTrue();
        return context.keyPaths();
    }
}
