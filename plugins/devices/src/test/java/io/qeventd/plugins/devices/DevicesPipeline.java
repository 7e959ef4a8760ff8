package io.qeventd.plugins.devices;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.qeventd.api.EventType;
import io.qeventd.api.Handler;
import io.qeventd.api.state.SharedState;
import io.qeventd.events.DeviceDeleted;
import io.qeventd.events.QemuEvents;
import io.qeventd.events.Resume;
import io.qeventd.runtime.journal.JournalRecord;
import io.qeventd.runtime.journal.Outcome;
import io.qeventd.runtime.plugin.MapPluginSettings;
import io.qeventd.testkit.PluginHarness;
import io.qeventd.testkit.vm.Eventually;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The devices handlers in the daemon's pipeline, beside a second plugin, "remover", that asks the devices
 * plugin's {@link DeviceRemoval} service (found through the shared state) to delete a device when the
 * guest resumes, as another plugin would.
 */
final class DevicesPipeline implements AutoCloseable {
    static final Duration DEADLINE = Duration.ofSeconds(30);
    static final String DOMAIN = "vm1";

    enum RemoverEvent implements EventType { RESUMED }

    final PluginHarness pipeline = PluginHarness.builder().workers(2).queueLimit(1000).build();
    final SharedState reader = pipeline.sharedState("reader", null);
    /** The remover's future for each RESUME, in order. */
    final List<CompletableFuture<DeviceDeleted>> removals = new CopyOnWriteArrayList<>();

    DevicesPipeline(Map<String, Object> settings, String removeOnResume, Duration timeout) {
        SharedState own = pipeline.sharedState("devices", DevicesHandlers.class.getClassLoader());
        pipeline.register("devices", "1.0.0",
                new DevicesHandlers(new MapPluginSettings(settings, new ObjectMapper()), own).handlers());
        SharedState remover = pipeline.sharedState("remover", getClass().getClassLoader());
        pipeline.register("remover", "1.0.0", List.of(Handler.on(QemuEvents.RESUME, Resume.class)
                .type(RemoverEvent.RESUMED)
                .process((ctx, e) -> removals.add(remover.service(DeviceRemoval.KEY).orElseThrow()
                        .delete(ctx, removeOnResume, timeout)))));
    }

    void attach(Path socket) throws Exception {
        pipeline.attach(DOMAIN, socket).monitor().firstConnect().get(10, TimeUnit.SECONDS);
    }

    DomainDevices awaitDevices(String what, Predicate<DomainDevices> ok) {
        return Eventually.await(what, DEADLINE, () -> reader.get(DOMAIN, DomainDevices.KEY).orElse(null),
                d -> d != null && ok.test(d));
    }

    CompletableFuture<DeviceDeleted> awaitRemoval() {
        Eventually.await("the remover asked", DEADLINE, () -> !removals.isEmpty());
        return removals.get(0);
    }

    JournalRecord processed(String event) throws Exception {
        return pipeline.journal().awaitOne(r -> event.equals(r.event()) && "devices".equals(r.plugin())
                && r.outcome() == Outcome.PROCESSED, DEADLINE);
    }

    @Override
    public void close() {
        pipeline.close();
    }
}
