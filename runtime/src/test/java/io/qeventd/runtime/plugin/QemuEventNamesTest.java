package io.qeventd.runtime.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.qeventd.testkit.vm.Qemu;
import io.qeventd.testkit.vm.QemuRawQmp;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class QemuEventNamesTest {

    @Test
    void theKeptListIsExactlyTheEventsOfTheRealQemusSchema() throws IOException {
        Set<String> real = new TreeSet<>();
        try (Qemu qemu = Qemu.builder().paused().qmpSocket("schema").start();
             QemuRawQmp qmp = QemuRawQmp.connect(qemu.qmpSocket("schema"), Duration.ofSeconds(30))) {
            for (JsonNode entity : qmp.execute("query-qmp-schema").path("return")) {
                if ("event".equals(entity.path("meta-type").asText())) {
                    real.add(entity.path("name").asText());
                }
            }
        }

        assertThat(real).as("events in query-qmp-schema").isNotEmpty();
        assertThat(new TreeSet<>(QemuEventNames.all())).isEqualTo(real);
    }

    @Test
    void aTypoIsAnsweredWithTheNearestEventAndNonsenseWithNothing() {
        assertThat(QemuEventNames.closest("DEVICE_DELETE")).contains("DEVICE_DELETED");
        assertThat(QemuEventNames.closest("NIC_RX_FILTER_CHANGE")).contains("NIC_RX_FILTER_CHANGED");
        assertThat(QemuEventNames.closest("JOB_STATUS_CHANGED")).contains("JOB_STATUS_CHANGE");
        assertThat(QemuEventNames.closest("COMPLETELY_UNRELATED_THING")).isEmpty();
    }
}
