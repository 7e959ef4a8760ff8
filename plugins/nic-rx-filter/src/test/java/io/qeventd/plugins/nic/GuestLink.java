package io.qeventd.plugins.nic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qeventd.api.LinkState;
import io.qeventd.testkit.vm.GuestShell;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Reads a network device's receive filter inside the test guest, with the guest's iproute2 {@code ip}. */
final class GuestLink {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration COMMAND_DEADLINE = Duration.ofSeconds(20);

    private GuestLink() {
    }

    /** The guest device's MAC, flags and link-layer multicast list, as the guest's kernel has them. */
    static LinkState read(GuestShell shell, String device) {
        JsonNode link = json(shell, "ip -json link show dev " + device).path(0);
        Set<String> flags = new HashSet<>();
        link.path("flags").forEach(f -> flags.add(f.asText()));
        List<String> multicast = new ArrayList<>();
        json(shell, "ip -json maddr show dev " + device).path(0).path("maddr").forEach(entry -> {
            if (entry.hasNonNull("link")) {
                multicast.add(entry.get("link").asText().toLowerCase(Locale.ROOT));
            }
        });
        return new LinkState(device, link.path("address").asText().toLowerCase(Locale.ROOT), flags.contains("PROMISC"),
                flags.contains("ALLMULTI"), flags.contains("MULTICAST"), multicast);
    }

    /** The name of the guest's network device with MAC {@code mac}, e.g. {@code eth0}. */
    static String deviceWithMac(GuestShell shell, String mac) {
        String listing = shell.run("for d in /sys/class/net/*; do echo \"${d##*/} $(cat $d/address)\"; done",
                COMMAND_DEADLINE).requireSuccess().output();
        return listing.lines().map(String::strip).filter(l -> l.endsWith(" " + mac)).map(l -> l.split(" ")[0])
                .findFirst()
                .orElseThrow(() -> new AssertionError("the guest has no device with MAC " + mac + ":\n" + listing));
    }

    private static JsonNode json(GuestShell shell, String command) {
        String output = shell.run(command, COMMAND_DEADLINE).requireSuccess().output();
        try {
            return JSON.readTree(output);
        } catch (IOException e) {
            throw new AssertionError("guest command '" + command + "' did not print JSON: " + output, e);
        }
    }
}
