package io.qeventd.testkit.qmp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import io.qeventd.runtime.testing.FakeQmpFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Replies, ids, built-in commands and responders. */
class FakeQmpServerCommandsTest {

    /** Serialised by Jackson in declaration order. */
    record RxFilter(String name, boolean promiscuous) {
    }

    @RegisterExtension
    final FakeQmpFixture fake = new FakeQmpFixture();

    @Test
    void repliesEchoTheIdAsSentOrCarryNone() throws Exception {
        try (RawQmpClient client = RawQmpClient.connectNegotiated(fake.server().socket())) {
            client.send("{\"execute\": \"query-status\", \"id\": 42}");
            assertThat(client.readJson().get("id").toString()).isEqualTo("42");
            client.send("{\"execute\": \"query-status\", \"id\": 2.5}");
            assertThat(client.readJson().get("id").toString()).isEqualTo("2.5");
            client.send("{\"execute\": \"query-status\", \"id\": \"text-id\"}");
            assertThat(client.readJson().get("id").toString()).isEqualTo("\"text-id\"");
            client.send("{\"execute\": \"query-status\", \"id\": {\"seq\": [1, \"a\"], \"n\": null}}");
            assertThat(client.readJson().get("id").toString()).isEqualTo("{\"seq\":[1,\"a\"],\"n\":null}");
            client.send("{\"execute\": \"no-such-command\", \"id\": [7]}");
            assertThat(client.readLine()).isEqualTo("{\"id\": [7], \"error\": {\"class\": \"CommandNotFound\", "
                    + "\"desc\": \"The command no-such-command has not been found\"}}");

            client.send("{\"execute\": \"query-status\"}");
            JsonNode withoutId = client.readJson();
            assertThat(withoutId.has("return")).isTrue();
            assertThat(withoutId.has("id")).isFalse();
        }
    }

    @Test
    void stopContAndResetTrackTheRunStateAndEmitEventsBeforeTheirReplies() throws Exception {
        try (RawQmpClient client = RawQmpClient.connectNegotiated(fake.server().socket())) {
            client.send("{\"execute\": \"query-status\", \"id\": 1}");
            assertThat(client.readLine()).isEqualTo(
                    "{\"return\": {\"status\": \"running\", \"singlestep\": false, \"running\": true}, \"id\": 1}");

            client.send("{\"execute\": \"stop\", \"id\": 2}");
            JsonNode stop = client.readJson();
            assertThat(stop.get("event").asText()).isEqualTo("STOP");
            assertThat(stop.has("data")).isFalse();
            assertThat(stop.at("/timestamp/seconds").asLong()).isPositive();
            assertThat(client.readLine()).isEqualTo("{\"return\": {}, \"id\": 2}");

            client.send("{\"execute\": \"stop\", \"id\": 3}");
            assertThat(client.readLine()).as("stopping a paused VM emits nothing").isEqualTo("{\"return\": {}, \"id\": 3}");
            client.send("{\"execute\": \"query-status\", \"id\": 4}");
            assertThat(client.readJson().at("/return/status").asText()).isEqualTo("paused");

            client.send("{\"execute\": \"cont\", \"id\": 5}");
            assertThat(client.readJson().get("event").asText()).isEqualTo("RESUME");
            assertThat(client.readLine()).isEqualTo("{\"return\": {}, \"id\": 5}");

            client.send("{\"execute\": \"system_reset\", \"id\": 6}");
            JsonNode reset = client.readJson();
            assertThat(reset.get("event").asText()).isEqualTo("RESET");
            assertThat(reset.get("data").toString()).isEqualTo("{\"guest\":false,\"reason\":\"host-qmp-system-reset\"}");
            assertThat(client.readLine()).isEqualTo("{\"return\": {}, \"id\": 6}");

            client.send("{\"execute\": \"cont\", \"arguments\": {\"bogus\": 1}, \"id\": 7}");
            assertThat(client.readLine()).isEqualTo(
                    "{\"id\": 7, \"error\": {\"class\": \"GenericError\", \"desc\": \"Parameter 'bogus' is unexpected\"}}");
        }
    }

