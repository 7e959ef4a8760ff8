package io.qeventd.plugins.nic;

import io.qeventd.api.LinkState;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Decides what to change on a host device so that it receives what the guest asked its NIC to receive.
 * Pure: no I/O, the same inputs give the same changes. Only differences become changes, so a device
 * already in step gets none.
 *
 * <ul>
 *   <li>MAC: the guest's main MAC when it differs.</li>
 *   <li>Multicast list: addresses the guest has and the device lacks are added, addresses the device has
 *       and the guest does not are removed, except groups the host kernel joined on the device itself
 *       (all-hosts, all-nodes, solicited-node: {@link LinkState#kernelMulticastAddresses()}), which are the
 *       host's, not the guest's, and cannot be removed anyway.</li>
 *   <li>Promiscuous: on while the guest uses VLANs (a host device cannot filter by the guest's VLANs),
 *       otherwise as the guest has it.</li>
 *   <li>Multicast mode: {@code all} turns all-multicast on; {@code normal} turns multicast on and sets
 *       all-multicast to whether the guest's multicast list overflowed QEMU's table; {@code none} turns
 *       both off.</li>
 * </ul>
 */
public final class RxFilterPlanner {
    private RxFilterPlanner() {
    }

    public static List<FilterChange> plan(RxFilter guest, LinkState host) {
        List<FilterChange> changes = new ArrayList<>();
        planMac(guest, host, changes);
        planMulticastList(guest, host, changes);
        planPromiscuous(guest, host, changes);
        planMulticastMode(guest, host, changes);
        return List.copyOf(changes);
    }

    private static void planMac(RxFilter guest, LinkState host, List<FilterChange> changes) {
        String mac = lower(guest.mainMac());
        if (!mac.equals(lower(host.mac()))) {
            changes.add(new FilterChange.SetMac(mac));
        }
    }

    private static void planMulticastList(RxFilter guest, LinkState host, List<FilterChange> changes) {
        Set<String> wanted = lowerSet(guest.multicastTable());
        Set<String> present = lowerSet(host.multicastAddresses());
        Set<String> kernels = lowerSet(host.kernelMulticastAddresses());
        for (String mac : wanted) {
            if (!present.contains(mac)) {
                changes.add(new FilterChange.AddMulticast(mac));
            }
        }
        for (String mac : present) {
            if (!wanted.contains(mac) && !kernels.contains(mac)) {
                changes.add(new FilterChange.RemoveMulticast(mac));
            }
        }
    }

    private static void planPromiscuous(RxFilter guest, LinkState host, List<FilterChange> changes) {
        boolean wanted = guest.usesVlans() || guest.promiscuous();
        if (wanted != host.promiscuous()) {
            changes.add(new FilterChange.SetPromiscuous(wanted));
        }
    }

    private static void planMulticastMode(RxFilter guest, LinkState host, List<FilterChange> changes) {
        switch (guest.multicast()) {
            case ALL -> allMulticast(true, host, changes);
            case NORMAL -> {
                multicast(true, host, changes);
                allMulticast(guest.multicastOverflow(), host, changes);
            }
            case NONE -> {
                allMulticast(false, host, changes);
                multicast(false, host, changes);
            }
        }
    }

    private static void allMulticast(boolean wanted, LinkState host, List<FilterChange> changes) {
        if (wanted != host.allMulticast()) {
            changes.add(new FilterChange.SetAllMulticast(wanted));
        }
    }

    private static void multicast(boolean wanted, LinkState host, List<FilterChange> changes) {
        if (wanted != host.multicast()) {
            changes.add(new FilterChange.SetMulticast(wanted));
        }
    }

    private static Set<String> lowerSet(List<String> macs) {
        Set<String> out = new LinkedHashSet<>();
        for (String mac : macs) {
            out.add(lower(mac));
        }
        return out;
    }

    private static String lower(String mac) {
        return mac == null ? "" : mac.toLowerCase(Locale.ROOT);
    }
}
