package io.qeventd.plugins.blockerrors;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The operator's word that space was added to a domain's storage: {@code space-added [node=NAME]
 * [threshold=BYTES]}.
 *
 * @param node      the node whose threshold to re-arm, or null for every node whose threshold fired or is configured
 * @param threshold the new threshold in bytes, or null for the configured one (else the one that fired)
 */
record SpaceAdded(String node, Long threshold) {
    static final String COMMAND = "space-added";
    private static final Set<String> KEYS = Set.of("node", "threshold");

    /** @throws IllegalArgumentException an unknown key, or a threshold that is no positive number */
    static SpaceAdded parse(Map<String, String> arguments) {
        Set<String> unknown = new TreeSet<>(arguments.keySet());
        unknown.removeAll(KEYS);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(COMMAND + " takes node=NAME and threshold=BYTES, not " + unknown);
        }
        Long threshold = null;
        String text = arguments.get("threshold");
        if (text != null) {
            try {
                threshold = Long.parseLong(text.strip());
            } catch (NumberFormatException e) {
                threshold = -1L;
            }
            if (threshold <= 0) {
                throw new IllegalArgumentException("threshold=" + text + ": expected a positive number of bytes");
            }
        }
        return new SpaceAdded(arguments.get("node"), threshold);
    }
}
