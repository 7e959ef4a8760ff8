package io.qeventd.runtime.host;

import io.qeventd.api.HostNetwork;
import io.qeventd.api.HostNetworkException;
import io.qeventd.api.LinkState;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link HostNetwork} through iproute2's {@code ip} command: {@code ip [-n NETNS] -json -details link show},
 * {@code ip -json maddr show}, {@code ip link set} and {@code ip maddr add|del}.
 *
 * <p>Every command runs with a time limit; a failure names the device, the namespace, the command line
 * and what {@code ip} printed on stderr. Whether {@code ip} exists is checked once, on first use.
 */
public final class IpRoute2HostNetwork implements HostNetwork {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    private static final Logger LOG = LoggerFactory.getLogger(IpRoute2HostNetwork.class);

    private final String ip;
    private final Duration timeout;
    private final Object availabilityLock = new Object();
    private boolean ipWorks; // guarded by availabilityLock

    public IpRoute2HostNetwork() {
        this("ip", DEFAULT_TIMEOUT);
    }

    /**
     * @param ip      the {@code ip} program: a name looked up on PATH or a path
     * @param timeout how long one {@code ip} command may take
     */
    public IpRoute2HostNetwork(String ip, Duration timeout) {
        this.ip = Objects.requireNonNull(ip, "ip");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    @Override
    public LinkState link(String netns, String device) {
        DeviceKey key = new DeviceKey(netns, device);
        String linkJson = ip(key, "read the link of", "-json", "-details", "link", "show", "dev", device);
        String maddrJson = ip(key, "read the multicast list of", "-json", "maddr", "show", "dev", device);
        try {
            IpJson.Link link = IpJson.link(linkJson);
            return new LinkState(device, link.mac(), link.flags().contains("PROMISC"), link.flags().contains("ALLMULTI"),
                    link.flags().contains("MULTICAST"), IpJson.linkLayerMulticast(maddrJson), link.kind(),
                    IpJson.kernelLinkLayerMulticast(maddrJson));
        } catch (IllegalArgumentException e) {
            throw new HostNetworkException("cannot read what ip printed for " + key + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void setMac(String netns, String device, String mac) {
        DeviceKey key = new DeviceKey(netns, device);
        ip(key, "set the MAC of", "link", "set", "dev", device, "address", MacAddress.normalise(mac, key));
    }

    @Override
    public void setPromiscuous(String netns, String device, boolean on) {
        ip(new DeviceKey(netns, device), "set promiscuous mode of", "link", "set", "dev", device, "promisc", onOff(on));
    }

    @Override
    public void setAllMulticast(String netns, String device, boolean on) {
        ip(new DeviceKey(netns, device), "set all-multicast mode of", "link", "set", "dev", device, "allmulticast", onOff(on));
    }

    @Override
    public void setMulticast(String netns, String device, boolean on) {
        ip(new DeviceKey(netns, device), "set the multicast flag of", "link", "set", "dev", device, "multicast", onOff(on));
    }

    @Override
    public void addMulticast(String netns, String device, String mac) {
        DeviceKey key = new DeviceKey(netns, device);
        ip(key, "add a multicast address to", "maddr", "add", MacAddress.normalise(mac, key), "dev", device);
    }

    @Override
    public void removeMulticast(String netns, String device, String mac) {
        DeviceKey key = new DeviceKey(netns, device);
        ip(key, "remove a multicast address from", "maddr", "del", MacAddress.normalise(mac, key), "dev", device);
    }

    private static String onOff(boolean on) {
        return on ? "on" : "off";
    }

    /** Runs {@code ip [-n NETNS] ARGS...} and returns its stdout, or throws saying what failed and where. */
    private String ip(DeviceKey key, String purpose, String... args) {
        requireIp();
        List<String> command = new ArrayList<>();
        command.add(ip);
        if (key.netns() != null) {
            command.add("-n");
            command.add(key.netns());
        }
        command.addAll(List.of(args));
        String where = "cannot " + purpose + " " + key + ": '" + ProcessRunner.commandLine(command) + "'";
        ProcessRunner.Result result;
        try {
            result = ProcessRunner.run(command, timeout);
        } catch (TimeoutException e) {
            throw new HostNetworkException(where + " did not finish within " + timeout, e);
        } catch (IOException e) {
            throw new HostNetworkException(where + " could not run: " + e.getMessage(), e);
        }
        if (!result.succeeded()) {
            throw new HostNetworkException(where + " exited " + result.exitCode() + ": " + result.stderr().strip());
        }
        LOG.debug("{}: ok", result.commandLine());
        return result.stdout();
    }

    /**
     * Checks that {@code ip} runs, once it has worked, so that a missing iproute2 is reported as such rather
     * than as a failure of some device. A failed check is repeated on the next call: iproute2 may be
     * installed while the daemon runs.
     */
    private void requireIp() {
        synchronized (availabilityLock) {
            if (ipWorks) {
                return;
            }
            List<String> version = List.of(ip, "-V");
            ProcessRunner.Result result;
            try {
                result = ProcessRunner.run(version, timeout);
            } catch (IOException e) {
                throw new HostNetworkException("iproute2 '" + ip + "' is not installed or not on PATH"
                        + " (install the iproute2 package): " + e.getMessage(), e);
            } catch (TimeoutException e) {
                throw new HostNetworkException("iproute2 '" + ip + "' did not answer '"
                        + ProcessRunner.commandLine(version) + "' within " + timeout, e);
            }
            if (!result.succeeded()) {
                throw new HostNetworkException("iproute2 '" + ip + "' does not work: '" + result.commandLine()
                        + "' exited " + result.exitCode() + ": " + result.stderr().strip());
            }
            LOG.debug("using {}", result.stdout().strip());
            ipWorks = true;
        }
    }
}
