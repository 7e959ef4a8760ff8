package io.qeventd.runtime.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qeventd.api.state.SharedState;
import io.qeventd.api.state.StateKey;
import io.qeventd.api.state.StatusFields;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StateRegistryTest {
    record RunState(String state, String reason) implements StatusFields {
        @Override
        public Map<String, Object> statusFields() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("state", state);
            m.put("reason", reason);
            return m;
        }
    }

    static final StateKey<RunState> RUN_STATE = StateKey.of("lifecycle.run-state", RunState.class);

    private final StateRegistry registry = new StateRegistry();
    private final ClassLoader v1 = new URLClassLoader(new URL[0]);
    private final ClassLoader v2 = new URLClassLoader(new URL[0]);

    @Test
    void anotherPluginReadsWhatOnePublishedForADomain() {
        SharedState lifecycle = registry.forPlugin("lifecycle", v1);
        SharedState other = registry.forPlugin("other", v2);
        lifecycle.publish("vm1", RUN_STATE, new RunState("paused", "io-error"));
        assertThat(other.get("vm1", RUN_STATE)).contains(new RunState("paused", "io-error"));
        assertThat(other.get("vm2", RUN_STATE)).isEmpty();
        assertThat(other.all(RUN_STATE)).containsOnlyKeys("vm1");
    }

    @Test
    void aKeyNameBelongsToTheFirstPluginThatPublishesUnderIt() {
        registry.forPlugin("lifecycle", v1).publish("vm1", RUN_STATE, new RunState("running", null));
        assertThatThrownBy(() -> registry.forPlugin("other", v2).publish("vm1", RUN_STATE, new RunState("x", null)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("lifecycle.run-state").hasMessageContaining("lifecycle").hasMessageContaining("other");
    }

    @Test
    void aValueOfTheWrongTypeIsRefusedWithTheKeyName() {
        @SuppressWarnings({"unchecked", "rawtypes"})
        StateKey<Object> raw = (StateKey) RUN_STATE;
        assertThatThrownBy(() -> registry.forPlugin("lifecycle", v1).publish("vm1", raw, "running"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lifecycle.run-state")
                .hasMessageContaining(RunState.class.getName());
    }

    @Test
    void releasingAVersionWithdrawsOnlyWhatThatVersionPublished() {
        registry.forPlugin("lifecycle", v1).publish("vm1", RUN_STATE, new RunState("running", null));
        StateKey<String> note = StateKey.of("lifecycle.note", String.class);
        registry.forPlugin("lifecycle", v2).publish("vm2", note, "new version");
        registry.forPlugin("lifecycle", v2).provide(StateKey.of("lifecycle.service", Runnable.class), () -> { });

        registry.releaseVersion(v1);

        SharedState reader = registry.forPlugin("reader", null);
        assertThat(reader.get("vm1", RUN_STATE)).isEmpty();
        assertThat(reader.get("vm2", note)).contains("new version");
        assertThat(reader.service(StateKey.of("lifecycle.service", Runnable.class))).isPresent();

        registry.releasePlugin("lifecycle");
        assertThat(reader.get("vm2", note)).isEmpty();
        assertThat(reader.service(StateKey.of("lifecycle.service", Runnable.class))).isEmpty();
        assertThat(registry.snapshot()).isEmpty();
    }

    @Test
    void theSnapshotHoldsOnlyJdkValuesByPluginKeyAndDomain() {
        registry.forPlugin("lifecycle", v1).publish("vm1", RUN_STATE, new RunState("shutdown", "guest-shutdown"));
        registry.forPlugin("lifecycle", v1).publish("vm2", StateKey.of("lifecycle.count", Integer.class), 3);

        assertThat(registry.snapshot()).isEqualTo(Map.of("lifecycle", Map.of(
                "lifecycle.run-state", Map.of("vm1", Map.of("state", "shutdown", "reason", "guest-shutdown")),
                "lifecycle.count", Map.of("vm2", Map.of("value", 3)))));
    }
}
