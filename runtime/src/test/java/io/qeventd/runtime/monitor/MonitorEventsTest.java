package io.qeventd.runtime.monitor;

import static io.qeventd.runtime.monitor.MonitorHarness.json;
import static io.qeventd.runtime.monitor.MonitorHarness.options;
import static org.assertj.core.api.Assertions.assertThat;

import io.qeventd.api.QemuTimestamp;
import io.qeventd.runtime.monitor.RecordingListener.Received;
import io.qeventd.runtime.qmp.QmpMessage;
import io.qeventd.testkit.qmp.FakeQmpServer;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Events reach the listener as QEMU sent them: in order, with name, raw data and QEMU's timestamp. */
class MonitorEventsTest {

    @RegisterExtension
    final MonitorHarness h = MonitorHarness.perTest();

    @Test
    void eventsArriveInOrderWithNameRawDataAndTimestamp() throws Exception {
        FakeQmpServer server = h.server("vm");
        RecordingListener listener = new RecordingListener();
        MonitorConnection conn = h.connect(server, options(), listener);
        int count = 1000;

        Instant before = Instant.now();
        for (int i = 0; i < count; i++) {
            server.emit("RTC_CHANGE", Map.of("offset", i), 1_700_000_000L + i, i * 7L);
        }
        List<Received> events = listener.awaitEvents(count);

        for (int i = 0; i < count; i++) {
            Received r = events.get(i);
            assertThat(r.event().name()).isEqualTo("RTC_CHANGE");
            // The raw bytes of "data" exactly as QEMU wrote them, spacing included.
            assertThat(r.event().dataAsString()).isEqualTo("{\"offset\": " + i + "}");
            assertThat(r.event().timestamp()).isEqualTo(new QemuTimestamp(1_700_000_000L + i, i * 7L));
            assertThat(r.received()).isBetween(before, Instant.now());
            assertThat(r.thread()).startsWith("qmp-reader-");
        }
        assertThat(events).extracting(Received::receivedNanos).isSorted();
        assertThat(conn.stats().events()).isEqualTo(count);
    }

    @Test
    void anUnknownTimestampAndMissingDataArriveAsSuch() throws Exception {
        FakeQmpServer server = h.server("vm");
        RecordingListener listener = new RecordingListener();
        h.connect(server, options(), listener);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("name", "net0");
        data.put("path", "/machine/peripheral/net0/virtio-backend");

        server.emit("POWERDOWN", null, -1, -1);
        server.emit("NIC_RX_FILTER_CHANGED", data, -1, -1);
        List<Received> events = listener.awaitEvents(2);

        Received powerdown = events.get(0);
        assertThat(powerdown.event().name()).isEqualTo("POWERDOWN");
        assertThat(powerdown.event().data()).isNull();
        assertThat(powerdown.event().timestamp()).isEqualTo(QemuTimestamp.UNKNOWN);
        assertThat(powerdown.event().timestamp().toInstant()).isNull();

        Received rxFilter = events.get(1);
        assertThat(rxFilter.event().dataAsString())
                .isEqualTo("{\"name\": \"net0\", \"path\": \"/machine/peripheral/net0/virtio-backend\"}");
        assertThat(json(rxFilter.event().dataAsString())).isEqualTo(json(
                "{\"path\": \"/machine/peripheral/net0/virtio-backend\", \"name\": \"net0\"}"));
        assertThat(rxFilter.event().timestamp().isKnown()).isFalse();
    }

    @Test
    void aListenerThatThrowsDoesNotStopTheMonitor() throws Exception {
        FakeQmpServer server = h.server("vm");
        RecordingListener recorder = new RecordingListener();
        MonitorConnection conn = h.connect(server, options(), new MonitorListener() {
            @Override
            public void event(MonitorConnection monitor, QmpMessage.Event event, long nanos, Instant at) {
                recorder.event(monitor, event, nanos, at);
                if (event.name().equals("BOOM")) {
                    throw new IllegalStateException("a handler bug");
                }
            }
        });

        server.emit("BOOM", null);
        server.emit("AFTER", null);

        assertThat(recorder.awaitEvents(2)).extracting(r -> r.event().name()).containsExactly("BOOM", "AFTER");
        assertThat(MonitorHarness.value(conn.send("query-status", null, null)).path("running").asBoolean()).isTrue();
        assertThat(conn.state()).isEqualTo(MonitorState.RUNNING);
    }

    @Test
    void eventsSentWhileCommandsRunAreNotLostOrReordered() throws Exception {
        FakeQmpServer server = h.server("vm");
        RecordingListener listener = new RecordingListener();
        MonitorConnection conn = h.connect(server, options(), listener);

        // stop and cont each raise an event just before their reply, as QEMU does.
        for (int i = 0; i < 50; i++) {
            MonitorHarness.value(conn.send(i % 2 == 0 ? "stop" : "cont", null, null));
        }
        List<Received> events = listener.awaitEvents(50);

        for (int i = 0; i < 50; i++) {
            assertThat(events.get(i).event().name()).isEqualTo(i % 2 == 0 ? "STOP" : "RESUME");
        }
    }
}
