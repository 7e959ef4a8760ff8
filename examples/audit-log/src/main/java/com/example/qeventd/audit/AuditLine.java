package com.example.qeventd.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qeventd.api.Event;
import io.qeventd.api.QemuTimestamp;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One event as one line of JSON: {@code domain}, {@code event}, {@code qemuTime} (seconds with six
 * decimals as in the daemon's journal, null when QEMU could not read its clock) and {@code data}.
 */
final class AuditLine {
    /*
     * The line is built as a map of JDK types, not as a record of this plugin: Jackson's type cache is
     * shared across the daemon, and a class of ours cached there would keep the plugin in memory after
     * it is unloaded or replaced.
     */
    private static final ObjectMapper JSON = new ObjectMapper();

    private AuditLine() {
    }

    static String of(Event<Map<String, Object>> event) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("domain", event.domain());
        line.put("event", event.name());
        line.put("qemuTime", qemuTime(event.timestamp()));
        line.put("data", event.payload());
        try {
            return JSON.writeValueAsString(line);
        } catch (JsonProcessingException e) {
            // Data that Jackson itself decoded from QEMU's JSON always encodes again.
            throw new IllegalStateException("cannot encode " + event.name() + " of " + event.domain() + ": "
                    + e.getOriginalMessage(), e);
        }
    }

    private static BigDecimal qemuTime(QemuTimestamp t) {
        return t != null && t.isKnown() ? new BigDecimal(t.toString()) : null;
    }
}
