package com.example.qeventd.audit;

import io.qeventd.api.EventHandlers;
import io.qeventd.api.Handler;
import io.qeventd.api.PluginSettings;
import jakarta.inject.Inject;
import java.util.List;
import org.pf4j.Extension;

/**
 * The plugin's entry in qeventd's event table: one handler that takes every event of every domain and
 * appends it to the audit log.
 *
 * <p>The daemon creates this class through Guice, giving it the plugin's own settings
 * ({@code pluginSettings.audit-log}). Settings that are missing or wrong stop the plugin from loading,
 * with a message that names the key; nothing is opened until the first event.
 */
@Extension
public final class AuditLogHandlers implements EventHandlers {
    private final AuditLogFile log;

    @Inject
    public AuditLogHandlers(PluginSettings settings) {
        this.log = new AuditLogFile(AuditLogSettings.from(settings).path());
    }

    @Override
    public List<Handler<?>> handlers() {
        // Events of one domain arrive here in QEMU's order, so each domain's lines keep that order.
        return List.of(Handler.onEveryEvent()
                .type(AuditEvent.RECORDED)
                .process((ctx, event) -> log.append(AuditLine.of(event))));
    }
}
