package io.qeventd.plugins.nic;

import io.qeventd.api.HostNetwork;
import io.qeventd.api.HostNetworkException;
import io.qeventd.api.LinkState;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A host network whose chosen operations fail as a real one fails (e.g. {@code ip} refused by the
 * kernel), and which passes every other call to the host network it wraps.
 */
final class FailingHostNetwork implements HostNetwork {
    private final HostNetwork inner;
    private final Set<String> failing = ConcurrentHashMap.newKeySet();

    FailingHostNetwork(HostNetwork inner) {
        this.inner = inner;
    }

    /** Makes every later call of {@code operation} (a method name, e.g. {@code setPromiscuous}) fail. */
    FailingHostNetwork fail(String operation) {
        failing.add(operation);
        return this;
    }

    private void check(String operation, String netns, String device) {
        if (failing.contains(operation)) {
            throw new HostNetworkException("cannot " + operation + " on " + device + " in netns " + netns
                    + ": Operation not permitted");
        }
    }

    @Override
    public LinkState link(String netns, String device) {
        check("link", netns, device);
        return inner.link(netns, device);
    }

    @Override
    public void setMac(String netns, String device, String mac) {
        check("setMac", netns, device);
        inner.setMac(netns, device, mac);
    }

    @Override
    public void setPromiscuous(String netns, String device, boolean on) {
        check("setPromiscuous", netns, device);
        inner.setPromiscuous(netns, device, on);
    }

    @Override
    public void setAllMulticast(String netns, String device, boolean on) {
        check("setAllMulticast", netns, device);
        inner.setAllMulticast(netns, device, on);
    }

    @Override
    public void setMulticast(String netns, String device, boolean on) {
        check("setMulticast", netns, device);
        inner.setMulticast(netns, device, on);
    }

    @Override
    public void addMulticast(String netns, String device, String mac) {
        check("addMulticast", netns, device);
        inner.addMulticast(netns, device, mac);
    }

    @Override
    public void removeMulticast(String netns, String device, String mac) {
        check("removeMulticast", netns, device);
        inner.removeMulticast(netns, device, mac);
    }
}
