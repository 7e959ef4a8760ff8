package io.qeventd.plugins.network;

import io.qeventd.api.state.StatusFields;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** One domain's stream netdevs by id, as this plugin publishes them. */
public record DomainNetdevs(Map<String, StreamNetdev> netdevs) implements StatusFields {
    static final DomainNetdevs NONE = new DomainNetdevs(Map.of());

    public DomainNetdevs {
        netdevs = Map.copyOf(netdevs);
    }

    DomainNetdevs with(StreamNetdev netdev) {
        Map<String, StreamNetdev> m = new LinkedHashMap<>(netdevs);
        m.put(netdev.id(), netdev);
        return new DomainNetdevs(m);
    }

    @Override
    public Map<String, Object> statusFields() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("streams", netdevs.values().stream().sorted(Comparator.comparing(StreamNetdev::id))
                .map(n -> n.id() + (n.connected() ? " connected" : " disconnected")
                        + (n.peer() == null ? "" : " (" + n.peer() + ")"))
                .collect(Collectors.joining("; ")));
        return fields;
    }
}
