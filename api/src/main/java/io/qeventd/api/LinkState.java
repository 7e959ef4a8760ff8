package io.qeventd.api;

import java.util.List;

/**
 * The receive filter of a host network device.
 *
 * @param device             the device name
 * @param mac                its MAC address, lower case, colon separated
 * @param promiscuous        IFF_PROMISC
 * @param allMulticast       IFF_ALLMULTI
 * @param multicast          IFF_MULTICAST
 * @param multicastAddresses link-layer multicast addresses joined on it, lower case
 */
public record LinkState(String device, String mac, boolean promiscuous, boolean allMulticast, boolean multicast,
                        List<String> multicastAddresses) {
    public LinkState {
        multicastAddresses = List.copyOf(multicastAddresses);
    }
}
