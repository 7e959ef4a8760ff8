package io.qeventd.runtime.plugin;

import static io.qeventd.runtime.plugin.PluginInspectorFailures.describe;

import io.qeventd.runtime.plugin.PluginInspector.AvailablePlugin;
import io.qeventd.runtime.plugin.PluginInspectorArchive.DescriptorSource;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.pf4j.DefaultVersionManager;
import org.pf4j.PluginDependency;
import org.pf4j.PluginDescriptor;
import org.pf4j.VersionManager;

/**
 * Checks what a descriptor declares before any of the plugin's code is loaded: id, a semantic version,
 * {@code Plugin-Requires} against the api version, dependencies against the plugins available. Uses
 * PF4J's own version rules, so what passes here resolves in PF4J.
 */
final class PluginInspectorDescriptor {
    private static final Pattern EXACT_VERSION = Pattern.compile("\\d+\\.\\d+\\.\\d+");

    private final String apiVersion;
    private final PluginInspectorRun findings;
    private final VersionManager versions = new DefaultVersionManager();

    PluginInspectorDescriptor(String apiVersion, PluginInspectorRun findings) {
        this.apiVersion = apiVersion;
        this.findings = findings;
    }

    /** Reports every problem with {@code d}; {@code others} are the available plugins but this one. */
    void check(PluginDescriptor d, DescriptorSource source, Map<String, AvailablePlugin> others) {
        String id = d.getPluginId();
        String version = d.getVersion();
        if (id == null || id.isBlank()) {
            findings.problem(source.idKey + " is missing in its " + source.file);
        }
        if (version == null || version.isBlank()) {
            findings.problem(source.versionKey + " is missing in its " + source.file);
        } else if (!isVersion(version)) {
            findings.problem(source.versionKey + " '" + version + "' is not a semantic version such as 1.0.0");
        }
        checkRequires(d.getRequires(), source);
        checkDependencies(d, source, others);
    }

    private void checkRequires(String requires, DescriptorSource source) {
        String expression = requires == null ? "" : requires.trim();
        if (expression.isEmpty() || expression.equals("*")) {
            findings.warning("declares no " + source.requiresKey + ", so nothing stops it loading into an api it"
                    + " was not built for (declare e.g. >=" + apiVersion + ")");
            return;
        }
        // PF4J reads a bare version as a minimum, not an exact match (exact versions are not allowed).
        String effective = EXACT_VERSION.matcher(expression).matches() ? ">=" + expression : expression;
        try {
            if (!versions.checkVersionConstraint(apiVersion, effective)) {
                findings.problem(source.requiresKey + " '" + requires + "' is not satisfied by this daemon's api"
                        + " version " + apiVersion);
            }
        } catch (RuntimeException e) {
            findings.problem(source.requiresKey + " '" + requires + "' is not a version expression such as >="
                    + apiVersion + " (" + describe(e) + ")");
        }
    }

    private void checkDependencies(PluginDescriptor d, DescriptorSource source, Map<String, AvailablePlugin> others) {
        for (PluginDependency dep : d.getDependencies()) {
            String depId = dep.getPluginId();
            String wanted = depId + "@" + dep.getPluginVersionSupport();
            if (depId.equals(d.getPluginId())) {
                findings.problem(source.dependenciesKey + " names the plugin itself (" + wanted + ")");
                continue;
            }
            AvailablePlugin there = others.get(depId);
            if (there == null) {
                if (!dep.isOptional()) {
                    findings.problem("depends on " + wanted + ", which is not available" + listAvailable(others));
                }
                continue;
            }
            try {
                if (!versions.checkVersionConstraint(there.version(), dep.getPluginVersionSupport())
                        && !dep.isOptional()) {
                    findings.problem("depends on " + wanted + ", but " + depId + " " + there.version()
                            + " is available");
                }
            } catch (RuntimeException e) {
                findings.problem(source.dependenciesKey + " entry " + wanted + " has no valid version expression ("
                        + describe(e) + ")");
            }
        }
    }

    private static String listAvailable(Map<String, AvailablePlugin> others) {
        if (others.isEmpty()) {
            return " (no other plugins are available)";
        }
        return others.values().stream().map(a -> a.id() + " " + a.version())
                .collect(Collectors.joining(", ", " (available: ", ")"));
    }

    private boolean isVersion(String text) {
        try {
            versions.compareVersions(text, text);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
