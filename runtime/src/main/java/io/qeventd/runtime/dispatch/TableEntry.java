package io.qeventd.runtime.dispatch;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.qeventd.api.Handler;
import io.qeventd.api.PluginSettings;
import java.io.IOException;
import java.util.Map;

/** One row of the event table: a handler of one plugin version, with the means to decode its payload. */
public record TableEntry(HandlerKey key, String pluginVersion, Handler<?> handler, ObjectMapper mapper,
                         PluginSettings settings) {

    public String pluginId() {
        return key.pluginId();
    }

    /**
     * Decodes an event's {@code data} to the handler's payload type. Cheap and free of I/O, so it runs
     * on the reader thread.
     *
     * @param data raw JSON bytes, or null when the event had none
     */
    public Object decode(byte[] data) throws IOException {
        Class<?> type = handler.payloadType();
        if (data == null) {
            return type == Map.class ? Map.of() : null;
        }
        return mapper.readValue(data, type);
    }

    /** The coalescing key of a decoded payload, or null when the handler does not coalesce. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public String coalesceKey(Object payload) {
        var fn = (java.util.function.Function) handler.coalesceKey();
        return fn == null ? null : (String) fn.apply(payload);
    }
}
