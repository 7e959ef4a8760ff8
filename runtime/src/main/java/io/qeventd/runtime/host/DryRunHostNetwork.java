package io.qeventd.runtime.host;

import io.qeventd.api.HostNetwork;
import io.qeventd.api.HostNetworkException;
import io.qeventd.api.LinkState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A {@link HostNetwork} that changes nothing: it reads through another one, reports each change it would
 * make, and remembers the changes so that later reads show the devices as if they had been made.
 *
 * <p>A change to a device the reader does not know fails as the real change would, so a dry run
 * reports the same errors a real run would meet.
 */
public final class DryRunHostNetwork implements HostNetwork {
    private final HostNetwork reader;
    private final Consumer<String> out;
    private final Map<DeviceKey, Overlay> overlays = new HashMap<>();

    /**
     * @param reader where current states are read
     * @param out    receives one line per change, e.g. {@code dry-run: would turn promiscuous mode on for mvt0 (netns qe-1)}
     */
    public DryRunHostNetwork(HostNetwork reader, Consumer<String> out) {
        this.reader = Objects.requireNonNull(reader, "reader");
        this.out = Objects.requireNonNull(out, "out");
    }

    @Override
    public synchronized LinkState link(String netns, String device) {
        DeviceKey key = new DeviceKey(netns, device);
        LinkState read = reader.link(netns, device);
        Overlay overlay = overlays.get(key);
        return overlay == null ? read : overlay.applyTo(read);
    }

    @Override
    public synchronized void setMac(String netns, String device, String mac) {
        DeviceKey key = new DeviceKey(netns, device);
        String address = MacAddress.normalise(mac, key);
        link(netns, device);
        report("set the MAC of " + key + " to " + address);
        overlay(key).mac = address;
    }

    @Override
    public synchronized void setPromiscuous(String netns, String device, boolean on) {
        DeviceKey key = new DeviceKey(netns, device);
        link(netns, device);
        report("turn promiscuous mode " + onOff(on) + " for " + key);
        overlay(key).promiscuous = on;
    }

    @Override
    public synchronized void setAllMulticast(String netns, String device, boolean on) {
        DeviceKey key = new DeviceKey(netns, device);
        link(netns, device);
        report("turn all-multicast mode " + onOff(on) + " for " + key);
        overlay(key).allMulticast = on;
    }

    @Override
    public synchronized void setMulticast(String netns, String device, boolean on) {
        DeviceKey key = new DeviceKey(netns, device);
        link(netns, device);
        report("turn the multicast flag " + onOff(on) + " for " + key);
        overlay(key).multicast = on;
    }

    @Override
    public synchronized void addMulticast(String netns, String device, String mac) {
        DeviceKey key = new DeviceKey(netns, device);
        String address = MacAddress.normalise(mac, key);
        link(netns, device);
        report("add multicast address " + address + " to " + key);
        Overlay overlay = overlay(key);
        overlay.removed.remove(address);
        overlay.added.add(address);
    }

    @Override
    public synchronized void removeMulticast(String netns, String device, String mac) {
        DeviceKey key = new DeviceKey(netns, device);
        String address = MacAddress.normalise(mac, key);
        if (!link(netns, device).multicastAddresses().contains(address)) {
            throw new HostNetworkException("cannot remove multicast address " + address + " from " + key
                    + ": it has not joined it (dry run)");
        }
        report("remove multicast address " + address + " from " + key);
        Overlay overlay = overlay(key);
        overlay.added.remove(address);
        overlay.removed.add(address);
    }

    private void report(String change) {
        out.accept("dry-run: would " + change);
    }

    private Overlay overlay(DeviceKey key) {
        return overlays.computeIfAbsent(key, k -> new Overlay());
    }

    private static String onOff(boolean on) {
        return on ? "on" : "off";
    }

    /** The changes not made to one device; a null field means "as read". */
    private static final class Overlay {
        String mac;
        Boolean promiscuous;
        Boolean allMulticast;
        Boolean multicast;
        final Set<String> added = new LinkedHashSet<>();
        final Set<String> removed = new LinkedHashSet<>();

        LinkState applyTo(LinkState read) {
            List<String> addresses = new ArrayList<>(read.multicastAddresses());
            addresses.removeAll(removed);
            for (String address : added) {
                if (!addresses.contains(address)) {
                    addresses.add(address);
                }
            }
            return read.withFilter(
                    mac != null ? mac : read.mac(),
                    promiscuous != null ? promiscuous : read.promiscuous(),
                    allMulticast != null ? allMulticast : read.allMulticast(),
                    multicast != null ? multicast : read.multicast(),
                    addresses);
        }
    }
}
