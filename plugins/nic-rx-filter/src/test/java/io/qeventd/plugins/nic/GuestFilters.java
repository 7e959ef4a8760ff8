package io.qeventd.plugins.nic;

import com.fasterxml.jackson.databind.JsonNode;
import io.qeventd.testkit.qmp.FakeQmpServer;
import io.qeventd.testkit.qmp.Reply;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The guest side of the fake QEMU: each NIC's receive filter, which {@code query-rx-filter} answers with
 * in QEMU 7.2's reply shape, and which a test changes as a guest driver would. A NIC it does not know is
 * answered with DeviceNotFound, as QEMU does. Queries can be held until a test lets them through.
 */
final class GuestFilters {
    private final Map<String, Map<String, Object>> filters = new ConcurrentHashMap<>();
    private volatile CountDownLatch gate;
    private final CountDownLatch held = new CountDownLatch(1);

    /** Makes {@code qemu} answer query-rx-filter from these filters. */
    GuestFilters serve(FakeQmpServer qemu) {
        qemu.respond(RxFilterSync.QUERY, this::answer);
        return this;
    }

    /** Sets a NIC's filter: normal unicast, broadcast allowed, no VLANs. */
    GuestFilters set(String nic, String mac, boolean promiscuous, String multicastMode, boolean multicastOverflow,
                     List<String> multicastTable) {
        return set(nic, mac, promiscuous, multicastMode, multicastOverflow, multicastTable, List.of());
    }

    GuestFilters set(String nic, String mac, boolean promiscuous, String multicastMode, boolean multicastOverflow,
                     List<String> multicastTable, List<Integer> vlanTable) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("promiscuous", promiscuous);
        f.put("name", nic);
        f.put("main-mac", mac);
        f.put("unicast", "normal");
        f.put("vlan", vlanTable.isEmpty() ? "none" : "normal");
        f.put("vlan-table", vlanTable);
        f.put("unicast-table", List.of());
        f.put("multicast", multicastMode);
        f.put("multicast-overflow", multicastOverflow);
        f.put("unicast-overflow", false);
        f.put("multicast-table", multicastTable);
        f.put("broadcast-allowed", true);
        filters.put(nic, f);
        return this;
    }

    /** From now on each query waits until {@link #releaseQueries()}. */
    void holdQueries() {
        gate = new CountDownLatch(1);
    }

    /** Lets held queries, and all later ones, through. */
    void releaseQueries() {
        CountDownLatch g = gate;
        gate = null;
        if (g != null) {
            g.countDown();
        }
    }

    /** Waits until a query is being held. */
    boolean awaitHeld(long seconds) throws InterruptedException {
        return held.await(seconds, TimeUnit.SECONDS);
    }

    private Reply answer(JsonNode arguments) {
        CountDownLatch g = gate;
        if (g != null) {
            held.countDown();
            try {
                if (!g.await(30, TimeUnit.SECONDS)) {
                    return Reply.error("GenericError", "test gate never opened");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Reply.error("GenericError", "interrupted");
            }
        }
        String name = arguments.path("name").asText();
        Map<String, Object> f = filters.get(name);
        if (f == null) {
            return Reply.error("DeviceNotFound", "Device '" + name + "' not found");
        }
        return Reply.ok(List.of(f));
    }
}
