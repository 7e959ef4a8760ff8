package io.qeventd.plugins.nic;

import io.qeventd.api.state.StatusFields;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The last sync of each trusted NIC of one domain, as this plugin publishes it: NIC alias to what the sync of
 * its host device did ({@code mvt0: in step}, {@code mvt0: 3 changes}, {@code mvt0: 1 of 3 changes failed},
 * {@code v0: failed: ...}).
 */
public record DomainNics(Map<String, String> lastSync) implements StatusFields {
    static final DomainNics NONE = new DomainNics(Map.of());

    public DomainNics {
        lastSync = Map.copyOf(lastSync);
    }

    DomainNics with(String nic, String sync) {
        Map<String, String> m = new LinkedHashMap<>(lastSync);
        m.put(nic, sync);
        return new DomainNics(m);
    }

    @Override
    public Map<String, Object> statusFields() {
        return new TreeMap<>(lastSync);
    }
}
