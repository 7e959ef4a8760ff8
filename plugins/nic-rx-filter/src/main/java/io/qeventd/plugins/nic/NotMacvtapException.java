package io.qeventd.plugins.nic;

/**
 * A configuration error: a trusted NIC's host device is not a macvtap. As libvirt does for
 * {@code <interface type='direct'>} only, the guest's receive filter is mirrored onto a macvtap and nothing
 * else: on a bridge port, a veth or a physical device the guest would change a device other guests or the
 * host share.
 */
public class NotMacvtapException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NotMacvtapException(String domain, String nic, String where, String kind) {
        super("configuration error: domain '" + domain + "', NIC " + nic + ": host device " + where + " is "
                + (kind == null ? "not a virtual link of a known kind" : "a " + kind) + ", not a macvtap; the guest's"
                + " RX filter is mirrored onto a macvtap only (set hostDevice to the NIC's macvtap, or"
                + " trustGuestRxFilters: false)");
    }
}
