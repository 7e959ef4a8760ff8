package io.qeventd.runtime.config;

import io.qeventd.api.Nic;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A NIC of a domain ({@code domains[].nics[]}).
 *
 * @param alias               the QEMU device id ({@code -device virtio-net-pci,id=ALIAS}), unique in its domain
 * @param hostDevice          the host network device behind it (e.g. a macvtap)
 * @param netns               the network namespace of the host device, by its {@code ip netns} name;
 *                            empty for the daemon's own
 * @param trustGuestRxFilters whether the guest's RX filter may be mirrored onto the host device
 */
public record NicConfig(String alias, String hostDevice, Optional<String> netns, boolean trustGuestRxFilters) {
    /** QEMU's rule for device ids: a letter, then letters, digits, '-', '.', '_'. */
    private static final Pattern QEMU_ID = Pattern.compile("[A-Za-z][A-Za-z0-9._-]*");
    /** Linux keeps interface names in IFNAMSIZ (16) bytes including the terminating NUL. */
    private static final int MAX_IFNAME_LENGTH = 15;

    public NicConfig {
        Objects.requireNonNull(alias, "alias");
        Objects.requireNonNull(hostDevice, "hostDevice");
        Objects.requireNonNull(netns, "netns");
    }

    /** The NIC as the api hands it to plugins. */
    public Nic toNic() {
        return new Nic(alias, hostDevice, netns.orElse(null), trustGuestRxFilters);
    }

    /** Why {@code alias} cannot be a QEMU device id, or empty when it can. */
    static Optional<String> aliasProblem(String alias) {
        if (QEMU_ID.matcher(alias).matches()) {
            return Optional.empty();
        }
        return Optional.of("'" + alias + "' is not a QEMU device id: it must start with a letter and contain"
                + " only letters, digits, '-', '.' and '_'");
    }

    /** Why {@code name} cannot be a Linux network interface name, or empty when it can. */
    static Optional<String> hostDeviceProblem(String name) {
        if (name.isEmpty() || name.equals(".") || name.equals("..")) {
            return Optional.of("'" + name + "' is not a network interface name");
        }
        if (name.length() > MAX_IFNAME_LENGTH) {
            return Optional.of("'" + name + "' is longer than the " + MAX_IFNAME_LENGTH
                    + " characters Linux allows for a network interface name");
        }
        if (name.chars().anyMatch(c -> c == '/' || c == ':' || Character.isWhitespace(c))) {
            return Optional.of("'" + name + "' is not a network interface name: '/', ':' and spaces are not allowed");
        }
        return Optional.empty();
    }

    /** Why {@code name} cannot be an {@code ip netns} name, or empty when it can. */
    static Optional<String> netnsProblem(String name) {
        if (name.isEmpty() || name.equals(".") || name.equals("..") || name.contains("/")) {
            return Optional.of("'" + name + "' is not a network namespace name as 'ip netns list' shows it");
        }
        return Optional.empty();
    }
}
