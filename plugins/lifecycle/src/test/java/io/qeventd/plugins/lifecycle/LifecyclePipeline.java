package io.qeventd.plugins.lifecycle;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.qeventd.api.state.SharedState;
import io.qeventd.runtime.journal.JournalRecord;
import io.qeventd.runtime.journal.Outcome;
import io.qeventd.runtime.plugin.MapPluginSettings;
import io.qeventd.testkit.PluginHarness;
import io.qeventd.testkit.vm.Eventually;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** The lifecycle handlers in the daemon's pipeline, with the settings a test gives, attached to one domain. */
final class LifecyclePipeline implements AutoCloseable {
    static final Duration DEADLINE = Duration.ofSeconds(30);
    static final String DOMAIN = "vm1";

    final PluginHarness pipeline = PluginHarness.builder().workers(2).queueLimit(1000).build();
    final SharedState reader = pipeline.sharedState("reader", null);

    LifecyclePipeline(Map<String, Object> settings) {
        SharedState own = pipeline.sharedState("lifecycle", LifecycleHandlers.class.getClassLoader());
        pipeline.register("lifecycle", "1.0.0",
                new LifecycleHandlers(new MapPluginSettings(settings, new ObjectMapper()), own).handlers());
    }

    void attach(Path socket) throws Exception {
        pipeline.attach(DOMAIN, socket).monitor().firstConnect().get(10, TimeUnit.SECONDS);
    }

    /** Waits until the published run state satisfies {@code ok}. */
    RunState awaitRunState(String what, Predicate<RunState> ok) {
        return Eventually.await(what, DEADLINE, () -> reader.get(DOMAIN, RunState.KEY).orElse(null),
                s -> s != null && ok.test(s));
    }

    /** The processed journal record of {@code event}, once there. */
    JournalRecord processed(String event) throws Exception {
        return pipeline.journal().awaitOne(r -> event.equals(r.event()) && "lifecycle".equals(r.plugin())
                && r.outcome() == Outcome.PROCESSED, DEADLINE);
    }

    @Override
    public void close() {
        pipeline.close();
    }
}
