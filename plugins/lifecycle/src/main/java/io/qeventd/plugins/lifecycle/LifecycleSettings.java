package io.qeventd.plugins.lifecycle;

import io.qeventd.api.PluginSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code pluginSettings.lifecycle}: a policy for every domain, and per-domain overrides.
 *
 * <pre>{@code
 * pluginSettings:
 *   lifecycle:
 *     onPoweroff: keep            # keep | quit
 *     onCrash: preserve           # preserve | reset | quit
 *     dumpDirectory: /var/lib/qeventd/dumps   # optional: dump a panicked guest's memory first
 *     domains:
 *       vm1: {onCrash: reset}
 * }</pre>
 */
public final class LifecycleSettings {
    static final String PREFIX = "pluginSettings.lifecycle.";
    private static final Set<String> POLICY_KEYS = Set.of("onPoweroff", "onCrash", "dumpDirectory");

    private final DomainPolicy defaults;
    private final Map<String, DomainPolicy> domains;

    private LifecycleSettings(DomainPolicy defaults, Map<String, DomainPolicy> domains) {
        this.defaults = defaults;
        this.domains = Map.copyOf(domains);
    }

    /** Reads and checks the section; every problem is an IllegalArgumentException naming the key. */
    public static LifecycleSettings from(PluginSettings settings) {
        Map<String, Object> map = settings.asMap();
        for (String key : map.keySet()) {
            if (!POLICY_KEYS.contains(key) && !key.equals("domains")) {
                throw new IllegalArgumentException(PREFIX + key + ": unknown key (expected onPoweroff, onCrash, "
                        + "dumpDirectory, domains)");
            }
        }
        DomainPolicy defaults = policy(map, DomainPolicy.DEFAULT, PREFIX);
        Map<String, DomainPolicy> domains = new LinkedHashMap<>();
        Object d = map.get("domains");
        if (d != null) {
            if (!(d instanceof Map<?, ?> byName)) {
                throw new IllegalArgumentException(PREFIX + "domains: expected a map of domain name to policy");
            }
            byName.forEach((name, p) -> {
                String where = PREFIX + "domains." + name + ".";
                if (!(p instanceof Map<?, ?> pm)) {
                    throw new IllegalArgumentException(where.substring(0, where.length() - 1)
                            + ": expected a map with onPoweroff, onCrash or dumpDirectory");
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> m = (Map<String, Object>) pm;
                for (String key : m.keySet()) {
                    if (!POLICY_KEYS.contains(key)) {
                        throw new IllegalArgumentException(where + key + ": unknown key (expected onPoweroff, "
                                + "onCrash, dumpDirectory)");
                    }
                }
                domains.put(String.valueOf(name), policy(m, defaults, where));
            });
        }
        return new LifecycleSettings(defaults, domains);
    }

    /** The policy of {@code domain}: its override, or the plugin-wide one. */
    public DomainPolicy policy(String domain) {
        return domains.getOrDefault(domain, defaults);
    }

    private static DomainPolicy policy(Map<String, Object> m, DomainPolicy base, String where) {
        PoweroffAction poweroff = m.containsKey("onPoweroff")
                ? choice(PoweroffAction.class, m.get("onPoweroff"), where + "onPoweroff") : base.onPoweroff();
        CrashAction crash = m.containsKey("onCrash")
                ? choice(CrashAction.class, m.get("onCrash"), where + "onCrash") : base.onCrash();
        Optional<Path> dumps = base.dumpDirectory();
        if (m.containsKey("dumpDirectory")) {
            dumps = Optional.of(directory(m.get("dumpDirectory"), where + "dumpDirectory"));
        }
        return new DomainPolicy(poweroff, crash, dumps);
    }

    private static <E extends Enum<E>> E choice(Class<E> type, Object value, String key) {
        String s = String.valueOf(value).toUpperCase(Locale.ROOT).replace('-', '_');
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(s)) {
                return e;
            }
        }
        StringBuilder expected = new StringBuilder();
        for (E e : type.getEnumConstants()) {
            expected.append(expected.length() == 0 ? "" : ", ").append(e.name().toLowerCase(Locale.ROOT));
        }
        throw new IllegalArgumentException(key + ": '" + value + "' is not one of " + expected);
    }

    private static Path directory(Object value, String key) {
        Path p = Path.of(String.valueOf(value));
        if (!p.isAbsolute()) {
            throw new IllegalArgumentException(key + ": '" + value + "' is not an absolute path (QEMU writes the dump "
                    + "and resolves a relative one against its own working directory)");
        }
        if (!Files.isDirectory(p)) {
            throw new IllegalArgumentException(key + ": " + p + " is not a directory");
        }
        return p;
    }
}
