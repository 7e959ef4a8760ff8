package io.qeventd.testkit.qmp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Map;
import io.qeventd.runtime.testing.FakeQmpFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The scripted exchange: expected commands in order, events spliced before replies, verify(). */
class FakeQmpServerScriptTest {

    @RegisterExtension
    final FakeQmpFixture fake = new FakeQmpFixture();

    @Test
    void scriptedStepsAnswerInOrderWithTheirEventsFirst() throws Exception {
        fake.server().expect("query-rx-filter")
                .withArguments(Map.of("name", "net0"))
                .thenEvent("NIC_RX_FILTER_CHANGED", Map.of("name", "net0"))
                .reply(Reply.ok(new Object[] {Map.of("name", "net0")}));
        fake.server().expect("query-status").reply(Reply.error("GenericError", "scripted failure"));

        try (RawQmpClient client = RawQmpClient.connectNegotiated(fake.server().socket())) {
            client.send("{\"execute\": \"query-rx-filter\", \"arguments\": {\"name\": \"net0\"}, \"id\": 1}");
            JsonNode event = client.readJson();
            assertThat(event.get("event").asText()).isEqualTo("NIC_RX_FILTER_CHANGED");
            assertThat(event.get("data").toString()).isEqualTo("{\"name\":\"net0\"}");
            assertThat(client.readLine()).isEqualTo("{\"return\": [{\"name\": \"net0\"}], \"id\": 1}");

            client.send("{\"execute\": \"query-status\", \"id\": 2}");
            assertThat(client.readJson().at("/error/desc").asText()).isEqualTo("scripted failure");

            client.send("{\"execute\": \"query-status\", \"id\": 3}");
            assertThat(client.readJson().at("/return/status").asText())
                    .as("once the script is used up, built-ins answer again").isEqualTo("running");
        }
        fake.server().verify();
    }

    @Test
    void verifyReportsUnexpectedCommandsAndUnusedSteps() throws Exception {
        fake.server().expect("query-rx-filter").reply(Reply.ok());
        fake.server().expect("query-status").reply(Reply.ok());
        fake.server().expect("query-block");

        try (RawQmpClient client = RawQmpClient.connectNegotiated(fake.server().socket())) {
            client.send("{\"execute\": \"device_del\", \"id\": 1}");
            JsonNode refused = client.readJson();
            assertThat(refused.at("/error/class").asText()).isEqualTo("GenericError");
            assertThat(refused.at("/error/desc").asText()).contains("unexpected command 'device_del'");
        }

        assertThatThrownBy(fake.server()::verify)
                .isInstanceOf(ScriptException.class)
                .satisfies(thrown -> assertThat(((ScriptException) thrown).problems()).satisfiesExactly(
                        unexpected -> assertThat(unexpected).contains("unexpected command 'device_del'")
                                .contains("expects 'query-rx-filter'"),
                        unused -> assertThat(unused).contains("'query-rx-filter' was never received"),
                        unused -> assertThat(unused).contains("'query-status' was never received"),
                        noReply -> assertThat(noReply).contains("expect(\"query-block\") was never given a reply")));
    }

    @Test
    void wrongArgumentsAreAFailureThatUsesUpTheStep() throws Exception {
        fake.server().expect("query-rx-filter").withArguments(Map.of("name", "net0")).reply(Reply.ok());
        try (RawQmpClient client = RawQmpClient.connectNegotiated(fake.server().socket())) {
            client.send("{\"execute\": \"query-rx-filter\", \"arguments\": {\"name\": \"net1\"}, \"id\": 1}");
            assertThat(client.readJson().at("/error/desc").asText()).contains("{\"name\":\"net1\"}");
        }
        assertThatThrownBy(fake.server()::verify).isInstanceOf(ScriptException.class)
                .satisfies(thrown -> assertThat(((ScriptException) thrown).problems()).singleElement()
                        .asString().contains("where the script expects {\"name\":\"net0\"}"));
    }

    @Test
    void aThrowingResponderIsAnsweredAsAnErrorAndReportedByVerify() throws Exception {
        fake.server().respond("query-rx-filter", args -> {
            throw new IllegalArgumentException("no NIC " + args.get("name"));
        });
        try (RawQmpClient client = RawQmpClient.connectNegotiated(fake.server().socket())) {
            client.send("{\"execute\": \"query-rx-filter\", \"arguments\": {\"name\": \"net9\"}, \"id\": 1}");
            assertThat(client.readJson().at("/error/class").asText()).isEqualTo("GenericError");
        }
        assertThatThrownBy(fake.server()::verify).isInstanceOf(ScriptException.class)
                .hasMessageContaining("responder for 'query-rx-filter' threw")
                .hasMessageContaining("no NIC \"net9\"");
    }
}
