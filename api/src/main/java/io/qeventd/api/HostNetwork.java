package io.qeventd.api;

/**
 * Reads and changes host network devices, for processors that mirror guest state onto the host.
 *
 * <p>{@code netns} names a network namespace ({@code ip netns}); {@code null} means the daemon's own.
 * Every method may block and throws {@link HostNetworkException} naming what failed.
 */
public interface HostNetwork {
    LinkState link(String netns, String device);

    void setMac(String netns, String device, String mac);

    void setPromiscuous(String netns, String device, boolean on);

    void setAllMulticast(String netns, String device, boolean on);

    void setMulticast(String netns, String device, boolean on);

    void addMulticast(String netns, String device, String mac);

    void removeMulticast(String netns, String device, String mac);
}