    @Test
    void quitSendsShutdownThenTheReplyThenCloses() throws Exception {
        try (RawQmpClient client = RawQmpClient.connectNegotiated(fake.server().socket())) {
            client.send("{\"execute\": \"quit\", \"id\": \"bye\"}");
            JsonNode shutdown = client.readJson();
            assertThat(shutdown.get("event").asText()).isEqualTo("SHUTDOWN");
            assertThat(shutdown.get("data").toString()).isEqualTo("{\"guest\":false,\"reason\":\"host-qmp-quit\"}");
            assertThat(client.readToEnd()).isEqualTo("{\"return\": {}, \"id\": \"bye\"}\r\n");
        }
    }

    @Test
    void respondersAnswerFromTheArgumentsAndOverrideBuiltIns() throws Exception {
        fake.server().respond("query-rx-filter", args -> Reply.ok(
                new RxFilter[] {new RxFilter(args.get("name").asText(), true)}));
        fake.server().respond("query-status", args -> Reply.error("GenericError", "status unavailable"));
        try (RawQmpClient client = RawQmpClient.connectNegotiated(fake.server().socket())) {
            client.send("{\"execute\": \"query-rx-filter\", \"arguments\": {\"name\": \"net0\"}, \"id\": 1}");
            assertThat(client.readLine()).isEqualTo(
                    "{\"return\": [{\"name\": \"net0\", \"promiscuous\": true}], \"id\": 1}");
            client.send("{\"execute\": \"query-status\", \"id\": 2}");
            assertThat(client.readLine()).isEqualTo(
                    "{\"id\": 2, \"error\": {\"class\": \"GenericError\", \"desc\": \"status unavailable\"}}");
        }
    }

    @Test
    void delayedReplyIsOvertakenByTheReplyToALaterCommand() throws Exception {
        fake.server().respond("slow", args -> Reply.after(Duration.ofMillis(300), Reply.ok("late")));
        try (RawQmpClient client = RawQmpClient.connectNegotiated(fake.server().socket())) {
            client.send("{\"execute\": \"slow\", \"id\": 1}");
            client.send("{\"execute\": \"query-status\", \"id\": 2}");
            assertThat(client.readJson().get("id").asInt()).isEqualTo(2);
            assertThat(client.readLine()).isEqualTo("{\"return\": \"late\", \"id\": 1}");
        }
    }

    @Test
    void silentCommandsGetNoReplyAndRawRepliesGoOutVerbatim() throws Exception {
        fake.server().respond("hang", args -> Reply.none());
        fake.server().respond("stray", args -> Reply.raw("{\"return\": {}, \"id\": \"nobody-asked\"}"));
        try (RawQmpClient client = RawQmpClient.connectNegotiated(fake.server().socket())) {
            client.send("{\"execute\": \"hang\", \"id\": 1}");
            client.send("{\"execute\": \"stray\", \"id\": 2}");
            assertThat(client.readRawLine()).isEqualTo("{\"return\": {}, \"id\": \"nobody-asked\"}\r\n");
            client.send("{\"execute\": \"query-status\", \"id\": 3}");
            assertThat(client.readJson().get("id").asInt()).as("nothing ever answers id 1").isEqualTo(3);
        }
    }

    @Test
    void awaitCommandHandsOutEachReceivedCommandOnce() throws Exception {
        try (RawQmpClient client = RawQmpClient.connectNegotiated(fake.server().socket())) {
            client.send("{\"execute\": \"query-status\", \"id\": \"a\"}");
            client.send("{\"execute\": \"query-status\", \"id\": \"b\", \"arguments\": {}}");

            ReceivedCommand first = fake.server().awaitCommand("query-status", RawQmpClient.TIMEOUT);
            ReceivedCommand second = fake.server().awaitCommand("query-status", RawQmpClient.TIMEOUT);
            assertThat(first.id().asText()).isEqualTo("a");
            assertThat(first.arguments().isEmpty()).isTrue();
            assertThat(first.client()).isEqualTo(1);
            assertThat(second.id().asText()).isEqualTo("b");
            assertThat(second.rawLine()).isEqualTo("{\"execute\": \"query-status\", \"id\": \"b\", \"arguments\": {}}");
            assertThat(fake.server().awaitCommand("qmp_capabilities", RawQmpClient.TIMEOUT).id().isMissingNode()).isTrue();
        }
    }
}
