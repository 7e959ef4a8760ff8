package io.qeventd.runtime.host;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Reads the JSON that {@code ip -json link show} and {@code ip -json maddr show} print. */
final class IpJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private IpJson() {
    }

    /** The parts of one {@code ip -json link show dev X} entry a {@link io.qeventd.api.LinkState} needs. */
    record Link(String mac, Set<String> flags, String kind) {
    }

    /** @throws IllegalArgumentException {@code json} is not one link entry */
    static Link link(String json) {
        JsonNode entries = parse(json);
        if (!entries.isArray() || entries.size() != 1) {
            throw new IllegalArgumentException("expected one link entry, got: " + abbreviate(json));
        }
        JsonNode entry = entries.get(0);
        Set<String> flags = new HashSet<>();
        entry.path("flags").forEach(flag -> flags.add(flag.asText()));
        // linkinfo.info_kind is printed with -details only, and only for virtual links (macvtap, veth, …).
        String kind = entry.path("linkinfo").path("info_kind").asText(null);
        return new Link(entry.path("address").asText("").toLowerCase(Locale.ROOT), Set.copyOf(flags), kind);
    }

    /** The link-layer addresses in {@code ip -json maddr show dev X}, lower case, in ip's order. */
    static List<String> linkLayerMulticast(String json) {
        List<String> addresses = new ArrayList<>();
        for (JsonNode device : parse(json)) {
            for (JsonNode entry : device.path("maddr")) {
                if (entry.hasNonNull("link")) {
                    addresses.add(entry.get("link").asText().toLowerCase(Locale.ROOT));
                }
            }
        }
        return addresses;
    }

    /**
     * The link-layer addresses in {@code ip -json maddr show dev X} that the kernel joined and nobody added:
     * those without {@code "features": "static"}.
     */
    static List<String> kernelLinkLayerMulticast(String json) {
        List<String> addresses = new ArrayList<>();
        for (JsonNode device : parse(json)) {
            for (JsonNode entry : device.path("maddr")) {
                if (entry.hasNonNull("link") && !entry.path("features").asText("").contains("static")) {
                    addresses.add(entry.get("link").asText().toLowerCase(Locale.ROOT));
                }
            }
        }
        return addresses;
    }

    private static JsonNode parse(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage() + " in: " + abbreviate(json), e);
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "…";
    }
}
