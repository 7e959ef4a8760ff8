package io.qeventd.runtime.demo;

/** Changes a guest's virtio-net driver makes to a NIC's receive filter, each of which QEMU reports. */
enum RxFilterChange {
    /** The driver takes the NIC: QEMU's default promiscuous mode ends, broadcast is accepted. */
    DRIVER_LOADED("the guest's virtio-net driver takes net0: promiscuous mode off, broadcast on"),
    /** IPv4 all-hosts, IPv6 all-nodes and solicited-node, mDNS: what a Linux guest joins on its own. */
    MULTICAST_JOINED("the guest joins multicast groups (IPv4/IPv6 all-nodes, mDNS)"),
    /** {@code ip link set eth0 address ...} in the guest. */
    MAC_CHANGED("the guest changes net0's MAC address to " + RxFilterChange.NEW_MAC),
    /** tcpdump in the guest. */
    PROMISCUOUS_ON("someone runs tcpdump in the guest: net0 goes promiscuous");

    static final String NEW_MAC = "52:54:00:ab:cd:ef";

    private final String description;

    RxFilterChange(String description) {
        this.description = description;
    }

    String description() {
        return description;
    }
}
