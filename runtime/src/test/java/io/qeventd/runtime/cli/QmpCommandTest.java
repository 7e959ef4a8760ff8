package io.qeventd.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qeventd.testkit.qmp.FakeQmpServer;
import io.qeventd.testkit.qmp.Reply;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import io.qeventd.runtime.testing.FakeQmpFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

/** {@code qeventd qmp}: one command against a real socket, its result on stdout, failures on stderr with exit codes. */
class QmpCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What one run of the command line printed and returned. */
    private record Run(int exitCode, String out, String err) {
    }

    @RegisterExtension
    final FakeQmpFixture fake = new FakeQmpFixture();

    @Test
    void printsTheReturnValueAsJsonAndExitsZero() throws Exception {
        Run run = qeventd("qmp", "--socket", fake.server().socket().toString(), "query-status");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(Main.OK);
        assertThat(run.out().lines()).hasSize(1);
        assertThat(JSON.readTree(run.out())).isEqualTo(JSON.readTree(
                "{\"status\": \"running\", \"singlestep\": false, \"running\": true}"));
        assertThat(run.err()).isEmpty();
    }

    @Test
    void passesTheArgumentsJsonAndPrettyPrintsOnRequest() throws Exception {
        fake.server().respond("query-rx-filter", args -> Reply.ok(List.of(Map.of("name", args.path("name").asText(),
                "vlan-table", List.of(0, 1, 2)))));

        Run run = qeventd("qmp", "--socket", fake.server().socket().toString(), "--pretty",
                "query-rx-filter", "{\"name\": \"net0\"}");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(Main.OK);
        JsonNode printed = JSON.readTree(run.out());
        assertThat(printed.get(0).path("name").asText()).isEqualTo("net0");
        assertThat(run.out().lines().count()).isGreaterThan(3);
        assertThat(fake.server().awaitCommand("query-rx-filter", Duration.ofSeconds(5)).arguments())
                .isEqualTo(JSON.readTree("{\"name\": \"net0\"}"));
    }

    @Test
    void aQmpErrorGoesToStderrWithClassAndDescriptionAndExitsOne() {
        fake.server().respond("device_del", args -> Reply.error("DeviceNotFound", "Device 'nic9' not found"));

        Run run = qeventd("qmp", "--socket", fake.server().socket().toString(), "device_del", "{\"id\": \"nic9\"}");

        assertThat(run.exitCode()).isEqualTo(Main.FAILURE);
        assertThat(run.err()).contains("DeviceNotFound: Device 'nic9' not found");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void noReplyInTimeExitsOne() {
        fake.server().respond("hang", args -> Reply.none());

        Run run = qeventd("qmp", "--socket", fake.server().socket().toString(), "--timeout", "200ms", "hang");

        assertThat(run.exitCode()).isEqualTo(Main.FAILURE);
        assertThat(run.err()).contains("hang: no reply within 200 ms");
    }

    @Test
    void aMissingSocketExitsTwoWithAClearMessage() {
        Path missing = fake.dir().resolve("no-such-vm.sock");

        Run run = qeventd("qmp", "--socket", missing.toString(), "query-status");

        assertThat(run.exitCode()).isEqualTo(Main.USAGE);
        assertThat(run.err()).contains("cannot connect").contains(missing.toString());
        assertThat(run.out()).isEmpty();
    }

    @Test
    void aSocketWithoutGreetingExitsTwoAfterTheConnectTimeout() throws Exception {
        try (FakeQmpServer mute = FakeQmpServer.builder().withholdGreeting().start(fake.dir().resolve("mute.sock"))) {
            Run run = qeventd("qmp", "--socket", mute.socket().toString(), "--connect-timeout", "300ms",
                    "query-status");

            assertThat(run.exitCode()).isEqualTo(Main.USAGE);
            assertThat(run.err()).contains("no QMP greeting within 300 ms");
        }
    }

    @Test
    void invalidArgumentsJsonExitsTwoWithoutConnecting() {
        Run notJson = qeventd("qmp", "--socket", fake.server().socket().toString(), "device_del", "{\"id\": ");
        Run notObject = qeventd("qmp", "--socket", fake.server().socket().toString(), "device_del", "[\"nic9\"]");

        assertThat(notJson.exitCode()).isEqualTo(Main.USAGE);
        assertThat(notJson.err()).contains("ARGUMENTS-JSON is not valid JSON");
        assertThat(notObject.exitCode()).isEqualTo(Main.USAGE);
        assertThat(notObject.err()).contains("ARGUMENTS-JSON must be a JSON object, got array");
        assertThat(fake.server().clientCount()).isZero();
    }

    @Test
    void aMissingSocketOptionIsAUsageError() {
        Run run = qeventd("qmp", "query-status");

        assertThat(run.exitCode()).isEqualTo(Main.USAGE);
        assertThat(run.err()).contains("--socket");
    }

    private static Run qeventd(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }
}
