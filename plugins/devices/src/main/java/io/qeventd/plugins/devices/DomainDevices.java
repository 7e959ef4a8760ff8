package io.qeventd.plugins.devices;

import io.qeventd.api.state.StateKey;
import io.qeventd.api.state.StatusFields;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What happened to one domain's devices, published as {@link #KEY}.
 *
 * @param pending     devices whose removal a plugin waits for
 * @param deleted     the devices QEMU reported deleted, oldest first (the last {@value #KEEP})
 * @param unplugErrors the devices whose guest refused an unplug, oldest first (the last {@value #KEEP})
 * @param trays       removable-media trays by device id: true when open
 * @param lastOst     the last ACPI _OST the guest reported, as "slot-type slot: source/status", or null
 */
public record DomainDevices(List<String> pending, List<String> deleted, List<String> unplugErrors,
                            Map<String, Boolean> trays, String lastOst) implements StatusFields {
    public static final StateKey<DomainDevices> KEY = StateKey.of("devices.state", DomainDevices.class);
    static final int KEEP = 10;
    static final DomainDevices EMPTY = new DomainDevices(List.of(), List.of(), List.of(), Map.of(), null);

    public DomainDevices {
        pending = List.copyOf(pending);
        deleted = List.copyOf(deleted);
        unplugErrors = List.copyOf(unplugErrors);
        trays = Map.copyOf(trays);
    }

    DomainDevices withPending(List<String> p) {
        return new DomainDevices(p, deleted, unplugErrors, trays, lastOst);
    }

    DomainDevices withDeleted(String device) {
        return new DomainDevices(pending, last(deleted, device), unplugErrors, trays, lastOst);
    }

    DomainDevices withUnplugError(String device) {
        return new DomainDevices(pending, deleted, last(unplugErrors, device), trays, lastOst);
    }

    DomainDevices withTray(String id, boolean open) {
        Map<String, Boolean> t = new LinkedHashMap<>(trays);
        t.put(id, open);
        return new DomainDevices(pending, deleted, unplugErrors, t, lastOst);
    }

    DomainDevices withOst(String ost) {
        return new DomainDevices(pending, deleted, unplugErrors, trays, ost);
    }

    private static List<String> last(List<String> list, String add) {
        List<String> out = new ArrayList<>(list);
        out.add(add);
        return out.size() > KEEP ? out.subList(out.size() - KEEP, out.size()) : out;
    }

    @Override
    public Map<String, Object> statusFields() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pending", String.join(",", pending));
        m.put("deleted", String.join(",", deleted));
        m.put("unplug-errors", String.join(",", unplugErrors));
        m.put("trays", trays.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + (e.getValue() ? " open" : " closed")).collect(Collectors.joining(",")));
        m.put("acpi-ost", lastOst);
        return m;
    }
}
