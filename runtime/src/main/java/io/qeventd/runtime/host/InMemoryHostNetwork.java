package io.qeventd.runtime.host;

import io.qeventd.api.HostNetwork;
import io.qeventd.api.HostNetworkException;
import io.qeventd.api.LinkState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Host network devices held in memory, for the embedded demo, where no real devices exist.
 *
 * <p>Reads and changes behave like {@link IpRoute2HostNetwork} on a device of that state: MACs are
 * normalised to lower case, adding a joined multicast address changes nothing, removing one that is not
 * joined fails, and an unknown device fails with a {@link HostNetworkException} naming it.
 */
public final class InMemoryHostNetwork implements HostNetwork {
    private final Map<DeviceKey, LinkState> devices = new HashMap<>();

    /**
     * Adds a device to the model.
     *
     * @param netns its namespace, {@code null} for the daemon's own
     * @param name  its name; {@code state.device()} must be the same
     * @throws IllegalArgumentException the names differ, or the device exists already
     */
    public synchronized InMemoryHostNetwork addDevice(String netns, String name, LinkState state) {
        DeviceKey key = new DeviceKey(netns, name);
        if (!name.equals(state.device())) {
            throw new IllegalArgumentException("device " + key + " given the state of " + state.device());
        }
        if (devices.containsKey(key)) {
            throw new IllegalArgumentException("device " + key + " exists already");
        }
        List<String> multicast = new ArrayList<>();
        for (String mac : state.multicastAddresses()) {
            multicast.add(MacAddress.normalise(mac, key));
        }
        devices.put(key, state.withFilter(MacAddress.normalise(state.mac(), key), state.promiscuous(),
                state.allMulticast(), state.multicast(), multicast));
        return this;
    }

    @Override
    public synchronized LinkState link(String netns, String device) {
        return existing(new DeviceKey(netns, device));
    }

    @Override
    public synchronized void setMac(String netns, String device, String mac) {
        DeviceKey key = new DeviceKey(netns, device);
        LinkState s = existing(key);
        put(key, s.withFilter(MacAddress.normalise(mac, key), s.promiscuous(), s.allMulticast(), s.multicast(),
                s.multicastAddresses()));
    }

    @Override
    public synchronized void setPromiscuous(String netns, String device, boolean on) {
        DeviceKey key = new DeviceKey(netns, device);
        LinkState s = existing(key);
        put(key, s.withFilter(s.mac(), on, s.allMulticast(), s.multicast(), s.multicastAddresses()));
    }

    @Override
    public synchronized void setAllMulticast(String netns, String device, boolean on) {
        DeviceKey key = new DeviceKey(netns, device);
        LinkState s = existing(key);
        put(key, s.withFilter(s.mac(), s.promiscuous(), on, s.multicast(), s.multicastAddresses()));
    }

    @Override
    public synchronized void setMulticast(String netns, String device, boolean on) {
        DeviceKey key = new DeviceKey(netns, device);
        LinkState s = existing(key);
        put(key, s.withFilter(s.mac(), s.promiscuous(), s.allMulticast(), on, s.multicastAddresses()));
    }

    @Override
    public synchronized void addMulticast(String netns, String device, String mac) {
        DeviceKey key = new DeviceKey(netns, device);
        String address = MacAddress.normalise(mac, key);
        LinkState s = existing(key);
        if (s.kernelMulticastAddresses().contains(address)) {
            // Added on top of the kernel's own membership: now static, and removable again.
            List<String> kernel = new ArrayList<>(s.kernelMulticastAddresses());
            kernel.remove(address);
            put(key, new LinkState(device, s.mac(), s.promiscuous(), s.allMulticast(), s.multicast(),
                    s.multicastAddresses(), s.kind(), kernel));
        } else if (!s.multicastAddresses().contains(address)) {
            List<String> multicast = new ArrayList<>(s.multicastAddresses());
            multicast.add(address);
            put(key, s.withFilter(s.mac(), s.promiscuous(), s.allMulticast(), s.multicast(), multicast));
        }
    }

    @Override
    public synchronized void removeMulticast(String netns, String device, String mac) {
        DeviceKey key = new DeviceKey(netns, device);
        String address = MacAddress.normalise(mac, key);
        LinkState s = existing(key);
        if (s.kernelMulticastAddresses().contains(address)) {
            throw new HostNetworkException("cannot remove multicast address " + address + " from " + key
                    + ": the kernel joined it, nobody added it");
        }
        List<String> multicast = new ArrayList<>(s.multicastAddresses());
        if (!multicast.remove(address)) {
            throw new HostNetworkException("cannot remove multicast address " + address + " from " + key
                    + ": it has not joined it");
        }
        put(key, s.withFilter(s.mac(), s.promiscuous(), s.allMulticast(), s.multicast(), multicast));
    }

    private LinkState existing(DeviceKey key) {
        LinkState state = devices.get(key);
        if (state == null) {
            throw new HostNetworkException("no device " + key + " in the in-memory host network");
        }
        return state;
    }

    private void put(DeviceKey key, LinkState state) {
        devices.put(key, state);
    }
}
