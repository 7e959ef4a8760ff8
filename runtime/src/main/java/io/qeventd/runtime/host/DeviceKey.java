package io.qeventd.runtime.host;

import io.qeventd.api.HostNetworkException;

/**
 * A network device named within a namespace; {@code netns == null} is the daemon's own namespace.
 * Its {@link #toString()} is the phrase error and dry-run messages use, e.g. {@code mvt0 (netns qe-1)}.
 */
record DeviceKey(String netns, String device) {
    DeviceKey {
        if (device == null || device.isBlank()) {
            throw new HostNetworkException("no device name given (netns " + (netns == null ? "of the daemon" : netns) + ")");
        }
        if (netns != null && netns.isBlank()) {
            throw new HostNetworkException("blank netns name for device " + device + " (use null for the daemon's own)");
        }
    }

    @Override
    public String toString() {
        return device + (netns == null ? " (daemon's netns)" : " (netns " + netns + ")");
    }
}
