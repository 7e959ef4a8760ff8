package io.qeventd.plugins.nic;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Objects;

/**
 * One NIC's receive filter as the guest set it: an entry of QMP {@code query-rx-filter}'s reply.
 *
 * <p>The fields the sync acts on are required; a reply without them is refused rather than read as an
 * empty filter, which would strip the host device's multicast list.
 *
 * @param name              the NIC's device id
 * @param promiscuous       whether the guest asked for every frame
 * @param multicast         how multicast frames are filtered
 * @param unicast           how unicast frames are filtered
 * @param vlan              how VLAN-tagged frames are filtered
 * @param broadcastAllowed  whether broadcast frames are received
 * @param multicastOverflow whether the guest's multicast list outgrew QEMU's table (all multicast is then received)
 * @param unicastOverflow   whether the guest's unicast list outgrew QEMU's table
 * @param mainMac           the guest's MAC address
 * @param vlanTable         the VLAN ids received
 * @param unicastTable      further unicast addresses received
 * @param multicastTable    the multicast addresses received
 */
public record RxFilter(
        @JsonProperty(value = "name", required = true) String name,
        @JsonProperty(value = "promiscuous", required = true) boolean promiscuous,
        @JsonProperty(value = "multicast", required = true) RxMode multicast,
        @JsonProperty("unicast") RxMode unicast,
        @JsonProperty("vlan") RxMode vlan,
        @JsonProperty("broadcast-allowed") boolean broadcastAllowed,
        @JsonProperty(value = "multicast-overflow", required = true) boolean multicastOverflow,
        @JsonProperty("unicast-overflow") boolean unicastOverflow,
        @JsonProperty(value = "main-mac", required = true) String mainMac,
        @JsonProperty("vlan-table") List<Integer> vlanTable,
        @JsonProperty("unicast-table") List<String> unicastTable,
        @JsonProperty(value = "multicast-table", required = true) List<String> multicastTable) {

    public RxFilter {
        Objects.requireNonNull(name, "query-rx-filter entry without 'name'");
        Objects.requireNonNull(multicast, "query-rx-filter entry for " + name + " without 'multicast'");
        Objects.requireNonNull(mainMac, "query-rx-filter entry for " + name + " without 'main-mac'");
        Objects.requireNonNull(multicastTable, "query-rx-filter entry for " + name + " without 'multicast-table'");
        vlanTable = vlanTable == null ? List.of() : List.copyOf(vlanTable);
        unicastTable = unicastTable == null ? List.of() : List.copyOf(unicastTable);
        multicastTable = List.copyOf(multicastTable);
    }

    /**
     * Whether the guest receives VLAN-tagged frames: its VLAN table is not empty. A driver that does not
     * filter VLANs at all (mode {@code all}) is reported with every VLAN id, and counts as using them too.
     */
    public boolean usesVlans() {
        return !vlanTable.isEmpty();
    }
}
