package io.qeventd.plugins.lifecycle;

import io.qeventd.api.state.StatusFields;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A domain's last memory dump.
 *
 * @param file      where QEMU writes it
 * @param status    {@code active}, {@code completed} or {@code failed}
 * @param completed bytes written
 * @param total     bytes to write
 * @param error     QEMU's error, when it failed
 */
public record DumpState(String file, String status, long completed, long total, String error) implements StatusFields {
    @Override
    public Map<String, Object> statusFields() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", file);
        m.put("status", status);
        m.put("bytes", completed + "/" + total);
        m.put("error", error);
        return m;
    }
}
