package io.qeventd.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qeventd.runtime.monitor.MonitorConnection;
import io.qeventd.runtime.monitor.MonitorListener;
import io.qeventd.runtime.monitor.MonitorOptions;
import io.qeventd.runtime.monitor.MonitorReactor;
import io.qeventd.runtime.qmp.QmpMessage;
import io.qeventd.testkit.vm.Qemu;
import java.net.UnixDomainSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The catalogue against the schema a real QEMU reports: a newer QEMU's additions fail here. */
class QmpSchemaCatalogueTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static JsonNode schema;

    @BeforeAll
    static void readSchemaFromQemu() throws Exception {
        try (Qemu qemu = Qemu.builder().qmpSocket("test").paused().start();
             MonitorReactor reactor = new MonitorReactor(1, MAPPER)) {
            MonitorConnection conn = reactor.open("schema", UnixDomainSocketAddress.of(qemu.qmpSocket("test")),
                    MonitorOptions.defaults().withReconnect(false), new MonitorListener() {
                        @Override
                        public void event(MonitorConnection m, QmpMessage.Event e, long nanos, Instant at) {
                        }
                    });
            conn.firstConnect().get(30, TimeUnit.SECONDS);
            QmpMessage.Return reply = conn.send("query-qmp-schema", null, Duration.ofSeconds(30)).get(60, TimeUnit.SECONDS);
            schema = MAPPER.readTree(reply.value());
            conn.close();
        }
    }

    @Test
    void everyEventAndMemberOfQemusSchemaIsInTheCatalogueWithItsType() {
        assertThat(new SchemaCatalogueCheck(schema).problems(QemuEvents.PAYLOADS)).isEmpty();
        assertThat(QemuEvents.PAYLOADS).hasSize(52);
    }

    @Test
    void anEventOrMemberANewerQemuAddsIsReported() {
        ArrayNode newer = schema.deepCopy();
        ObjectNode event = newer.addObject();
        event.put("name", "FUTURE_EVENT").put("meta-type", "event").put("arg-type", "0");
        for (JsonNode t : newer) {
            if (t.path("name").asText().equals("SHUTDOWN")) {
                String args = t.get("arg-type").asText();
                for (JsonNode a : newer) {
                    if (a.path("name").asText().equals(args)) {
                        ((ArrayNode) a.get("members")).addObject().put("name", "detail").put("type", "str");
                    }
                }
            }
        }
        newer.addObject().put("name", "0").put("meta-type", "object").putArray("members");

        List<String> problems = new SchemaCatalogueCheck(newer).problems(QemuEvents.PAYLOADS);

        assertThat(problems).contains("FUTURE_EVENT: event not in the catalogue",
                "SHUTDOWN.detail: member not in the catalogue (mandatory)");
    }
}
