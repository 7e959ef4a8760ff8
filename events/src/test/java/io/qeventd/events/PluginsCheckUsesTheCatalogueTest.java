package io.qeventd.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.qeventd.runtime.plugin.QemuEventNames;
import org.junit.jupiter.api.Test;

/** Where the catalogue is on the class path (as in the distribution), plugins check takes its names from it. */
class PluginsCheckUsesTheCatalogueTest {
    @Test
    void pluginsCheckKnowsExactlyTheCataloguesEvents() {
        assertThat(QemuEventNames.source()).contains("event catalogue");
        assertThat(QemuEventNames.all()).containsExactlyInAnyOrderElementsOf(QemuEvents.PAYLOADS.keySet());
        assertThat(QemuEventNames.closest("DEVICE_DELETE")).contains(QemuEvents.DEVICE_DELETED);
    }
}
