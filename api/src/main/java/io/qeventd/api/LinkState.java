package io.qeventd.api;

import java.util.List;

/**
 * The receive filter of a host network device.
 *
 * @param device                   the device name
 * @param mac                      its MAC address, lower case, colon separated
 * @param promiscuous              IFF_PROMISC
 * @param allMulticast             IFF_ALLMULTI
 * @param multicast                IFF_MULTICAST
 * @param multicastAddresses       link-layer multicast addresses joined on it, lower case
 * @param kind                     the link's kind as the kernel names it ({@code macvtap}, {@code veth},
 *                                 {@code macvlan}, …), {@code null} when unknown or a plain device
 * @param kernelMulticastAddresses those of {@code multicastAddresses} that the host kernel joined itself
 *                                 (IPv4 all-hosts, IPv6 all-nodes and solicited-node groups) and nobody added:
 *                                 {@code ip maddr} lists them without {@code static}. They cannot be removed.
 */
public record LinkState(String device, String mac, boolean promiscuous, boolean allMulticast, boolean multicast,
                        List<String> multicastAddresses, String kind, List<String> kernelMulticastAddresses) {
    /** The kind of a macvtap device, whose filter a guest's NIC may be mirrored onto. */
    public static final String MACVTAP = "macvtap";

    public LinkState {
        multicastAddresses = List.copyOf(multicastAddresses);
        kernelMulticastAddresses = kernelMulticastAddresses == null ? List.of() : List.copyOf(kernelMulticastAddresses);
    }

    /** A device of unknown kind whose multicast addresses were all added by someone (none by the kernel). */
    public LinkState(String device, String mac, boolean promiscuous, boolean allMulticast, boolean multicast,
                     List<String> multicastAddresses) {
        this(device, mac, promiscuous, allMulticast, multicast, multicastAddresses, null, List.of());
    }

    /** The same device, kind and kernel-joined groups with another filter. */
    public LinkState withFilter(String mac, boolean promiscuous, boolean allMulticast, boolean multicast,
                                List<String> multicastAddresses) {
        List<String> kernel = kernelMulticastAddresses.stream().filter(multicastAddresses::contains).toList();
        return new LinkState(device, mac, promiscuous, allMulticast, multicast, multicastAddresses, kind, kernel);
    }

    public boolean isMacvtap() {
        return MACVTAP.equals(kind);
    }
}
