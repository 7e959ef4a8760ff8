package io.qeventd.plugins.nic;

import io.qeventd.api.HostNetwork;

/**
 * One change that brings a host device's receive filter closer to the guest's: what the planner
 * decides and the sync applies, one {@link HostNetwork} call each.
 */
public sealed interface FilterChange {

    /** Makes the change on {@code device} in namespace {@code netns} ({@code null}: the daemon's own). */
    void applyTo(HostNetwork host, String netns, String device);

    /** What the change does, for the journal and the log, e.g. {@code promiscuous on}. */
    String describe();

    private static String onOff(boolean on) {
        return on ? "on" : "off";
    }

    record SetMac(String mac) implements FilterChange {
        @Override
        public void applyTo(HostNetwork host, String netns, String device) {
            host.setMac(netns, device, mac);
        }

        @Override
        public String describe() {
            return "MAC " + mac;
        }
    }

    record AddMulticast(String mac) implements FilterChange {
        @Override
        public void applyTo(HostNetwork host, String netns, String device) {
            host.addMulticast(netns, device, mac);
        }

        @Override
        public String describe() {
            return "add multicast " + mac;
        }
    }

    record RemoveMulticast(String mac) implements FilterChange {
        @Override
        public void applyTo(HostNetwork host, String netns, String device) {
            host.removeMulticast(netns, device, mac);
        }

        @Override
        public String describe() {
            return "remove multicast " + mac;
        }
    }

    record SetPromiscuous(boolean on) implements FilterChange {
        @Override
        public void applyTo(HostNetwork host, String netns, String device) {
            host.setPromiscuous(netns, device, on);
        }

        @Override
        public String describe() {
            return "promiscuous " + onOff(on);
        }
    }

    /** The device's IFF_MULTICAST flag: whether it takes multicast frames at all. */
    record SetMulticast(boolean on) implements FilterChange {
        @Override
        public void applyTo(HostNetwork host, String netns, String device) {
            host.setMulticast(netns, device, on);
        }

        @Override
        public String describe() {
            return "multicast " + onOff(on);
        }
    }

    record SetAllMulticast(boolean on) implements FilterChange {
        @Override
        public void applyTo(HostNetwork host, String netns, String device) {
            host.setAllMulticast(netns, device, on);
        }

        @Override
        public String describe() {
            return "all-multicast " + onOff(on);
        }
    }
}
