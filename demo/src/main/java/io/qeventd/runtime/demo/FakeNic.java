package io.qeventd.runtime.demo;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A virtio-net NIC's receive filter as QEMU 7.2 keeps it and reports it in {@code query-rx-filter}, and
 * QEMU's rule for NIC_RX_FILTER_CHANGED: the event is sent once, then not again for that NIC until someone
 * has read its filter with {@code query-rx-filter}.
 */
final class FakeNic {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final int VLANS = 4096;

    private final String name;
    private String mainMac;
    // Before a guest driver sets a mode, QEMU's virtio-net NIC is promiscuous and passes every VLAN.
    private boolean promiscuous = true;
    private boolean broadcastAllowed;
    private boolean vlanFiltering;
    private final List<String> multicastTable = new ArrayList<>();
    private boolean notifyEnabled = true;

    FakeNic(String name, String mac) {
        this.name = name;
        this.mainMac = mac;
    }

    String name() {
        return name;
    }

    /** The event's data: the NIC's name and its QOM path. */
    ObjectNode eventData() {
        return JSON.objectNode().put("name", name).put("path", "/machine/peripheral/" + name + "/virtio-backend");
    }

    /**
     * Applies a guest change.
     *
     * @return whether QEMU would now send NIC_RX_FILTER_CHANGED (false: it stays silent, since nobody read
     *         the filter after its last event)
     */
    synchronized boolean apply(RxFilterChange change) {
        switch (change) {
            case DRIVER_LOADED -> {
                promiscuous = false;
                broadcastAllowed = true;
                vlanFiltering = true;
            }
            case MULTICAST_JOINED -> multicastTable.addAll(List.of("01:00:5e:00:00:01", "33:33:00:00:00:01",
                    "33:33:ff:12:34:56", "01:00:5e:00:00:fb"));
            case MAC_CHANGED -> mainMac = RxFilterChange.NEW_MAC;
            case PROMISCUOUS_ON -> promiscuous = true;
            default -> throw new IllegalArgumentException("unknown change " + change);
        }
        boolean notify = notifyEnabled;
        notifyEnabled = false;
        return notify;
    }

    /** The {@code query-rx-filter} entry for this NIC; reading it lets the next change be reported again. */
    synchronized ObjectNode query() {
        notifyEnabled = true;
        ObjectNode n = JSON.objectNode();
        n.put("promiscuous", promiscuous);
        n.put("name", name);
        n.put("main-mac", mainMac);
        n.put("unicast", "normal");
        n.put("vlan", vlanFiltering ? "normal" : "all");
        ArrayNode vlans = n.putArray("vlan-table");
        if (!vlanFiltering) {
            // QEMU lists every VLAN it passes, highest first: this is most of the reply's ~20 KB.
            for (int v = VLANS - 1; v >= 0; v--) {
                vlans.add(v);
            }
        }
        n.putArray("unicast-table");
        n.put("multicast", "normal");
        n.put("multicast-overflow", false);
        n.put("unicast-overflow", false);
        ArrayNode multicast = n.putArray("multicast-table");
        multicastTable.forEach(multicast::add);
        n.put("broadcast-allowed", broadcastAllowed);
        return n;
    }
}
