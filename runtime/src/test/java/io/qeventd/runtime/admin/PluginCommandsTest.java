package io.qeventd.runtime.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qeventd.api.EventType;
import io.qeventd.api.Handler;
import io.qeventd.api.ResyncReason;
import io.qeventd.runtime.journal.Outcome;
import io.qeventd.runtime.testing.FakeQmpFixture;
import io.qeventd.runtime.testing.Pipeline;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A plugin's operator command through the admin command {@code plugin-command}, on the daemon's pipeline. */
class PluginCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DEADLINE = Duration.ofSeconds(10);

    @RegisterExtension
    final FakeQmpFixture fake = new FakeQmpFixture();

    private enum Type implements EventType { STOPPED }

    @Test
    void operatorsWordIsTakenThenTheHandlersResyncRunsOnTheDomainAndItsOutcomeIsTheAnswer() throws Exception {
        Map<String, String> words = new ConcurrentHashMap<>();
        Handler<Map<String, Object>> handler = Handler.onEveryEvent().type(Type.STOPPED)
                .command("space-added", (domain, args) -> {
                    if (args.containsKey("bad")) {
                        throw new IllegalArgumentException("bad=" + args.get("bad") + " is not understood");
                    }
                    words.put(domain, args.getOrDefault("node", "all"));
                })
                .resync((ctx, reason) -> {
                    if (reason == ResyncReason.OPERATOR) {
                        ctx.monitor().execute("query-status");
                        ctx.report("re-armed " + words.remove(ctx.domain().name()));
                    }
                })
                .process((ctx, e) -> { });
        try (Pipeline pipeline = new Pipeline(Pipeline.options(2, 16))) {
            pipeline.register("disks", handler);
            pipeline.attach("vm1", fake.server().socket());
            pipeline.recorded.awaitOne(r -> r.event().equals("resync/CONNECTED") && r.outcome() != Outcome.SLOW,
                    DEADLINE);
            PluginCommands commands = new PluginCommands(pipeline.registry, pipeline.domains, pipeline.queue,
                    pipeline.journal, DEADLINE);

            PluginCommands.Result result = commands.run(request("disks", "space-added", "vm1", Map.of("node", "vda")));

            assertThat(result).isEqualTo(new PluginCommands.Result("disks", "space-added", "vm1", "processed", null,
                    List.of("re-armed vda")));
            assertThat(fake.server().received()).extracting(c -> c.command()).contains("query-status");
            assertThatThrownBy(() -> commands.run(request("disks", "space-added", "vm1", Map.of("bad", "x"))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("bad=x is not understood");
            assertThatThrownBy(() -> commands.run(request("disks", "nosuch", "vm1", Map.of())))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("no plugin offers 'disks nosuch'; offered: disks space-added");
            assertThatThrownBy(() -> commands.run(request("disks", "space-added", "vm9", Map.of())))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("domain 'vm9' is not attached or not connected");
            assertThatThrownBy(() -> commands.run(JSON.readTree("{\"plugin\": \"disks\"}")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("missing string argument \"command\"");
        }
    }

    @Test
    void commandWithoutAResyncHookIsRefusedWhenTheHandlerIsBuilt() {
        assertThatThrownBy(() -> Handler.onEveryEvent().type(Type.STOPPED).command("space-added", (d, a) -> { })
                .process((ctx, e) -> { }))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("need a resync hook");
        assertThatThrownBy(() -> Handler.onEveryEvent().type(Type.STOPPED).command("Space Added", (d, a) -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an operator command name");
    }

    private static JsonNode request(String plugin, String command, String domain, Map<String, String> args) {
        return JSON.valueToTree(Map.of("plugin", plugin, "command", command, "domain", domain, "arguments", args));
    }
}
